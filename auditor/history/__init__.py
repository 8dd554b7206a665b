"""Nightly run history: every run, its results, finding state per fingerprint and object hashes for drift."""

from auditor.history.compare import Change, Drift, FindingChange, FindingComparison, ObjectChange
from auditor.history.lock import LOCK_HELD_EXIT, LockHeld
from auditor.history.store import (
    HistoryStore,
    HistoryUnavailable,
    PruneSummary,
    RecordedRun,
    normalise_url,
    safe_url,
)

__all__ = [
    "LOCK_HELD_EXIT",
    "Change",
    "Drift",
    "FindingChange",
    "FindingComparison",
    "HistoryStore",
    "HistoryUnavailable",
    "LockHeld",
    "ObjectChange",
    "PruneSummary",
    "RecordedRun",
    "normalise_url",
    "safe_url",
]
