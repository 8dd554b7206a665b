"""An audited org whose names attack every output format (shared by the reporter tests)."""

from __future__ import annotations

from dataclasses import replace

from auditor.engine import run_audit
from auditor.inputs.plan import Plan
from auditor.results import AuditReport, Status
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

SCRIPT_QUEUE = "<script>alert(1)</script>"
BREAKOUT_QUEUE = "</script><script>alert(2)</script><!--"
ATTR_QUEUE = "\"><img src=x onerror=alert(3)>"
FORMULA_QUEUE = "=HYPERLINK(\"http://evil.example\",\"x\")"
PIPE_QUEUE = "a | b\nnew line `code` [x](javascript:alert(4))"
CONTROL_QUEUE = "ctrl\x00\x07\x1b[31m\ufffe\x7f end"
HOSTILE_QUEUES = (SCRIPT_QUEUE, BREAKOUT_QUEUE, ATTR_QUEUE, FORMULA_QUEUE, PIPE_QUEUE, CONTROL_QUEUE)
ORG_NAME = "Acme <b>Support</b> & \"Co\""


def hostile_report(*, fail_dataset: str | None = None) -> AuditReport:
    """Queues named to attack HTML, JSON-in-HTML, CSV, Markdown and XML; every one FAILs QUE-002
    (mandatory wrap-up, no codes), and one benign queue passes."""
    org = OrgBuilder(org_name=ORG_NAME)
    for name in HOSTILE_QUEUES:
        org.add_queue(f.queue(name, wrapup_prompt="MANDATORY"))
    org.add_queue(f.queue("Billing Web", wrapup_prompt="OPTIONAL"))
    # Collected like a real org: every queue took web messaging in the traffic window.
    org.conversation_aggregates = [f.traffic(q["id"], "message", 3, message_type="webmessaging") for q in org.queues]
    if fail_dataset:
        org.fail(fail_dataset)
    report = run_audit(org.snapshot(), Plan())
    # One waived FAIL, as a waiver file would leave it (waivers are applied after the engine).
    for i, r in enumerate(report.results):
        if r.rule_id == "QUE-003" and r.status is Status.FAIL:
            report.results[i] = replace(r, status=Status.WAIVED, original_status=Status.FAIL,
                                        waiver={"reason": "Pilot queue <until> Q3 | ok", "expires": "2027-01-31"})
            break
    return report
