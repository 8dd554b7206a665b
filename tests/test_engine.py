from __future__ import annotations

from auditor.engine import run_audit
from auditor.results import Severity, Status, fingerprint
from auditor.rules import catalog, rule
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder


def test_a_crashing_rule_reports_error_and_others_still_run(org):
    @rule(
        id="TST-001",
        title="boom",
        severity="high",
        resource_type="queue",
        rationale="r",
        remediation="m",
        datasets=("queues",),
    )
    def boom(ctx):
        raise ValueError("bad data")
        yield

    report = run_audit(org.snapshot(), rules=[boom, *catalog()])
    [crashed] = [r for r in report.results if r.rule_id == "TST-001"]
    assert crashed.status is Status.ERROR
    assert "ValueError: bad data" in crashed.message
    assert any(r.rule_id == "COB-001" for r in report.results)


def test_missing_dataset_is_error_for_every_rule_that_needs_it_never_pass(org):
    org.fail("queues")
    needing = {r.id for r in catalog() if "queues" in r.datasets}
    report = run_audit(org.snapshot(), rules=[r for r in catalog() if r.id in needing])
    got = {r.rule_id: r.status for r in report.results if r.rule_id in needing}
    assert needing and set(got) == needing
    assert set(got.values()) == {Status.ERROR}
    assert report.exit_status(Severity.CRITICAL) == 3
    assert not report.complete


def test_fingerprints_are_deterministic_and_unique_per_rule(org):
    org.add_queue(f.queue("A", wrapup_prompt="MANDATORY"))
    org.add_queue(f.queue("B", wrapup_prompt="MANDATORY"))
    first = run_audit(org.snapshot()).results
    second = run_audit(org.snapshot()).results
    assert [r.fingerprint for r in first] == [r.fingerprint for r in second]
    pairs = [(r.rule_id, r.resource_id) for r in first]
    assert len(pairs) == len(set(pairs))
    que = next(r for r in first if r.rule_id == "QUE-002" and r.resource_name == "A")
    assert que.fingerprint == fingerprint("QUE-002", org.org_id, que.resource_id)


def test_exit_status_thresholds():
    org = OrgBuilder()
    org.add_queue(f.queue("A", wrapup_prompt="MANDATORY"))  # QUE-002 high FAIL
    report = run_audit(org.snapshot(), rules=[r for r in catalog() if r.id == "QUE-002"])
    assert report.exit_status(Severity.HIGH) == 1
    assert report.exit_status(Severity.CRITICAL) == 0


def test_results_are_sorted_most_severe_first(org):
    org.add_queue(f.queue("A", wrapup_prompt="MANDATORY"))
    ranks = [r.severity.rank for r in run_audit(org.snapshot()).results]
    assert ranks == sorted(ranks)


def test_no_rule_crashes_on_an_empty_org_with_any_one_dataset_missing():
    from auditor.snapshot import DATASETS

    for missing in [None, *(d.name for d in DATASETS)]:
        org = OrgBuilder()
        if missing:
            org.fail(missing)
        crashed = [r for r in run_audit(org.snapshot()).results if r.message.startswith("Rule failed")]
        assert not crashed, (missing, crashed[0].message)
