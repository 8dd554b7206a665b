from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_mandatory_prompts_without_codes_fail_and_others_pass(org):
    code = f.wrapup_code("Resolved")
    org.add_queue(f.queue("Web Support", wrapup_prompt="MANDATORY_TIMEOUT", timeout_ms=30000))
    org.add_queue(f.queue("Billing Web", wrapup_prompt="MANDATORY"), codes=[code])
    org.add_queue(f.queue("Sales Chat", wrapup_prompt="OPTIONAL"))
    org.add_queue(f.queue("Returns", wrapup_prompt="SOME_FUTURE_VALUE"))  # unknown enum: tolerated
    got = statuses(evaluate(org, "QUE-002"))
    assert got == {
        "Web Support": Status.FAIL,
        "Billing Web": Status.PASS,
        "Sales Chat": Status.PASS,
        "Returns": Status.PASS,
    }
