"""CX as Code: a Terraform configuration or plan of the `mypurecloud/genesyscloud` provider as a
snapshot source, so the same rules judge it, with findings on file and line.

    reader (hcl.py, config.py, plan.py) -> resource instances -> mappers.py -> build.py -> Snapshot
"""

from __future__ import annotations

from pathlib import Path

from auditor.errors import InputError
from auditor.snapshot.store import Snapshot
from auditor.sources.terraform.config import Configuration
from auditor.sources.terraform.redact import Redactor


def _base(path: Path) -> Path:
    """Paths in findings are relative to the working directory (the repository root in CI) when
    the configuration lies inside it, else to the configuration itself."""
    cwd = Path.cwd().resolve()
    target = path.resolve()
    return cwd if target == cwd or cwd in target.parents else (target if target.is_dir() else target.parent)


def read_source(path: Path, var_files: list[Path] | None = None, source_dir: Path | None = None) -> Configuration:
    from auditor.sources.terraform.config import read_configuration
    from auditor.sources.terraform.mappers import WANTED
    from auditor.sources.terraform.plan import read_plan

    if not path.exists():
        raise InputError(path, "no such file or directory")
    if path.is_dir():
        return read_configuration(path, var_files, wanted=WANTED, base=_base(path))
    if not path.is_file():
        raise InputError(path, "not a regular file or directory")
    return read_plan(path, wanted=WANTED, source_dir=source_dir, var_files=var_files)


def load_terraform(path: Path, *, var_files: list[Path] | None = None, base: Snapshot | None = None,
                   source_dir: Path | None = None) -> Snapshot:
    """The snapshot a configuration directory or plan JSON describes; with `base`, `base` as it
    will be after the apply."""
    return load_terraform_redacted(path, var_files=var_files, base=base, source_dir=source_dir)[0]


def load_terraform_redacted(path: Path, *, var_files: list[Path] | None = None, base: Snapshot | None = None,
                            source_dir: Path | None = None) -> tuple[Snapshot, Redactor]:
    """`load_terraform`, plus the redactor for every value the tfvars supplied (kept in memory)."""
    from auditor.sources.terraform.build import build_snapshot, overlay

    config = read_source(path, var_files, source_dir)
    snapshot = overlay(base, config, str(path)) if base is not None else build_snapshot(config, str(path))
    redactor = Redactor(config.redact)
    info = snapshot.manifest.extra.get("terraform") or {}
    if "notes" in info:
        info["notes"] = redactor.lines(info["notes"])
    return snapshot, redactor
