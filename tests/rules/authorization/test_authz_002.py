from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

ANN, BOB = f.new_id("user:ann"), f.new_id("user:bob")


def _queue(org, name="Web Support", members=(("Ann Lee", ANN, True), ("Bob Ray", BOB, True)), **kwargs):
    org.add_queue(
        f.queue(name, joined_member_count=len(members), **kwargs),
        members=[f.queue_member(uid, who, joined=joined) for who, uid, joined in members],
    )


def test_fails_when_no_joined_member_holds_the_permission(org):
    _queue(org)
    org.add_role(f.role("Agent", ["conversation:message:accept"]), [ANN, BOB])
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [])  # granted to nobody
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.FAIL
    assert "conversation:cobrowse:add" in result.message
    assert "403 missing.any.permissions" in result.message
    assert "'Ann Lee', 'Bob Ray'" in result.message


def test_passes_when_a_joined_member_holds_it_through_a_wildcard_role(org):
    _queue(org)
    org.add_role(f.role("Supervisor", ["conversation:*:*"]), [BOB])
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.PASS
    assert "1 of 2" in result.message


def test_a_member_who_is_not_joined_does_not_count(org):
    _queue(org, members=(("Ann Lee", ANN, True), ("Bob Ray", BOB, False)))
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [BOB])
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.FAIL


def test_queue_without_joined_members_is_not_applicable(org):
    _queue(org, members=())
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.NOT_APPLICABLE
    assert "QUE-003" in result.message


def test_voice_queue_needs_the_voice_permission(org):
    _queue(org, name="Phone Support", message=False, call=True)
    _queue(org, name="Web Support")
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN])
    plan = Plan(channels=("Webmessaging", "Voice"), queues=("Phone Support", "Web Support"))
    results = evaluate(org, "AUTHZ-002", plan)
    assert statuses(results) == {"Phone Support": Status.FAIL, "Web Support": Status.PASS}
    [phone] = [r for r in results if r.resource_name == "Phone Support"]
    assert "conversation:cobrowseVoice:add" in phone.message


def test_only_queues_in_scope_are_evaluated(org):
    _queue(org, name="Web Support")
    _queue(org, name="Voice Only", message=False, call=True)  # no message settings: out of the default scope
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN])
    assert statuses(evaluate(org, "AUTHZ-002")) == {"Web Support": Status.PASS}


def test_error_not_pass_when_subject_grants_were_not_collected(org):
    _queue(org)
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN])
    org.fail("role_subjectgrants")
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.ERROR
    assert "role_subjectgrants" in result.message
