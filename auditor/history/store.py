"""The run history: open (and migrate) the database, record a run in one transaction, read it back."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from auditor.errors import GcauditError
from auditor.history import schema, storable
from auditor.history.compare import (
    Change,
    Drift,
    FindingChange,
    FindingComparison,
    ObjectMap,
    compare_objects,
)
from auditor.history.lock import advisory_lock, file_lock
from auditor.history.migrations import migrate
from auditor.history.objects import KINDS, ObjectState, compared_kinds, extract_objects
from auditor.history.verdict import RunVerdict
from auditor.results import AuditReport, Status
from auditor.safety.fileio import make_private_dirs, open_regular_nofollow, output_target, shorten
from auditor.safety.redaction import register_url, scrub, scrub_url
from auditor.snapshot import Snapshot

_INSERT_BATCH = 5_000


#: Files SQLite keeps beside a database (rollback journal, write-ahead log, its shared memory).
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


class HistoryUnavailable(GcauditError):
    """The history database cannot be opened (bad URL, server down, permissions)."""


class HistoryBusy(HistoryUnavailable):
    """Another process held the database's write lock for longer than the wait (`busy_timeout`)."""


def is_busy(exc: BaseException) -> bool:
    """A database error that means "locked past the wait" (SQLite's `database is locked`)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "database is locked" in text or "database table is locked" in text


@dataclass(frozen=True)
class PruneSummary:
    """What `HistoryStore.prune` removed (or, on a dry run, would remove)."""

    run_ids: tuple[int, ...]
    results: int
    objects: int


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` -> the psycopg 3 driver; SQLite and psycopg URLs as given."""
    text = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix):]
    return text


