"""Snapshots: the interface between collectors (which write them) and rules (which read them)."""

from auditor.snapshot.datasets import DATASETS, Dataset
from auditor.snapshot.manifest import SCHEMA_VERSION, DatasetStatus, Manifest
from auditor.snapshot.store import Snapshot, SnapshotWriter, load_snapshot

__all__ = [
    "DATASETS",
    "SCHEMA_VERSION",
    "Dataset",
    "DatasetStatus",
    "Manifest",
    "Snapshot",
    "SnapshotWriter",
    "load_snapshot",
]
