"""Set / unset / empty on create and update, as the provider's code does it (v1.84.1), on overlays of
the demo org: one test per row of the semantics table in docs/cx-as-code.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.engine import run_audit
from auditor.results import Status
from auditor.snapshot import load_snapshot
from auditor.sources.terraform import load_terraform

DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"
WEB_SUPPORT = "83e71705-0440-553e-bd1b-4cdc29cc4d2a"


def _demo():
    return load_snapshot(DEMO)


def _web_support_group() -> str:
    queue = next(q for q in _demo().raw("queues") if q["id"] == WEB_SUPPORT)
    return queue["memberGroups"][0]["id"]


def _overlay(tmp_path: Path, hcl: str):
    (tmp_path / "main.tf").write_text(hcl)
    return load_terraform(tmp_path, base=_demo())


def _results(snapshot, rule_id: str, resource_id: str):
    return [r for r in run_audit(snapshot).results if r.rule_id == rule_id and r.resource_id == resource_id]


def _queue(extra: str = "", name: str = "Web Support", prompt: str = "MANDATORY") -> str:
    return f'''
resource "genesyscloud_routing_queue" "q" {{
  name              = "{name}"
  acw_wrapup_prompt = "{prompt}"
{extra}
}}
'''


# -- routing_queue `members` / `ignore_members` / `groups` -------------------------------------------

def test_unset_members_remove_every_user_member_and_keep_the_group_members(tmp_path):
    # updateQueueMembers -> removeAllExistingUserMembersFromQueue (memberBy "user" only).
    after = _overlay(tmp_path, _queue(f'  groups = ["{_web_support_group()}"]'))
    members = after.raw("queue_members")[WEB_SUPPORT]
    assert members and all(m["memberBy"] == "group" for m in members)
    before = _demo().raw("queue_members")[WEB_SUPPORT]
    assert len(members) == sum(1 for m in before if m["memberBy"] == "group")
    effect = next(e for e in after.manifest.extra["terraform"]["apply"] if e["kind"] == "members")
    assert effect["id"] == WEB_SUPPORT and effect["cause"] == "unset"
    assert len(effect["joined"]) == 4 and "Aisha Rahman" in effect["joined"]


def test_ignore_members_keeps_the_user_members(tmp_path):
    after = _overlay(tmp_path, _queue(f'  ignore_members = true\n  groups = ["{_web_support_group()}"]'))
    assert after.raw("queue_members")[WEB_SUPPORT] == _demo().raw("queue_members")[WEB_SUPPORT]
    assert not [e for e in after.manifest.extra["terraform"]["apply"] if e["kind"] == "members"]
    assert [r.status for r in _results(after, "QUE-003", WEB_SUPPORT)] == [Status.PASS]


def test_declared_members_are_the_user_members_and_keep_their_joined_state(tmp_path):
    aisha = "b3ed67ff-5de4-5ada-993a-606b717a9f45"
    after = _overlay(tmp_path, _queue(f'  groups = ["{_web_support_group()}"]\n'
                                      f'  members {{\n    user_id = "{aisha}"\n    ring_num = 2\n  }}'))
    users = [m for m in after.raw("queue_members")[WEB_SUPPORT] if m["memberBy"] == "user"]
    assert [(m["name"], m["joined"], m["ringNumber"]) for m in users] == [("Aisha Rahman", True, 2)]


def test_unset_groups_on_update_make_group_membership_unknown_never_unchanged(tmp_path):
    # updateRoutingQueue sends memberGroups null (buildMemberGroupList); the API's effect is undocumented.
    after = _overlay(tmp_path, _queue("  ignore_members = true"))
    unknown = after.manifest.datasets["queue_members"].unknown[WEB_SUPPORT]
    assert "memberGroups null" in unknown["+"]
    results = _results(after, "QUE-003", WEB_SUPPORT)
    # 6 joined user members are kept (ignore_members): the queue has joined members either way.
    assert [r.status for r in results] == [Status.PASS]
    # The group members are not carried over as if unchanged.
    assert all(m["memberBy"] == "user" for m in after.raw("queue_members")[WEB_SUPPORT])


def test_unset_members_and_groups_leave_joined_membership_unknown(tmp_path):
    results = _results(_overlay(tmp_path, _queue()), "QUE-003", WEB_SUPPORT)
    assert [r.status for r in results] == [Status.ERROR]
    assert "memberGroups null" in results[0].message


def test_a_new_queue_without_members_or_groups_has_none(tmp_path):
    (tmp_path / "main.tf").write_text(_queue(name="Brand New Queue"))
    snapshot = load_terraform(tmp_path)
    assert snapshot.raw("queue_members") == {"genesyscloud_routing_queue.q": []}
    assert not (snapshot.manifest.datasets["queue_members"].unknown or {})


# -- routing_queue `wrapup_codes` ------------------------------------------------------------------

def _plan_with_codes(tmp_path: Path, after_codes) -> Path:
    plan = {"format_version": "1.2", "resource_changes": [{
        "address": "genesyscloud_routing_queue.web", "mode": "managed", "type": "genesyscloud_routing_queue",
        "name": "web", "change": {
            "actions": ["update"],
            "before": {"id": WEB_SUPPORT, "name": "Web Support", "wrapup_codes": ["x"]},
            "after": {"id": WEB_SUPPORT, "name": "Web Support", "acw_wrapup_prompt": "MANDATORY",
                      "wrapup_codes": after_codes, "ignore_members": True},
            "after_unknown": {}}}]}
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan))
    return path


def test_a_plan_emptying_wrapup_codes_empties_them(tmp_path):
    # Optional + Computed: `after` carries the prior codes when unset, so `[]` is "no codes after apply"
    # (updateQueueWrapupCodes deletes every code not listed).
    demo = _demo()
    assert len(demo.raw("queue_wrapupcodes")[WEB_SUPPORT]) == 11  # a mandatory wrap-up queue with codes
    code = demo.raw("wrapupcodes")[0]["id"]
    kept = load_terraform(_plan_with_codes(tmp_path, [code]), base=demo)
    assert [r.status for r in _results(kept, "QUE-002", WEB_SUPPORT)] == [Status.PASS]
    emptied = load_terraform(_plan_with_codes(tmp_path, []), base=_demo())
    assert emptied.raw("queue_wrapupcodes")[WEB_SUPPORT] == []
    assert [r.status for r in _results(emptied, "QUE-002", WEB_SUPPORT)] == [Status.FAIL]


# -- webdeployments_configuration `cobrowse` / `messenger` ------------------------------------------

def _configuration(body: str, name: str = "Brand New Config") -> str:
    return f'''
resource "genesyscloud_webdeployments_configuration" "c" {{
  name             = "{name}"
  languages        = ["en-us"]
  default_language = "en-us"
{body}
}}
'''


@pytest.mark.parametrize("flag", ["enabled", "allowAgentControl", "allowAgentNavigation", "allowDraw"])
def test_unset_cobrowse_switches_in_a_present_block_are_false_on_create(tmp_path, flag):
    # buildCobrowseSettings: `enabled, _ := cfg["enabled"].(bool)` is always sent.
    (tmp_path / "main.tf").write_text(_configuration('  cobrowse {\n    channels = ["Webmessaging"]\n  }'))
    config = load_terraform(tmp_path).raw("configurations")[0]
    assert config["cobrowse"][flag] is False


def test_unset_cobrowse_switches_keep_the_current_value_on_update(tmp_path):
    demo = _demo()
    current = next(c for c in demo.raw("configurations") if c["cobrowse"].get("enabled"))
    after = _overlay(tmp_path, _configuration('  cobrowse {\n    channels = ["Webmessaging"]\n  }', current["name"]))
    config = next(c for c in after.raw("configurations") if c["id"] == current["id"])
    assert config["cobrowse"]["enabled"] is True
    assert config["cobrowse"]["channels"] == ["Webmessaging"]


def test_unset_messenger_switch_in_a_present_block_is_false_on_create(tmp_path):
    # buildMessengerSettings sends `enabled` always; buildAppConversations sends the app's `enabled`.
    (tmp_path / "main.tf").write_text(_configuration(
        "  messenger {\n    apps {\n      conversations {\n        enabled = true\n      }\n    }\n  }"))
    config = load_terraform(tmp_path).raw("configurations")[0]
    assert config["messenger"]["enabled"] is False
    assert config["messenger"]["apps"]["conversations"]["enabled"] is True


def test_an_absent_messenger_block_stays_unknown_on_create(tmp_path):
    (tmp_path / "main.tf").write_text(_configuration(""))
    snapshot = load_terraform(tmp_path)
    assert "messenger" in snapshot.manifest.datasets["configurations"].unknown[
        "genesyscloud_webdeployments_configuration.c"]


def test_languages_are_read_not_invented(tmp_path):
    (tmp_path / "main.tf").write_text(_configuration(""))
    config = load_terraform(tmp_path).raw("configurations")[0]
    assert (config["languages"], config["defaultLanguage"]) == (["en-us"], "en-us")


# -- names and undeclared objects --------------------------------------------------------------------

def test_names_differing_only_in_case_stay_distinct(tmp_path):
    after = _overlay(tmp_path, '''
resource "genesyscloud_routing_wrapupcode" "a" { name = "Resolved - first contact" }
resource "genesyscloud_routing_wrapupcode" "b" { name = "Resolved - First Contact" }
''')
    names = sorted(c["name"] for c in after.raw("wrapupcodes") if c["name"].casefold() == "resolved - first contact")
    assert names == ["Resolved - First Contact", "Resolved - first contact"]
    assert "has the same name" not in " ".join(after.manifest.extra["terraform"]["notes"])


def test_undeclared_flows_keep_the_snapshots_data(tmp_path):
    demo = _demo()
    deployment = next(d for d in demo.raw("deployments") if d["name"] == "Loyalty Portal")
    after = _overlay(tmp_path, f'''
resource "genesyscloud_webdeployments_deployment" "d" {{
  name    = "Loyalty Portal"
  flow_id = "{deployment["flow"]["id"]}"
  configuration {{
    id = "{deployment["configuration"]["id"]}"
    version = "{deployment["configuration"]["version"]}"
  }}
}}
''')
    assert after.available("flows")
    assert [r.status for r in _results(after, "COB-008", deployment["id"])] == [Status.FAIL]
