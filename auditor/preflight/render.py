"""Preflight output: table (terminal), JSON, Markdown, and the HTML report via the report templates.

Every string that came from the org, the request or the plan is cleaned (table), escaped
(Markdown) or autoescaped (HTML). No renderer sees a token: the request model holds none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

from auditor import sanitise
from auditor.fileio import dump_json
from auditor.reporters.table import clean
from auditor.results import AuditReport, Result, Status, fingerprint

if TYPE_CHECKING:
    from auditor.preflight.checks import Prediction
    from auditor.preflight.verdict import PreflightReport

FORMATS = ("table", "json", "markdown")
PREFLIGHT_TEMPLATE = "preflight.html.j2"  # in report_templates/, extends report.html.j2
_VERDICT_COLOR = {"GO": "\033[1;32m", "NO-GO": "\033[1;31m", "INCOMPLETE": "\033[1;33m"}
_RESET = "\033[0m"


def _would_get(p: Prediction) -> str:
    return p.would_get if p.status is Status.FAIL else p.status.value


def _headline(report: PreflightReport) -> str:
    blocking, errors = len(report.blocking), len(report.errors)
    if report.verdict == "NO-GO":
        why = f"{blocking} problem(s) at or above {report.fail_on.value}"
    elif report.verdict == "INCOMPLETE":
        why = f"nothing at or above {report.fail_on.value} found, but {errors} check(s) lacked data"
    else:
        why = f"nothing at or above {report.fail_on.value} fails"
    return f"{report.verdict}: {why}"


def _subject(report: PreflightReport) -> str:
    if report.request is not None:
        return f"request ({clean(report.request.source, 80)}): {clean(report.request.describe(), 300)}"
    return f"rollout plan {clean(report.plan_path or '')}"


def render_table(report: PreflightReport, *, color: bool = False) -> str:
    org = clean(report.org_name or report.org_id)
    headline = _headline(report)
    if color:
        headline = f"{_VERDICT_COLOR[report.verdict]}{headline}{_RESET}"
    out = [
        f"gcaudit preflight - org {org} ({clean(report.org_id)})"
        + (f", region {clean(report.region)}" if report.region else ""),
        f"snapshot collected {clean(report.collected_at)}"
        + (f", plan {clean(report.plan_path)}" if report.plan_path else ""),
        _subject(report),
        *(f"note: {clean(n, 300)}" for n in report.notes),
        "",
        headline,
    ]
    shown = [p for p in report.predictions if p.status is not Status.PASS]
    if shown:
        rows = [[i, p.severity.value, p.rule_id, _would_get(p),
                 clean(p.resource_name, 40), clean(p.cause, 500)] for i, p in enumerate(shown, 1)]
        out += ["", tabulate(rows, headers=["#", "severity", "rule", "would get", "object", "cause"],
                             tablefmt="simple", maxcolwidths=[None, None, None, None, 28, 72])]
        out += ["", "Fixes:"]
        out += [f"  {i}. {clean(p.fix, 400)}" for i, p in enumerate(shown, 1) if p.fix]
    passed = [p for p in report.predictions if p.status is Status.PASS]
    if passed:
        out += ["", f"Checked and fine ({len(passed)}): "
                + "; ".join(sorted({f"{p.rule_id} {clean(p.resource_name, 40)}" for p in passed}))]
    if report.suggestion:
        s = report.suggestion
        out += ["", "The request that would work:",
                f"  {s.method} {clean(s.url, 200)}",
                "  body: none",
                f"  token: {clean(s.token, 300)}",
                f"  permission (any of): {', '.join(s.permissions) or 'none'}",
                f"  {clean(s.curl, 300)}"]
        out += [f"  note: {clean(n, 300)}" for n in s.notes]
    return "\n".join(out) + "\n"


def render_json(report: PreflightReport, **_: Any) -> str:
    return dump_json(report.to_dict())


def _md(text: str, limit: int = 400) -> str:
    """Markdown-safe table cell: no pipes, links, images, HTML or line breaks (`sanitise.markdown`)."""
    return sanitise.markdown(text, limit)


def render_markdown(report: PreflightReport, **_: Any) -> str:
    out = [f"## gcaudit preflight: **{report.verdict}**", "",
           f"- Org: {_md(report.org_name or report.org_id)} (`{_md(report.org_id)}`)"
           + (f", region {_md(report.region)}" if report.region else ""),
           f"- Snapshot collected {_md(report.collected_at)}",
           f"- Subject: {_md(_subject(report))}",
           f"- {_md(_headline(report))}", ""]
    shown = [p for p in report.predictions if p.status is not Status.PASS]
    if shown:
        out += ["| # | severity | rule | would get | object | cause | fix |", "|---|---|---|---|---|---|---|"]
        out += [f"| {i} | {p.severity.value} | {p.rule_id} | "
                f"{_would_get(p)} | {_md(p.resource_name, 60)} | "
                f"{_md(p.cause)} | {_md(p.fix)} |" for i, p in enumerate(shown, 1)]
    else:
        out.append("No problems found.")
    if report.suggestion:
        s = report.suggestion
        out += ["", "### The request that would work", "", "```",
                f"{s.method} {clean(s.url, 200)}", "(no body)", "```",
                f"- Token: {_md(s.token)}",
                f"- Permission (any of): {', '.join(f'`{p}`' for p in s.permissions) or 'none'}"]
    return "\n".join(out) + "\n"


# --- HTML via the shared report templates ------------------------------------------------


def _result(report: PreflightReport, p: Prediction) -> Result:
    """A prediction as a Result, so the HTML report (built for audits) can show it."""
    message = f"{p.would_get}: {p.cause}" if p.status is Status.FAIL and p.http_status else p.cause
    return Result(
        rule_id=p.rule_id, title=p.title, severity=p.severity, status=p.status, resource_type=p.resource_type,
        resource_id=p.resource_id, resource_name=p.resource_name, message=message, remediation=p.fix,
        fingerprint=fingerprint(p.rule_id, report.org_id, p.resource_id),
        category="preflight" if p.source == "preflight" else "",
    )


def as_audit_report(report: PreflightReport) -> AuditReport:
    base = report.audit
    results = sorted((_result(report, p) for p in report.predictions), key=Result.sort_key)
    if base is not None:
        return replace(base, results=results)
    return AuditReport(org_id=report.org_id, org_name=report.org_name, region=report.region,
                       collected_at=report.collected_at, tool_version="", snapshot_path=report.snapshot_path,
                       plan_path=report.plan_path, datasets={}, results=results)


def _html_context(report: PreflightReport) -> dict[str, Any]:
    """Cleaned strings for `preflight.html.j2` (jinja autoescapes them on top)."""
    shown = [p for p in report.predictions if p.status is not Status.PASS]
    rows = [{"severity": p.severity.value, "rule_id": clean(p.rule_id, 20),
             "would_get": _would_get(p),
             "object": clean(p.resource_name, 120), "cause": clean(p.cause, 1000), "fix": clean(p.fix, 1000)}
            for p in shown]
    suggestion = None
    if report.suggestion:
        s = report.suggestion
        suggestion = {"method": s.method, "url": clean(s.url, 300), "token": clean(s.token, 400),
                      "permissions": list(s.permissions), "notes": [clean(n, 400) for n in s.notes]}
    return {"verdict": report.verdict, "headline": clean(_headline(report), 300),
            "subject": clean(_subject(report), 400), "rows": rows, "suggestion": suggestion}


def render_html(report: PreflightReport) -> str:
    from auditor.reporters import html

    return html.render(as_audit_report(report), template=PREFLIGHT_TEMPLATE, extra={"preflight": _html_context(report)})


def render(report: PreflightReport, fmt: str, *, color: bool = False) -> str:
    if fmt == "table":
        return render_table(report, color=color)
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    raise ValueError(f"unknown preflight format {fmt!r}")


__all__ = ["FORMATS", "as_audit_report", "render", "render_html"]
