"""The answer's actions: merged where one change resolves several findings, ordered by dependency,
each naming its object and exact change, none contradicting the snapshot's own traffic (issue 19)."""

from __future__ import annotations

import pytest

from auditor.answer import Verdict
from auditor.engine import run_audit
from auditor.inputs.plan import Plan
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

QUEUES = ("Web Support", "Billing Web", "Returns", "Orders", "Voice Tier 2")
WEB, VOICE = "conversation:cobrowse:add", "conversation:cobrowseVoice:add"


def _org() -> OrgBuilder:
    """Three co-browse deployments, none Active (COB-001 + 3 x COB-003); five queues whose agents hold
    the web co-browse permission but no role grants the voice one (AUTHZ-001 + 5 x AUTHZ-002)."""
    org = OrgBuilder()
    config = f.configuration("Support Messenger", cobrowse_settings=f.cobrowse(channels=("Webmessaging", "Voice")))
    for name in ("Help Site", "Shop", "Portal"):
        org.deployments.append(f.deployment(name, config, status="Inactive"))
    org.configurations.append(config)
    agents = []
    for n, name in enumerate(QUEUES):
        members = [(f.new_id(f"user:{name}:{i}"), f"Agent {n}{i}") for i in range(3)]
        agents += [uid for uid, _ in members]
        org.add_queue(f.queue(name, call=True, joined_member_count=3),
                      members=[f.queue_member(uid, who) for uid, who in members])
    org.add_role(f.role("Web Cobrowse", [WEB]), agents)
    interval = org.traffic_interval()
    web_support = org.queues[0]["id"]
    org.conversation_aggregates = [
        f.aggregate(web_support, "message", interval, conversations=267, cobrowse_sessions=37,
                    message_type="webmessaging"),
        f.aggregate(web_support, "voice", interval, conversations=381),
    ]
    return org


@pytest.fixture(scope="module")
def answer():
    plan = Plan(channels=("Webmessaging", "Voice"), queues=QUEUES, deployments=("Help Site", "Shop", "Portal"))
    return run_audit(_org().snapshot(), plan).answer


def _resolving(answer, rule_id):
    return [a for a in answer.actions if rule_id in a.rule_ids]


def test_fewer_actions_than_blockers(answer) -> None:
    rules = sorted(r.rule_id for r in answer.blockers)
    assert rules.count("COB-003") == 3 and rules.count("AUTHZ-002") == 5
    assert {"COB-001", "AUTHZ-001"} <= set(rules)
    assert answer.verdict is Verdict.NOT_READY
    assert len(answer.actions) < len(answer.blockers)
    assert answer.verdict_line().startswith(
        f"NOT READY for co-browse: {len(answer.actions)} actions resolve {len(answer.blockers)} blockers")


def test_cob_001_does_not_repeat_the_activations(answer) -> None:
    activations = _resolving(answer, "COB-003")
    assert len(activations) == 3
    assert all(a.changes[0].values == {"state": "Active", "from_state": "Inactive"} for a in activations)
    [cob_001] = _resolving(answer, "COB-001")
    assert cob_001 in activations  # resolved by the first activation, not a fourth "activate one of 3"
    assert not any("one of the" in a.text for a in answer.actions)


def test_one_role_grant_for_the_agents_of_five_queues_after_the_grant_in_a_role(answer) -> None:
    [grant] = _resolving(answer, "AUTHZ-001")
    [members] = _resolving(answer, "AUTHZ-002")
    assert grant.changes[0].values == {"permission": VOICE, "channel": "Voice"}
    assert members.changes[0].values["permission"] == VOICE
    assert members.changes[0].values["channel"] == "Voice"
    assert sorted(members.changes[0].values["queues"]) == sorted(QUEUES)
    assert len(members.resolves) == 5
    assert members.depends_on == [grant.id]
    assert answer.actions.index(grant) < answer.actions.index(members)


def test_dependencies_come_first_and_the_chain_orders_the_rest(answer) -> None:
    ids = [a.id for a in answer.actions]
    assert ids == [f"A{n}" for n in range(1, len(ids) + 1)]
    for action in answer.actions:
        assert all(ids.index(dep) < ids.index(action.id) for dep in action.depends_on)
    links = [a.link for a in answer.actions]
    assert links.index("deployment") < links.index("permissions") < links.index("members")


