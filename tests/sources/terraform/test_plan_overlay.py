"""`gcaudit audit SNAPSHOT --terraform tfplan.json`: the org as it will be after the apply."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"
PLAN = FIXTURES / "plans" / "plan-rollout.json"


def _audit(*extra: str) -> dict:
    result = CliRunner().invoke(cli, ["audit", str(DEMO), "--terraform", str(PLAN), "--source-dir",
                                      str(FIXTURES / "cx"), "--format", "json", *extra])
    assert result.exit_code in (0, 1, 3), result.output
    assert "s3cr3t-PROD-value-never-echo" not in result.output
    return json.loads(result.stdout)


def _results(report: dict, rule_id: str, name: str) -> list[dict]:
    return [r for r in report["results"] if r["rule_id"] == rule_id and name in r["resource_name"]]


def test_deleted_client_is_gone_and_created_client_depends_on_its_data_source():
    report = _audit()
    assert not [r for r in report["results"] if r["resource_id"] == "be9bb3d9-2131-5743-a08e-ebb916cbb6fd"]
    created = _results(report, "OAUTH-007", "Reporting Sync")
    assert [r["status"] for r in created] == ["ERROR"]
    assert "data.genesyscloud_auth_role.admin.id" in created[0]["message"]
    assert created[0]["location"]["file"].endswith("cx/main.tf")


def test_updated_queue_keeps_its_id_members_and_gets_its_plan_values():
    report = _audit()
    timeout = [r for r in report["results"] if r["rule_id"] == "QUE-004"
               and r["resource_id"] == "83e71705-0440-553e-bd1b-4cdc29cc4d2a"]
    assert [r["status"] for r in timeout] == ["PASS"]
    assert "60000" in timeout[0]["message"]
    # One code known, one created by the same apply: the queue has codes either way.
    codes = [r for r in report["results"] if r["rule_id"] == "QUE-002"
             and r["resource_id"] == "83e71705-0440-553e-bd1b-4cdc29cc4d2a"]
    assert [r["status"] for r in codes] == ["PASS"]
    # `members` unset: updateQueueMembers removes every user member (removeAllExistingUserMembersFromQueue);
    # `groups` unset: the update sends memberGroups null, whose effect is undocumented. Whether
    # anyone is joined after the apply is unknown: ERROR naming the reason, never the snapshot's PASS.
    members = [r for r in report["results"] if r["rule_id"] == "QUE-003"
               and r["resource_id"] == "83e71705-0440-553e-bd1b-4cdc29cc4d2a"]
    assert [r["status"] for r in members] == ["ERROR"]
    assert "memberGroups null" in members[0]["message"]


def test_overlay_results_point_at_the_configuration_lines():
    report = _audit()
    located = [r for r in report["results"] if r.get("location")]
    assert located
    lines = (FIXTURES / "cx" / "main.tf").read_text().splitlines()
    timeout = next(r for r in located if r["rule_id"] == "QUE-004")
    assert "acw_timeout_ms" in lines[timeout["location"]["line"] - 1]


def test_replace_destroys_the_old_object_and_creates_the_new(tmp_path):
    plan = json.loads(PLAN.read_text())
    for change in plan["resource_changes"]:
        if change["address"] == "genesyscloud_oauth_client.legacy_reporting":
            change["change"].update({
                "actions": ["delete", "create"],
                "after": {"name": "Legacy Reporting Sync", "authorized_grant_type": "CODE", "scopes": ["analytics"]},
                "after_unknown": {"id": True}})
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan))
    result = CliRunner().invoke(cli, ["audit", str(DEMO), "--terraform", str(path), "--source-dir",
                                      str(FIXTURES / "cx"), "--format", "json"])
    report = json.loads(result.stdout)
    assert not [r for r in report["results"] if r["resource_id"] == "be9bb3d9-2131-5743-a08e-ebb916cbb6fd"]
    grants = [r for r in report["results"]
              if r["rule_id"] == "OAUTH-003" and r["resource_name"] == "Legacy Reporting Sync"]
    assert [r["status"] for r in grants] == ["PASS"]
    assert report["summary"]["rules_judged"]["total"] >= 20


def test_attributes_the_plan_marks_sensitive_never_reach_the_report(tmp_path):
    plan = json.loads(PLAN.read_text())
    for change in plan["resource_changes"]:
        if change["address"] == "genesyscloud_oauth_client.reporting":
            change["change"]["after"]["name"] = "Sensitive-Client-Name-42"
            change["change"]["after_sensitive"] = {"client_secret": True, "name": True}
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan))
    for fmt in ("json", "table", "sarif"):
        result = CliRunner().invoke(cli, ["audit", str(DEMO), "--terraform", str(path), "--source-dir",
                                          str(FIXTURES / "cx"), "--format", fmt])
        assert result.exit_code in (0, 1, 3), result.output
        assert "Sensitive-Client-Name-42" not in result.output
    report = json.loads(CliRunner().invoke(cli, ["audit", str(DEMO), "--terraform", str(path), "--source-dir",
                                                 str(FIXTURES / "cx"), "--format", "json"]).stdout)
    assert [r for r in report["results"] if r["resource_name"] == "genesyscloud_oauth_client.reporting"]
