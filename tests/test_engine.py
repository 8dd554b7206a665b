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
    from auditor.inputs.plan import Plan

    org.fail("queues")
    needing = {r.id for r in catalog() if "queues" in r.datasets}
    # A plan listing every element, so the plan rules apply too.
    plan = Plan(deployments=("D",), queues=("Q",), sites=("https://s.example.com",), integration_clients=("C",))
    report = run_audit(org.snapshot(), plan, rules=[r for r in catalog() if r.id in needing])
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


# --- two lenses (issue 12) and partial data (issue 11) ---

def _lens_org():
    from auditor.testing.builder import OrgBuilder

    org = OrgBuilder()
    cobrowse = f.configuration("Support", cobrowse_settings=f.cobrowse())
    org.deployments += [
        f.deployment("Support Site", cobrowse, status="Inactive"),
        f.deployment("Old Campaign", f.configuration("Campaign", cobrowse_settings=f.cobrowse()), status="Inactive"),
    ]
    ghost = f.wrapup_code("Ghost")
    org.wrapupcodes.append(f.wrapup_code("Resolved"))
    org.add_queue(f.queue("Web Support", call=True))
    org.add_queue(f.queue("Billing Voice", message=False, call=True, wrapup_prompt="MANDATORY_TIMEOUT"),
                  codes=[ghost])
    return org


def test_hygiene_lens_reports_problems_outside_the_plan_and_only_plan_ones_block():
    # Issue 12, problem 1: with a plan, a timed wrap-up prompt without timeout and a dangling
    # wrap-up code on a non-plan (voice) queue, and an Inactive co-browse deployment outside the
    # plan, are reported; they are hygiene, not blockers.
    from auditor.inputs.plan import Plan

    report = run_audit(_lens_org().snapshot(), Plan(deployments=("Support Site",), queues=("Web Support",)))
    by_key = {(r.rule_id, r.resource_name): r for r in report.results}
    for key in (("QUE-004", "Billing Voice"), ("WRP-001", "Billing Voice"), ("COB-003", "Old Campaign")):
        assert by_key[key].status is Status.FAIL, key
        assert not by_key[key].blocks_cobrowse, key
    assert by_key[("COB-003", "Support Site")].status is Status.FAIL
    assert by_key[("COB-003", "Support Site")].blocks_cobrowse
    assert by_key[("QUE-002", "Billing Voice")].blocks_cobrowse is False  # chain rule, resource outside the scope
    assert by_key[("QUE-002", "Web Support")].blocks_cobrowse is True


def test_blocks_cobrowse_is_in_the_json_and_only_for_chain_rules():
    from auditor.inputs.plan import Plan
    from auditor.rules import get

    org = _lens_org()
    org.oauth_clients.append(f.oauth_client("Legacy", "PASSWORD"))
    report = run_audit(org.snapshot(), Plan(deployments=("Support Site",), queues=("Web Support",)))
    data = {(r["rule_id"], r["resource_name"]): r for r in report.to_dict()["results"]}
    assert data[("COB-003", "Support Site")]["blocks_cobrowse"] is True
    assert data[("OAUTH-003", "Legacy")]["blocks_cobrowse"] is False  # hygiene rule: never a blocker
    assert get("OAUTH-003").chain_link is None and get("COB-003").chain_link == "deployment"
    assert get("COB-003").metadata()["chain_link"] == "deployment"


def test_the_readiness_verdict_reads_only_blockers():
    from auditor.inputs.plan import Plan
    from auditor.reporters.readiness import verdict

    org = _lens_org()
    org.deployments[0]["status"] = "Active"  # the plan deployment is fine now
    report = run_audit(org.snapshot(), Plan(deployments=("Support Site",), queues=("Web Support",)))
    reasons = " ".join(verdict(report).reasons)
    assert "COB-003" not in reasons  # only 'Old Campaign' (outside the plan) fails COB-003
    assert any(r.rule_id == "COB-003" and r.status is Status.FAIL for r in report.results)


def test_a_partial_dataset_gives_an_error_per_invisible_division_never_only_pass():
    # Issue 11, problem 1: rules reading a partial dataset cannot PASS for what they could not see.
    org = OrgBuilder()
    org.add_queue(f.queue("Web Support", wrapup_prompt="MANDATORY"), codes=[f.wrapup_code("Resolved")])
    org.wrapupcodes.append(f.wrapup_code("Resolved"))
    hidden = [f.division("Sales EMEA"), f.division("Sales APAC")]
    org.partial("queues", hidden).partial("wrapupcodes", hidden)
    report = run_audit(org.snapshot())
    for rule_id in ("QUE-002", "QUE-004", "WRP-001", "WRP-002", "AUTHZ-002", "AUTHZ-003"):
        errors = {r.resource_name for r in report.results if r.rule_id == rule_id and r.status is Status.ERROR}
        assert errors == {"Sales EMEA", "Sales APAC"}, rule_id
    que = [r for r in report.results if r.rule_id == "QUE-002"]
    assert {r.status for r in que} == {Status.PASS, Status.ERROR}
    assert "not visible to the auditing client" in next(r.message for r in que if r.status is Status.ERROR)
    # Rules that read no divisioned data are not touched.
    assert not [r for r in report.results if r.rule_id == "OAUTH-003" and r.status is Status.ERROR]


def test_a_plan_rule_without_its_plan_element_is_not_applicable_even_with_data_missing(org):
    from auditor.rules import get

    org.fail("conversation_aggregates")  # QUE-005 reads it, but only for plan queues
    [result] = run_audit(org.snapshot(), rules=[get("QUE-005")]).results
    assert result.status is Status.NOT_APPLICABLE
