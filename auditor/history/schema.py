"""The history tables (SQLAlchemy Core). The same schema on SQLite and PostgreSQL.

Times are stored as timezone-aware UTC timestamps; SQLite hands them back naive, so readers go
through `auditor.history.store.as_utc`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

#: Columns that hold text from the snapshot (org id, name, region, ...): unbounded since schema
#: version 2, because `audit` accepts any length and a run must never fail to record over it.
#: (table, column) pairs, for the migration that widens them.
SNAPSHOT_TEXT_COLUMNS = (
    ("gcaudit_runs", "org_id"), ("gcaudit_runs", "org_name"), ("gcaudit_runs", "label"),
    ("gcaudit_runs", "region"), ("gcaudit_runs", "collected_at"), ("gcaudit_runs", "tool_version"),
    ("gcaudit_findings", "org_id"),
)

def answer_columns() -> tuple[Column, ...]:
    """The run's co-browse answer, added by migration 3 (`auditor.history.migrations`); new Column
    objects each call (a Column belongs to one table)."""
    return (Column("verdict", Text), Column("blockers", Integer), Column("actions", Integer))

#: One row: the schema version the migrations have brought the database to.
schema_version = Table(
    "gcaudit_schema_version",
    metadata,
    Column("version", Integer, nullable=False),
)

runs = Table(
    "gcaudit_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Text, nullable=False),
    Column("org_name", Text, nullable=False, default=""),
    #: The name the run was started under (orgs.yaml name, or the org id): the lock key.
    Column("label", Text, nullable=False),
    Column("region", Text),
    Column("collected_at", Text, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("tool_version", Text, nullable=False),
    Column("snapshot_path", Text),
    Column("plan_path", Text),
    Column("complete", Boolean, nullable=False),
    #: dataset name -> DatasetStatus dict (status, entities, calls, retries, throttled, seconds, ...)
    Column("datasets", JSON, nullable=False),
    #: Totals over datasets: calls, retries, throttled, seconds.
    Column("api_stats", JSON, nullable=False),
    #: AuditReport.summary(): by_status, failures_by_severity, complete, failed_datasets.
    Column("summary", JSON, nullable=False),
    Column("new_count", Integer, nullable=False, default=0),
    Column("regressed_count", Integer, nullable=False, default=0),
    Column("unchanged_count", Integer, nullable=False, default=0),
    Column("resolved_count", Integer, nullable=False, default=0),
    Column("previous_run_id", Integer),
    # The co-browse answer of the run (schema version 3; NULL on runs recorded before it):
    # READY / NOT READY / INCOMPLETE, and the blocker and action counts every surface shows.
    *answer_columns(),
    Index("ix_gcaudit_runs_org_started", "org_id", "started_at"),
)

results = Table(
    "gcaudit_results",
    metadata,
    Column("run_id", Integer, ForeignKey("gcaudit_runs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("original_status", String(16)),
    Column("resource_type", String(64), nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("resource_name", Text, nullable=False),
    Column("message", Text, nullable=False),
    #: For FAIL results: NEW, UNCHANGED or REGRESSED against the org's finding state.
    Column("change", String(16)),
    Column("waiver", JSON),
    Index("ix_gcaudit_results_run", "run_id", "seq", unique=True),
    Index("ix_gcaudit_results_fp", "fingerprint"),
)

#: Per org and fingerprint: when a finding was first and last seen failing, and when it went away.
findings = Table(
    "gcaudit_findings",
    metadata,
    Column("org_id", Text, primary_key=True),
    Column("fingerprint", String(64), primary_key=True),
    Column("rule_id", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("resource_name", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("first_run_id", Integer, nullable=False),
    Column("last_run_id", Integer, nullable=False),
)

#: A content hash per collected object and run, for configuration drift.
objects = Table(
    "gcaudit_objects",
    metadata,
    Column("run_id", Integer, ForeignKey("gcaudit_runs.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("object_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    #: The co-browse-relevant fields (flattened, dotted names) to name what changed.
    Column("fields", JSON, nullable=False),
    Index("ix_gcaudit_objects_run", "run_id", "kind", "object_id", unique=True),
)


#: Who changed what (auditor.nightly.attribution): the audit-trail entries a live run found for its
#: NEW / REGRESSED findings and drift, one JSON document per run (schema version 4).
attributions = Table(
    "gcaudit_attributions",
    metadata,
    Column("run_id", Integer, ForeignKey("gcaudit_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("doc", JSON, nullable=False),
)
