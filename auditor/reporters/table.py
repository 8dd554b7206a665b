"""`--format table`: a summary and the FAIL/ERROR results grouped by rule, for a terminal."""

from __future__ import annotations

import shutil
import textwrap
from itertools import groupby
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.results import AuditReport, Result

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
    """Org strings are hostile input: drop control characters so they cannot move the cursor or
    break the table, and bound their length."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _summary(report: AuditReport) -> str:
    by_status = report.counts_by_status()
    failures = report.failures_by_severity()
    rows = [[sev.value, failures[sev.value]] for sev in Severity]
    status_rows = [[status, count] for status, count in by_status.items() if count or status != "WAIVED"]
    left = tabulate(rows, headers=["FAIL by severity", "count"], tablefmt="simple")
    right = tabulate(status_rows, headers=["status", "count"], tablefmt="simple")
    return f"{left}\n\n{right}"


def _group_rows(results: list[Result]) -> list[list[str]]:
    return [
        [r.status.value, clean(r.resource_type),
         clean(r.resource_name, 60) + (f"\n{clean(r.where, 200)}" if r.location else ""), clean(r.message, 600)]
        for r in results
    ]


def _message_width() -> int:
    """Wrap messages to the terminal (status, type and resource columns take about 60 columns)."""
    return max(40, shutil.get_terminal_size((140, 24)).columns - 62)


def render(report: AuditReport, *, color: bool = False, **_: Any) -> str:
    out = [*_header(report), "", _summary(report)]
    shown = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    if not shown:
        out += ["", "No FAIL or ERROR results."]
    for (rule_id, severity, title), group in groupby(shown, key=lambda r: (r.rule_id, r.severity, r.title)):
        items = list(group)
        out += ["", _paint(f"{rule_id} [{severity.value}] {title}", severity, color)]
        out.append(
            tabulate(
                _group_rows(items),
                headers=["status", "type", "resource", "message"],
                tablefmt="simple",
                maxcolwidths=[None, 24, 30, _message_width()],
            )
        )
        fix = clean(items[0].remediation, 600)
        out.append(
            textwrap.fill(fix, width=_message_width() + 60, initial_indent="  fix: ", subsequent_indent="       ")
        )
    return "\n".join(out) + "\n"
