from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_unknown_plan_objects_fail_known_ones_pass(org):
    org.add_queue(f.queue("Web Support"))
    org.deployments.append(f.deployment("Support Site", f.configuration("Support")))
    plan = Plan(deployments=("support site",), queues=("Web Support", "Billing Web"))
    got = statuses(evaluate(org, "PLAN-001", plan))
    assert got == {"support site": Status.PASS, "Web Support": Status.PASS, "Billing Web": Status.FAIL}


def test_not_applicable_without_a_plan(org):
    [result] = evaluate(org, "PLAN-001")
    assert result.status is Status.NOT_APPLICABLE


def test_an_unmatched_queue_on_a_partial_listing_is_not_visible_not_missing(org):
    # Issue 11, problem 1: a queue in a division the auditing client cannot see is no 404.
    org.add_queue(f.queue("Web Support"))
    org.partial("queues", [f.division("Sales EMEA")])
    results = evaluate(org, "PLAN-001", Plan(queues=("Web Support", "Sales Web")))
    by_name = {r.resource_name: r for r in results}
    assert by_name["Web Support"].status is Status.PASS
    hidden = by_name["Sales Web"]
    assert hidden.status is Status.ERROR
    assert "not visible to the auditing client (division 'Sales EMEA')" in hidden.message
    assert "404" not in hidden.message
