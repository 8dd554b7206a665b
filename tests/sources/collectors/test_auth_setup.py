"""Auth setup over real HTTP against the fake Platform API (issue 21): the new datasets are collected,
the usage query is polled, a client without the admin-only authentication-settings permission gets
ERROR naming it, the documented opt-out gives NOT_APPLICABLE with the reason, and the other
datasets are unaffected."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.snapshot import DATASETS, load_snapshot
from auditor.sources.collectors import usage
from auditor.testing.fake_api import FakeConfig, FakePlatformApi, Forbidden
from tests.conftest import SAMPLES, run_cli
from tests.sources.collectors.conftest import FAST, FAST_CLI, collect_from

DEMO = SAMPLES / "demo-org"
PLAN = str(DEMO / "plan.yaml")
AUTH_SETTINGS = "/api/v2/organizations/authentication/settings"
ADMIN_RULES = ("AUTH-001", "AUTH-002", "AUTH-003", "AUTH-004", "AUTH-005")
NEW = ("auth_settings", "token_timeout", "embedded_integration", "genesys_login", "identity_providers",
       "org_trustees", "users", "oauth_usage")


def _results(stdout: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for result in json.loads(stdout)["results"]:
        out.setdefault(result["rule_id"], []).append(result)
    return out


def test_the_new_datasets_are_collected_and_the_usage_query_is_polled(tmp_path: Path) -> None:
    with FakePlatformApi(DEMO, FakeConfig(usage_running_polls=2)) as api:
        result = collect_from(api, tmp_path / "snap", replace(FAST, usage_days=30))
        polls = api.calls("/api/v2/usage/query/")
        query = api.usage_queries[-1]
    assert result.complete
    collected, source = load_snapshot(result.path), load_snapshot(DEMO)
    for name in NEW:
        assert collected.raw(name) == source.raw(name), name
    assert polls == 3  # Running, Running, Complete
    status = result.manifest.datasets["oauth_usage"]
    assert status.days == 30 and status.interval == query["interval"] and query["granularity"] == "Day"


def test_a_failed_or_endless_usage_query_is_an_error_and_the_rest_is_collected(tmp_path: Path, monkeypatch) -> None:
    with FakePlatformApi(DEMO, FakeConfig(usage_running_polls=0, usage_fails=True)) as api:
        failed = collect_from(api, tmp_path / "failed")
    assert failed.manifest.datasets["oauth_usage"].status == "error"
    assert "Failed" in (failed.manifest.datasets["oauth_usage"].message or "")
    monkeypatch.setattr(usage, "PAUSES", (0.0,))
    with FakePlatformApi(DEMO, FakeConfig(usage_running_polls=10_000)) as api:
        endless = collect_from(api, tmp_path / "endless")
        polls = api.calls("/api/v2/usage/query/")
    assert polls == usage.MAX_POLLS  # bounded
    assert "still Running" in (endless.manifest.datasets["oauth_usage"].message or "")
    others = {n: s.status for n, s in endless.manifest.datasets.items() if n != "oauth_usage"}
    assert set(others.values()) == {"ok"}


def test_without_the_admin_permission_those_rules_error_naming_it_and_nothing_else_changes(tmp_path: Path) -> None:
    with FakePlatformApi(DEMO, FakeConfig(faults=[Forbidden(dataset="auth_settings")])) as api:
        live = run_cli("audit", "--live", "--plan", PLAN, "--format", "json", "--save-snapshot",
                       str(tmp_path / "kept"), *FAST_CLI, env=api.env())
    assert live.returncode == 1, live.stderr  # demo-org fails rules (1 outranks 3, "incomplete")
    results = _results(live.stdout)
    for rule_id in ADMIN_RULES:
        [only] = results[rule_id]
        assert only["status"] == "ERROR", rule_id
        assert "directory:organization:admin" in only["message"] and "admin permission" in only["message"]
    # AUTH-007 falls back to the permission-free embedded-integration setting.
    assert [r["status"] for r in results["AUTH-007"]] == ["FAIL"]
    kept = load_snapshot(tmp_path / "kept").manifest.datasets
    assert kept["auth_settings"].http_status == 403
    assert {n for n, s in kept.items() if s.status != "ok"} == {"auth_settings"}
    # The other rules judge exactly what a full snapshot gives them.
    direct = _results(run_cli("audit", str(DEMO), "--plan", PLAN, "--format", "json").stdout)
    for rule_id in set(direct) - set(ADMIN_RULES):
        assert [r["status"] for r in results[rule_id]] == [r["status"] for r in direct[rule_id]], rule_id


def test_opting_out_makes_those_rules_not_applicable_with_the_reason(tmp_path: Path) -> None:
    with FakePlatformApi(DEMO, FakeConfig(faults=[Forbidden(dataset="auth_settings")])) as api:
        live = run_cli("audit", "--live", "--plan", PLAN, "--format", "json", "--skip-auth-settings",
                       "--save-snapshot", str(tmp_path / "kept"), *FAST_CLI, env=api.env())
        asked = api.calls(AUTH_SETTINGS)
    assert asked == 0  # not even tried
    assert live.returncode == 1, live.stderr  # demo-org's other findings; no ERROR from the opt-out
    results = _results(live.stdout)
    for rule_id in ADMIN_RULES:
        [only] = results[rule_id]
        assert only["status"] == "NOT_APPLICABLE", rule_id
        assert "opted out" in only["message"] and "directory:organization:admin" in only["message"]
    assert all(r["status"] != "ERROR" for rs in results.values() for r in rs)
    kept = load_snapshot(tmp_path / "kept").manifest
    assert kept.datasets["auth_settings"].not_collected
    assert {n for n, s in kept.datasets.items() if not s.available} == {"auth_settings"}


def test_the_opt_out_reads_from_gcaudit_yaml_for_nightly() -> None:
    from auditor.cli.config import KNOWN_KEYS, MAPPING_KEYS

    assert {"skip_auth_settings", "usage_days"} <= KNOWN_KEYS and "auth_thresholds" in MAPPING_KEYS


@pytest.mark.parametrize("endpoint", [
    "/api/v2/organizations/authentication/settings", "/api/v2/tokens/timeout",
    "/api/v2/organizations/embeddedintegration", "/api/v2/identityproviders/purecloud", "/api/v2/identityproviders",
    "/api/v2/orgauthorization/trustees", "/api/v2/users", "/api/v2/usage/query",
    "/api/v2/usage/query/{executionId}/results",
])
def test_permissions_lists_every_new_endpoint(endpoint: str) -> None:
    assert endpoint in run_cli("permissions").stdout


def test_plan_only_lists_every_new_dataset() -> None:
    out = run_cli("collect", "--plan-only").stdout
    for dataset in (d for d in DATASETS if d.name in NEW):
        assert dataset.name in out
    assert "one usage query, then its results polled" in out and "GET /api/v2/tokens/timeout" in out


def test_an_opted_out_audit_is_complete_and_nightly_does_not_call_it_incomplete(tmp_path: Path) -> None:
    from auditor.engine import run_audit
    from auditor.nightly.notify import build_summary, warranted
    from auditor.results import Severity
    from auditor.snapshot.datasets import OPTED_OUT_PREFIX
    from auditor.testing.builder import OrgBuilder

    def org() -> OrgBuilder:
        org = OrgBuilder()
        org.conversation_aggregates = []  # a complete collection otherwise
        return org

    assert run_audit(org().snapshot()).complete
    report = run_audit(org().not_collected("auth_settings", OPTED_OUT_PREFIX + "not granted").snapshot())
    assert report.complete and not report.failed_datasets
    assert not warranted(build_summary(report, [], Severity.HIGH))
    # Refused (403) is another matter: incomplete, and said so.
    refused = run_audit(org().fail("auth_settings").snapshot())
    assert not refused.complete and "auth_settings" in refused.failed_datasets


def test_plan_only_with_the_opt_out_leaves_the_settings_read_out() -> None:
    out = run_cli("collect", "--plan-only", "--skip-auth-settings").stdout
    assert "token_timeout" in out and "auth_settings" not in out
