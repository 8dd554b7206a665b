"""History store: comparison (NEW/UNCHANGED/REGRESSED/RESOLVED), drift, atomic writes, locks, migrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from auditor.engine import run_audit
from auditor.errors import GcauditError
from auditor.history import Change, HistoryStore, LockHeld, normalise_url, safe_url
from auditor.history import schema as t
from auditor.history.migrations import MIGRATIONS, migrate
from auditor.inputs.waivers import Waiver, apply_waivers
from auditor.results import Status
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.history.orgs import nightly_org

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def record(store: HistoryStore, builder: OrgBuilder, day: int = 0, **kwargs: Any):
    snapshot = builder.snapshot()
    report = run_audit(snapshot)
    return store.record_run(report, snapshot, finished_at=T0 + timedelta(days=day), **kwargs), report


def changes(recorded) -> set[tuple[str, str, str]]:
    return {(c.change.value, c.rule_id, c.resource_name) for c in recorded.findings.changes}


def count_rows(store: HistoryStore, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_first_run_every_failure_is_new(store: HistoryStore) -> None:
    rec, report = record(store, nightly_org())
    assert rec.previous_run_id is None
    assert changes(rec) == {("NEW", "QUE-002", "Billing")}
    billing = [r.status for r in report.results if r.rule_id == "QUE-002" and r.resource_name == "Billing"]
    assert billing == [Status.FAIL]
    run = store.run(rec.run_id)
    assert (run["new_count"], run["resolved_count"], run["complete"]) == (1, 0, True)


def test_new_unchanged_resolved_regressed_and_seen_dates(store: HistoryStore) -> None:
    first, _ = record(store, nightly_org(), day=0)                                   # Billing fails
    second, _ = record(store, nightly_org(billing_codes=True, sales_codes=False), day=1)  # Billing fixed, Sales breaks
    assert second.previous_run_id == first.run_id
    assert changes(second) == {("RESOLVED", "QUE-002", "Billing"), ("NEW", "QUE-002", "Sales")}

    third, _ = record(store, nightly_org(billing_codes=False, sales_codes=False), day=2)  # Billing breaks again
    assert changes(third) == {("REGRESSED", "QUE-002", "Billing"), ("UNCHANGED", "QUE-002", "Sales")}
    regressed = next(c for c in third.findings.changes if c.change is Change.REGRESSED)
    assert regressed.first_seen == "2026-11-20T02:00:00Z"  # first seen on day 0, kept through the gap
    assert regressed.last_seen == "2026-11-22T02:00:00Z"

    with store.engine.connect() as conn:
        rows = {r.resource_name: r for r in conn.execute(select(t.findings))}
    assert rows["Sales"].first_run_id == second.run_id and rows["Sales"].last_run_id == third.run_id
    assert rows["Billing"].resolved_at is None  # open again
    stored = {(r["resource_name"], r["change"]) for r in store.results(third.run_id) if r["status"] == "FAIL"}
    assert stored == {("Billing", "REGRESSED"), ("Sales", "UNCHANGED")}
    assert [(r["new_count"], r["regressed_count"], r["resolved_count"]) for r in store.runs()] == [
        (0, 1, 0), (1, 0, 1), (1, 0, 0)]


def test_a_rule_that_could_not_run_resolves_nothing(store: HistoryStore) -> None:
    record(store, nightly_org(), day=0)
    broken = nightly_org(billing_codes=True).fail("queue_wrapupcodes")  # QUE-002 cannot be evaluated
    rec, report = record(store, broken, day=1)
    assert any(r.status is Status.ERROR and r.rule_id == "QUE-002" for r in report.results)
    assert not any(c.change is Change.RESOLVED for c in rec.findings.changes)
    assert store.run(rec.run_id)["complete"] is False


def test_a_waived_finding_is_neither_new_nor_resolved(store: HistoryStore) -> None:
    record(store, nightly_org(), day=0)
    snapshot = nightly_org(sales_codes=False).snapshot()
    report = run_audit(snapshot)
    waiver = Waiver(0, "QUE-002", "*", "accepted", "ops@example.com", (T0 + timedelta(days=30)).date())
    apply_waivers(report, [waiver], today=T0.date())
    rec = store.record_run(report, snapshot, finished_at=T0 + timedelta(days=1))
    assert rec.findings.changes == []
    stored = [r for r in store.results(rec.run_id) if r["rule_id"] == "QUE-002" and r["status"] == "WAIVED"]
    assert {r["resource_name"] for r in stored} == {"Billing", "Sales"}
    assert all(r["original_status"] == "FAIL" and r["waiver"]["owner"] == "ops@example.com" for r in stored)


def test_drift_added_removed_changed_with_fields(store: HistoryStore) -> None:
    record(store, nightly_org(), day=0)
    after = nightly_org(billing_codes=True, channels=("Webmessaging", "Voice"), extra_queue=True, extra_role=False)
    rec, _ = record(store, after, day=1)
    got = {(c.kind, c.change, c.name, c.fields) for c in rec.drift.changes}
    assert got == {
        ("queue", "added", "Returns", ()),
        ("role", "removed", "Auditor", ()),
        ("wrapup_assignment", "added", "Billing / Resolved", ()),
        ("deployment", "changed", "Web", ("configuration.cobrowse.channels",)),
        ("configuration", "changed", "Web", ("cobrowse.channels",)),
    }
    assert rec.drift.not_compared == {}


def test_member_counts_moving_is_not_drift(store: HistoryStore) -> None:
    record(store, nightly_org(joined=1), day=0)
    rec, _ = record(store, nightly_org(joined=7), day=1)
    assert rec.drift.changes == []


def test_drift_skips_kinds_whose_data_is_missing(store: HistoryStore) -> None:
    record(store, nightly_org(), day=0)
    rec, _ = record(store, nightly_org(extra_role=False).fail("roles"), day=1)
    assert "role" in rec.drift.not_compared
    assert not any(c.kind == "role" for c in rec.drift.changes)  # not "Agent and Auditor removed"


def test_oauth_client_change_names_the_field(store: HistoryStore) -> None:
    b1, b2 = nightly_org(), nightly_org()
    b2.oauth_clients[0] = f.oauth_client("Reporting", roles=[(f.new_id("role:Auditor"), "*")], token_validity=172800)
    record(store, b1, day=0)
    rec, _ = record(store, b2, day=1)
    assert [(c.kind, c.fields) for c in rec.drift.changes] == [("oauth_client", ("accessTokenValiditySeconds",))]


def test_a_crash_inside_the_transaction_leaves_history_intact(store: HistoryStore) -> None:
    first, _ = record(store, nightly_org(), day=0)
    before = {tbl.name: count_rows(store, tbl) for tbl in (t.runs, t.results, t.findings, t.objects)}

    def boom(_conn: Any) -> None:
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        record(store, nightly_org(billing_codes=True, sales_codes=False), day=1, _before_commit=boom)
    assert {tbl.name: count_rows(store, tbl) for tbl in (t.runs, t.results, t.findings, t.objects)} == before
    with store.engine.connect() as conn:
        assert conn.execute(select(t.findings.c.resolved_at)).scalars().all() == [None]
    # The next run compares with the last good one, as if the crashed run never happened.
    rec, _ = record(store, nightly_org(billing_codes=True, sales_codes=False), day=2)
    assert rec.previous_run_id == first.run_id
    assert changes(rec) == {("RESOLVED", "QUE-002", "Billing"), ("NEW", "QUE-002", "Sales")}


def test_runs_of_other_orgs_are_not_compared(store: HistoryStore) -> None:
    record(store, nightly_org(), day=0)
    other = nightly_org()
    other.org_id = f.new_id("org:other")
    rec, _ = record(store, other, day=1)
    assert rec.previous_run_id is None
    assert {c.change for c in rec.findings.changes} == {Change.NEW}


def test_diff_between_any_two_runs(store: HistoryStore) -> None:
    a, _ = record(store, nightly_org(), day=0)
    b, _ = record(store, nightly_org(billing_codes=True), day=1)
    c, _ = record(store, nightly_org(sales_codes=False, extra_queue=True), day=2)
    findings, drift = store.diff(b.run_id, c.run_id)
    assert {(x.change.value, x.resource_name) for x in findings.changes} == {("REGRESSED", "Billing"), ("NEW", "Sales")}
    assert {(x.kind, x.change, x.name) for x in drift.changes} == {
        ("queue", "added", "Returns"), ("wrapup_assignment", "removed", "Billing / Resolved"),
        ("wrapup_assignment", "removed", "Sales / Resolved")}
    findings, _ = store.diff(c.run_id, a.run_id)  # backwards works too
    assert {(x.change.value, x.resource_name) for x in findings.changes} == {
        ("UNCHANGED", "Billing"), ("RESOLVED", "Sales")}
    with pytest.raises(GcauditError, match="no run 999"):
        store.diff(a.run_id, 999)


def test_trend_is_oldest_first_with_counts(store: HistoryStore) -> None:
    for day, kwargs in enumerate([{}, {"sales_codes": False}, {"billing_codes": True, "sales_codes": False}]):
        record(store, nightly_org(**kwargs), day=day)
    trend = store.trend(nightly_org().org_id)
    assert [x["failures_by_severity"]["high"] for x in trend] == [1, 2, 1]
    assert trend[0]["run_id"] < trend[-1]["run_id"]


def test_lock_is_exclusive_per_label(store_url: str) -> None:
    with HistoryStore(store_url) as one, HistoryStore(store_url) as two:
        with one.lock("acme"):
            with pytest.raises(LockHeld, match="another gcaudit nightly run for org 'acme'") as info, two.lock("acme"):
                pass
            assert info.value.exit_code == 75
            with two.lock("globex"):  # other orgs are not blocked
                pass
        with two.lock("acme"):  # released
            pass


def test_schema_version_and_reopen(store_url: str) -> None:
    with HistoryStore(store_url) as s:
        with s.engine.connect() as conn:
            assert conn.execute(select(t.schema_version.c.version)).scalars().all() == [MIGRATIONS[-1][0]]
        assert migrate(s.engine) == MIGRATIONS[-1][0]  # idempotent
        with s.engine.begin() as conn:
            conn.execute(t.schema_version.update().values(version=99))
    with pytest.raises(GcauditError, match="schema version 99, newer than this gcaudit supports"):
        HistoryStore(store_url)


def test_migrations_run_in_order_once(store_url: str) -> None:
    calls: list[int] = []
    latest = MIGRATIONS[-1][0]
    steps = [*MIGRATIONS, (latest + 1, "test step", lambda conn: calls.append(latest + 1)),
             (latest + 2, "test", lambda conn: calls.append(latest + 2))]
    with HistoryStore(store_url) as s:
        assert migrate(s.engine, steps) == latest + 2
        assert migrate(s.engine, steps) == latest + 2
        assert calls == [latest + 1, latest + 2]


def test_urls() -> None:
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    assert "p4ss" not in safe_url("postgresql+psycopg://u:p4ss@h/db")
    with pytest.raises(GcauditError, match="unsupported database 'mysql'"):
        HistoryStore("mysql://u@h/db")
    with pytest.raises(GcauditError, match="not a database URL"):
        HistoryStore("not a url")


def test_unreachable_postgres_is_one_line_without_password() -> None:
    with pytest.raises(GcauditError) as info:
        HistoryStore("postgresql://gcaudit:s3cr3t@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cr3t" not in str(info.value) and "\n" not in str(info.value)
    assert "cannot open the history database" in str(info.value)


def test_sqlite_file_is_owner_only(tmp_path) -> None:
    with HistoryStore(f"sqlite:///{tmp_path / 'sub' / 'h.db'}"):
        pass
    assert (tmp_path / "sub" / "h.db").stat().st_mode & 0o777 == 0o600


def test_a_version_1_database_is_widened_for_long_org_ids(store_url: str) -> None:
    """Schema v2: org id, region and the other snapshot texts are unbounded; a v1 PostgreSQL
    database (VARCHAR(64)) is altered in place, keeping its runs."""
    b = nightly_org()
    with HistoryStore(store_url) as s:
        record(s, b)
        with s.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # back to the v1 column types
                for table, column in t.SNAPSHOT_TEXT_COLUMNS:
                    conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE VARCHAR(64)')
            conn.execute(t.schema_version.update().values(version=1))
    with HistoryStore(store_url) as s:
        assert len(s.runs()) == 1
        b.org_id = "o" * 200
        b.region = "r" * 200
        recorded, _ = record(s, b, day=1)
        assert s.run(recorded.run_id)["org_id"] == "o" * 200
        assert s.run(recorded.run_id)["region"] == "r" * 200
        with s.engine.connect() as conn:
            assert conn.execute(select(t.schema_version.c.version)).scalar() == MIGRATIONS[-1][0]


def test_content_hash_is_unchanged_by_the_recursion_free_encoder() -> None:
    """Hashes stored by earlier versions stay comparable: the iterative encoder used for deep
    entities writes exactly what json.dumps writes."""
    import json

    from auditor.history.objects import _canonical_iterative, _scrub, canonical_json

    org = nightly_org(extra_queue=True).snapshot()
    entities = [*org.raw("queues"), *org.raw("oauth_clients"), *org.raw("deployments"), *org.raw("roles"),
                {"b": [1, 2.5, None, True, "ü\ud800"], "a": {"secretKey": 1, "memberCount": 3, "z": float("nan")}}]
    for entity in entities:
        expected = json.dumps(_scrub(entity), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert _canonical_iterative(entity) == expected == canonical_json(entity)
    deep: Any = "leaf"
    for _ in range(5000):
        deep = {"x": deep, "memberCount": 1}
    assert canonical_json(deep) == '{"x":' * 5000 + '"leaf"' + "}" * 5000


def test_duplicated_ids_become_one_object_whose_hash_covers_every_copy(store: HistoryStore) -> None:
    b = nightly_org()
    b.queues.append(dict(b.queues[0]))
    record(store, b)
    b.queues[-1] = dict(b.queues[0], name="Billing (edited copy)")
    second, _ = record(store, b, day=1)
    changed = [(c.kind, c.change) for c in second.drift.changes]
    assert changed == [("queue", "changed")], "an edit to the second copy shows as drift"


def test_ids_too_long_for_an_index_key_compare_between_runs(store: HistoryStore) -> None:
    """A 9000-character org id and queue id are stored as a prefix plus their SHA-256: the next run
    finds the same org (UNCHANGED, no drift), and `runs(org)` finds it by the full id."""
    from tests.history.hostile_cases import _LONG

    b = nightly_org()
    b.org_id = _LONG
    b.queues[0]["id"] = _LONG[::-1]
    record(store, b)
    second, _ = record(store, b, day=1)
    assert second.previous_run_id is not None
    assert second.drift.changes == []
    counts = second.findings.counts()
    assert counts["NEW"] == counts["RESOLVED"] == 0 and counts["UNCHANGED"] >= 1
    assert [r["id"] for r in store.runs(_LONG)] == [second.run_id, second.previous_run_id]
    assert len(store.runs(_LONG)[0]["org_id"]) <= 512


def test_a_version_2_database_gains_the_run_answer_and_keeps_its_runs(store_url: str) -> None:
    """Schema v3: each run records its co-browse verdict, blocker and action counts; runs recorded
    before it keep NULL there (read as unknown, never as READY)."""
    from auditor.history.verdict import RunVerdict

    with HistoryStore(store_url) as s:
        old, _ = record(s, nightly_org())
        with s.engine.begin() as conn:  # back to the v2 table: no answer columns
            for column in ("verdict", "blockers", "actions"):
                conn.exec_driver_sql(f'ALTER TABLE "gcaudit_runs" DROP COLUMN "{column}"')
            conn.execute(t.schema_version.update().values(version=2))
    with HistoryStore(store_url) as s:
        with s.engine.connect() as conn:  # brought to the latest version (3 and every later one)
            assert conn.execute(select(t.schema_version.c.version)).scalar() == MIGRATIONS[-1][0] >= 3
        assert RunVerdict.of_run(s.run(old.run_id)) == RunVerdict(None, None, None)
        assert RunVerdict.of_run(s.run(old.run_id)).label == "?"
        new, report = record(s, nightly_org(), day=1)
        stored = RunVerdict.of_run(s.run(new.run_id))
        assert stored == new.verdict == RunVerdict.of_report(report)
        assert stored.verdict in ("ready", "not_ready", "incomplete") and stored.blockers is not None
        assert new.previous_verdict == RunVerdict(None, None, None)
        assert new.verdict_change() is None  # nothing to compare with: no claim either way


def test_a_version_3_database_gains_the_attribution_table_and_keeps_its_runs(store_url: str) -> None:
    """Schema v4: a table of each live run's audit-trail attribution; the runs already there stay."""
    with HistoryStore(store_url) as s:
        old, _ = record(s, nightly_org())
        with s.engine.begin() as conn:  # back to v3: no attribution table
            conn.exec_driver_sql('DROP TABLE "gcaudit_attributions"')
            conn.execute(t.schema_version.update().values(version=3))
    with HistoryStore(store_url) as s:
        with s.engine.connect() as conn:
            assert conn.execute(select(t.schema_version.c.version)).scalar() == 4
        assert s.run(old.run_id)["id"] == old.run_id
        s.record_attribution(old.run_id, {"window": {}, "entries": {"q1": [{"who": "Ana\x00"}]}})
        [doc] = s.attributions(s.run(old.run_id)["org_id"], 0, old.run_id)
        assert doc["entries"]["q1"][0]["who"] == "Ana\ufffd"  # NUL made storable, on both backends
        assert s.prune(1, now=datetime.now(UTC) + timedelta(days=5)).run_ids == ()  # the newest run stays
