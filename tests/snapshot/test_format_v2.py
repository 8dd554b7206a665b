"""Snapshot format 2: partial and not_collected statuses, the new datasets, and v1 snapshots still load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.errors import DatasetUnavailable
from auditor.snapshot import DATASETS, SCHEMA_VERSION, load_snapshot
from auditor.snapshot.datasets import BY_NAME, is_all_divisions, visibility_permissions
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.conftest import SAMPLES

STORES = f.division("Stores")
NEW_DATASETS = {"divisions", "divisions_permitted", "role_subjectgrants", "group_individuals", "flows",
                "conversation_aggregates"}


def _org() -> OrgBuilder:
    org = OrgBuilder().add_division(STORES)
    home_queue = f.queue("Web Support")
    org.add_queue(home_queue)
    role = f.role("Co-browse Agent", ["conversation:cobrowse:add"])
    org.add_role(role, ["u1"], grants=[f.subject_grant("g1", subject_type="PC_GROUP", name="Web Agents"),
                                        f.subject_grant("u2", divisions=[STORES])])
    org.add_group("g1", ["u3", "u4"])
    web_flow = f.flow("Web Inbound")
    org.flows = [web_flow]
    org.deployments = [f.deployment("Site", f.configuration("Web"), flow=f.flow_ref(web_flow))]
    org.conversation_aggregates = [f.aggregate(home_queue["id"], "message", org.traffic_interval(),
                                               conversations=12, message_type="webmessaging", cobrowse_sessions=2)]
    return org


def test_the_contract_names_every_new_dataset_and_role_users_is_gone() -> None:
    names = {d.name for d in DATASETS}
    assert names >= NEW_DATASETS and "role_users" not in names
    assert SCHEMA_VERSION == 2
    assert BY_NAME["roles"].params == {"userCount": "false"} and BY_NAME["roles"].page_size == 100
    assert BY_NAME["wrapupcodes"].page_size == 100 and BY_NAME["role_subjectgrants"].page_size == 100
    assert visibility_permissions() == ["analytics:conversationAggregate:view", "architect:flow:view",
                                        "routing:queue:view", "routing:wrapupCode:view"]
    assert is_all_divisions({"id": "*"}) and not is_all_divisions(STORES)


@pytest.mark.parametrize("lean", [False, True], ids=["full", "lean"])
def test_new_datasets_round_trip_with_their_shapes(tmp_path: Path, lean: bool) -> None:
    snap = load_snapshot(_org().write(tmp_path / "snap"), lean=lean)
    assert snap.manifest.schema_version == 2 and snap.manifest.complete
    grants = snap.raw("role_subjectgrants")[f.new_id("role:Co-browse Agent")]
    assert [(g["id"], g["type"], [d["id"] for d in g["divisions"]]) for g in grants] == [
        ("u1", "PC_USER", ["*"]), ("g1", "PC_GROUP", ["*"]), ("u2", "PC_USER", [STORES["id"]])]
    assert [u["id"] for u in snap.raw("group_individuals")["g1"]] == ["u3", "u4"]
    assert snap.raw("flows")[0]["publishedVersion"]["id"] == "1.0"
    assert snap.raw("deployments")[0]["flow"]["id"] == snap.raw("flows")[0]["id"]
    assert {d["name"] for d in snap.raw("divisions")} == {"Home", "Stores"}
    permitted = snap.raw("divisions_permitted")
    assert set(permitted) == set(visibility_permissions())
    assert all({d["id"] for d in divs} == {f.HOME_DIVISION["id"], STORES["id"]} for divs in permitted.values())
    traffic = snap.raw("conversation_aggregates")[0]
    assert traffic["group"] == {"queueId": snap.raw("queues")[0]["id"], "mediaType": "message",
                                "messageType": "webmessaging"}
    assert {m["metric"]: m["stats"]["count"] for m in traffic["data"][0]["metrics"]}["nCobrowseSessions"] == 2
    status = snap.status("conversation_aggregates")
    assert (status.days, status.interval) == (7, "2026-11-17T02:00:00.000Z/2026-11-24T02:00:00.000Z")


def test_a_partial_dataset_is_available_and_names_what_it_could_not_see(tmp_path: Path) -> None:
    org = _org().partial("queues", [STORES])
    root = org.write(tmp_path / "snap")
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["datasets"]["queues"]["status"] == "partial"
    assert manifest["datasets"]["queues"]["divisions_not_visible"] == [{"id": STORES["id"], "name": "Stores"}]
    for lean in (False, True):
        snap = load_snapshot(root, lean=lean)
        status = snap.status("queues")
        assert status.partial and not status.ok and status.available
        assert snap.available("queues") and snap.raw("queues")[0]["name"] == "Web Support"
        assert snap.invisible_divisions("queues") == {STORES["id"]: "Stores"}
        assert snap.invisible_divisions("wrapupcodes") == {}
        assert "Stores" in status.reason()
        assert not snap.manifest.complete and "queues" in snap.manifest.failed()
    # The derived divisions_permitted agrees: routing:queue:view is not held in Stores.
    permitted = load_snapshot(root).raw("divisions_permitted")
    assert [d["id"] for d in permitted["routing:queue:view"]] == [f.HOME_DIVISION["id"]]


def test_not_collected_and_error_statuses(tmp_path: Path) -> None:
    org = _org().not_collected("flows", "not in the Terraform configuration")
    org.fail("conversation_aggregates", 403, "missing.permissions",
             message_with_params="You are missing the following permission(s): [{permission}]")
    root = org.write(tmp_path / "snap")
    entry = json.loads((root / "manifest.json").read_text())["datasets"]
    assert entry["flows"] == {"status": "not_collected", "entities": 0, "calls": 0, "retries": 0, "throttled": 0,
                              "seconds": 0.0, "reason": "not in the Terraform configuration"}
    assert entry["conversation_aggregates"]["message_with_params"].startswith("You are missing")
    snap = load_snapshot(root)
    assert not snap.available("flows") and not (root / "flows.json").exists()
    assert snap.status("flows").not_collected
    with pytest.raises(DatasetUnavailable, match="not collected: not in the Terraform configuration"):
        snap.raw("flows")
    assert snap.status("conversation_aggregates").message_with_params.endswith("[{permission}]")


def _as_v1(root: Path, target: Path) -> Path:
    """A format-1 snapshot as gcaudit wrote it before: no new datasets, a role_users file."""
    shutil.copytree(root, target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["schema_version"] = 1
    for name in NEW_DATASETS:
        manifest["datasets"].pop(name, None)
        (target / f"{name}.json").unlink(missing_ok=True)
    manifest["datasets"]["role_users"] = {"status": "ok", "entities": 1, "calls": 1}
    (target / "role_users.json").write_text(json.dumps({"r": [{"id": "u1"}]}))
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


@pytest.mark.parametrize("lean", [False, True], ids=["full", "lean"])
def test_a_v1_snapshot_loads_with_the_new_datasets_not_collected(tmp_path: Path, lean: bool) -> None:
    root = _as_v1(_org().write(tmp_path / "snap"), tmp_path / "v1")
    snap = load_snapshot(root, lean=lean)
    assert snap.available("queues") and snap.available("roles")
    for name in NEW_DATASETS:
        status = snap.status(name)
        assert status.not_collected and status.not_collected_reason == "snapshot format v1"
        assert not snap.available(name)
    assert "role_users" not in snap.data  # not turned into grants it never carried divisions for


def test_v1_sample_audit_reports_error_not_pass_for_rules_on_subject_grants(tmp_path: Path) -> None:
    from auditor.engine import run_audit
    from auditor.results import Status

    root = _as_v1(SAMPLES / "ready-org", tmp_path / "v1")
    report = run_audit(load_snapshot(root))
    authz = [r for r in report.results if r.rule_id in ("AUTHZ-002", "AUTHZ-003")]
    assert authz and all(r.status is Status.ERROR for r in authz)
    assert all("snapshot format v1" in r.message for r in authz)


def test_a_partial_dataset_makes_the_audit_incomplete_so_nightly_exits_3() -> None:
    from auditor.engine import run_audit
    from auditor.nightly.run import exit_status
    from auditor.results import AuditReport, Severity

    report = run_audit(_org().partial("queues", [STORES]).snapshot(), rules=[])
    assert report.datasets["queues"]["status"] == "partial"
    assert not report.complete and "queues" in report.failed_datasets
    clean = AuditReport(org_id="o", org_name="o", region=None, collected_at="", tool_version="", snapshot_path=None,
                        plan_path=None, datasets=report.datasets, results=[])
    assert exit_status(clean, None, Severity.HIGH, False) == 3  # type: ignore[arg-type]
    assert exit_status(run_audit(_org().snapshot(), rules=[]), None, Severity.HIGH, False) == 0  # type: ignore[arg-type]
