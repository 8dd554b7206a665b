"""Reading and writing snapshot directories: `manifest.json` plus one JSON file per dataset."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import DatasetUnavailable, InputError
from auditor.fileio import atomic_write_text, dump_json, read_json
from auditor.snapshot import schemas
from auditor.snapshot.datasets import BY_NAME, DATASETS
from auditor.snapshot.manifest import SCHEMA_VERSION, DatasetStatus, Manifest
from auditor.snapshot.validate import check

MANIFEST_FILE = "manifest.json"
#: Snapshot files hold org configuration: owner-only.
FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass
class Snapshot:
    """A loaded, validated snapshot: raw API entities per dataset plus the manifest."""

    path: Path | None
    manifest: Manifest
    data: dict[str, Any]

    @property
    def org_id(self) -> str:
        return self.manifest.organization_id

    def status(self, dataset: str) -> DatasetStatus:
        return self.manifest.datasets.get(dataset) or DatasetStatus(status="error", message="not in manifest")

    def available(self, dataset: str) -> bool:
        return self.status(dataset).ok and dataset in self.data

    def raw(self, dataset: str) -> Any:
        if not self.available(dataset):
            raise DatasetUnavailable(dataset, self.status(dataset).reason())
        return self.data[dataset]


def load_snapshot(path: Path | str) -> Snapshot:
    """Load and validate a snapshot directory; any problem is an InputError naming file and field."""
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
    data: dict[str, Any] = {}
    # A 50k-queue snapshot is tens of millions of dicts and strings. Parsed JSON holds no
    # reference cycles, so the cyclic GC only burns time on it: off while parsing, and the result
    # frozen out of its reach afterwards (refcounting still frees it), or every later collection
    # (the rules allocate plenty) would walk the whole snapshot again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for dataset in DATASETS:
            status = manifest.datasets.get(dataset.name)
            if status is None or not status.ok:
                continue
            file = root / dataset.filename
            if not file.exists():
                raise InputError(file, f"manifest says dataset {dataset.name!r} is ok but its file is missing")
            content = read_json(file)
            check(dataset.file_schema, content, file)
            data[dataset.name] = content
        gc.freeze()
    finally:
        if gc_was_enabled:
            gc.enable()
    return Snapshot(path=root, manifest=manifest, data=data)


class SnapshotWriter:
    """Writes a snapshot into a hidden temporary directory and moves it into place on `commit()`.

    A collection that crashes or is killed therefore never leaves a directory that looks like a
    complete snapshot: the final path appears only once the manifest, written last, is on disk.
    """

    def __init__(self, target: Path | str, *, indent: int | None = None) -> None:
        self.target = Path(target)
        self.indent = indent
        if self.target.exists() and any(self.target.iterdir()):
            raise InputError(self.target, "already exists and is not empty; choose a new directory")
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".partial", dir=self.target.parent))
        os.chmod(self._tmp, DIR_MODE)

    def write_dataset(self, name: str, content: Any) -> None:
        if name not in BY_NAME:
            raise ValueError(f"unknown dataset {name!r}")
        atomic_write_text(self._tmp / BY_NAME[name].filename, dump_json(content, self.indent), mode=FILE_MODE)

    def commit(self, manifest: Manifest) -> Path:
        atomic_write_text(self._tmp / MANIFEST_FILE, dump_json(manifest.to_dict(), 2), mode=FILE_MODE)
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
