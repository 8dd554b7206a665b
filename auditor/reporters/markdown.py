"""`--format markdown`: a summary and a failures table to paste into a ticket or chat.

Cells go through `auditor.safety.sanitise.markdown`: made printable (newlines and control characters
become spaces) and every Markdown-active character is backslash-escaped, so an org string can
neither break the table (`|`) nor turn into a link, image, HTML tag or code span in the renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.reporters import fixfirst, readiness, scope_view
from auditor.reporters.words import finding_title, resource_word
from auditor.results import Severity, Status
from auditor.safety import sanitise

if TYPE_CHECKING:
    from auditor.results import AuditReport

#: Rows in the failures table before "... and N more" (a chat message has a size limit).
MAX_ROWS = 500

def cell(text: object, limit: int = 200) -> str:
    return sanitise.markdown(text, limit)


def _summary(report: AuditReport) -> list[str]:
    verdict = readiness.verdict(report)
    lines = [
        f"## gcaudit: {cell(report.org_name or report.org_id)}",
        "",
        f"- **Verdict:** {'✅' if verdict.ready else '❌'} {verdict.label}: {cell(report.answer.counts_line(), 400)}",
    ]
    lines += [f"  - {cell(reason, 400)}" for reason in verdict.reasons]
    lines += [
        f"- **Org id:** {cell(report.org_id)}" + (f", region {cell(report.region)}" if report.region else ""),
        f"- **Snapshot collected:** {cell(report.collected_at)}; gcaudit {cell(report.tool_version)}",
    ]
    lines += [f"- **Partial data:** {cell(d.text, 400)}" for d in report.answer.partial]
    if report.missing_datasets:
        names = ", ".join(cell(name) for name in sorted(report.missing_datasets))
        lines.append(f"- **Incomplete data:** not collected: {names}")
    return lines


def _counts(report: AuditReport) -> list[str]:
    by_status = report.counts_by_status()
    failures = report.failures_by_severity()
    return [
        "",
        "| Status | " + " | ".join(s.value for s in Status) + " |",
        "|---|" + "---:|" * len(Status),
        "| results | " + " | ".join(str(by_status[s.value]) for s in Status) + " |",
        "",
        "| FAIL by severity | " + " | ".join(s.value for s in Severity) + " |",
        "|---|" + "---:|" * len(Severity),
        "| count | " + " | ".join(str(failures[s.value]) for s in Severity) + " |",
    ]


def _failures(report: AuditReport) -> list[str]:
    shown = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    if not shown:
        return ["", "No FAIL or ERROR results."]
    lines = [
        "",
        "### All failures",
        "",
        "| Severity | Rule | Status | Type | Resource | Message |",
        "|---|---|---|---|---|---|",
    ]
    for r in shown[:MAX_ROWS]:
        resource = cell(r.resource_name, 80)
        if r.resource_id and r.resource_id != r.resource_name:
            resource += f" ({cell(r.resource_id, 80)})"
        if r.location:
            resource += f" at {sanitise.markdown_code(r.where, 200)}"
        lines.append(
            f"| {r.severity.value} | {cell(r.rule_id)} {cell(finding_title(r), 120)} | {r.status.value} "
            f"| {cell(resource_word(r.resource_type))} | {resource} | {cell(r.message, 300)} |"
        )
    if len(shown) > MAX_ROWS:
        lines += ["", f"… and {len(shown) - MAX_ROWS} more; see the HTML, CSV or JSON report for all of them."]
    return lines


def _fix_first(report: AuditReport) -> list[str]:
    """The answer's actions as a numbered list (each with the rules it resolves and what it waits for),
    then "Also in this org" grouped by kind of object (inside <details> where the renderer supports it:
    GitHub, GitLab and most chat tools do)."""
    ff = fixfirst.build(report)
    answer = ff.answer
    lines = ["", f"**{cell(answer.verdict_line(), 400)}**"]
    if answer.actions:
        number = {a.id: n for n, a in enumerate(answer.actions, 1)}
        lines += ["", f"### Fix first: {cell(answer.counts_line().split(';')[0])}", ""]
        for n, act in enumerate(answer.actions, 1):
            after = f", after {', '.join(str(number[d]) for d in act.depends_on)}" if act.depends_on else ""
            lines.append(f"{n}. {cell(act.text, 600)} ({', '.join(cell(r) for r in act.rule_ids)}{after})")
    if ff.unchecked:
        lines += ["", "### Not checked (data missing)", ""]
        lines += [f"- {cell(item.action, 300)}" for item in ff.unchecked]
    if ff.also:
        lines += ["", f"### Also in this org ({ff.also_count})"]
        for group in ff.also:
            lines += ["", f"<details><summary>{cell(group.label)} ({len(group.items)})</summary>", ""]
            lines += [f"- {cell(item.action, 300)} ({cell(item.rule_id)}, {item.severity})" for item in group.items]
            lines += ["", "</details>"]
    return lines


def render(report: AuditReport, **_: Any) -> str:
    return "\n".join([*_summary(report), *_scope(report), *_fix_first(report), *_counts(report),
                      *_failures(report)]) + "\n"


def _scope(report: AuditReport) -> list[str]:
    """Where the co-browse queues came from and, per queue, its traffic in the window."""
    view = scope_view.describe(report)
    if view is None:
        return []
    lines = ["", f"**{cell(view.headline, 300)}**"]
    if view.fallback:
        lines.append(f"(why: {cell(view.fallback, 300)})")
    if view.queues and view.has_traffic:
        lines += ["", "| Queue | Web messaging | Voice | Co-browse sessions |", "|---|---:|---:|---:|"]
        lines += [f"| {cell(q.name, 120)}{'' if q.visible else ' (not visible)'} | {q.webmessaging} | {q.voice} "
                  f"| {q.cobrowse_sessions} |" for q in view.queues[:scope_view.SHOWN]]
    elif view.queues:
        lines += ["", ", ".join(cell(q.name, 120) for q in view.queues[:scope_view.SHOWN])]
    if len(view.queues) > scope_view.SHOWN:
        lines.append(f"\n… and {len(view.queues) - scope_view.SHOWN} more (JSON report: `scope.queues`)")
    return lines
