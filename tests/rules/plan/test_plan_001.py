from auditor.plan import Plan
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
