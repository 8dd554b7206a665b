"""One nightly run per org at a time: a file lock next to a SQLite history, an advisory lock on PostgreSQL.

Both locks die with the process (the OS drops the flock, PostgreSQL drops a session's advisory
locks when its connection closes), so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, select

from auditor.errors import GcauditError
from auditor.safety.fileio import PRIVATE_FILE_MODE, output_target

#: EX_TEMPFAIL from sysexits.h: "try again later". Distinct from 0-4 so that a scheduler can tell
#: "skipped, another run for this org is still going" from an audit result or a failure.
LOCK_HELD_EXIT = 75


class LockHeld(GcauditError):
    exit_code = LOCK_HELD_EXIT

    def __init__(self, label: str, where: str) -> None:
        super().__init__(
            f"another gcaudit nightly run for org {label!r} is still running ({where}); "
            "not starting a second one"
        )


def advisory_key(label: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_lock(bigint) from the org label."""
    # surrogatepass: a label from a non-UTF-8 command line (surrogate escapes) still has a key.
    digest = hashlib.sha256(f"gcaudit-nightly\x1f{label}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file_path(db_path: Path, label: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", label)[:60]
    # Distinct labels that slug alike stay distinct.
    tag = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return db_path.with_name(f"{db_path.name}.{slug}-{tag}.lock")


@contextmanager
def file_lock(db_path: Path, label: str) -> Iterator[None]:
    from filelock import FileLock, Timeout

    path = lock_file_path(db_path, label)
    # A symbolic link (or anything but a regular file) planted at the lock path is refused, exit 2:
    # opening it would truncate whatever the link points at. Lock files are owner-only, like the history.
    output_target(path, streams=False)
    lock = FileLock(str(path), mode=PRIVATE_FILE_MODE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockHeld(label, f"lock file {path}") from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def advisory_lock(engine: Engine, label: str) -> Iterator[None]:
    key = advisory_key(label)
    # AUTOCOMMIT: the lock is session-scoped; holding a transaction open for the whole run would
    # trip idle-in-transaction timeouts.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.execute(select(func.pg_try_advisory_lock(key))).scalar():
            raise LockHeld(label, f"PostgreSQL advisory lock {key}")
        try:
            yield
        finally:
            conn.execute(select(func.pg_advisory_unlock(key)))
