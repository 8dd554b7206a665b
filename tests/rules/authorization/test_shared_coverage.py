"""AUTHZ-002 and AUTHZ-003 read one per-audit permission coverage instead of computing it twice."""

from auditor.analysis import queue_coverage
from auditor.engine import run_audit
from auditor.results import Status
from auditor.rules import get
from auditor.testing import factories as f

ANN, BOB = f.new_id("user:ann"), f.new_id("user:bob")


def test_coverage_is_computed_once_and_both_rules_use_it(org, monkeypatch):
    org.add_queue(f.queue("Web Support", joined_member_count=2),
                  members=[f.queue_member(ANN, "Ann Lee"), f.queue_member(BOB, "Bob Ray")])
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN])
    calls = []
    real = queue_coverage._coverage

    def counting(ctx):
        calls.append(ctx)
        return real(ctx)

    monkeypatch.setattr(queue_coverage, "_coverage", counting)
    results = run_audit(org.snapshot(), rules=[get("AUTHZ-002"), get("AUTHZ-003")]).results
    assert len(calls) == 1
    by_rule = {r.rule_id: r for r in results}
    assert by_rule["AUTHZ-002"].status is Status.PASS  # Ann holds it
    assert by_rule["AUTHZ-003"].status is Status.FAIL  # Bob does not
    assert "'Bob Ray'" in by_rule["AUTHZ-003"].message


def test_each_audit_computes_its_own_coverage(org):
    org.add_queue(f.queue("Web Support", joined_member_count=1), members=[f.queue_member(ANN, "Ann Lee")])
    [before] = run_audit(org.snapshot(), rules=[get("AUTHZ-002")]).results
    org.add_role(f.role("Cobrowse", ["conversation:cobrowse:add"]), [ANN])
    [after] = run_audit(org.snapshot(), rules=[get("AUTHZ-002")]).results
    assert (before.status, after.status) == (Status.FAIL, Status.PASS)
