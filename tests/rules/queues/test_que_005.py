from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

ALL_MEDIA = f.media_settings(message=True, call=True, chat=True, email=True, callback=True)


def _queues(org):
    for name in ("Web Support", "Quiet", "Phones"):
        org.add_queue(f.queue(name, mediaSettings=ALL_MEDIA))
    web, quiet, phones = (q["id"] for q in org.queues)
    org.conversation_aggregates = [
        f.traffic(web, "message", 40, message_type="webmessaging"),
        f.traffic(web, "message", 3, message_type="webmessaging", metric="nCobrowseSessions"),
        f.traffic(quiet, "message", 12, message_type="sms"),
        f.traffic(phones, "voice", 80),
    ]


def test_a_plan_queue_without_web_messaging_in_the_window_fails(org):
    _queues(org)
    results = evaluate(org, "QUE-005", Plan(queues=("Web Support", "Quiet", "Phones")))
    assert statuses(results) == {"Web Support": Status.PASS, "Quiet": Status.FAIL, "Phones": Status.FAIL}
    by_name = {r.resource_name: r.message for r in results}
    assert "40 web messaging conversation(s) and 3 co-browse session(s)" in by_name["Web Support"]
    assert "check the inbound message flow" in by_name["Quiet"]


def test_voice_plan_needs_voice_traffic(org):
    _queues(org)
    results = evaluate(org, "QUE-005", Plan(channels=("Voice",), queues=("Web Support", "Phones")))
    assert statuses(results) == {"Web Support": Status.FAIL, "Phones": Status.PASS}


def test_error_not_pass_when_traffic_was_not_collected(org):
    org.add_queue(f.queue("Web Support"))
    org.fail("conversation_aggregates", 403, "missing.permissions")
    [result] = evaluate(org, "QUE-005", Plan(queues=("Web Support",)))
    assert result.status is Status.ERROR and "conversation_aggregates" in result.message


def test_not_applicable_without_plan_queues(org):
    _queues(org)
    [result] = evaluate(org, "QUE-005")
    assert result.status is Status.NOT_APPLICABLE
