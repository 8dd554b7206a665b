from __future__ import annotations

from auditor.results import Status
from tests.rules.apply.helpers import WEB_SUPPORT, demo, failures, overlay, results

QUEUE = '''
resource "genesyscloud_routing_queue" "web_support" {{
  name              = "Web Support"
  acw_wrapup_prompt = "MANDATORY"
  groups            = ["{group}"]
{extra}
}}
'''


def _group() -> str:
    return next(q for q in demo().raw("queues") if q["id"] == WEB_SUPPORT)["memberGroups"][0]["id"]


def test_a_queue_redeclared_without_members_loses_its_user_members(tmp_path):
    found = failures(overlay(tmp_path, QUEUE.format(group=_group(), extra="")), "APPLY-001")
    assert [(r.resource_id, r.resource_name) for r in found] == [(WEB_SUPPORT, "Web Support")]
    message = found[0].message
    assert "`members` is unset" in message and "4 of them joined" in message and "'Aisha Rahman'" in message
    assert "37 co-browse session(s)" in message  # the evidence: traffic of the window
    assert "main.tf:2" in message
    assert found[0].blocks_cobrowse  # a plan queue: a blocker


def test_an_empty_members_set_in_a_plan_also_empties_the_queue(tmp_path):
    from tests.rules.apply.helpers import plan_overlay

    after = plan_overlay(tmp_path, [{
        "address": "genesyscloud_routing_queue.web_support", "mode": "managed", "type": "genesyscloud_routing_queue",
        "name": "web_support", "change": {"actions": ["update"], "before": {"id": WEB_SUPPORT, "name": "Web Support"},
                                          "after": {"id": WEB_SUPPORT, "name": "Web Support", "members": [],
                                                    "groups": [_group()]}, "after_unknown": {}}}])
    found = failures(after, "APPLY-001")
    assert [r.resource_id for r in found] == [WEB_SUPPORT] and "`members` is empty" in found[0].message


def test_ignore_members_is_quiet(tmp_path):
    after = overlay(tmp_path, QUEUE.format(group=_group(), extra="  ignore_members = true"))
    assert [r.status for r in results(after, "APPLY-001")] == [Status.PASS]


def test_declared_members_are_quiet(tmp_path):
    extra = '  members {\n    user_id = "b3ed67ff-5de4-5ada-993a-606b717a9f45"\n  }'
    assert not failures(overlay(tmp_path, QUEUE.format(group=_group(), extra=extra)), "APPLY-001")


def test_a_snapshot_alone_is_not_an_apply():
    assert [r.status for r in results(demo(), "APPLY-001")] == [Status.NOT_APPLICABLE]
