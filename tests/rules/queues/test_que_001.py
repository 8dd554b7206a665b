from auditor.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_plan_queue_without_message_media_fails(org):
    org.add_queue(f.queue("Web Support"))
    org.add_queue(f.queue("Phone Only", message=False, call=True))
    results = evaluate(org, "QUE-001", Plan(queues=("Web Support", "Phone Only")))
    assert statuses(results) == {"Web Support": Status.PASS, "Phone Only": Status.FAIL}
    failing = next(r for r in results if r.status is Status.FAIL)
    assert "no message media settings" in failing.message
    assert "no cobrowse media type" in failing.message


def test_voice_plan_needs_call_media_too(org):
    org.add_queue(f.queue("Web Support"))
    org.add_queue(f.queue("Blended", call=True))
    plan = Plan(channels=("Webmessaging", "Voice"), queues=("Web Support", "Blended"))
    results = evaluate(org, "QUE-001", plan)
    assert statuses(results) == {"Web Support": Status.FAIL, "Blended": Status.PASS}
    assert "no call media settings" in next(r.message for r in results if r.status is Status.FAIL)


def test_not_applicable_without_plan_queues(org):
    org.add_queue(f.queue("Phone Only", message=False, call=True))
    [result] = evaluate(org, "QUE-001")
    assert result.status is Status.NOT_APPLICABLE


def test_error_when_queues_were_not_collected(org):
    org.fail("queues")
    [result] = evaluate(org, "QUE-001", Plan(queues=("Web Support",)))
    assert result.status is Status.ERROR


def test_real_org_queues_with_all_five_media_settings_pass_without_claiming_traffic(org):
    # Issue 11, problem 3: every queue of a real org carries all five media settings.
    org.add_queue(f.queue("Phone Only", mediaSettings=f.media_settings(message=True, call=True, chat=True,
                                                                       email=True, callback=True)))
    [result] = evaluate(org, "QUE-001", Plan(queues=("Phone Only",)))
    assert result.status is Status.PASS
    assert "QUE-005" in result.message and "routes" not in result.message
