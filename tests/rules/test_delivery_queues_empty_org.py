"""An org with nothing in it (every dataset collected, all empty) must give NOT_APPLICABLE, never
ERROR or a crash: empty frames are where pandas masks and groupbys go wrong."""

import pytest

from auditor.inputs.plan import Plan
from auditor.results import Status
from tests.rules.helpers import evaluate

RULES = ["COB-002", "COB-003", "COB-004", "COB-005", "COB-006", "COB-007",
         "QUE-003", "QUE-004", "WRP-001", "WRP-002"]


@pytest.mark.parametrize("rule_id", RULES)
def test_empty_org_is_not_applicable(org, rule_id):
    [result] = evaluate(org, rule_id)
    assert result.status is Status.NOT_APPLICABLE


@pytest.mark.parametrize(("rule_id", "expected"), [("COB-005", Status.FAIL), ("QUE-003", Status.NOT_APPLICABLE)])
def test_plan_naming_missing_objects_does_not_crash(org, rule_id, expected):
    # The unresolved references are PLAN-001's finding; here the site has no deployment to load
    # Messenger (a real failure) and QUE-003 has no queue to evaluate.
    plan = Plan(deployments=("Ghost Site",), queues=("Ghost Queue",), sites=("https://www.example.com/",))
    [result] = evaluate(org, rule_id, plan)
    assert result.status is expected
