"""The co-browse scope without a plan comes from real traffic (issue 11, problem 3)."""

from auditor.analysis.frames import Frames
from auditor.analysis.scope import Scope
from auditor.engine import run_audit
from auditor.rules import get
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

ALL_MEDIA = f.media_settings(message=True, call=True, chat=True, email=True, callback=True)


def _org(voice_channel: bool = False) -> OrgBuilder:
    org = OrgBuilder()
    for name in ("Web Support", "Phones", "Back Office"):
        org.add_queue(f.queue(name, mediaSettings=ALL_MEDIA, joined_member_count=1),
                      members=[f.queue_member(f.new_id(f"user:{name}"), f"Agent of {name}")])
    web, phones, _ = (q["id"] for q in org.queues)
    channels = ("Webmessaging", "Voice") if voice_channel else ("Webmessaging",)
    config = f.configuration("Site", cobrowse_settings=f.cobrowse(channels=channels))
    org.deployments.append(f.deployment("Site", config))
    org.conversation_aggregates = [
        f.traffic(web, "message", 25, message_type="webmessaging"),
        f.traffic(web, "message", 2, message_type="webmessaging", metric="nCobrowseSessions"),
        f.traffic(phones, "voice", 300),
    ]
    return org


def _names(org: OrgBuilder, scope: Scope) -> list[str]:
    names = {q["id"]: q["name"] for q in org.queues}
    return [names[q] for q in scope.queue_ids]


def test_without_a_plan_the_queue_scope_is_the_queues_that_took_web_messaging():
    org = _org()
    scope = Scope(Frames(org.snapshot()), None)
    assert _names(org, scope) == ["Web Support"]
    assert scope.traffic_fallback_reason is None


def test_voice_queues_join_when_a_cobrowse_deployment_enables_voice():
    org = _org(voice_channel=True)
    assert _names(org, Scope(Frames(org.snapshot()), None)) == ["Web Support", "Phones"]


def test_without_traffic_the_scope_falls_back_and_says_why():
    org = _org()
    org.fail("conversation_aggregates", 403, "missing.permissions")
    scope = Scope(Frames(org.snapshot()), None)
    assert _names(org, scope) == ["Web Support", "Phones", "Back Office"]
    assert "HTTP 403 missing.permissions" in scope.traffic_fallback_reason
    report = run_audit(org.snapshot(), rules=[get("QUE-003")])
    assert report.scope["queues_from"] == "message_settings"
    assert "every queue with message media settings" in report.to_dict()["scope"]["fallback_reason"]


def test_the_report_gives_each_scope_queue_its_conversations_and_cobrowse_sessions():
    report = run_audit(_org().snapshot(), rules=[get("QUE-003")])
    assert report.scope["queues_from"] == "traffic"
    [queue] = report.scope["queues"]
    assert queue["name"] == "Web Support"
    assert (queue["webmessaging_conversations"], queue["voice_conversations"], queue["cobrowse_sessions"]) == (25, 0, 2)


def test_authz_is_not_flooded_with_every_queue_of_a_real_org():
    report = run_audit(_org().snapshot(), rules=[get("AUTHZ-002")])
    assert [r.resource_name for r in report.results] == ["Web Support"]


def test_with_a_traffic_scope_each_queue_needs_only_the_permission_of_what_it_took():
    from auditor.results import Status

    org = _org(voice_channel=True)
    web_agent = f.new_id("user:Web Support")
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [web_agent])
    results = {r.resource_name: r for r in run_audit(org.snapshot(), rules=[get("AUTHZ-002")]).results}
    assert results["Web Support"].status is Status.PASS  # took web messaging only: no voice permission needed
    assert results["Phones"].status is Status.FAIL
    assert "conversation:cobrowseVoice:add" in results["Phones"].message
    assert "conversation:cobrowse:add" not in results["Phones"].message
