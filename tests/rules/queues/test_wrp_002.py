from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate


def by_id(results):
    return {r.resource_id: r for r in results}


def test_names_colliding_on_case_and_whitespace_fail_per_code(org):
    a = f.wrapup_code("Resolved", id=f.new_id("wrapup:a"))
    b = f.wrapup_code("resolved ", id=f.new_id("wrapup:b"))
    c = f.wrapup_code("  RESOLVED", id=f.new_id("wrapup:c"))
    d = f.wrapup_code("Call  Back", id=f.new_id("wrapup:d"))
    e = f.wrapup_code("call back", id=f.new_id("wrapup:e"))
    unique = f.wrapup_code("Escalated to co-browse")
    org.wrapupcodes.extend([a, b, c, d, e, unique])
    results = by_id(evaluate(org, "WRP-002"))
    assert {i: r.status for i, r in results.items()} == {
        a["id"]: Status.FAIL, b["id"]: Status.FAIL, c["id"]: Status.FAIL,
        d["id"]: Status.FAIL, e["id"]: Status.FAIL, unique["id"]: Status.PASS,
    }
    assert "'resolved '" in results[a["id"]].message and "'  RESOLVED'" in results[a["id"]].message
    assert "Call" not in results[a["id"]].message  # only its own group is named
    assert len({r.fingerprint for r in results.values()}) == len(results)


def test_unique_names_pass_and_a_repeated_entity_does_not_collide_with_itself(org):
    code = f.wrapup_code("Resolved")
    org.wrapupcodes.extend([code, dict(code), f.wrapup_code("Resolved - Follow up")])
    results = evaluate(org, "WRP-002")
    assert [r.status for r in results] == [Status.PASS, Status.PASS]


def test_error_when_org_codes_were_not_collected(org):
    org.fail("wrapupcodes")
    [result] = evaluate(org, "WRP-002")
    assert result.status is Status.ERROR
