"""`--format table`: the terminal report. Wraps to the terminal at word boundaries (never inside a
token) and ends with the fix-first list and a one-line verdict with the counts."""

from __future__ import annotations

import shutil
import textwrap
from itertools import groupby
from typing import TYPE_CHECKING, Any

from auditor.reporters import fixfirst, scope_view
from auditor.reporters.fixfirst import LINK_LABELS, FixFirst
from auditor.reporters.words import finding_title, resource_word
from auditor.results import Result, Severity, Status
from auditor.safety.sanitise import printable

if TYPE_CHECKING:
    from auditor.results import AuditReport

_COLORS = {
    Severity.CRITICAL: "\033[1;31m",
    Severity.HIGH: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[37m",
}
_RESET = "\033[0m"
_MAX_CELL = 160


def clean(text: str, limit: int = _MAX_CELL) -> str:
    """Org strings are hostile input: `auditor.safety.sanitise.printable` (no control, bidi or format
    character can move the cursor or break the table; bounded length)."""
    return printable(text, limit)


def dataset_reason(info: dict[str, Any]) -> str:
    """`HTTP 403 missing.permissions` from a manifest dataset entry."""
    parts = [f"HTTP {info['http_status']}" if info.get("http_status") else "", info.get("error_code") or ""]
    return " ".join(p for p in parts if p) or str(info.get("message") or "not collected")


def _paint(text: str, severity: Severity, color: bool) -> str:
    return f"{_COLORS[severity]}{text}{_RESET}" if color else text


def _header(report: AuditReport) -> list[str]:
    org = clean(report.org_name or report.org_id)
    lines = [
        f"gcaudit {report.tool_version} - org {org} ({clean(report.org_id)})"
        f"{', region ' + clean(report.region) if report.region else ''}",
        f"snapshot collected {clean(report.collected_at)}"
        + (f", plan {clean(report.plan_path)}" if report.plan_path else ""),
    ]
    if report.failed_datasets:
        failed = ", ".join(f"{name} ({dataset_reason(info)})" for name, info in sorted(report.failed_datasets.items()))
        lines.append(f"INCOMPLETE DATA: not collected: {clean(failed, 400)}")
    judged, total = report.rules_judged()
    if judged < total:
        lines.append(f"judged {judged} of {total} rules; the others could not be evaluated (ERROR)")
    return lines


def terminal_width(width: int | None = None) -> int:
    """The width to wrap to: the caller's, else the terminal's (COLUMNS wins), kept between 40 and 200."""
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns
    return max(40, min(200, width))


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Wrap at spaces only: a token (a permission string, a URL, an id) is never split; one longer
    than the line goes unbroken on a line of its own."""
    return textwrap.wrap(
        text, width=width, initial_indent=indent if first is None else first, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    ) or [(indent if first is None else first).rstrip()]


def _scope(report: AuditReport, width: int) -> list[str]:
    """Where the co-browse queues came from and, per queue, its traffic in the window."""
    view = scope_view.describe(report)
    if view is None:
        return []
    out = ["", *wrap(clean(view.headline, 300), width, "    ", first="")]
    if view.fallback:
        out += wrap("why: " + clean(view.fallback, 300), width, "    ", first="  ")
    for queue in view.queues[:scope_view.SHOWN]:
        hidden = "" if queue.visible else " (not visible to the auditing client)"
        out += wrap(f"{clean(queue.name, 120)}{hidden}: {queue.traffic_text()}", width, "      ", first="  - ")
    if len(view.queues) > scope_view.SHOWN:
        out.append(f"  ... and {len(view.queues) - scope_view.SHOWN} more (JSON report: scope.queues)")
    return out


def _details(report: AuditReport, width: int, color: bool, verbose: bool) -> list[str]:
    """Per rule: the finding, each result (object and message) and how to fix; PASS too with --verbose."""
    wanted = (Status.FAIL, Status.ERROR, Status.WAIVED) + ((Status.PASS,) if verbose else ())
    shown = sorted((r for r in report.results if r.status in wanted), key=Result.sort_key)
    out: list[str] = []
    for (rule_id, severity), group in groupby(shown, key=lambda r: (r.rule_id, r.severity)):
        items = sorted(group, key=lambda r: (r.status.rank, r.resource_name.casefold()))
        title = finding_title(items[0]) if items[0].status is Status.FAIL else items[0].title
        heading = wrap(f"{rule_id} [{severity.value}] {clean(title)}", width, "    ", first="")
        out += ["", _paint(heading[0], severity, color), *heading[1:]]
        for r in items:
            head = f"{r.status.value:<6} {resource_word(clean(r.resource_type))} '{clean(r.resource_name, 120)}'"
            out += wrap(head, width, "         ", first="  ")
            if r.location:  # a Terraform source: the file and line to change
                out += wrap("at " + clean(r.where, 200), width, "         ", first="         ")
            out += wrap(clean(r.message, 600), width, "         ")
        if any(r.status is not Status.PASS for r in items):
            out += wrap("how to fix: " + clean(items[0].remediation, 600), width, "    ", first="  ")
    return out


def _fix_first(ff: FixFirst, width: int, color: bool) -> list[str]:
    out: list[str] = []
    if ff.blockers:
        out += ["", f"FIX FIRST: {len(ff.blockers)} blocker(s) stop co-browse, in chain order"]
        link = object()
        for number, item in enumerate(ff.blockers, 1):
            if item.link != link:
                link = item.link
                out.append(f"  {LINK_LABELS.get(item.link or '', 'Other')}")
            line = f"{clean(item.action, 300)}  [{item.rule_id}]"
            out += wrap(line, width, "        ", first=f"  {number:>3}. ")
    elif ff.answer.ready:
        out += ["", "FIX FIRST: nothing blocks co-browse."]
    if ff.unchecked:
        out += ["", f"NOT CHECKED: {len(ff.unchecked)} result(s) could not be evaluated (data missing)"]
        for item in ff.unchecked:
            out += wrap(f"{clean(item.action, 300)}", width, "      ", first="    - ")
    if ff.also:
        out += ["", f"ALSO IN THIS ORG: {ff.also_count} finding(s) that do not block co-browse"]
        for group in ff.also:
            out.append(f"  {group.label} ({len(group.items)})")
            for item in group.items:
                line = f"{clean(item.action, 300)}  [{item.rule_id}/{item.severity}]"
                out += wrap(line, width, "      ", first="    - ")
    return out


def render(report: AuditReport, *, color: bool = False, verbose: bool = False, width: int | None = None,
           **_: Any) -> str:
    """Header, details, then the fix-first list, and LAST the one-line verdict with the counts, so the
    answer is what the screen shows when the run ends."""
    width = terminal_width(width)
    ff = fixfirst.build(report)
    out = [line for text in _header(report) for line in wrap(text, width, "    ", first="")]
    out += _scope(report, width)
    out += _details(report, width, color, verbose)
    out += _fix_first(ff, width, color)
    verdict = ff.verdict_line()
    if color:
        verdict = ("\033[1;32m" if ff.answer.ready else "\033[1;31m") + verdict + _RESET
    out += ["", *wrap(verdict, width, "    ", first="")]
    return "\n".join(out) + "\n"
