"""The bundled sample orgs (complete snapshots with a rollout plan), reachable after `pip install`.

In a source checkout they are `sample_exports/`; a wheel installs a copy under
`<prefix>/share/gcaudit/sample_exports/` (pyproject `data-files`), found through the dist's RECORD,
as the HTML templates are. `gcaudit demo DIR` writes them to DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditor.errors import GcauditError, OutputError
from auditor.safety.fileio import atomic_write_bytes, make_private_dirs, read_bytes

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
    nothing already there is replaced. Only regular files are copied, through the safe writers:
    new directories owner-only, files 0600, like every file gcaudit writes (the samples are org
    data in form, and a copy is audited like one)."""
    source = samples_dir()
    targets = [dest / name for name in SAMPLE_ORGS]
    for target in targets:
        if os.path.lexists(target):
            raise OutputError(target, "already exists; choose an empty directory")
    make_private_dirs(dest)  # a file, a dangling link or an unwritable parent: OutputError, exit 2
    for name, target in zip(SAMPLE_ORGS, targets, strict=True):
        make_private_dirs(target)
        for item in sorted((source / name).iterdir()):
            if item.is_file() and not item.is_symlink():
                atomic_write_bytes(target / item.name, read_bytes(item), streams=False)
    return targets
