"""`--format markdown`: a summary and a failures table to paste into a ticket or chat.

Cells are made printable (`table.clean`: newlines and control characters become spaces) and every
Markdown-active character is backslash-escaped, so an org string can neither break the table
(`|`) nor turn into a link, image, HTML tag or code span in the renderer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from auditor.reporters import readiness
from auditor.reporters.table import clean
from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.results import AuditReport

#: Rows in the failures table before "... and N more" (a chat message has a size limit).
MAX_ROWS = 500

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# markup in a table cell (emphasis, code, links, images, HTML, autolinks, the cell separator).
_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def cell(text: object, limit: int = 200) -> str:
    return _ACTIVE.sub(r"\\\1", clean("" if text is None else str(text), limit))


def _summary(report: AuditReport) -> list[str]:
    verdict = readiness.verdict(report)
    lines = [
        f"## gcaudit: {cell(report.org_name or report.org_id)}",
        "",
        f"- **Verdict:** {'✅' if verdict.ready else '❌'} {verdict.label}",
    ]
    lines += [f"  - {cell(reason, 400)}" for reason in verdict.reasons]
    lines += [
        f"- **Org id:** {cell(report.org_id)}" + (f", region {cell(report.region)}" if report.region else ""),
        f"- **Snapshot collected:** {cell(report.collected_at)}; gcaudit {cell(report.tool_version)}",
    ]
    if report.failed_datasets:
        names = ", ".join(cell(name) for name in sorted(report.failed_datasets))
        lines.append(f"- **Incomplete data:** not collected: {names}")
    by_status = report.counts_by_status()
    failures = report.failures_by_severity()
    lines += [
        "",
        "| Status | " + " | ".join(s.value for s in Status) + " |",
        "|---|" + "---:|" * len(Status),
        "| results | " + " | ".join(str(by_status[s.value]) for s in Status) + " |",
        "",
        "| FAIL by severity | " + " | ".join(s.value for s in Severity) + " |",
        "|---|" + "---:|" * len(Severity),
        "| count | " + " | ".join(str(failures[s.value]) for s in Severity) + " |",
    ]
    return lines


def _failures(report: AuditReport) -> list[str]:
    shown = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    if not shown:
        return ["", "No FAIL or ERROR results."]
    lines = [
        "",
        "### Failures",
        "",
        "| Severity | Rule | Status | Type | Resource | Message |",
        "|---|---|---|---|---|---|",
    ]
    for r in shown[:MAX_ROWS]:
        resource = cell(r.resource_name, 80)
        if r.resource_id and r.resource_id != r.resource_name:
            resource += f" ({cell(r.resource_id, 80)})"
        if r.location:
            resource += f" at `{cell(r.where, 200).replace('`', '')}`"
        lines.append(
            f"| {r.severity.value} | {cell(r.rule_id)} {cell(r.title, 120)} | {r.status.value} "
            f"| {cell(r.resource_type)} | {resource} | {cell(r.message, 300)} |"
        )
    if len(shown) > MAX_ROWS:
        lines += ["", f"… and {len(shown) - MAX_ROWS} more; see the HTML, CSV or JSON report for all of them."]
    return lines


def render(report: AuditReport, **_: Any) -> str:
    return "\n".join([*_summary(report), *_failures(report)]) + "\n"
