"""The nightly `--out` directory: date-stamped reports, `latest.*` copies, and retention (`--keep`).

    out/
      gcaudit-20261124T020000Z-run42.html   .json   .md
      latest.html  latest.json  latest.md
      snapshots/20261124T020000Z-run42/     (live collection only)
      gcaudit-history.db                    (the default SQLite history)

Retention only ever deletes names this module creates (the patterns below), newest N kept.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from auditor.safety.fileio import atomic_write_text, make_private_dirs

log = logging.getLogger(__name__)

REPORT_EXTENSIONS = ("html", "json", "md")
SNAPSHOTS_DIR = "snapshots"
_REPORT_RE = re.compile(r"^gcaudit-(\d{8}T\d{6}Z)-run(\d+)\.(html|json|md)$")
_SNAPSHOT_RE = re.compile(r"^(\d{8}T\d{6}Z)(?:-run(\d+))?$")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def report_stem(moment: datetime, run_id: int) -> str:
    return f"gcaudit-{stamp(moment)}-run{run_id}"


def write_reports(out: Path, stem: str, rendered: dict[str, str]) -> dict[str, Path]:
    """Write `<stem>.<ext>` and `latest.<ext>` for each rendered format; returns ext -> dated path."""
    make_private_dirs(out)
    written = {}
    for ext, text in rendered.items():
        dated = out / f"{stem}.{ext}"
        # Names gcaudit chooses inside its own directory: only a regular file there is replaced.
        atomic_write_text(dated, text, streams=False)
        atomic_write_text(out / f"latest.{ext}", text, streams=False)
        written[ext] = dated
    return written


def _sort_key(stamp_text: str, run: str | None) -> tuple[str, int]:
    return (stamp_text, int(run or 0))


def _identity(path: Path) -> tuple[str, str]:
    """A path's directory (resolved) and name: the same entry however `--out` was spelled."""
    return str(path.parent.resolve()), path.name


def prune(out: Path, keep: int, protect: Iterable[Path] = ()) -> list[Path]:
    """Keep the newest `keep` reports (per extension) and snapshots; `keep` 0 keeps everything.

    `protect` (tonight's reports and snapshot) is kept whatever the names of the other files say:
    "newest" is read from the file names, and a file dated in the future (a wrong clock, a copy
    from elsewhere, a planted name) would otherwise push out the report just written."""
    if keep <= 0 or not out.is_dir():
        return []
    kept = {_identity(path) for path in protect}

    def newest_first(entries: list[tuple[tuple[str, int], Path]]) -> list[tuple[tuple[str, int], Path]]:
        # Protected entries first (they always count among the `keep`), then by the name's date and run.
        return sorted(entries, key=lambda entry: (_identity(entry[1]) in kept, entry[0]), reverse=True)

    removed: list[Path] = []
    by_ext: dict[str, list[tuple[tuple[str, int], Path]]] = {}
    for path in out.iterdir():
        match = _REPORT_RE.match(path.name)
        if match and path.is_file():
            by_ext.setdefault(match.group(3), []).append((_sort_key(match.group(1), match.group(2)), path))
    for entries in by_ext.values():
        for _, path in newest_first(entries)[keep:]:
            path.unlink(missing_ok=True)
            removed.append(path)
    snapshots = out / SNAPSHOTS_DIR
    if snapshots.is_dir():
        entries = []
        for path in snapshots.iterdir():
            match = _SNAPSHOT_RE.match(path.name)
            if match and path.is_dir() and (path / "manifest.json").is_file():
                entries.append((_sort_key(match.group(1), match.group(2)), path))
        for _, path in newest_first(entries)[keep:]:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    if removed:
        log.info("retention: removed %d old report(s)/snapshot(s) from %s", len(removed), out)
    return removed
