"""The synthetic-org generator: deterministic, real-shaped, the sizes asked for, streamed == in memory."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.engine import run_audit
from auditor.inputs.plan import parse_plan
from auditor.snapshot import DATASETS, load_snapshot
from auditor.testing.synthetic import OrgSpec, SyntheticOrg, synthetic_org

GRANTS = {"CODE", "TOKEN", "SAML2-BEARER", "PASSWORD", "CLIENT-CREDENTIALS"}


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def test_same_seed_same_bytes_other_seed_other_org(tmp_path: Path) -> None:
    a = synthetic_org(40, seed=7).write(tmp_path / "a")
    b = synthetic_org(40, seed=7).write(tmp_path / "b")
    c = synthetic_org(40, seed=8).write(tmp_path / "c")
    assert _files(a) == _files(b)
    assert _files(a)["queues.json"] != _files(c)["queues.json"]


def test_written_org_loads_validates_and_has_the_requested_shape(tmp_path: Path) -> None:
    spec = OrgSpec.scaled(200)
    snapshot = load_snapshot(SyntheticOrg(spec).write(tmp_path / "org"))  # validates every file
    data = snapshot.data
    assert len(data["queues"]) == 200
    assert len(data["roles"]) == spec.roles == 20
    assert len(data["oauth_clients"]) == spec.oauth_clients == 30
    assert len(data["deployments"]) == len(data["configurations"]) == spec.deployments == 2
    assert set(data["queue_wrapupcodes"]) == {q["id"] for q in data["queues"]}
    codes = sum(map(len, data["queue_wrapupcodes"].values())) / 200
    members = sum(map(len, data["queue_members"].values())) / 200
    assert 8 <= codes <= 12 and 17 <= members <= 26  # "about 10 codes and 20 members each"
    assert {c["authorizedGrantType"] for c in data["oauth_clients"]} == GRANTS
    assert all(r["permissionPolicies"] for r in data["roles"])
    assert all("cobrowse" in d["configuration"] for d in data["deployments"])
    manifest = json.loads((tmp_path / "org" / "manifest.json").read_text())
    for dataset in DATASETS:
        content = data[dataset.name]
        count = sum(map(len, content.values())) if isinstance(content, dict) else len(content)
        assert manifest["datasets"][dataset.name]["entities"] == count


def test_streamed_snapshot_equals_the_in_memory_builder(tmp_path: Path) -> None:
    org = synthetic_org(25, seed=3)
    written = load_snapshot(org.write(tmp_path / "org")).data
    built = org.builder().snapshot().data
    assert written == built


def test_the_rules_find_something_to_report_on_it(tmp_path: Path) -> None:
    org = synthetic_org(300)
    snapshot = load_snapshot(org.write(tmp_path / "org"))
    plan = parse_plan(org.plan(), tmp_path / "plan.yaml")
    report = run_audit(snapshot, plan)
    statuses = {r.status.value for r in report.results}
    assert {"PASS", "FAIL"} <= statuses  # a realistic mix, not an all-green or all-red org
    assert "ERROR" not in statuses
