"""Rate limits, transient failures, token expiry, 403s and deleted queues, over real HTTP."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from auditor.engine import run_audit
from auditor.results import Status
from auditor.rules import catalog
from auditor.snapshot import DATASETS, load_snapshot
from auditor.sources.collectors.client import RetryPolicy
from auditor.testing.fake_api import ErrorBurst, ExpireTokens, Forbidden, GoneParent, RandomErrors, Truncate
from tests.sources.collectors.conftest import DEMO_ORG, FAST, FAST_CLI, collect_from, normalised


def _assert_no_duplicates(snapshot) -> None:
    for name, content in snapshot.data.items():
        lists = content.values() if isinstance(content, dict) else [content]
        for entities in lists:
            ids = [e["id"] for e in entities if "id" in e]  # aggregates rows are keyed by group
            assert len(ids) == len(set(ids)), name


def test_tight_rate_limit_and_ten_percent_503s_still_collect_everything(fake_api, tmp_path: Path,
                                                                         demo_snapshot) -> None:
    # 60 requests per second per token against a client allowed 1000/s: 429s are certain.
    api = fake_api(DEMO_ORG, rate_limit=60, rate_window=1.0, faults=[RandomErrors(rate=0.1, seed=7)])
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    collected = load_snapshot(result.path)
    assert normalised(collected) == normalised(demo_snapshot)
    _assert_no_duplicates(collected)
    extra = result.manifest.extra
    assert api.calls(status=503) > 0 and api.calls(status=429) > 0
    # Every refused call was counted and retried, and the Retry-After paused the shared limiter.
    assert extra["throttled"] == api.calls(status=429)
    assert extra["retries"] == api.calls(status=429) + api.calls(status=503)
    assert extra["rate_limit_pauses"] > 0
    assert sum(s.throttled for s in result.manifest.datasets.values()) == extra["throttled"]


def test_429_without_retry_after_is_retried_with_backoff(fake_api, tmp_path: Path, demo_snapshot) -> None:
    api = fake_api(DEMO_ORG, rate_limit=80, rate_window=1.0, retry_after=False)
    slow_retry = replace(FAST, retry=RetryPolicy(attempts=12, max_seconds=30, backoff_base=0.05, backoff_max=0.5))
    result = collect_from(api, tmp_path / "snap", slow_retry)
    assert result.complete
    assert normalised(load_snapshot(result.path)) == normalised(demo_snapshot)
    assert result.manifest.extra["rate_limit_pauses"] == 0  # nothing said how long to pause


def test_truncated_bodies_and_a_5xx_burst_are_retried(fake_api, tmp_path: Path, demo_snapshot) -> None:
    api = fake_api(DEMO_ORG, faults=[Truncate(every=9), ErrorBurst(start=20, length=4, status=502)])
    # Room for the burst and two truncations to land on one call: with the one-call settings
    # datasets (issue 21) a call may be the only one in flight while the burst lasts.
    result = collect_from(api, tmp_path / "snap", replace(FAST, retry=replace(FAST.retry, attempts=8)))
    assert result.complete
    assert normalised(load_snapshot(result.path)) == normalised(demo_snapshot)
    assert api.calls(status=502) == 4
    assert result.manifest.extra["retries"] >= 4 + api.calls(status=200) // 10


def test_retries_are_bounded_and_a_failing_dataset_leaves_the_others_intact(fake_api, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, faults=[RandomErrors(rate=1.0, dataset="wrapupcodes")])
    options = replace(FAST, retry=RetryPolicy(attempts=3, max_seconds=30, backoff_base=0.01, backoff_max=0.05))
    result = collect_from(api, tmp_path / "snap", options)
    failed = result.manifest.failed()
    assert list(failed) == ["wrapupcodes"]
    status = failed["wrapupcodes"]
    assert (status.http_status, status.error_code, status.calls, status.retries) == (503, "service.unavailable", 3, 2)
    assert api.calls("/api/v2/routing/wrapupcodes") == 3
    snapshot = load_snapshot(result.path)
    assert not (result.path / "wrapupcodes.json").exists()
    assert all(snapshot.available(d.name) for d in DATASETS if d.name != "wrapupcodes")


def test_token_expiry_mid_run_is_recovered(fake_api, tmp_path: Path, demo_snapshot) -> None:
    expiry = ExpireTokens(after_calls=25)
    api = fake_api(DEMO_ORG, faults=[expiry])
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    assert normalised(load_snapshot(result.path)) == normalised(demo_snapshot)
    assert expiry.expired > 0
    assert api.logins > 1
    # Concurrent 401s for the same token trigger one login, not one per worker.
    total_calls = api.calls(status=200)
    assert api.logins <= total_calls // 25 + 2
    assert result.manifest.extra["logins"] == api.logins


def test_403_on_one_dataset_marks_it_failed_exits_3_and_its_rules_report_error(fake_api, cli,
                                                                                 tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, faults=[Forbidden("oauth_clients")])
    out = tmp_path / "snap"
    done = cli("collect", "--out-dir", str(out), *FAST_CLI, env=api.env())
    assert done.returncode == 3, done.stderr
    assert "oauth_clients: ERROR HTTP 403 missing.permissions" in done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["datasets"]["oauth_clients"]
    assert (entry["status"], entry["http_status"], entry["error_code"]) == ("error", 403, "missing.permissions")
    assert "correlation id" in entry["message"]
    assert all(v["status"] == "ok" for k, v in manifest["datasets"].items() if k != "oauth_clients")
    assert api.calls("/api/v2/oauth/clients") == 1  # a 403 is never retried

    report = run_audit(load_snapshot(out))
    # Without a plan, rules about plan objects are not applicable whatever was collected.
    needing = {r.id for r in catalog() if "oauth_clients" in r.datasets and not r.plan_requires}
    assert needing, "the catalog has rules reading OAuth clients"
    for result in report.results:
        if result.rule_id in needing:
            assert result.status == Status.ERROR
            assert "missing.permissions" in result.message
    audited = cli("audit", str(out), "--fail-on", "critical", "--format", "json")
    assert audited.returncode in (1, 3)
    statuses = {r["rule_id"]: r["status"] for r in json.loads(audited.stdout)["results"]}
    assert {statuses[rule] for rule in needing} == {"ERROR"}


def test_403_on_a_per_queue_dataset_fails_that_dataset_as_a_whole(fake_api, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, faults=[Forbidden("queue_members")])
    result = collect_from(api, tmp_path / "snap")
    assert list(result.manifest.failed()) == ["queue_members"]
    assert result.manifest.datasets["queue_members"].http_status == 403
    # It stops asking once the dataset has failed (some calls were already in flight).
    assert api.calls("/api/v2/routing/queues/", 403) < len(load_snapshot(result.path).data["queues"])
    assert load_snapshot(result.path).available("queue_wrapupcodes")


def test_a_queue_deleted_during_collection_is_dropped_and_noted(fake_api, tmp_path: Path, demo_snapshot) -> None:
    gone = demo_snapshot.data["queues"][3]["id"]
    api = fake_api(DEMO_ORG, faults=[GoneParent(gone)])
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    snapshot = load_snapshot(result.path)
    assert gone not in {q["id"] for q in snapshot.data["queues"]}
    assert gone not in snapshot.data["queue_wrapupcodes"] and gone not in snapshot.data["queue_members"]
    assert len(snapshot.data["queues"]) == len(demo_snapshot.data["queues"]) - 1
    assert gone in (snapshot.manifest.datasets["queues"].message or "")
    assert result.manifest.extra["notes"]["queues"]


def test_progress_bars_on_a_terminal_do_not_disturb_collection(fake_api, tmp_path: Path, demo_snapshot,
                                                                capsys) -> None:
    api = fake_api(DEMO_ORG)
    result = collect_from(api, tmp_path / "snap", replace(FAST, progress=True))
    assert result.complete
    assert normalised(load_snapshot(result.path)) == normalised(demo_snapshot)
    err = capsys.readouterr().err
    assert "queue_members" in err and "datasets" in err
