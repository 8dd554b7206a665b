"""`gcaudit history` and `gcaudit diff` in a terminal: the co-browse answer first, 80 columns.

`history` prints one table per org (most recently run org first), each run one row: its co-browse
verdict, blockers and actions (as recorded with the run: `auditor.history.verdict`), open
failures, and what changed since the run before it. An incomplete run is named under its table
with the datasets it lacks. Every org text is made printable; JSON keeps everything.
"""

from __future__ import annotations

from typing import Any

from auditor.history.verdict import UNKNOWN, RunVerdict, transition
from auditor.reporters.table import terminal_width, wrap
from auditor.safety.sanitise import printable

HISTORY_HEADERS = ["run", "started (UTC)", "co-browse", "blockers", "actions", "open", "new", "regr.", "fixed"]


def table(headers: list[str], rows: list[list[Any]], width: int, *, right: tuple[int, ...] = (),
          flex: int | None = None) -> list[str]:
    """A plain table, two spaces between columns. Columns in `right` are right-aligned (numbers);
    the `flex` column (the one holding names) is shortened with "…" so the lines fit `width`.
    Cells must already be printable (`printable`)."""
    cells = [[str(c) for c in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    if flex is not None:
        room = width - (sum(widths) - widths[flex]) - 2 * (len(headers) - 1)
        widths[flex] = max(min(widths[flex], room), len(headers[flex]), 8)

    def fit(text: str, i: int) -> str:
        text = text if len(text) <= widths[i] else text[:widths[i] - 1] + "…"
        return text.rjust(widths[i]) if i in right else text.ljust(widths[i])

    lines = ["  ".join(fit(c, i) for i, c in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _started(value: str | None) -> str:
    """`2026-11-24T02:00:00Z` -> `2026-11-24 02:00` (minutes are enough to tell nightly runs apart)."""
    return (value or "")[:16].replace("T", " ")


def _count(value: int | None) -> str | int:
    return UNKNOWN if value is None else value


def _row(run: dict[str, Any], minutes: bool = True) -> list[Any]:
    answer = RunVerdict.of_run(run)
    open_failures = sum(int(v) for v in (run.get("summary") or {}).get("failures_by_severity", {}).values())
    started = _started(run["started_at"]) if minutes else _started(run["started_at"])[:10]
    return [run["id"], started, answer.label, _count(answer.blockers), _count(answer.actions),
            open_failures, run["new_count"], run["regressed_count"], run["resolved_count"]]


def _runs_table(runs: list[dict[str, Any]], width: int) -> list[str]:
    """With five-digit run ids and counts the table would pass `width`: then the day only."""
    right = (0, 3, 4, 5, 6, 7, 8)
    lines = table(HISTORY_HEADERS, [_row(r) for r in runs], width, right=right)
    if max(map(len, lines)) > width:
        lines = table(["run", "day (UTC)", *HISTORY_HEADERS[2:]], [_row(r, False) for r in runs], width, right=right)
    return lines


def history_lines(runs: list[dict[str, Any]], width: int | None = None) -> list[str]:
    """The runs (most recent first), one table per org; each line fits `width` (the terminal's)."""
    width = terminal_width(width)
    by_org: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        by_org.setdefault(run["org_id"], []).append(run)
    out: list[str] = []
    for org_runs in by_org.values():
        first = org_runs[0]
        name = printable(first["org_name"] or first["org_id"], 120)
        if out:
            out.append("")
        out += wrap(f"{name} ({printable(first['org_id'], 120)})", width, "    ", first="")
        out += _runs_table(org_runs, width)
        for run in org_runs:
            if not run["complete"]:
                missing = ", ".join((run.get("summary") or {}).get("failed_datasets") or ["rule errors"])
                out += wrap(f"run {run['id']}: data incomplete ({printable(missing, 300)})", width, "    ",
                            first="  ")
    return out


def diff_verdict(run_a: dict[str, Any], run_b: dict[str, Any]) -> dict[str, Any]:
    """The co-browse answer of both runs for `diff`: verdicts, counts and the change line (or None)."""
    a, b = RunVerdict.of_run(run_a), RunVerdict.of_run(run_b)
    return {"from": a.columns(), "to": b.columns(), "change": transition(a, b)}


def diff_headline(verdicts: dict[str, Any]) -> str:
    """`co-browse: READY → NOT READY (0 → 25 blockers)`, or `co-browse: NOT READY, unchanged (...)`."""
    a, b = RunVerdict(**verdicts["from"]), RunVerdict(**verdicts["to"])

    def blockers(v: RunVerdict) -> str:
        return UNKNOWN if v.blockers is None else str(v.blockers)

    counts = f"{blockers(a)} → {blockers(b)} blockers"
    if verdicts["change"]:
        return f"{verdicts['change']} ({counts})"
    if a.verdict is None or b.verdict is None:
        return f"co-browse: {a.label} → {b.label} (a run recorded before gcaudit kept verdicts)"
    return f"co-browse: {b.label}, unchanged ({counts})"


def diff_lines(run_a: int, run_b: int, verdicts: dict[str, Any], findings: Any, drift: Any,
               width: int | None = None, who: list[str] | None = None) -> list[str]:
    """`diff` for a terminal: the co-browse answer of both runs first, then the findings that changed
    and the configuration drift, then who changed them (`who`: raw lines from the audit trail,
    auditor.nightly.attribution), every line within `width`."""
    from auditor.history.objects import KINDS

    width = terminal_width(width)
    counts = findings.counts()
    out = wrap(diff_headline(verdicts), width, "    ", first="")
    out += wrap(f"run {run_a} -> run {run_b}: {counts['NEW']} new, {counts['REGRESSED']} regressed, "
                f"{counts['RESOLVED']} resolved, {counts['UNCHANGED']} unchanged", width, "    ", first="")
    rows = [[c.change.value, printable(c.severity, 16), printable(c.rule_id, 40), printable(c.resource_name, 200)]
            for c in findings.changes if c.change.value != "UNCHANGED"]
    if rows:
        out += table(["change", "severity", "rule", "resource"], rows, width, flex=3)
    out.append("")
    if drift.changes:
        out += table(["drift", "kind", "object", "changed fields"],
                     [[c.change, KINDS[c.kind][0], printable(c.name, 30), printable(", ".join(c.fields), 300)]
                      for c in drift.changes], width, flex=3)
    else:
        out.append("no configuration changes")
    for kind, why in drift.not_compared.items():
        out += wrap(f"{KINDS[kind][0]} not compared: {printable(why, 200)}", width, "    ", first="")
    if who:
        out += ["", "who changed it (audit trail):"]
        for line in who:
            out += wrap(printable(line, 600), width, "      ", first="  ")
    return out
