from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

ANA = f.new_id("user:ana")
BEN = f.new_id("user:ben")


def test_queues_without_joined_members_fail(org):
    org.add_queue(f.queue("Web Support"), members=[f.queue_member(ANA, "Ana Silva")])
    org.add_queue(f.queue("Billing Web"), members=[f.queue_member(BEN, "Ben Okafor", joined=False)])
    org.add_queue(f.queue("Returns"))
    org.add_queue(f.queue("Group Staffed"), members=[f.queue_member(BEN, "Ben Okafor", member_by="group")])
    results = evaluate(org, "QUE-003")
    assert statuses(results) == {
        "Web Support": Status.PASS,
        "Billing Web": Status.FAIL,
        "Returns": Status.FAIL,
        "Group Staffed": Status.PASS,  # group members deliver interactions too
    }
    by_name = {r.resource_name: r for r in results}
    assert "none is joined" in by_name["Billing Web"].message
    assert "no members" in by_name["Returns"].message


def test_joined_member_count_on_the_queue_is_not_trusted_over_the_members_list(org):
    # joinedMemberCount can lag; the members endpoint is what routing uses.
    org.add_queue(f.queue("Web Support", joined_member_count=3),
                  members=[f.queue_member(ANA, "Ana Silva", joined=False)])
    [result] = evaluate(org, "QUE-003", Plan(queues=("Web Support",)))
    assert result.status is Status.FAIL


def test_error_when_members_were_not_collected(org):
    org.add_queue(f.queue("Web Support"))
    org.fail("queue_members")
    [result] = evaluate(org, "QUE-003")
    assert result.status is Status.ERROR
    assert "queue_members" in result.message