def safe_url(url: str) -> str:
    """The URL with any password (and query value) masked, for messages."""
    try:
        return scrub_url(make_url(url).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        # A port that is no number, an unclosed IPv6 bracket: SQLAlchemy raises ValueError.
        return scrub_url(shorten(url, 120))


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    value = as_utc(value)
    return value.isoformat(timespec="seconds").replace("+00:00", "Z") if value else None


def _sqlite_immediate(engine: Engine) -> None:
    """Every SQLite transaction starts with BEGIN IMMEDIATE.

    pysqlite's default deferred transactions fail with "database is locked" instead of waiting
    when a reader tries to upgrade to a writer while another process writes (parallel orgs).
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class RecordedRun:
    run_id: int
    previous_run_id: int | None
    findings: FindingComparison
    drift: Drift
    #: This run's co-browse answer, and the previous run's (None: no previous run).
    verdict: RunVerdict | None = None
    previous_verdict: RunVerdict | None = None

    def verdict_change(self) -> str | None:
        """`co-browse: READY → NOT READY` when the verdict changed since the previous run."""
        from auditor.history.verdict import transition

        return transition(self.previous_verdict, self.verdict) if self.verdict else None


class HistoryStore:
    #: Seconds a SQLite connection waits for another process's write transaction (parallel orgs, a
    #: prune) before "database is locked".
    busy_timeout: float = 120.0

    def __init__(self, url: str) -> None:
        register_url(url)  # its password, wherever a driver message might quote it
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
            parsed.port  # noqa: B018 -- a port that is no number raises here, not inside the driver
        except (ArgumentError, ValueError):
            raise HistoryUnavailable(f"--history {safe_url(url)}: not a database URL "
                                     "(expected sqlite:///PATH or postgresql://...)") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise HistoryUnavailable(f"--history {safe_url(url)}: unsupported database {self.dialect!r} "
                                     "(use sqlite:///PATH or postgresql://...)")
        self.sqlite_path: Path | None = None
        if self.dialect == "sqlite" and parsed.database and parsed.database != ":memory:":
            # The directories resolved (one lock per database, whatever path led to it), the file
            # itself not: a symbolic link there must be seen, not followed.
            given = Path(parsed.database).expanduser().absolute()
            self.sqlite_path = given.parent.resolve() / given.name
            self._prepare_sqlite_file(self.sqlite_path)
        try:
            if self.dialect == "sqlite":
                # timeout: wait for another process's write transaction (parallel orgs) instead of failing
                self.engine = create_engine(self.url, connect_args={"timeout": self.busy_timeout})
                _sqlite_immediate(self.engine)
            else:
                self.engine = create_engine(self.url, pool_pre_ping=True)
            migrate(self.engine)
        except ModuleNotFoundError as exc:
            raise HistoryUnavailable(f"--history {safe_url(url)}: driver not installed ({exc.name}); "
                                     "install gcaudit[postgres]") from None
        except (OperationalError, SQLAlchemyError, ValueError, TypeError) as exc:
            # ValueError/TypeError: a query parameter the driver cannot read (`?timeout=abc`).
            reason = scrub(str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] or type(exc).__name__)
            if is_busy(exc):
                raise HistoryBusy(f"--history {safe_url(url)}: locked by another process for more than "
                                  f"{self.busy_timeout:g} s: {reason}") from None
            raise HistoryUnavailable(f"--history {safe_url(url)}: cannot open the history database: {reason}") from None

    @staticmethod
    def _prepare_sqlite_file(path: Path) -> None:
        """Create the database file owner-only, or check that what is there is a regular file.

        Only a regular file (or nothing) is opened, as for every other output: a symbolic link
        planted at the path would have the history created (or written) wherever it points, a FIFO
        would block SQLite's first read. Refused with OutputError (exit 2), nothing touched.
        """
        output_target(path, streams=False)  # a link, FIFO, socket, device or directory: refused
        for suffix in _SQLITE_SIDE_FILES:
            # SQLite opens (and deletes) these by name: a link planted there would be followed or
            # removed. A regular one (a hot journal after a crash) is kept for SQLite to recover.
            output_target(path.with_name(path.name + suffix), streams=False)
        make_private_dirs(path.parent)
        # Never truncated: an existing history is opened, not replaced; a link or FIFO swapped in
        # since the look above is refused, not followed or waited on.
        try:
            os.close(open_regular_nofollow(path))
        except OSError as exc:
            raise HistoryUnavailable(f"--history {path}: cannot create the database file: "
                                     f"{(exc.strerror or str(exc)).lower()}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- locking -------------------------------------------------------------------------------

    def lock(self, label: str) -> AbstractContextManager[None]:
        """Hold while collecting, auditing and recording a run for `label`; raises LockHeld if taken."""
        if self.dialect == "postgresql":
            return advisory_lock(self.engine, label)
        if self.sqlite_path is not None:
            return file_lock(self.sqlite_path, label)
        return nullcontext()

    # ---- writing -------------------------------------------------------------------------------

    def record_run(
        self,
        report: AuditReport,
        snapshot: Snapshot,
        *,
        label: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        _before_commit: Callable[[Connection], None] | None = None,
    ) -> RecordedRun:
        """Store the run, compare it with the org's previous run and update finding state: one transaction."""
        finished = as_utc(finished_at) or datetime.now(UTC)
        started = as_utc(started_at) or finished
        answer = RunVerdict.of_report(report)  # from the report the nightly reports render
        report = storable_report(report)
        objects = extract_objects(snapshot)
        kinds_now = set(compared_kinds(snapshot))
        with self.engine.begin() as conn:
            previous = conn.execute(
                select(schema.runs.c.id, schema.runs.c.datasets, schema.runs.c.verdict, schema.runs.c.blockers,
                       schema.runs.c.actions)
                .where(schema.runs.c.org_id == report.org_id)
                .order_by(schema.runs.c.id.desc()).limit(1)
            ).first()
            previous_id = previous.id if previous else None
            run_id = self._insert_run(conn, report, label or report.org_id, started, finished, previous_id, answer)
            findings = self._update_findings(conn, report, run_id, finished, previous_id)
            self._insert_results(conn, report, run_id, findings.by_fingerprint())
            self._insert_objects(conn, run_id, objects)
            counts = findings.counts()
            conn.execute(update(schema.runs).where(schema.runs.c.id == run_id).values(
                new_count=counts["NEW"], regressed_count=counts["REGRESSED"],
                unchanged_count=counts["UNCHANGED"], resolved_count=counts["RESOLVED"],
            ))
            if previous is not None:
                drift = compare_objects(
                    self._objects(conn, previous.id), _object_map(objects),
                    _kinds_ok(previous.datasets), kinds_now, previous.id, run_id,
                )
            else:
                drift = Drift(None, run_id)
            if _before_commit is not None:
                _before_commit(conn)
        before = RunVerdict.of_run(dict(previous._mapping)) if previous is not None else None
        return RecordedRun(run_id, previous_id, findings, drift, answer, before)

    @staticmethod
    def _insert_run(conn: Connection, report: AuditReport, label: str, started: datetime, finished: datetime,
                    previous_id: int | None, answer: RunVerdict) -> int:
        stats = {"calls": 0, "retries": 0, "throttled": 0, "seconds": 0.0}
        for info in report.datasets.values():
            for key in stats:
                value = info.get(key)
                stats[key] += value if isinstance(value, int | float) and math.isfinite(value) else 0
        stats["seconds"] = round(stats["seconds"], 3)
        row = conn.execute(insert(schema.runs).values(
            org_id=report.org_id, org_name=report.org_name or "", label=storable.text(label),
            region=report.region, collected_at=report.collected_at, started_at=started, finished_at=finished,
            tool_version=report.tool_version, snapshot_path=report.snapshot_path, plan_path=report.plan_path,
            complete=report.complete, datasets=report.datasets, api_stats=storable.json_value(stats),
            summary=storable.json_value(report.summary()),
            previous_run_id=previous_id, **answer.columns(),
        ).returning(schema.runs.c.id))
        return int(row.scalar_one())

    @staticmethod
    def _update_findings(conn: Connection, report: AuditReport, run_id: int, now: datetime,
                         previous_id: int | None) -> FindingComparison:
        f = schema.findings
        state = {row.fingerprint: row for row in conn.execute(select(f).where(f.c.org_id == report.org_id))}
        errored_rules = {r.rule_id for r in report.results if r.status is Status.ERROR}
        comparison = FindingComparison(previous_id)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        seen: set[str] = set()
        for result in report.results:
            if result.status not in (Status.FAIL, Status.WAIVED) or result.fingerprint in seen:
                continue
            seen.add(result.fingerprint)
            row = state.get(result.fingerprint)
            first_seen = as_utc(row.first_seen) if row else now
            if row is None:
                change = Change.NEW
                inserts.append({
                    "org_id": report.org_id, "fingerprint": result.fingerprint, "rule_id": result.rule_id,
                    "severity": result.severity.value, "resource_id": result.resource_id,
                    "resource_name": result.resource_name, "first_seen": now, "last_seen": now,
                    "resolved_at": None, "first_run_id": run_id, "last_run_id": run_id,
                })
            else:
                change = Change.REGRESSED if row.resolved_at is not None else Change.UNCHANGED
                updates.append({
                    "b_fp": result.fingerprint, "severity": result.severity.value,
                    "resource_name": result.resource_name, "last_seen": now, "resolved_at": None,
                    "last_run_id": run_id,
                })
            if result.status is Status.FAIL:  # a waived finding is tracked but is neither new nor regressed
                comparison.changes.append(FindingChange(
                    change, result.fingerprint, result.rule_id, result.severity.value, result.resource_id,
                    result.resource_name, result.title, result.message, iso(first_seen), iso(now),
                ))
        resolved: list[dict[str, Any]] = []
        for fp, row in state.items():
            # A rule that could not be evaluated this time (ERROR) resolves nothing: its data is missing.
            if fp in seen or row.resolved_at is not None or row.rule_id in errored_rules:
                continue
            resolved.append({"b_fp": fp, "resolved_at": now})
            comparison.changes.append(FindingChange(
                Change.RESOLVED, fp, row.rule_id, row.severity, row.resource_id, row.resource_name,
                first_seen=iso(row.first_seen), last_seen=iso(row.last_seen),
            ))
        if inserts:
            conn.execute(insert(f), inserts)
        where = (f.c.org_id == report.org_id) & (f.c.fingerprint == bindparam("b_fp"))
        if updates:
            conn.execute(update(f).where(where).values(
                severity=bindparam("severity"), resource_name=bindparam("resource_name"),
                last_seen=bindparam("last_seen"), resolved_at=bindparam("resolved_at"),
                last_run_id=bindparam("last_run_id"),
            ), updates)
        if resolved:
            conn.execute(update(f).where(where).values(resolved_at=bindparam("resolved_at")), resolved)
        order = {Change.REGRESSED: 0, Change.NEW: 1, Change.UNCHANGED: 2, Change.RESOLVED: 3}
        comparison.changes.sort(key=lambda c: (order[c.change], _sev_rank(c.severity), c.rule_id,
                                               c.resource_name.casefold()))
        return comparison

    @staticmethod
    def _insert_results(conn: Connection, report: AuditReport, run_id: int, changes: dict[str, Change]) -> None:
        rows = [
            {
                "run_id": run_id, "seq": seq, "fingerprint": r.fingerprint, "rule_id": r.rule_id, "title": r.title,
                "severity": r.severity.value, "status": r.status.value,
                "original_status": r.original_status.value if r.original_status else None,
                "resource_type": r.resource_type, "resource_id": r.resource_id, "resource_name": r.resource_name,
                "message": r.message,
                "change": changes[r.fingerprint].value if r.status is Status.FAIL and r.fingerprint in changes
                else None,
                "waiver": r.waiver,
            }
            for seq, r in enumerate(report.results)
        ]
        for start in range(0, len(rows), _INSERT_BATCH):
            conn.execute(insert(schema.results), rows[start:start + _INSERT_BATCH])

    @staticmethod
    def _insert_objects(conn: Connection, run_id: int, objects: list[ObjectState]) -> None:
        rows = [{"run_id": run_id, "kind": o.kind, "object_id": o.object_id, "name": o.name, "sha256": o.sha256,
                 "fields": o.fields} for o in objects]
        for start in range(0, len(rows), _INSERT_BATCH):
            conn.execute(insert(schema.objects), rows[start:start + _INSERT_BATCH])

    # ---- retention -----------------------------------------------------------------------------

    def prune(self, older_than_days: int, *, org: str | None = None, now: datetime | None = None,
              dry_run: bool = False) -> PruneSummary:
        """Delete runs started more than `older_than_days` ago, with their results and object hashes.

        Each org's newest run always stays: the next night compares with it (findings and drift).
        The finding state (first seen, last seen, resolved) is kept for every fingerprint, so a
        finding that comes back after its runs were pruned is still REGRESSED, not NEW, and keeps
        its first-seen date. One transaction: a failure deletes nothing.
        """
        if older_than_days < 1:
            raise ValueError("older_than_days must be at least 1")
        cutoff = (as_utc(now) or datetime.now(UTC)) - timedelta(days=older_than_days)
        r, res, obj, att = schema.runs, schema.results, schema.objects, schema.attributions
        newest = select(r.c.org_id, func.max(r.c.id).label("newest")).group_by(r.c.org_id).subquery()
        query = (select(r.c.id).join(newest, newest.c.org_id == r.c.org_id)
                 .where(r.c.started_at < cutoff, r.c.id != newest.c.newest).order_by(r.c.id))
        if org:
            query = query.where(_org_matches(org))
        with self.engine.begin() as conn:
            run_ids = tuple(row.id for row in conn.execute(query))
            counts = {"results": 0, "objects": 0}
            for start in range(0, len(run_ids), 500):
                batch = run_ids[start:start + 500]
                for name, table in (("results", res), ("objects", obj)):
                    where = table.c.run_id.in_(batch)
                    if dry_run:
                        counts[name] += conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
                    else:
                        counts[name] += conn.execute(delete(table).where(where)).rowcount
                if not dry_run:
                    conn.execute(delete(att).where(att.c.run_id.in_(batch)))
                    conn.execute(delete(r).where(r.c.id.in_(batch)))
        return PruneSummary(run_ids, counts["results"], counts["objects"])

    def record_attribution(self, run_id: int, doc: dict[str, Any]) -> None:
        """Store a run's attribution (auditor.nightly.attribution.Attribution.to_dict); text is
        made storable like every other snapshot text (NUL and lone surrogates replaced)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.attributions).where(schema.attributions.c.run_id == run_id))
            conn.execute(schema.attributions.insert().values(run_id=run_id, doc=storable.json_value(doc)))

    def attributions(self, org_id: str, after_run: int, upto_run: int) -> list[dict[str, Any]]:
        """The attributions of the org's runs in (after_run, upto_run], oldest first."""
        att, r = schema.attributions, schema.runs
        query = (select(att.c.doc).join(r, r.c.id == att.c.run_id)
                 .where(r.c.org_id == org_id, r.c.id > after_run, r.c.id <= upto_run).order_by(r.c.id))
        with self.engine.connect() as conn:
            return [row.doc for row in conn.execute(query)]

    def compact(self) -> None:
        """Give the space of deleted rows back to the file system (SQLite VACUUM; PostgreSQL's
        autovacuum does this by itself)."""
        if self.sqlite_path is None:
            return
        # Outside SQLAlchemy's transaction handling: VACUUM cannot run inside a transaction, and
        # every SQLAlchemy transaction here starts with BEGIN IMMEDIATE.
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        finally:
            raw.close()

    # ---- reading -------------------------------------------------------------------------------

    @staticmethod
    def _objects(conn: Connection, run_id: int) -> dict[str, ObjectMap]:
        o = schema.objects
        out: dict[str, ObjectMap] = {}
        for row in conn.execute(select(o.c.kind, o.c.object_id, o.c.name, o.c.sha256, o.c.fields)
                                .where(o.c.run_id == run_id)):
            out.setdefault(row.kind, {})[row.object_id] = (row.name, row.sha256, row.fields or {})
        return out

    def runs(self, org: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
        """Most recent first. `org` matches the org id, name or label."""
        r = schema.runs
        query = select(r).order_by(r.c.id.desc())
        if org:
            query = query.where(_org_matches(org))
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [_run_dict(row._mapping) for row in conn.execute(query)]

    def run(self, run_id: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.runs).where(schema.runs.c.id == run_id)).first()
        if row is None:
            raise GcauditError(f"no run {run_id} in the history")
        return _run_dict(row._mapping)

    def results(self, run_id: int) -> list[dict[str, Any]]:
        res = schema.results
        with self.engine.connect() as conn:
            rows = conn.execute(select(res).where(res.c.run_id == run_id).order_by(res.c.seq))
            return [dict(row._mapping) for row in rows]

    def trend(self, org_id: str, limit: int = 30) -> list[dict[str, Any]]:
        """Open (FAIL) findings by severity for the org's last `limit` runs, oldest first."""
        org_id = storable.key(org_id)
        return [
            {"run_id": run["id"], "started_at": run["started_at"],
             "failures_by_severity": run["summary"].get("failures_by_severity", {}), "complete": run["complete"]}
            for run in reversed(self.runs(org_id, limit))
        ]

    def diff(self, run_a: int, run_b: int) -> tuple[FindingComparison, Drift]:
        """Findings and configuration changes from run A to run B (any two runs, same org or not)."""
        a, b = self.run(run_a), self.run(run_b)
        fails_a = {r["fingerprint"]: r for r in self.results(run_a) if r["status"] == Status.FAIL.value}
        results_b = self.results(run_b)
        fails_b = {r["fingerprint"]: r for r in results_b if r["status"] == Status.FAIL.value}
        errored_b = {r["rule_id"] for r in results_b if r["status"] == Status.ERROR.value}
        earlier = self._failed_before(b["org_id"], min(run_a, run_b), set(fails_b) - set(fails_a))
        comparison = FindingComparison(run_a)
        for fp, r in fails_b.items():
            change = Change.UNCHANGED if fp in fails_a else Change.REGRESSED if fp in earlier else Change.NEW
            comparison.changes.append(_change_from_row(change, r))
        for fp, r in fails_a.items():
            if fp not in fails_b and r["rule_id"] not in errored_b:
                comparison.changes.append(_change_from_row(Change.RESOLVED, r))
        order = {Change.REGRESSED: 0, Change.NEW: 1, Change.UNCHANGED: 2, Change.RESOLVED: 3}
        comparison.changes.sort(key=lambda c: (order[c.change], _sev_rank(c.severity), c.rule_id, c.resource_name))
        with self.engine.connect() as conn:
            drift = compare_objects(self._objects(conn, run_a), self._objects(conn, run_b),
                                    _kinds_ok(a["datasets"]), _kinds_ok(b["datasets"]), run_a, run_b)
        return comparison, drift

    def _failed_before(self, org_id: str, before_run: int, fingerprints: set[str]) -> set[str]:
        if not fingerprints:
            return set()
        res, r = schema.results, schema.runs
        query = (select(res.c.fingerprint).distinct().join(r, r.c.id == res.c.run_id)
                 .where(r.c.org_id == org_id, r.c.id < before_run, res.c.status == Status.FAIL.value,
                        res.c.fingerprint.in_(sorted(fingerprints))))
        with self.engine.connect() as conn:
            return {row.fingerprint for row in conn.execute(query)}


def _org_matches(org: str) -> Any:
    """`org` is an org id (stored as `storable.key`), an org name or a label."""
    r = schema.runs
    return (r.c.org_id == storable.key(org)) | (r.c.org_name == storable.text(org)) | (r.c.label == storable.text(org))


def storable_report(report: AuditReport) -> AuditReport:
    """The report with every value the history stores made storable on both backends
    (`auditor.history.storable`); the original report still feeds the nightly reports."""
    from dataclasses import replace

    results = [_storable_result(r) for r in report.results]
    return replace(
        report, org_id=storable.key(report.org_id), org_name=storable.optional_text(report.org_name),
        region=storable.optional_text(report.region), collected_at=storable.text(report.collected_at),
        tool_version=storable.text(report.tool_version), snapshot_path=storable.optional_text(report.snapshot_path),
        plan_path=storable.optional_text(report.plan_path), datasets=storable.json_value(report.datasets),
        results=results,
    )


_RESULT_TEXT = ("rule_id", "title", "resource_type", "resource_id", "resource_name", "message")


def _storable_result(result: Any) -> Any:
    from dataclasses import replace

    joined = "".join((result.rule_id, result.title, result.resource_type, result.resource_id,
                      result.resource_name, result.message))
    if result.waiver is None and not storable.needs_fix(joined):
        return result  # the common case: one search instead of six replacements
    changes = {name: storable.text(getattr(result, name)) for name in _RESULT_TEXT}
    changes = {name: value for name, value in changes.items() if value is not getattr(result, name)}
    if result.waiver is not None:
        waiver = storable.json_value(result.waiver)
        if waiver != result.waiver:
            changes["waiver"] = waiver
    return replace(result, **changes) if changes else result


def _sev_rank(severity: str) -> int:
    from auditor.results import Severity

    try:
        return Severity(severity).rank
    except ValueError:
        return 99


def _change_from_row(change: Change, row: dict[str, Any]) -> FindingChange:
    return FindingChange(change, row["fingerprint"], row["rule_id"], row["severity"], row["resource_id"],
                         row["resource_name"], row["title"], row["message"])


def _object_map(objects: list[ObjectState]) -> dict[str, ObjectMap]:
    out: dict[str, ObjectMap] = {}
    for o in objects:
        out.setdefault(o.kind, {})[o.object_id] = (o.name, o.sha256, o.fields)
    return out


def _kinds_ok(datasets: dict[str, Any]) -> set[str]:
    ok = {name for name, info in (datasets or {}).items() if (info or {}).get("status") == "ok"}
    return {kind for kind, (_, needed) in KINDS.items() if all(d in ok for d in needed)}


def _run_dict(row: Any) -> dict[str, Any]:
    data = dict(row)
    for key in ("started_at", "finished_at"):
        data[key] = iso(data[key])
    return data

