"""What changed since the last run, in words, for the terminal and Markdown: NEW / REGRESSED /
RESOLVED findings with their rule titles, then configuration drift with old -> new values."""

from __future__ import annotations

from typing import Any

from auditor.history.compare import Change, Drift, FindingComparison
from auditor.history.objects import KINDS
from auditor.reporters.table import clean, wrap
from auditor.reporters.words import FINDING_TITLES


def finding_title_of(rule_id: str, stored_title: str) -> str:
    """The rule's title worded as a finding (what was found), else the stored title."""
    return FINDING_TITLES.get(rule_id) or stored_title

#: Lines listed before "... and N more" (the HTML and JSON reports have everything).
MAX_LINES = 25
_SHOWN = (Change.REGRESSED, Change.NEW, Change.RESOLVED)


def drift_count(drift: Drift) -> int:
    return len(drift.changes)


def _who(found: dict[str, Any] | None) -> str:
    """", by Priya Natarajan (UI, 203.0.113.7) at ..." or ", who: unknown (...)": trail text, printable."""
    return f", {clean(found['who'], 400)}" if found else ""


def finding_lines(findings: FindingComparison, attribution: Any = None,
                  resource_types: dict[str, str] | None = None) -> list[str]:
    from auditor.nightly.attribution import finding_who

    lines = []
    for c in findings.changes:
        if c.change not in _SHOWN:
            continue
        title = finding_title_of(c.rule_id, c.title)
        title = f" {clean(title, 160)}:" if title else ""
        name = clean(c.resource_name, 120)
        who = _who(finding_who(attribution, c, resource_types or {}))
        lines.append(f"{c.change.value:<9} [{c.severity}] {clean(c.rule_id, 20)}{title} '{name}'{who}")
    return lines


def drift_lines(drift: Drift, attribution: Any = None) -> list[str]:
    from auditor.nightly.attribution import drift_who

    lines = []
    for c in drift.changes:
        kind = KINDS[c.kind][0].rstrip("s") if c.kind in KINDS else c.kind
        head = f"{c.change.upper():<9} {kind} '{clean(c.name, 120)}'"
        if c.change == "changed":
            head += ": " + "; ".join(clean(v, 200) for v in c.describe_values())
        lines.append(head + _who(drift_who(attribution, c)))
    return lines


def terminal_lines(findings: FindingComparison, drift: Drift, width: int, attribution: Any = None,
                   resource_types: dict[str, str] | None = None) -> list[str]:
    entries = [*finding_lines(findings, attribution, resource_types), *drift_lines(drift, attribution)]
    out = []
    for entry in entries[:MAX_LINES]:
        out += wrap(entry, width, " " * 12, first="  ")
    if len(entries) > MAX_LINES:
        out.append(f"  ... and {len(entries) - MAX_LINES} more (see the HTML or JSON report)")
    return out
