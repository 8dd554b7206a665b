"""Collecting the demo org from the fake API and auditing it gives exactly what auditing the
demo org's snapshot directly gives: the collector loses, adds and reorders nothing."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.engine import run_audit
from auditor.inputs.plan import load_plan
from auditor.snapshot import DATASETS, load_snapshot
from tests.sources.collectors.conftest import DEMO_ORG, FAST_CLI, normalised


def _results(stdout: str) -> list[dict[str, object]]:
    return json.loads(stdout)["results"]


def test_collect_then_audit_equals_auditing_the_source(fake_api, cli, tmp_path: Path, demo_snapshot) -> None:
    api = fake_api(DEMO_ORG, latency=0.001)
    out = tmp_path / "snap"
    done = cli("collect", "--out-dir", str(out), *FAST_CLI, env=api.env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    # Not a terminal: one quiet line per dataset (for nightly job logs), no progress bars.
    assert f"queues: {len(demo_snapshot.data['queues'])} entities" in done.stderr
    assert sum(line.startswith("INFO auditor.sources.collectors.collect: ") for line in done.stderr.splitlines()) >= 9

    collected = load_snapshot(out)
    assert collected.manifest.complete
    assert collected.org_id == demo_snapshot.org_id
    assert collected.manifest.organization_name == demo_snapshot.manifest.organization_name
    assert collected.manifest.api_base == api.url
    # Byte-for-byte the same entities, in the same order, for every dataset.
    assert normalised(collected) == normalised(demo_snapshot)
    for dataset in DATASETS:
        status = collected.manifest.datasets[dataset.name]
        assert status.entities == demo_snapshot.manifest.datasets[dataset.name].entities
        assert status.calls >= 1 and status.retries == 0 and status.throttled == 0

    plan = load_plan(DEMO_ORG / "plan.yaml")
    direct = [r.to_dict() for r in run_audit(demo_snapshot, plan).results]
    via_api = [r.to_dict() for r in run_audit(collected, plan).results]
    assert via_api == direct
    assert any(r["status"] == "FAIL" for r in direct)  # the comparison covers real findings

    # One GET per page: the org, one page per top-level dataset, one per queue/role sub-resource.
    queues = len(demo_snapshot.data["queues"])
    roles = len(demo_snapshot.data["roles"])
    assert api.calls("/api/v2/routing/queues/", 200) == 2 * queues
    assert api.calls("/api/v2/authorization/roles/", 200) == roles
    assert api.calls(status=429) == 0 and api.calls(status=401) == 0
    assert api.logins == 1


def test_audit_live_matches_audit_of_the_source(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    plan = str(DEMO_ORG / "plan.yaml")
    saved = tmp_path / "kept"
    live = cli("audit", "--live", "--save-snapshot", str(saved), "--plan", plan, "--format", "json",
               *FAST_CLI, env=api.env())
    direct = cli("audit", str(DEMO_ORG), "--plan", plan, "--format", "json")
    assert live.returncode == direct.returncode, live.stderr
    assert _results(live.stdout) == _results(direct.stdout)
    assert load_snapshot(saved).manifest.complete


def test_audit_live_without_save_leaves_no_snapshot_behind(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    done = cli("audit", "--live", "--format", "json", *FAST_CLI, env={**api.env(), "TMPDIR": str(tmp_path)})
    assert done.returncode in (0, 1), done.stderr
    assert _results(done.stdout)
    assert list(tmp_path.iterdir()) == []


def test_audit_usage_errors(cli, tmp_path: Path) -> None:
    both = cli("audit", str(DEMO_ORG), "--live")
    assert both.returncode == 2 and "not both" in both.stderr
    save_only = cli("audit", str(DEMO_ORG), "--save-snapshot", str(tmp_path / "x"))
    assert save_only.returncode == 2 and "--save-snapshot only goes with --live" in save_only.stderr
