from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_assigned_codes_missing_from_the_org_fail(org):
    resolved = f.wrapup_code("Resolved")
    deleted = f.wrapup_code("Cobrowse Done")
    org.wrapupcodes.append(resolved)
    org.add_queue(f.queue("Web Support"), codes=[resolved, deleted])
    org.add_queue(f.queue("Billing Web"), codes=[resolved])
    org.add_queue(f.queue("Returns"))
    results = evaluate(org, "WRP-001")
    assert statuses(results) == {"Web Support": Status.FAIL, "Billing Web": Status.PASS, "Returns": Status.PASS}
    failing = next(r for r in results if r.status is Status.FAIL)
    assert "'Cobrowse Done'" in failing.message and "'Resolved'" not in failing.message


def test_a_recreated_code_with_the_same_name_is_pointed_out(org):
    org.wrapupcodes.append(f.wrapup_code("Resolved", id=f.new_id("wrapup:new")))
    org.add_queue(f.queue("Web Support"), codes=[f.wrapup_code("Resolved", id=f.new_id("wrapup:old"))])
    [result] = evaluate(org, "WRP-001")
    assert result.status is Status.FAIL
    assert "exists under another id" in result.message


def test_error_when_org_codes_were_not_collected(org):
    org.add_queue(f.queue("Web Support"), codes=[f.wrapup_code("Resolved")])
    org.fail("wrapupcodes")
    [result] = evaluate(org, "WRP-001")
    assert result.status is Status.ERROR
