"""Division-scoped role grants (issue 11, problem 2): a member holds the co-browse permission for a
queue only through a grant in the queue's division or in all divisions, directly or via a group."""

from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate

ANN, BOB, CAT = f.new_id("user:ann"), f.new_id("user:bob"), f.new_id("user:cat")
SALES, SUPPORT = f.division("Sales"), f.division("Support")
COBROWSE = f.role("Cobrowse", ["conversation:cobrowse:add"])
GROUP = f.new_id("group:cobrowse agents")


def _org(org, members=(("Ann Lee", ANN), ("Bob Ray", BOB))):
    org.divisions = [SALES, SUPPORT]
    org.add_queue(
        f.queue("Web Support", joined_member_count=len(members), division=SUPPORT),
        members=[f.queue_member(uid, who) for who, uid in members],
    )
    org.add_role(COBROWSE, [])
    return org


def test_a_role_granted_only_in_another_division_does_not_count(org):
    _org(org).grant(COBROWSE["id"], f.subject_grant(ANN, "Ann Lee", [SALES]))
    org.grant(COBROWSE["id"], f.subject_grant(BOB, "Bob Ray", [SALES]))
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.FAIL
    assert "'Ann Lee', 'Bob Ray' hold it only in another division than the queue's" in result.message


def test_a_grant_in_the_queue_division_or_in_all_divisions_counts(org):
    _org(org).grant(COBROWSE["id"], f.subject_grant(ANN, "Ann Lee", [SUPPORT]))
    org.grant(COBROWSE["id"], f.subject_grant(BOB, "Bob Ray", [f.ALL_DIVISIONS]))
    assert [r.status for r in evaluate(org, "AUTHZ-002")] == [Status.PASS]
    assert [r.status for r in evaluate(org, "AUTHZ-003")] == [Status.PASS]


def test_a_role_granted_to_a_group_counts_for_its_members(org):
    _org(org).grant(COBROWSE["id"], f.subject_grant(GROUP, "Co-browse agents", [SUPPORT], type="PC_GROUP"))
    org.group_individuals[GROUP] = [{"id": ANN, "name": "Ann Lee"}, {"id": BOB, "name": "Bob Ray"}]
    assert [r.status for r in evaluate(org, "AUTHZ-002")] == [Status.PASS]
    assert [r.status for r in evaluate(org, "AUTHZ-003")] == [Status.PASS]


def test_oauth_client_subjects_are_not_members(org):
    _org(org).grant(COBROWSE["id"], f.subject_grant(ANN, "Ann Lee", [SUPPORT], type="PC_OAUTH_CLIENT"))
    assert [r.status for r in evaluate(org, "AUTHZ-002")] == [Status.FAIL]


def test_authz_003_names_other_division_holders_apart(org):
    _org(org, members=(("Ann Lee", ANN), ("Bob Ray", BOB), ("Cat Ng", CAT)))
    org.grant(COBROWSE["id"], f.subject_grant(ANN, "Ann Lee", [SUPPORT]))
    org.grant(COBROWSE["id"], f.subject_grant(BOB, "Bob Ray", [SALES]))
    [result] = evaluate(org, "AUTHZ-003")
    assert result.status is Status.FAIL
    assert ("2 of 3 lack conversation:cobrowse:add (Webmessaging co-browse gets 403 for them): 'Bob Ray', 'Cat Ng'"
            in result.message)
    assert "('Bob Ray' hold it only in another division than the queue's)" in result.message


def test_a_policy_with_conditions_is_named_apart_and_not_counted(org):
    conditional = f.role("Conditional cobrowse", [])
    conditional["permissionPolicies"] = [
        f.policy("conversation:cobrowse:add", allowConditions=True,
                 resourceConditionNode={"variableName": "queue.id", "operator": "EQ", "operands": []}),
    ]
    _org(org).add_role(conditional, [])
    org.grant(conditional["id"], f.subject_grant(ANN, "Ann Lee", [SUPPORT]))
    [result] = evaluate(org, "AUTHZ-002")
    assert result.status is Status.FAIL
    assert "'Ann Lee' hold it only through a policy with conditions" in result.message
