"""Schema creation and upgrades, in order, recorded in `gcaudit_schema_version`.

Each migration runs once, inside the same transaction as the version bump, so a failed upgrade
leaves the database at the previous version. Two processes starting at once are serialised by
`BEGIN IMMEDIATE` on SQLite and a transaction-scoped advisory lock on PostgreSQL.

A later migration that is not idempotent needs migration 1 to keep creating the tables *as they
were in version 1* (copy the v1 Table definitions into it). Migration 2 only widens column types,
which is idempotent, so migration 1 may create the current tables.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, func, insert, inspect, select, update

from auditor.errors import GcauditError
from auditor.history import schema

#: Arbitrary constant for pg_advisory_xact_lock while migrating ("gcaudit" in ASCII).
_MIGRATION_LOCK = 0x67636175646974


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.runs, schema.results, schema.findings, schema.objects])


def _v2_unbounded_snapshot_text(conn: Connection) -> None:
    """VARCHAR(n) -> TEXT for the columns holding snapshot text (an org id or region over 64
    characters made PostgreSQL refuse the run). SQLite does not enforce VARCHAR lengths: nothing
    to do there. Idempotent, so a database created by today's `_v1_initial` (which already
    creates TEXT columns) passes through it unchanged."""
    if conn.dialect.name != "postgresql":
        return
    for table, column in schema.SNAPSHOT_TEXT_COLUMNS:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE TEXT')


def _v3_run_answer(conn: Connection) -> None:
    """The run's co-browse answer: verdict, blocker and action counts (`schema.answer_columns`),
    nullable, so the runs already recorded stay as they are (shown as unknown). Idempotent: a
    database created by today's `_v1_initial` already has the columns, and only missing ones are
    added (SQLite has no ADD COLUMN IF NOT EXISTS)."""
    present = {column["name"] for column in inspect(conn).get_columns(schema.runs.name)}
    for column in schema.answer_columns():
        if column.name not in present:
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE "{schema.runs.name}" ADD COLUMN "{column.name}" {kind}')


def _v4_attributions(conn: Connection) -> None:
    """The audit-trail attribution of each live run (a new table: existing rows are untouched).
    Idempotent: create_all skips a table that exists."""
    schema.metadata.create_all(conn, tables=[schema.attributions])


#: (version, description, upgrade function), in order.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "runs, results, finding state and object hashes", _v1_initial),
    (2, "unbounded text for org id, name, label, region, collected_at, tool version", _v2_unbounded_snapshot_text),
    (3, "the run's co-browse verdict, blocker and action counts", _v3_run_answer),
    (4, "who changed what: audit-trail attribution per run", _v4_attributions),
]


def latest_version(migrations: list[tuple[int, str, Callable[[Connection], None]]] | None = None) -> int:
    return (migrations or MIGRATIONS)[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.schema_version.name):
        return 0
    return conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(engine: Engine, migrations: list[tuple[int, str, Callable[[Connection], None]]] | None = None) -> int:
    """Bring the database to the latest schema; returns the version it is at."""
    migrations = migrations or MIGRATIONS
    target = latest_version(migrations)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        schema.metadata.create_all(conn, tables=[schema.schema_version])
        version = current_version(conn)
        if version > target:
            raise GcauditError(
                f"the history database is at schema version {version}, newer than this gcaudit supports "
                f"({target}); upgrade gcaudit"
            )
        for number, _description, upgrade in migrations:
            if number > version:
                upgrade(conn)
        if version == 0:
            conn.execute(insert(schema.schema_version).values(version=target))
        elif version < target:
            conn.execute(update(schema.schema_version).values(version=target))
    return target
