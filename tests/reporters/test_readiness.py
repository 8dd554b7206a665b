from __future__ import annotations

from dataclasses import replace

from auditor.reporters.readiness import chain, link_of, verdict
from auditor.results import AuditReport, Result, Severity, Status


def _result(rule_id: str, status: Status, severity: Severity = Severity.HIGH, category: str = "",
            resource_type: str = "queue", resource_id: str = "q1", blocks: bool = True) -> Result:
    return Result(blocks_cobrowse=blocks,
                  rule_id=rule_id, title=rule_id, severity=severity, status=status, resource_type=resource_type,
                  resource_id=resource_id, resource_name=resource_id, message="m", remediation="r",
                  fingerprint=rule_id + resource_id, category=category)


def _report(*results: Result, failed: tuple[str, ...] = ()) -> AuditReport:
    datasets = {name: {"status": "error"} for name in failed}
    datasets["queues"] = {"status": "ok"}
    return AuditReport(org_id="o", org_name="Org", region="eu-west-1", collected_at="t", tool_version="0",
                       snapshot_path=None, plan_path=None, datasets=datasets, results=list(results))


def test_rules_map_to_their_chain_link() -> None:
    assert link_of(_result("COB-001", Status.FAIL, resource_type="organization")) == "deployment"
    assert link_of(_result("COB-002", Status.FAIL, resource_type="messenger_configuration")) == "configuration"
    assert link_of(_result("COB-009", Status.FAIL, resource_type="messenger_configuration")) == "configuration"
    assert link_of(_result("QUE-002", Status.FAIL)) == "queue"
    assert link_of(_result("WRP-001", Status.FAIL)) == "queue"
    assert link_of(_result("QUE-003", Status.FAIL)) == "members"
    assert link_of(_result("AUTHZ-003", Status.FAIL)) == "members"
    assert link_of(_result("AUTHZ-001", Status.FAIL)) == "permissions"
    assert link_of(_result("OAUTH-001", Status.FAIL)) == "client"
    assert link_of(_result("PLAN-001", Status.FAIL, resource_id="queue:Gift Cards")) == "queue"
    assert link_of(_result("PLAN-001", Status.FAIL, resource_id="integration_client:X")) == "client"
    assert link_of(_result("XYZ-001", Status.FAIL, category="custom")) is None


def test_high_fail_blocks_its_link_and_the_verdict() -> None:
    report = _report(_result("QUE-002", Status.FAIL), _result("COB-001", Status.PASS, resource_type="organization"))
    links = {link.key: link for link in chain(report)}
    assert links["queue"].state == "fail" and links["queue"].failing_rules == ["QUE-002"]
    assert links["deployment"].state == "ok"
    assert links["client"].state == "none"
    result = verdict(report)
    assert not result.ready
    assert any("QUE-002" in reason for reason in result.reasons)


def test_low_fail_warns_but_stays_ready() -> None:
    report = _report(_result("QUE-004", Status.FAIL, Severity.LOW), _result("QUE-002", Status.PASS))
    assert {link.key: link.state for link in chain(report)}["queue"] == "warn"
    assert verdict(report).ready


def test_error_or_failed_dataset_means_not_ready() -> None:
    error = _report(_result("AUTHZ-002", Status.ERROR))
    assert {link.key: link.state for link in chain(error)}["members"] == "unknown"
    assert not verdict(error).ready
    missing = _report(_result("QUE-002", Status.PASS), failed=("role_subjectgrants",))
    assert not verdict(missing).ready
    assert any("role_subjectgrants" in reason for reason in verdict(missing).reasons)


def test_waived_fail_does_not_block() -> None:
    waived = replace(_result("QUE-002", Status.WAIVED), original_status=Status.FAIL)
    assert verdict(_report(waived)).ready


def test_org_wide_oauth_hygiene_is_a_finding_not_a_co_browse_blocker() -> None:
    hygiene = _result("OAUTH-003", Status.FAIL, category="oauth", resource_type="oauth_client")
    assert link_of(hygiene) is None
    assert link_of(_result("OAUTH-011", Status.FAIL, category="oauth")) == "client"
    assert verdict(_report(hygiene, _result("COB-001", Status.PASS, resource_type="organization"))).ready


def test_only_results_marked_blocks_cobrowse_block_the_verdict() -> None:
    """The engine's lens decides (contract: `Result.blocks_cobrowse`): the same high FAIL on a queue
    outside the co-browse scope is hygiene and leaves the verdict READY."""
    outside = _result("QUE-002", Status.FAIL, blocks=False)
    assert verdict(_report(outside)).ready
    assert {link.key: link for link in chain(_report(outside))}["queue"].state == "warn"
    assert not verdict(_report(_result("QUE-002", Status.FAIL))).ready
