"""The nightly reports: the audit report plus run comparison, drift, waivers and the trend.

HTML goes through the HTML reporter's extension hook (`extra` + the `nightly.html.j2` template,
which fills the `changes` and `trend` blocks; NEW/REGRESSED badges ride on `extra["badges"]`).
JSON is the audit JSON with a `nightly` section and a `change` on each FAIL result.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from typing import Any

from auditor.history.compare import Change, Drift, FindingComparison
from auditor.history.objects import KINDS
from auditor.history.verdict import RunVerdict, transition
from auditor.nightly.changes import finding_title_of
from auditor.results import AuditReport, Severity, Status
from auditor.safety import sanitise

#: Rows shown in the HTML tables; the JSON has everything.
HTML_ROWS = 200
TREND_WIDTH, TREND_HEIGHT = 720, 280
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 60, 16, 14, 56  # room for the axis labels


@dataclass
class NightlyContext:
    run_id: int
    previous_run_id: int | None
    previous_started: str | None
    findings: FindingComparison
    drift: Drift
    trend: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    #: The run's co-browse answer as recorded, and the previous run's (None: first run / not recorded).
    verdict: RunVerdict | None = None
    previous_verdict: RunVerdict | None = None
    #: Who changed what (auditor.nightly.attribution.Attribution); None: not attributed (offline, first run).
    attribution: Any = None
    #: fingerprint -> Result.resource_type (maps a finding to the audit trail's entity type).
    resource_types: dict[str, str] = field(default_factory=dict)
    #: Why this run is not in the history (locked past the wait, a full disk), or None.
    not_recorded: str | None = None

    def finding_who(self, change: Any) -> dict[str, Any] | None:
        from auditor.nightly.attribution import finding_who

        return finding_who(self.attribution, change, self.resource_types)

    def drift_who(self, change: Any) -> dict[str, Any] | None:
        from auditor.nightly.attribution import drift_who

        return drift_who(self.attribution, change)

    def headline(self) -> str:
        counts = self.findings.counts()
        if self.not_recorded:
            return f"NOT RECORDED in the history ({self.not_recorded}); nothing compared"
        text = f"{counts['NEW']} new, {counts['REGRESSED']} regressed, {counts['RESOLVED']} resolved"
        change = self.verdict_change()
        return f"{change}; {text}" if change else text

    def verdict_change(self) -> str | None:
        """`co-browse: READY → NOT READY` when the verdict changed since the previous run."""
        return transition(self.previous_verdict, self.verdict) if self.verdict else None

    def cobrowse(self) -> dict[str, Any]:
        """The JSON `nightly.cobrowse` section: this run's answer, the previous run's, the change."""
        return {**(self.verdict.columns() if self.verdict else {"verdict": None, "blockers": None, "actions": None}),
                "previous": self.previous_verdict.columns() if self.previous_verdict else None,
                "change": self.verdict_change()}

    def to_dict(self) -> dict[str, Any]:
        findings = self.findings.to_dict()
        drift = self.drift.to_dict()
        if self.attribution is not None:
            # Each NEW / REGRESSED finding and drift entry carries `attributed`: {who, entries}.
            shown = [c for c in self.findings.changes if c.change is not Change.UNCHANGED]
            for row, change in zip(findings["changes"], shown, strict=True):
                found = self.finding_who(change)
                if found is not None:
                    row["attributed"] = found
            for row, change in zip(drift["changes"], self.drift.changes, strict=True):
                row["attributed"] = self.drift_who(change)
        return {
            "run_id": self.run_id,
            "previous_run_id": self.previous_run_id,
            "recorded": self.not_recorded is None,
            "not_recorded": self.not_recorded,
            "cobrowse": self.cobrowse(),
            "findings": findings,
            "drift": drift,
            "trend": self.trend,
            "notifications": self.notifications,
            "attribution": self.attribution.to_dict() if self.attribution is not None else None,
        }


def render_json(report: AuditReport, ctx: NightlyContext) -> str:
    data = report.to_dict()
    changes = ctx.findings.by_fingerprint()
    for result in data["results"]:
        if result["status"] == Status.FAIL.value and result["fingerprint"] in changes:
            result["change"] = changes[result["fingerprint"]].value
    data["nightly"] = ctx.to_dict()
    return sanitise.json_document(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _nice_step(peak: int, ticks: int = 4) -> int:
    """A round tick step (1, 2, 5, 10, 20, 50, ...) giving at most `ticks` intervals up to `peak`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * ticks >= peak:
                return step * factor
        step *= 10