def test_every_action_names_its_object_and_exact_change(answer) -> None:
    for action in answer.actions:
        assert action.target.id and action.target.name and action.changes
        assert action.resolves and all(r.rule_id in action.rule_ids for r in action.resolves)
        assert action.evidence
    assert any(VOICE in a.text for a in answer.actions)


def test_no_action_contradicts_the_traffic(answer) -> None:
    [members] = _resolving(answer, "AUTHZ-002")
    [web_support] = [e for e in members.evidence if e.startswith("'Web Support'")]
    assert "Webmessaging co-browse works" in web_support and "37 co-browse sessions in 7 days" in web_support
    assert f"Voice co-browse gets 403: none of 3 joined members holds {VOICE}" in web_support
    [result] = [r for r in members.resolves if r.resource_name == "Web Support"]
    assert "Voice co-browse from it gets 403" in result.message
    assert "Webmessaging co-browse is not affected" in result.message
    for action in answer.actions:
        for text in (action.text, *action.evidence):
            assert "co-browse from it gets 403 missing" not in text.replace("Voice co-browse from it", "")


def test_all_permissions_missing_yet_sessions_says_so_instead_of_403() -> None:
    org = OrgBuilder()
    uid = f.new_id("user:ann")
    org.add_queue(f.queue("Web Support", joined_member_count=1), members=[f.queue_member(uid, "Ann Lee")])
    org.conversation_aggregates = [f.aggregate(org.queues[0]["id"], "message", org.traffic_interval(),
                                               conversations=10, cobrowse_sessions=5, message_type="webmessaging")]
    report = run_audit(org.snapshot(), Plan(queues=("Web Support",)))
    [result] = [r for r in report.results if r.rule_id == "AUTHZ-002"]
    assert "gets 403" not in result.message and "yet 5 co-browse session(s)" in result.message


def test_json_carries_the_answer(answer) -> None:
    data = answer.to_dict()
    assert data["verdict"] == "not_ready"
    assert data["counts"]["actions"] == len(answer.actions) == len(data["actions"])
    first = data["actions"][0]
    assert {"id", "link", "text", "target", "changes", "evidence", "resolves", "depends_on"} <= set(first)
    assert all(r["fingerprint"] for a in data["actions"] for r in a["resolves"])


def test_the_answer_reflects_waivers_applied_after_the_audit(tmp_path) -> None:
    from datetime import date

    from auditor.inputs.waivers import apply_waivers, load_waivers

    plan = Plan(channels=("Webmessaging", "Voice"), queues=QUEUES, deployments=("Help Site", "Shop", "Portal"))
    report = run_audit(_org().snapshot(), plan)
    before = report.answer
    (tmp_path / "w.yaml").write_text(
        "waivers:\n  - rule: AUTHZ-002\n    resource: '*'\n    reason: voice later\n"
        "    owner: ops@example.com\n    expires: 2026-12-31\n")
    apply_waivers(report, load_waivers(tmp_path / "w.yaml", today=date(2026, 12, 1)), today=date(2026, 12, 1))
    after = report.answer
    assert after is not before
    assert len(after.blockers) == len(before.blockers) - 5
    assert not _resolving(after, "AUTHZ-002") and _resolving(after, "AUTHZ-001")
    assert report.to_dict()["summary"]["blockers"] == len(after.blockers)
    assert after.counts["WAIVED"] == 5


def test_a_configuration_no_deployment_pins_is_one_pin_not_an_edit() -> None:
    org = OrgBuilder()
    config = f.configuration("Holiday Messenger", cobrowse_settings=f.cobrowse(channels=("Webmessaging",)))
    org.configurations.append(config)
    report = run_audit(org.snapshot(), None)
    [result] = [r for r in report.results if r.rule_id == "COB-002"]
    result.blocks_cobrowse = True  # as if the plan relied on it: the action is what is checked here
    report.refresh_answer()
    [action] = _resolving(report.answer, "COB-002")
    assert [c.text for c in action.changes] == ["pin it in an Active deployment (no deployment pins it)"]
