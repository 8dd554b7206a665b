"""Reading and writing snapshot directories: `manifest.json` plus one JSON file per dataset."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import DatasetUnavailable, InputError, OutputError
from auditor.safety.fileio import atomic_write_text, dump_json, make_private_dirs, parse_json, read_bytes, read_json
from auditor.snapshot import columnar, schemas
from auditor.snapshot.datasets import BY_NAME, DATASETS, Dataset
from auditor.snapshot.gcpause import gc_paused
from auditor.snapshot.lean import decode_lean
from auditor.snapshot.manifest import SCHEMA_VERSION, V1_REASON, DatasetStatus, Manifest
from auditor.snapshot.validate import check

log = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
#: Snapshot files hold org configuration: owner-only.
FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass
class Snapshot:
    """A loaded, validated snapshot: raw API entities per dataset plus the manifest.

    A lean snapshot holds each entity with only the fields the dataset schemas declare (all the
    rules read); a full one holds them exactly as collected (the fake API serves those, and the
    nightly drift hashes whole entities).
    """

    path: Path | None
    manifest: Manifest
    data: dict[str, Any]
    lean: bool = False
    #: Datasets read from their columnar sidecar (auditor.snapshot.columnar): the frames read these
    #: columns, and `raw()` decodes the JSON only if something asks for the entities themselves.
    columns: dict[str, columnar.Columns] = field(default_factory=dict)

    @property
    def org_id(self) -> str:
        return self.manifest.organization_id

    def status(self, dataset: str) -> DatasetStatus:
        return self.manifest.datasets.get(dataset) or DatasetStatus(status="error", message="not in manifest")

    def available(self, dataset: str) -> bool:
        """Data is present: complete, or partial (then see `invisible_divisions`)."""
        return self.status(dataset).available and (dataset in self.data or dataset in self.columns)

    def invisible_divisions(self, dataset: str) -> dict[str, str]:
        """{division id: name} of the divisions the collecting client could not see for `dataset`
        (empty for a complete dataset; a partial one with no names could not be checked at all)."""
        return self.status(dataset).invisible_divisions()

    def raw(self, dataset: str) -> Any:
        if not self.available(dataset):
            raise DatasetUnavailable(dataset, self.status(dataset).reason())
        if dataset not in self.data:
            self.data[dataset] = self._decode_later(dataset)
        return self.data[dataset]

    def column_view(self, dataset: str) -> columnar.Columns | None:
        """The dataset's columns when it was loaded from a sidecar, else None (read `raw()`)."""
        return self.columns.get(dataset) if self.available(dataset) else None

    def _decode_later(self, dataset: str) -> Any:
        assert self.path is not None, "only a loaded snapshot has columns"
        with gc_paused():
            return _read_lean(BY_NAME[dataset], self.path / BY_NAME[dataset].filename)


def load_snapshot(path: Path | str, *, lean: bool = False, columns: bool = True) -> Snapshot:
    """Load and validate a snapshot directory; any problem is an InputError naming file and field.

    `lean=True` keeps only the fields the dataset schemas declare (see `auditor.snapshot.lean`):
    what an audit needs, in about a third of the time on a big org. Errors are the same. A lean
    load also reads the columnar sidecars (`auditor.snapshot.columnar`) where they fit, unless
    `columns=False` (the benchmarks' side-by-side figure).
    """
    root = Path(path)
    if not root.exists():
        raise InputError(root, "no such snapshot directory")
    if not root.is_dir():
        raise InputError(root, "not a directory: a snapshot is a directory holding manifest.json")
    manifest_path = root / MANIFEST_FILE
    raw_manifest = read_json(manifest_path)
    check(schemas.MANIFEST, raw_manifest, manifest_path)
    if raw_manifest["schema_version"] > SCHEMA_VERSION:
        raise InputError(
            manifest_path,
            f"snapshot schema {raw_manifest['schema_version']} is newer than this gcaudit supports "
            f"({SCHEMA_VERSION}); upgrade gcaudit",
            field="schema_version",
        )
    manifest = Manifest.from_dict(raw_manifest)
    if manifest.schema_version < 2:
        # A version-1 snapshot predates these datasets: they were not collected, which rules
        # needing them report as ERROR. (Its role_users are not turned into subject grants: they
        # carry no divisions, and pretending they were granted in all divisions would be a guess.)
        for dataset in DATASETS:
            manifest.datasets.setdefault(dataset.name, DatasetStatus(status="not_collected",
                                                                     not_collected_reason=V1_REASON))
    data: dict[str, Any] = {}
    views: dict[str, columnar.Columns] = {}
    # The parsed data holds no reference cycles and stays until exit: frozen out of the cyclic
    # collector's reach, or every later collection would walk the whole snapshot again.
    with gc_paused(freeze=True):
        for dataset in DATASETS:
            status = manifest.datasets.get(dataset.name)
            if status is None or not status.available:
                continue
            file = root / dataset.filename
            if not file.exists():
                raise InputError(file, f"manifest says dataset {dataset.name!r} is {status.status} "
                                       "but its file is missing")
            declared = (raw_manifest["datasets"].get(dataset.name) or {}).get("entities")
            view = columnar.read(dataset.name, file) if lean and columns else None
            if view is not None and _count_matches(declared, view.rows):
                views[dataset.name] = view
                continue
            data[dataset.name] = _read_lean(dataset, file) if lean else _read_full(dataset, file)
            _check_count(manifest_path, dataset.name, declared, data[dataset.name], file)
    return Snapshot(path=root, manifest=manifest, data=data, lean=lean, columns=views)