def trend_svg_data(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """A stacked-area chart of open failures by severity, oldest run left: the severities are bands
    stacked on each other (critical at the bottom), so equal series can never hide one another; the
    y axis counts open failures with round ticks, the x axis names the run dates."""
    runs = len(trend)
    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    bottom = TREND_HEIGHT - TREND_BOTTOM
    plot_h = bottom - TREND_TOP
    counts = [[int(t["failures_by_severity"].get(sev.value, 0)) for sev in Severity] for t in trend]
    peak = max([1, *(sum(row) for row in counts)])
    step = _nice_step(peak)
    top_value = step * -(-peak // step)

    def x(i: int) -> float:
        return TREND_LEFT + (plot_w * i / (runs - 1) if runs > 1 else plot_w / 2)

    def y(value: int) -> float:
        return bottom - plot_h * value / top_value

    xs = [x(i) for i in range(runs)]
    if runs == 1:  # one run: a bar, not a zero-width band
        xs = [xs[0] - 20, xs[0] + 20]
        counts = counts * 2
    bands = []
    below = [0] * len(xs)
    for index, sev in enumerate(Severity):
        above = [b + row[index] for b, row in zip(below, counts, strict=True)]
        upper = [f"{px:.1f},{y(v):.1f}" for px, v in zip(xs, above, strict=True)]
        lower = [f"{px:.1f},{y(v):.1f}" for px, v in zip(reversed(xs), reversed(below), strict=True)]
        last = counts[-1][index] if counts else 0
        bands.append({"severity": sev.value, "points": " ".join(upper + lower), "last": last,
                      "empty": not any(row[index] for row in counts)})
        below = above
    label_every = max(1, -(-runs // 6))
    dates = [(t["started_at"] or "")[:10] for t in trend]
    # Several runs a day (tests, re-runs): the time tells them apart.
    labels = dates if len(set(dates)) == len(dates) else [(t["started_at"] or "")[5:16].replace("T", " ")
                                                          for t in trend]
    xticks = [{"x": round(x(i), 1), "label": labels[i],
               "anchor": "start" if i == 0 and runs > 1 else "end" if i == runs - 1 and runs > 1 else "middle"}
              for i in range(runs) if i % label_every == 0 or i == runs - 1]
    yticks = [{"y": round(y(v), 1), "label": str(v)} for v in range(0, top_value + 1, step)]
    return {"runs": runs, "width": TREND_WIDTH, "height": TREND_HEIGHT, "left": TREND_LEFT,
            "right": TREND_WIDTH - TREND_RIGHT, "top": TREND_TOP, "bottom": bottom,
            "bands": bands, "xticks": xticks, "yticks": yticks}


def _printable_values(row: dict[str, Any]) -> dict[str, Any]:
    """Every text (and list of texts) in a template row through `sanitise.printable`."""
    def one(value: Any) -> Any:
        if isinstance(value, str):
            return sanitise.printable(value, 300)
        if isinstance(value, list):
            return [one(v) for v in value]
        return value

    return {key: one(value) for key, value in row.items()}


def _printable_waivers(waivers: dict[str, Any] | None) -> dict[str, Any] | None:
    if not waivers:
        return waivers
    return {**waivers, "file": sanitise.printable(waivers.get("file", ""), 300),
            "expired": [_printable_values(w) for w in waivers.get("expired") or []],
            "unmatched": [_printable_values(w) for w in waivers.get("unmatched") or []]}


def html_extra(report: AuditReport, ctx: NightlyContext) -> dict[str, Any]:
    listed = [_printable_values({**c.to_dict(), "title": finding_title_of(c.rule_id, c.title),
                                 "who": (ctx.finding_who(c) or {}).get("who", "")})
              for c in ctx.findings.changes if c.change is not Change.UNCHANGED]
    drift = [_printable_values({**c.to_dict(), "kind": KINDS[c.kind][0], "described": c.describe_values(300),
                                "who": (ctx.drift_who(c) or {}).get("who", "")})
             for c in ctx.drift.changes]
    waived = [
        _printable_values({"rule_id": r.rule_id, "resource_name": r.resource_name,
                           "original_status": r.original_status.value if r.original_status else "",
                           "owner": (r.waiver or {}).get("owner", ""), "expires": (r.waiver or {}).get("expires", ""),
                           "reason": (r.waiver or {}).get("reason", "")})
        for r in report.results if r.status is Status.WAIVED
    ]
    badges = {fp: change.value for fp, change in ctx.findings.by_fingerprint().items()
              if change in (Change.NEW, Change.REGRESSED)}
    return {
        "badges": badges,
        "nightly": {
            "headline": ctx.headline(),
            "not_recorded": sanitise.printable(ctx.not_recorded, 300) if ctx.not_recorded else None,
            "verdict_change": ctx.verdict_change() or "",
            "run_id": ctx.run_id,
            "previous_run_id": ctx.previous_run_id,
            "previous_started": ctx.previous_started,
            "counts": ctx.findings.counts(),
            "findings": listed[:HTML_ROWS],
            "findings_more": max(0, len(listed) - HTML_ROWS),
            "drift": drift[:HTML_ROWS],
            "drift_more": max(0, len(drift) - HTML_ROWS),
            "not_compared": [(KINDS[k][0], sanitise.printable(why, 300)) for k, why in ctx.drift.not_compared.items()]
            if ctx.previous_run_id is not None else [],
            "waivers": _printable_waivers(report.waivers),
            "waived": waived[:HTML_ROWS],
            "trend": trend_svg_data(ctx.trend),
            "attributed": ctx.attribution is not None,
        },
    }


def render_html(report: AuditReport, ctx: NightlyContext) -> str | None:
    if importlib.util.find_spec("auditor.reporters.html") is None:
        return None
    from auditor.reporters import html

    return html.render(report, extra=html_extra(report, ctx), template="nightly.html.j2")


def _md(text: object) -> str:
    """Markdown-safe text: no pipes, newlines, HTML, links or images (`sanitise.markdown`)."""
    return sanitise.markdown(text, 300)


def render_markdown(report: AuditReport, ctx: NightlyContext) -> str:
    org = report.org_name or report.org_id
    counts = ctx.findings.counts()
    lines = [
        f"# gcaudit nightly: {_md(org)}",
        "",
        (f"NOT RECORDED in the history ({_md(ctx.not_recorded)}): nothing compared; snapshot collected "
         f"{_md(report.collected_at)}." if ctx.not_recorded else
         f"Run {ctx.run_id}, snapshot collected {_md(report.collected_at)}"
         + (f", compared with run {ctx.previous_run_id}." if ctx.previous_run_id else " (first run).")),
        "",
        *([f"**{_md(ctx.verdict_change())}** since run {ctx.previous_run_id}.", ""] if ctx.verdict_change() else []),
        f"- **{_md(report.answer.verdict_line())}**",
        f"- New: {counts['NEW']}, regressed: {counts['REGRESSED']}, resolved: {counts['RESOLVED']}, "
        f"unchanged: {counts['UNCHANGED']}",
        "- Open failures by severity: "
        + ", ".join(f"{k} {v}" for k, v in report.failures_by_severity().items()),
        f"- Data complete: {'yes' if report.complete else 'NO (' + ', '.join(sorted(report.failed_datasets)) + ')'}",
        "",
    ]
    changed = [c for c in ctx.findings.changes if c.change is not Change.UNCHANGED]
    who = ctx.attribution is not None  # a "Who" column only when the audit trail was asked

    def who_cell(found: dict[str, Any] | None) -> str:
        return f" {_md((found or {}).get('who', ''))} |" if who else ""

    if changed:
        lines += ["## Findings changed since the last run", "",
                  "| Change | Severity | Rule | Finding | Resource |" + (" Who |" if who else ""),
                  "|---|---|---|---|---|" + ("---|" if who else "")]
        lines += [f"| {c.change.value} | {c.severity} | {_md(c.rule_id)} | {_md(finding_title_of(c.rule_id, c.title))} "
                  f"| {_md(c.resource_name)} |" + who_cell(ctx.finding_who(c)) for c in changed]
        lines.append("")
    if ctx.drift.changes:
        lines += ["## Configuration drift", "",
                  "| Change | Kind | Object | What changed (old -> new) |" + (" Who |" if who else ""),
                  "|---|---|---|---|" + ("---|" if who else "")]
        lines += [f"| {c.change} | {KINDS[c.kind][0]} | {_md(c.name)} | {_md('; '.join(c.describe_values()))} |"
                  + who_cell(ctx.drift_who(c)) for c in ctx.drift.changes]
        lines.append("")
    if report.waivers and (report.waivers["expired"] or report.waivers["unmatched"]):
        lines += ["## Waivers needing attention", ""]
        lines += [f"- EXPIRED {_md(w['rule'])} on {_md(w['resource'])} (owner {_md(w['owner'])}, "
                  f"expired {_md(w['expires'])})" for w in report.waivers["expired"]]
        lines += [f"- UNUSED {_md(w['rule'])} on {_md(w['resource'])}: {_md(w['why'])}"
                  for w in report.waivers["unmatched"]]
        lines.append("")
    if importlib.util.find_spec("auditor.reporters.markdown") is not None:
        from auditor.reporters import render

        lines += ["---", "", render(report, "markdown")]
    else:
        fails = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
        lines += ["## Open results", "", "| Status | Severity | Rule | Resource | Message |", "|---|---|---|---|---|"]
        lines += [f"| {r.status.value} | {r.severity.value} | {_md(r.rule_id)} | {_md(r.resource_name)} | "
                  f"{_md(r.message)} |" for r in fails]
    return "\n".join(lines).rstrip("\n") + "\n"
