from __future__ import annotations

from auditor.results import Status
from tests.rules.apply.helpers import demo, failures, plan_overlay, results


def _delete(rtype: str, row: dict, action: str = "delete") -> dict:
    change = {"actions": ["delete"] if action == "delete" else ["delete", "create"],
              "before": {"id": row["id"], "name": row["name"]}}
    change["after"] = None if action == "delete" else {"name": row["name"]}
    change["after_unknown"] = {} if action == "delete" else {"id": True}
    return {"address": f"{rtype}.x", "mode": "managed", "type": rtype, "name": "x", "change": change}


def test_deleting_a_cobrowse_deployment_fails_naming_what_depends_on_it(tmp_path):
    row = next(d for d in demo().raw("deployments") if d["name"] == "Northwind Store Checkout")
    found = failures(plan_overlay(tmp_path, [_delete("genesyscloud_webdeployments_deployment", row)]), "APPLY-004")
    assert [r.resource_id for r in found] == [row["id"]]
    assert "deletes web deployment 'Northwind Store Checkout'" in found[0].message
    assert "snippet" in found[0].message and found[0].blocks_cobrowse


def test_replacing_the_cobrowse_role_fails(tmp_path):
    row = next(r for r in demo().raw("roles") if r["name"] == "Co-browse Agent")
    found = failures(plan_overlay(tmp_path, [_delete("genesyscloud_auth_role", row, "replace")]), "APPLY-004")
    assert [r.resource_id for r in found] == [row["id"]]
    assert "replaces" in found[0].message and "conversation:cobrowse:add" in found[0].message


def test_deleting_a_plan_queue_fails_with_its_traffic(tmp_path):
    row = next(q for q in demo().raw("queues") if q["name"] == "Web Support")
    found = failures(plan_overlay(tmp_path, [_delete("genesyscloud_routing_queue", row)]), "APPLY-004")
    assert [r.resource_id for r in found] == [row["id"]] and "37 co-browse session(s)" in found[0].message


def test_deleting_something_co_browse_does_not_use_is_quiet(tmp_path):
    row = next(c for c in demo().raw("oauth_clients") if c["name"] == "Legacy Reporting Sync")
    after = plan_overlay(tmp_path, [_delete("genesyscloud_oauth_client", row)])
    assert [r.status for r in results(after, "APPLY-004")] == [Status.PASS]
