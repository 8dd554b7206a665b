"""Preflight output: table (terminal), JSON, Markdown, and the HTML report via the report templates.

Every string that came from the org, the request or the plan is cleaned (table), escaped
(Markdown) or autoescaped (HTML). No renderer sees a token: the request model holds none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from auditor.preflight import actions_view
from auditor.preflight.lead import build as build_lead
from auditor.reporters.placeholders import is_placeholder
from auditor.reporters.table import clean, terminal_width, wrap
from auditor.results import AuditReport, Result, Severity, Status, fingerprint
from auditor.safety import sanitise
from auditor.safety.fileio import dump_json

if TYPE_CHECKING:
    from auditor.preflight.checks import Prediction
    from auditor.preflight.verdict import PreflightReport

FORMATS = ("table", "json", "markdown")
PREFLIGHT_TEMPLATE = "preflight.html.j2"  # in report_templates/, extends report.html.j2
_VERDICT_COLOR = {"GO": "\033[1;32m", "NO-GO": "\033[1;31m", "INCOMPLETE": "\033[1;33m"}
_RESET = "\033[0m"


def _would_get(p: Prediction) -> str:
    return p.would_get if p.status is Status.FAIL else p.status.value


def _what(report: PreflightReport) -> str:
    """What the actions are about: "What the rollout would hit" / "What the call would hit"."""
    return "call" if report.request is not None else "rollout"


def _subject(report: PreflightReport) -> str:
    if report.request is not None:
        return f"request ({clean(report.request.source, 80)}): {clean(report.request.describe(), 300)}"
    return f"rollout plan {clean(report.plan_path or '')}"


def render_table(report: PreflightReport, *, color: bool = False, width: int | None = None) -> str:
    """Lead first: the headline (the missing endpoint, when it is missing) and the request that would
    work on the next line; then the problems with their fixes (each fix once), notes, placeholders.
    Wraps to the terminal at word boundaries."""
    width = terminal_width(width)
    lead = build_lead(report)
    # Wrapped like every line (a rollout's headline carries the whole verdict line); coloured per line.
    headline = wrap(clean(lead.headline, 400), width, "    ", first="")
    if color:
        headline = [f"{_VERDICT_COLOR[report.verdict]}{line}{_RESET}" for line in headline]
    out = [*headline]
    if lead.instead:
        out += wrap(clean(lead.instead, 600), width, "    ", first="  ")
    out += [""]
    org = clean(report.org_name or report.org_id)
    about = [
        f"gcaudit preflight - org {org} ({clean(report.org_id)})"
        + (f", region {clean(report.region)}" if report.region else ""),
        f"snapshot collected {clean(report.collected_at)}"
        + (f", plan {clean(report.plan_path)}" if report.plan_path else ""),
        _subject(report),
    ]
    out += [line for text in about for line in wrap(text, width, "    ", first="")]
    if lead.problems:
        out += ["", f"Problems ({len(lead.problems)}):"]
        for number, problem in enumerate(lead.problems, 1):
            rules = ", ".join(problem.rule_ids)
            got = f", would get {problem.would_get}" if problem.would_get != "-" else ""
            out += wrap(f"[{problem.severity.value}] {clean(problem.summary, 600)} ({rules}{got})", width,
                        "      ", first=f"  {number:>2}. ")
            for point in problem.points:
                out += wrap(clean(point, 600), width, "          ", first="      - ")
            if problem.fix:
                out += wrap("fix: " + clean(problem.fix, 600), width, "           ", first="      ")
    if report.answer is not None:
        out += actions_view.table_lines(report.answer, _what(report), width)
    if lead.unchecked:
        out += ["", "Not checked (data missing from the snapshot):"]
        out += [line for n in lead.unchecked for line in wrap(clean(n, 600), width, "    ", first="  - ")]
    if lead.notes:
        out += ["", "Notes:"]
        out += [line for n in lead.notes for line in wrap(clean(n, 600), width, "    ", first="  - ")]
    if lead.placeholders:
        title = "Placeholders (copied from an example: replace them; never checked as real values):"
        out += ["", *wrap(title, width, "  ", first="")]
        out += [line for v in lead.placeholders for line in wrap(clean(v, 200), width, "    ", first="  - ")]
    if lead.passed:
        fine = f"Checked and fine ({len(lead.passed)}): " + "; ".join(clean(p, 80) for p in lead.passed)
        out += ["", *wrap(fine, width, "    ", first="")]
    if report.suggestion:
        s = report.suggestion
        out += ["", "The request that would work:", *wrap(f"{s.method} {clean(s.url, 200)}", width, "    ", first="  "),
                "  body: none"]
        out += wrap(f"token: {clean(s.token, 300)}", width, "    ", first="  ")
        out += wrap(f"permission (any of): {', '.join(s.permissions) or 'none'}", width, "    ", first="  ")
        out += [f"  {clean(s.curl, 300)}"]
        out += [line for n in s.notes for line in wrap(f"note: {clean(n, 300)}", width, "    ", first="  ")]
    if report.request is None:
        out += ["", *headline]  # a rollout ends with its answer, as `audit` does
    return "\n".join(out) + "\n"


def render_json(report: PreflightReport, **_: Any) -> str:
    return dump_json(report.to_dict())


def _md(text: str, limit: int = 400) -> str:
    """Markdown-safe table cell: no pipes, links, images, HTML or line breaks (`sanitise.markdown`)."""
    return sanitise.markdown(text, limit)


def render_markdown(report: PreflightReport, **_: Any) -> str:
    lead = build_lead(report)
    out = [f"## {_md(lead.headline)}"]
    if lead.instead:
        out += ["", f"**{_md(lead.instead, 600)}**"]
    out += ["",
            f"- Org: {_md(report.org_name or report.org_id)} "
            f"({sanitise.markdown_code(report.org_id, 200, in_table=False)})"
            + (f", region {_md(report.region)}" if report.region else ""),
            f"- Snapshot collected {_md(report.collected_at)}",
            f"- Subject: {_md(_subject(report))}", ""]
    if lead.problems or report.answer is None:
        out += [f"### Problems ({len(lead.problems)})", ""]
        for i, problem in enumerate(lead.problems, 1):
            got = f", would get {problem.would_get}" if problem.would_get != "-" else ""
            out.append(f"{i}. **{problem.severity.value}** {_md(problem.summary, 600)} "
                       f"({', '.join(problem.rule_ids)}{got})")
            out += [f"    - {_md(point, 600)}" for point in problem.points]
            if problem.fix:
                out.append(f"    - Fix: {_md(problem.fix, 600)}")
    if not lead.problems and report.answer is None:
        out.append("No problems found.")
    if report.answer is not None:
        out += actions_view.markdown_lines(report.answer, _what(report))
    if lead.unchecked:
        out += ["", "### Not checked (data missing from the snapshot)", ""]
        out += [f"- {_md(n, 600)}" for n in lead.unchecked]
    if lead.notes:
        out += ["", "### Notes", ""] + [f"- {_md(n, 600)}" for n in lead.notes]
    if lead.placeholders:
        out += ["", "### Placeholders (replace them; never checked as real values)", ""]
        out += [f"- {_md(v, 200)}" for v in lead.placeholders]
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
    """The report the HTML page renders: with --plan the audit itself (its answer, chain and
    counts are `audit --plan`'s); for a request, its predictions as results."""
    if report.request is None and report.audit is not None:
        return report.audit
    base = report.audit
    results = sorted((_result(report, p) for p in report.predictions), key=Result.sort_key)
    if base is not None:
        return replace(base, results=results)
    return AuditReport(org_id=report.org_id, org_name=report.org_name, region=report.region,
                       collected_at=report.collected_at, tool_version="", snapshot_path=report.snapshot_path,
                       plan_path=report.plan_path, datasets={}, results=results)


def _html_context(report: PreflightReport) -> dict[str, Any]:
    """Cleaned strings for `preflight.html.j2` (jinja autoescapes them on top), lead first."""
    lead = build_lead(report)
    problems = [{"severity": p.severity.value, "rules": clean(", ".join(p.rule_ids), 80),
                 "would_get": p.would_get if p.would_get != "-" else "", "summary": clean(p.summary, 1000),
                 "points": [clean(point, 1000) for point in p.points], "fix": clean(p.fix, 1000),
                 "placeholder": p.placeholder}
                for p in lead.problems]
    suggestion = None
    if report.suggestion:
        s = report.suggestion
        suggestion = {"method": s.method, "url": clean(s.url, 300), "token": clean(s.token, 400),
                      "permissions": list(s.permissions), "notes": [clean(n, 400) for n in s.notes]}
    from auditor.preflight import html_view

    return {**html_view.context(report, lead),
            "verdict": report.verdict, "headline": clean(lead.headline, 400),
            "instead": clean(lead.instead, 600) if lead.instead else "",
            "subject": clean(_subject(report), 400), "problems": problems,
            "notes": [clean(n, 600) for n in lead.notes],
            "unchecked": [clean(n, 600) for n in lead.unchecked],
            "placeholders": [clean(v, 300) for v in lead.placeholders],
            "suggestion": suggestion}


def render_html(report: PreflightReport) -> str:
    from auditor.reporters import html

    audit = as_audit_report(report)
    if report.request is not None:
        # Info checks are notes (shown in the lead), not findings; placeholders and objects the API
        # says do not exist get no admin link. (A rollout's page is the audit as it is: its counts
        # are `audit --plan`'s.)
        audit = replace(audit, results=[r for r in audit.results if r.severity is not Severity.INFO
                                        or r.status is not Status.FAIL])
    no_link = [r.fingerprint for r in audit.results
               if is_placeholder(r.resource_id) or (r.status is Status.FAIL and "404" in r.message.split(":", 1)[0])]
    return html.render(audit, template=PREFLIGHT_TEMPLATE,
                       extra={"preflight": _html_context(report), "no_link": no_link})


def render(report: PreflightReport, fmt: str, *, color: bool = False) -> str:
    if fmt == "table":
        return render_table(report, color=color)
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    raise ValueError(f"unknown preflight format {fmt!r}")


__all__ = ["FORMATS", "as_audit_report", "render", "render_html"]