def _count_matches(declared: Any, rows: int) -> bool:
    """A sidecar whose rows disagree with the manifest is not used: the JSON is then decoded and
    `_check_count` names the damage as for any snapshot."""
    count = _declared_count(declared)
    return count is None or count == rows


def _declared_count(declared: Any) -> int | None:
    """The manifest's entity count, or None where it states none (hand-written snapshots may
    leave it out)."""
    # The manifest schema admits only JSON integers, and `14.0` is one (JSON Schema counts integral
    # numbers as integers): compared by value, or `"entities": 14.0` over `[]` would pass unchecked.
    if isinstance(declared, float) and declared.is_integer():
        return int(declared)
    return None if declared is None or isinstance(declared, bool) or not isinstance(declared, int) else declared


def entity_count(content: Any) -> int:
    """Entities in a dataset file: a list's length, or the lengths of a per-parent dict's lists."""
    if isinstance(content, dict):
        return sum(len(v) if isinstance(v, list | dict) else 1 for v in content.values())
    return len(content) if isinstance(content, list) else 0


def _check_count(manifest_path: Path, name: str, declared: Any, content: Any, file: Path) -> None:
    """A manifest that counts 14 clients over a file holding [] is damage, not an org without clients:
    taken as data, it would make whole rule groups NOT_APPLICABLE in a report marked complete."""
    if _declared_count(declared) is None:
        return
    found = entity_count(content)
    if found != declared:
        raise InputError(manifest_path, f"counts {declared} entities but {file.name} holds {found}; "
                                        "the snapshot is damaged or was edited", field=f"datasets.{name}.entities")


def _read_full(dataset: Dataset, file: Path) -> Any:
    content = read_json(file)
    check(dataset.file_schema, content, file)
    return content


def _read_lean(dataset: Dataset, file: Path) -> Any:
    raw = read_bytes(file)
    decoded, content = decode_lean(raw, dataset.file_schema)
    if decoded:
        return content
    # msgspec refused it: the normal path names the problem, or accepts what msgspec was strict about.
    content = parse_json(raw, file)
    del raw
    check(dataset.file_schema, content, file)
    return content


#: `.NAME.HOST~PID.RANDOM.partial`: the owner of a temporary snapshot directory, so that a later
#: writer can tell a killed collection's leftovers from another collection still running.
_PARTIAL = re.compile(r"^\..+\.(?P<host>[^.~/]+)~(?P<pid>\d+)\.[^.]+\.partial$")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep_stale_partials(parent: Path) -> list[Path]:
    """Remove the temporary snapshot directories in `parent` left by killed collections on this host.

    Only directories whose name says this host and a process id that no longer exists go; those
    of another host (a shared disk) or of a live process are left alone.
    """
    removed = []
    host = _host()
    for entry in parent.glob(".*.partial"):
        match = _PARTIAL.match(entry.name)
        if not match or match["host"] != host or not entry.is_dir() or entry.is_symlink():
            continue
        if _alive(int(match["pid"])):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _resolve_target(target: Path) -> Path:
    """The directory a snapshot will really be moved to, decided before anything is collected.

    `--out` given as a symbolic link to a directory means that directory (the rename at the end
    would otherwise fail on the link after every call was made); a link to anything else, or to
    nothing, and a path that is not a directory, are refused now.
    """
    if target.is_symlink():
        resolved = target.resolve()
        if not resolved.is_dir():
            raise OutputError(target, "is a symbolic link to something that is not a directory; "
                                      "give a new directory for the snapshot")
        return resolved
    if target.exists() and not target.is_dir():
        raise OutputError(target, "exists and is not a directory; give a new directory for the snapshot")
    return target


class SnapshotWriter:
    """Writes a snapshot into a hidden temporary directory and moves it into place on `commit()`.

    A collection that crashes or is killed therefore never leaves a directory that looks like a
    complete snapshot: the final path appears only once the manifest, written last, is on disk.
    The temporary directory's name records host and process id, and each new writer removes the
    ones a killed collection left beside its target.
    """

    def __init__(self, target: Path | str, *, indent: int | None = None, columns: bool = True) -> None:
        self.target = _resolve_target(Path(target))
        self.indent = indent
        #: Write the columnar sidecars (auditor.snapshot.columnar); off for the committed samples,
        #: which stay plain, reviewable JSON.
        self.columns = columns
        if self.target.exists() and any(self.target.iterdir()):
            raise InputError(self.target, "already exists and is not empty; choose a new directory")
        make_private_dirs(self.target.parent)
        for stale in sweep_stale_partials(self.target.parent):
            log.info("removed %s, left by a collection that was killed", stale.name)
        try:
            self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.{_host()}~{os.getpid()}.",
                                              suffix=".partial", dir=self.target.parent))
        except OSError as exc:  # before any API call: an unwritable --out costs nothing
            raise OutputError(self.target.parent, f"cannot write here: {(exc.strerror or str(exc)).lower()}") from None
        os.chmod(self._tmp, DIR_MODE)

    def write_dataset(self, name: str, content: Any) -> None:
        if name not in BY_NAME:
            raise ValueError(f"unknown dataset {name!r}")
        atomic_write_text(self._tmp / BY_NAME[name].filename, dump_json(content, self.indent), mode=FILE_MODE,
                          streams=False)
        if self.columns:
            columnar.write(name, self._tmp / BY_NAME[name].filename, FILE_MODE)

    def commit(self, manifest: Manifest) -> Path:
        atomic_write_text(self._tmp / MANIFEST_FILE, dump_json(manifest.to_dict(), 2), mode=FILE_MODE, streams=False)
        if self.target.exists():
            self.target.rmdir()  # empty, checked in __init__
        os.replace(self._tmp, self.target)
        return self.target

    def abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._tmp.exists():
            self.abort()
