"""History retention: old runs go with their results and object hashes; what the next night needs stays."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from auditor.engine import run_audit
from auditor.history import Change, HistoryStore
from auditor.history import schema as t
from auditor.snapshot import load_snapshot
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.conftest import SAMPLES, run_cli
from tests.history.orgs import nightly_org

T0 = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)


def record(store: HistoryStore, builder: OrgBuilder, day: int, **kwargs: Any):
    snapshot = builder.snapshot()
    return store.record_run(run_audit(snapshot), snapshot, finished_at=T0 + timedelta(days=day), **kwargs)


def rows(store: HistoryStore, table: Any, run_ids: tuple[int, ...] | list[int]) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(table.c.run_id.in_(run_ids))).scalar_one()


def test_old_runs_go_with_their_rows_and_the_newest_stays(store: HistoryStore) -> None:
    old = [record(store, nightly_org(), day=d).run_id for d in range(3)]        # Billing fails
    fixed = record(store, nightly_org(billing_codes=True), day=40).run_id     # Billing resolved
    now = T0 + timedelta(days=41)
    assert rows(store, t.results, old) and rows(store, t.objects, old)
    for run_id in old:  # an attribution goes with its run (a foreign key on PostgreSQL would refuse otherwise)
        store.record_attribution(run_id, {"entries": {}})

    pruned = store.prune(30, now=now)
    assert pruned.run_ids == tuple(old)
    assert pruned.results > 0 and pruned.objects > 0
    assert [r["id"] for r in store.runs()] == [fixed]
    assert rows(store, t.results, old) == 0 and rows(store, t.objects, old) == 0
    assert rows(store, t.attributions, old) == 0
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.findings)).scalar_one() == 1  # finding state kept

    # Billing breaks again: REGRESSED (not NEW) and first seen on day 0, although day 0's run is gone.
    again = record(store, nightly_org(), day=42)
    assert again.previous_run_id == fixed
    [change] = [c for c in again.findings.changes if c.resource_name == "Billing"]
    assert change.change is Change.REGRESSED
    assert change.first_seen == "2026-08-01T02:00:00Z"


def test_an_orgs_only_run_stays_however_old(store: HistoryStore) -> None:
    only = record(store, nightly_org(), day=0).run_id
    assert store.prune(1, now=T0 + timedelta(days=400)).run_ids == ()
    assert [r["id"] for r in store.runs()] == [only]


def test_dry_run_counts_and_deletes_nothing(store: HistoryStore) -> None:
    for day in (0, 1, 50):
        record(store, nightly_org(), day=day)
    now = T0 + timedelta(days=51)
    dry = store.prune(30, now=now, dry_run=True)
    assert len(dry.run_ids) == 2 and len(store.runs()) == 3
    real = store.prune(30, now=now)
    assert (real.run_ids, real.results, real.objects) == (dry.run_ids, dry.results, dry.objects)


def test_org_filter_leaves_other_orgs_alone(store: HistoryStore) -> None:
    other = nightly_org()
    other.org_id = f.new_id("org:other")
    for day in (0, 50):
        record(store, nightly_org(), day=day)
        record(store, other, day=day)
    pruned = store.prune(30, org=other.org_id, now=T0 + timedelta(days=51))
    assert len(pruned.run_ids) == 1
    assert sorted(r["org_id"] for r in store.runs()) == sorted([nightly_org().org_id] * 2 + [other.org_id])


def test_days_must_be_positive(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        store.prune(0)


def _old_demo_runs(db: Path, days_ago: tuple[int, ...]) -> list[int]:
    snapshot = load_snapshot(SAMPLES / "demo-org")
    report = run_audit(snapshot)
    now = datetime.now(UTC)
    with HistoryStore(f"sqlite:///{db}") as store:
        return [store.record_run(report, snapshot, finished_at=now - timedelta(days=d)).run_id for d in days_ago]


def test_cli_history_prune_deletes_and_compacts(tmp_path: Path) -> None:
    db = tmp_path / "gcaudit-history.db"
    old = _old_demo_runs(db, (200, 100, 1))
    done = run_cli("history", "prune", "--history", f"sqlite:///{db}", "--older-than-days", "30", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "would delete 2 run(s)" in done.stdout
    done = run_cli("history", "prune", "--history", f"sqlite:///{db}", "--older-than-days", "30")
    assert done.returncode == 0, done.stderr
    assert "deleted 2 run(s)" in done.stdout
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute(f"SELECT id FROM {t.runs.name}")] == [old[-1]]
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0  # VACUUM gave the pages back


def test_cli_history_prune_without_a_history_is_a_clean_error(tmp_path: Path) -> None:
    done = run_cli("history", "prune", "--history", f"sqlite:///{tmp_path}/gcaudit-history.db",
                   "--older-than-days", "30")
    assert done.returncode == 2
    assert "no history at" in done.stderr and "Traceback" not in done.stderr


def test_nightly_keep_history_days_prunes_its_org_after_recording(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    db = out / "gcaudit-history.db"
    out.mkdir()
    _old_demo_runs(db, (90, 60))
    done = run_cli("--quiet", "nightly", str(SAMPLES / "demo-org"), "--out-dir", str(out),
                   "--keep-history-days", "30", env={"GCAUDIT_CONFIG": ""})
    assert done.returncode in (0, 1), done.stderr
    with sqlite3.connect(db) as conn:
        runs = conn.execute(f"SELECT id, previous_run_id FROM {t.runs.name}").fetchall()
    # Tonight's run was compared with the newest old one, then both old runs went.
    assert len(runs) == 1 and runs[0][1] is not None
