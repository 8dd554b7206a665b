"""The bundled sample orgs (complete snapshots with a rollout plan), reachable after `pip install`.

In a source checkout they are `sample_exports/`; a wheel installs a copy under
`<prefix>/share/gcaudit/sample_exports/` (pyproject `data-files`), found through the dist's RECORD,
as the HTML templates are. `gcaudit demo DIR` writes them to DIR.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from auditor.errors import GcauditError

SAMPLE_ORGS = ("demo-org", "ready-org")
_DIR_NAME = "sample_exports"


def samples_dir() -> Path:
    checkout = Path(__file__).resolve().parents[1] / _DIR_NAME
    if (checkout / SAMPLE_ORGS[0] / "manifest.json").is_file():
        return checkout
    from importlib import metadata

    try:
        files = metadata.files("gcaudit") or []
    except metadata.PackageNotFoundError:
        files = []
    for entry in files:
        if entry.name == "manifest.json" and entry.parent.parent.name == _DIR_NAME:
            found = Path(str(entry.locate())).resolve().parent.parent
            if (found / SAMPLE_ORGS[0] / "manifest.json").is_file():
                return found
    raise GcauditError(f"the sample orgs ({_DIR_NAME}/) are not installed; reinstall gcaudit")


def write_samples(dest: Path) -> list[Path]:
    """Copy every sample org into `dest/<org>`. Refuses (exit 2) when `dest/<org>` already exists:
    nothing already there is replaced. Only regular files are copied."""
    source = samples_dir()
    targets = [dest / name for name in SAMPLE_ORGS]
    for target in targets:
        if target.exists() or target.is_symlink():
            raise GcauditError(f"{target}: already exists; choose an empty directory")
    if dest.exists() and not dest.is_dir():
        raise GcauditError(f"{dest}: not a directory")
    for name, target in zip(SAMPLE_ORGS, targets, strict=True):
        target.mkdir(parents=True)
        for item in sorted((source / name).iterdir()):
            if item.is_file() and not item.is_symlink():
                shutil.copyfile(item, target / item.name)
    return targets
