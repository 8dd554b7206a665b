"""`--format table`: the terminal report of `report.answer`. Wraps to the terminal at word boundaries
(never inside a token); ends with the fix-first actions and the verdict, so at 80x50 the last screen
is the answer."""

from __future__ import annotations

import shutil
import textwrap
from itertools import groupby
from typing import TYPE_CHECKING, Any

from auditor.answer import Answer, Verdict
from auditor.answer.words import action, finding_title, resource_word
from auditor.reporters import scope_view
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


def _header(report: AuditReport, answer: Answer) -> list[str]:
    """Who, when, and the answer in one line; then what the data could not see, with its fix."""
    org = clean(report.org_name or report.org_id)
    lines = [
        f"gcaudit {report.tool_version} - org {org} ({clean(report.org_id)})"
        f"{', region ' + clean(report.region) if report.region else ''}",
        f"snapshot collected {clean(report.collected_at)}"
        + (f", plan {clean(report.plan_path)}" if report.plan_path else ""),
        clean(answer.verdict_line(), 400),
    ]
    lines += [f"PARTIAL DATA: {clean(d.text, 400)}" for d in answer.partial]
    if report.missing_datasets:
        failed = ", ".join(f"{name} ({dataset_reason(info)})" for name, info in sorted(report.missing_datasets.items()))
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


def _details(report: AuditReport, width: int, color: bool, statuses: frozenset[Status],
             severities: frozenset[Severity] | None) -> list[str]:
    """Per rule: the finding, each result (object and message) and how to fix, for the statuses and
    severities asked for (FAIL, ERROR and WAIVED by default; PASS too with --verbose)."""
    shown = sorted((r for r in report.results if r.status in statuses
                    and (severities is None or r.severity in severities)), key=Result.sort_key)
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


def _rule_counts(results: list[Result]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.rule_id] = counts.get(r.rule_id, 0) + 1
    return ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in counts.items())


def _also(answer: Answer, width: int, verbose: bool) -> list[str]:
    """"Also in this org": one line per kind of object (every finding with -v)."""
    if not answer.also:
        return []
    out = ["", f"ALSO IN THIS ORG: {answer.also_count} finding(s) that do not block co-browse"
               + ("" if verbose else " (-v lists them)")]
    for group in answer.also:
        if not verbose:
            out += wrap(f"{group.label} ({len(group.results)}): {_rule_counts(group.results)}", width, "      ",
                        first="  ")
            continue
        out.append(f"  {group.label} ({len(group.results)})")
        for r in group.results:
            out += wrap(f"{clean(action(r), 300)}  [{r.rule_id}/{r.severity.value}]", width, "      ", first="    - ")
    return out


def _unchecked(answer: Answer, width: int, verbose: bool) -> list[str]:
    """What could not be checked: one line per rule (every result with -v), and the partial-data fix."""
    if not answer.unchecked and not answer.partial:
        return []
    out = ["", f"NOT CHECKED: {len(answer.unchecked)} result(s) could not be evaluated (data missing)"]
    by_rule: dict[str, list[Result]] = {}
    by_division: dict[str, list[str]] = {}
    for r in answer.unchecked:
        if r.resource_type == "division" and not verbose:  # one line per invisible division, naming its rules
            by_division.setdefault(r.resource_name, []).append(r.rule_id)
        else:
            by_rule.setdefault(r.rule_id, []).append(r)
    for name, rules in by_division.items():
        out += wrap(f"In division '{clean(name, 120)}' (not visible to the auditing client): "
                    f"{', '.join(rules)} not checked", width, "      ", first="    - ")
    for results in by_rule.values():
        if verbose:
            out += [line for r in results for line in wrap(clean(action(r), 300), width, "      ", first="    - ")]
        else:
            more = f" (and {len(results) - 1} more)" if len(results) > 1 else ""
            out += wrap(f"{clean(action(results[0]), 300)}{more}", width, "      ", first="    - ")
    out += [line for d in answer.partial for line in wrap(clean(d.text, 400), width, "      ", first="  ! ")]
    return out


def _actions(answer: Answer, width: int, verbose: bool) -> list[str]:
    """The fix-first actions, numbered in the order to do them, the rules each resolves after it, and with
    -v the evidence each rests on."""
    if not answer.actions:
        return ["", "FIX FIRST: nothing blocks co-browse."] if answer.ready else []
    out = ["", f"FIX FIRST: {answer.counts_line().split(';')[0]}, in this order"]
    for number, act in enumerate(answer.actions, 1):
        after = f" (after {', '.join(d.lstrip('A') for d in act.depends_on)})" if act.depends_on else ""
        line = f"{clean(act.text, 400)}{after}  [{', '.join(act.rule_ids)}]"
        out += wrap(line, width, "     ", first=f"{number:>3}. ")
        if verbose:
            out += [x for e in act.evidence for x in wrap("because: " + clean(e, 600), width, "         ",
                                                          first="     ")]
    return out


def _statuses(status: Any, verbose: bool) -> frozenset[Status]:
    if status:
        return frozenset(Status(s) for s in status)
    return frozenset((Status.FAIL, Status.ERROR, Status.WAIVED) + ((Status.PASS,) if verbose else ()))


def render(report: AuditReport, *, color: bool = False, verbose: bool = False, width: int | None = None,
           brief: bool = False, severity: Any = None, status: Any = None, **_: Any) -> str:
    """Header (with the verdict), details, "Also in this org", what could not be checked, the actions,
    and LAST the verdict, so the answer is the last screen when the run ends. `brief`: header, actions
    and verdict only. `severity`/`status` filter the details (the answer is the whole report's)."""
    width = terminal_width(width)
    answer = report.answer
    out = [line for text in _header(report, answer) for line in wrap(text, width, "    ", first="")]
    if not brief:
        out += _scope(report, width)
        out += _details(report, width, color, _statuses(status, verbose),
                        frozenset(Severity(s) for s in severity) if severity else None)
        out += _also(answer, width, verbose)
        out += _unchecked(answer, width, verbose)
    out += _actions(answer, width, verbose)
    verdict = wrap(clean(answer.verdict_line(), 400), width, "    ", first="")
    if color:
        paint = {Verdict.READY: "\033[1;32m", Verdict.NOT_READY: "\033[1;31m", Verdict.INCOMPLETE: "\033[1;33m"}
        verdict = [paint[answer.verdict] + line + _RESET for line in verdict]
    out += ["", *verdict]
    return "\n".join(out) + "\n"
