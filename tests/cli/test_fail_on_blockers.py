"""`--fail-on blockers`: the exit status follows the co-browse verdict, not hygiene (issue 19)."""

from __future__ import annotations

import json
import shutil

from auditor.testing import factories as f
from tests.conftest import SAMPLES, run_cli

DEMO, READY = SAMPLES / "demo-org", SAMPLES / "ready-org"


def _ready_with_password_client(tmp_path):
    """The ready org plus one org-wide PASSWORD-grant client (OAUTH-003, high): hygiene, not a blocker."""
    target = tmp_path / "ready"
    shutil.copytree(READY, target)
    clients = json.loads((target / "oauth_clients.json").read_text())
    clients.append(f.oauth_client("Legacy Reporting Sync", "PASSWORD"))
    (target / "oauth_clients.json").write_text(json.dumps(clients))
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["datasets"]["oauth_clients"]["entities"] = len(clients)
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def test_ready_org_with_unrelated_hygiene_exits_0_with_blockers(tmp_path) -> None:
    org = _ready_with_password_client(tmp_path)
    plan = str(READY / "plan.yaml")
    gate = run_cli("audit", str(org), "--plan", plan, "--fail-on", "blockers", "--format", "json")
    assert gate.returncode == 0, gate.stderr
    data = json.loads(gate.stdout)
    assert data["summary"]["verdict"] == "ready"
    assert any(r["rule_id"] == "OAUTH-003" and r["status"] == "FAIL" for r in data["results"])
    # the default with --plan is the gate; by severity the hygiene finding still fails the run
    assert run_cli("audit", str(org), "--plan", plan).returncode == 0
    assert run_cli("audit", str(org), "--plan", plan, "--fail-on", "high").returncode == 1
    assert run_cli("audit", str(org)).returncode == 1  # without a plan the default stays `high`


def test_demo_org_exits_1_with_blockers() -> None:
    proc = run_cli("audit", str(DEMO), "--plan", str(DEMO / "plan.yaml"), "--fail-on", "blockers",
                   "--format", "json")
    assert proc.returncode == 1, proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert summary["verdict"] == "not_ready" and summary["actions"] < summary["blockers"]


def test_partial_org_without_blockers_would_be_incomplete_exit_3(tmp_path) -> None:
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.snapshot import load_snapshot

    partial = SAMPLES / "demo-org-partial"
    report = run_audit(load_snapshot(partial), load_plan(partial / "plan.yaml"))
    assert report.exit_status("blockers") == 1  # blockers found: NOT READY wins over missing data
    report.results = [r for r in report.results if not (r.status.value == "FAIL" and r.blocks_cobrowse)]
    assert report.answer.verdict.value == "incomplete" and report.exit_status("blockers") == 3


def test_help_says_what_the_default_counts() -> None:
    text = " ".join(run_cli("audit", "--help").stdout.split())
    assert "Default: `blockers` with --plan" in text and "else `high`" in text
