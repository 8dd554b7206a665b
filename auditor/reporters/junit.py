"""`--format junit`: JUnit XML for CI test reports (Jenkins, GitLab, Azure DevOps).

One <testsuite> per rule category, one <testcase> per (rule, resource): FAIL -> <failure> with the
message and the remediation, ERROR -> <error>, NOT_APPLICABLE and WAIVED -> <skipped>, PASS -> an
empty testcase. Suite and root attributes carry the counts. Text is made printable with
`table.clean`, which also removes every character XML 1.0 forbids (controls, lone surrogates,
U+FFFE/U+FFFF); ElementTree escapes the rest.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import TYPE_CHECKING, Any

from auditor.reporters.table import clean
from auditor.results import Status

if TYPE_CHECKING:
    from auditor.results import AuditReport, Result

_LIMIT = 4000


def _x(value: object, limit: int = _LIMIT) -> str:
    return clean("" if value is None else str(value), limit)


def _counts(results: list[Result]) -> dict[str, str]:
    counts = Counter(r.status for r in results)
    return {
        "tests": str(len(results)),
        "failures": str(counts[Status.FAIL]),
        "errors": str(counts[Status.ERROR]),
        "skipped": str(counts[Status.NOT_APPLICABLE] + counts[Status.WAIVED]),
        "time": "0",
    }


def _testcase(parent: ET.Element, result: Result) -> None:
    category = result.category or "uncategorized"
    name = f"{result.rule_id} {result.resource_type} {result.resource_name}"
    if result.resource_id and result.resource_id != result.resource_name:
        name += f" [{result.resource_id}]"
    if result.location:
        # JUnit has no file/line per case everywhere: the Terraform address names the resource.
        name += f" ({result.location.get('address', '')} {result.where})"
    case = ET.SubElement(parent, "testcase", {
        "classname": _x(f"gcaudit.{category}.{result.rule_id}", 200),
        "name": _x(name, 500),
        "time": "0",
    })
    message = _x(result.message)
    if result.status is Status.FAIL:
        failure = ET.SubElement(case, "failure", {"message": message, "type": result.severity.value})
        failure.text = "\n".join([
            f"{result.rule_id} [{result.severity.value}] {_x(result.title, 300)}",
            message,
            f"Remediation: {_x(result.remediation)}",
            f"Fingerprint: {result.fingerprint}",
        ])
    elif result.status is Status.ERROR:
        error = ET.SubElement(case, "error", {"message": message, "type": "ERROR"})
        error.text = f"{result.rule_id}: {message}"
    elif result.status in (Status.NOT_APPLICABLE, Status.WAIVED):
        reason = message
        if result.status is Status.WAIVED and result.waiver:
            reason = f"WAIVED: {_x(result.waiver.get('reason', ''), 500)} ({message})"
        ET.SubElement(case, "skipped", {"message": reason})


def _readiness(root: ET.Element, report: AuditReport) -> None:
    """First suite: one testcase, the co-browse verdict (failure when NOT READY, error when INCOMPLETE),
    with the answer's counts as properties, so a CI page shows the answer before the per-rule cases."""
    answer = report.answer
    failed, errored = answer.verdict.value == "not_ready", answer.verdict.value == "incomplete"
    suite = ET.SubElement(root, "testsuite", {
        "name": "gcaudit.cobrowse-readiness", "tests": "1", "failures": str(int(failed)),
        "errors": str(int(errored)), "skipped": "0", "time": "0", "timestamp": _x(report.collected_at, 60),
    })
    properties = ET.SubElement(suite, "properties")
    for key, value in (("verdict", answer.verdict.value), ("blockers", len(answer.blockers)),
                       ("actions", len(answer.actions)), ("other_findings", answer.also_count),
                       ("not_checked", len(answer.unchecked))):
        ET.SubElement(properties, "property", {"name": key, "value": str(value)})
    case = ET.SubElement(suite, "testcase", {"classname": "gcaudit.cobrowse-readiness",
                                             "name": "co-browse readiness", "time": "0"})
    line = _x(answer.verdict_line(), 1000)
    if failed or errored:
        element = ET.SubElement(case, "failure" if failed else "error", {"message": line, "type": answer.verdict.value})
        element.text = "\n".join([line, *(_x(f"{n}. {a.text} [{', '.join(a.rule_ids)}]", 1000)
                                          for n, a in enumerate(answer.actions, 1)),
                                  *(_x(d.text, 600) for d in answer.partial)])


def render(report: AuditReport, **_: Any) -> str:
    counts = _counts(report.results)
    verdict = report.answer.verdict.value
    counts["tests"] = str(int(counts["tests"]) + 1)  # the readiness testcase
    counts["failures"] = str(int(counts["failures"]) + (verdict == "not_ready"))
    counts["errors"] = str(int(counts["errors"]) + (verdict == "incomplete"))
    root = ET.Element("testsuites", {"name": "gcaudit", **counts})
    _readiness(root, report)
    by_category: dict[str, list[Result]] = {}
    for result in report.results:
        by_category.setdefault(result.category or "uncategorized", []).append(result)
    for category in sorted(by_category):
        results = by_category[category]
        suite = ET.SubElement(root, "testsuite", {
            "name": _x(f"gcaudit.{category}", 200),
            **_counts(results),
            "timestamp": _x(report.collected_at, 60),
        })
        properties = ET.SubElement(suite, "properties")
        for key, value in (("org_id", report.org_id), ("org_name", report.org_name),
                           ("region", report.region or ""), ("tool_version", report.tool_version),
                           ("complete", str(report.complete).lower())):
            ET.SubElement(properties, "property", {"name": key, "value": _x(value, 300)})
        for result in results:
            _testcase(suite, result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
