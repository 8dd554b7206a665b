from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate

ANN, BOB = f.new_id("user:ann"), f.new_id("user:bob")


def _queue(org, members):
    org.add_queue(
        f.queue("Web Support", joined_member_count=len(members)),
        members=[f.queue_member(uid, name) for name, uid in members],
    )


def test_fails_and_lists_the_members_without_the_permission(org):
    _queue(org, [("Ann Lee", ANN), ("Bob Ray", BOB)])
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN])
    [result] = evaluate(org, "AUTHZ-003")
    assert result.status is Status.FAIL
    assert ("1 of 2 lack conversation:cobrowse:add (Webmessaging co-browse gets 403 for them): 'Bob Ray'"
            in result.message)
    assert "Ann Lee" not in result.message


def test_passes_when_every_joined_member_holds_it(org):
    _queue(org, [("Ann Lee", ANN), ("Bob Ray", BOB)])
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN, BOB])
    [result] = evaluate(org, "AUTHZ-003")
    assert result.status is Status.PASS


def test_nobody_holding_it_is_left_to_authz_002(org):
    _queue(org, [("Ann Lee", ANN)])
    [result] = evaluate(org, "AUTHZ-003")
    assert result.status is Status.NOT_APPLICABLE
    assert "AUTHZ-002" in result.message


def test_long_member_lists_are_bounded(org):
    members = [(f"Agent {i:02d}", f.new_id(f"user:agent{i}")) for i in range(16)]
    _queue(org, members)
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [members[0][1]])
    [result] = evaluate(org, "AUTHZ-003")
    assert result.status is Status.FAIL
    assert "15 of 16 lack" in result.message
    assert "'Agent 10' and 5 more" in result.message
    assert "Agent 11" not in result.message


def test_error_not_pass_when_queue_members_were_not_collected(org):
    _queue(org, [("Ann Lee", ANN)])
    org.fail("queue_members")
    [result] = evaluate(org, "AUTHZ-003")
    assert result.status is Status.ERROR
