"""What the preflight HTML page says about itself: its title, its chain colours and its counts.

The page reuses the audit report's layout, but an audit's chain, summary and scope describe the
whole org, not the call: a critical COB-001 on an amber "warnings" link (the predictions carry no
engine blocker marks), "2 critical, 7 high, 9 FAIL" beside 5 numbered problems (the body fields
counted one by one, the headline's missing endpoint counted again), a page titled "Co-browse
readiness", and the org's co-browse scope for a call that names none of it. So, from the lead:

- the chain: a link is "blocked" when a problem shown on it makes the verdict NO-GO or is at or
  above the threshold (high with `blockers`), "warnings" when only lower ones are on it;
- the counts: the numbered problems by severity (what the reader can count on the page), with
  the checks not run, the checks that passed and the notes;
- the title: the request ("Preflight: POST /api/v2/...") or the rollout plan;
- no scope section for a request (the plan's scope stays: it is what the rollout touches).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.reporters import readiness
from auditor.reporters.table import clean
from auditor.results import Result, Severity, Status

if TYPE_CHECKING:
    from auditor.preflight.lead import Lead
    from auditor.preflight.verdict import PreflightReport


def title(report: PreflightReport) -> str:
    """`Preflight: POST /api/v2/conversations/cobrowse`, or `Preflight: rollout plan plan.yaml`."""
    if report.request is not None:
        method_path = report.request.describe().split(";", 1)[0]
        return "Preflight: " + clean(method_path, 200)
    name = Path(report.plan_path).name if report.plan_path else "rollout plan"
    return "Preflight: rollout plan " + clean(name, 200)


def _link(p: Any) -> str | None:
    """The chain link of a prediction (PRE-* checks sit on none: they are about the request)."""
    probe = Result(rule_id=p.rule_id, title=p.title, severity=p.severity, status=p.status,
                   resource_type=p.resource_type, resource_id=p.resource_id, resource_name=p.resource_name,
                   message=p.cause, remediation="", fingerprint="",
                   category="preflight" if p.source == "preflight" else "")
    return readiness.link_of(probe)


def chain(report: PreflightReport) -> tuple[list[readiness.Link], dict[str, int]]:
    """The readiness chain of the problems shown (the request's own and the rules' on the objects it
    names): (links, problems to fix per link). A link is "fail" when one of them makes the verdict
    NO-GO (`PreflightReport.blocking`) or reaches its threshold (high with `blockers`), "warn" when only
    lower ones are on it."""
    links = {key: readiness.Link(key, label) for key, label in readiness.LINKS}
    worst: dict[str, Severity] = {}
    to_fix: dict[str, int] = {}
    blocking = {id(p) for p in report.blocking}
    for p in report.predictions:
        key = _link(p)
        if key is None or p.status is Status.NOT_APPLICABLE:
            continue
        link = links[key]
        link.evaluated += 1
        if p.status is Status.ERROR and p.rule_id not in link.error_rules:
            link.error_rules.append(p.rule_id)
        if p.status is not Status.FAIL or p.severity is Severity.INFO:
            continue  # info-severity FAILs are notes, not problems
        if p.rule_id not in link.failing_rules:
            link.failing_rules.append(p.rule_id)
        if id(p) in blocking or p.severity.at_least(report.threshold):  # never a critical on amber
            to_fix[key] = to_fix.get(key, 0) + 1
        elif key not in worst or p.severity.rank < worst[key].rank:
            worst[key] = p.severity
    for key, link in links.items():
        link.failing_rules.sort()
        link.error_rules.sort()
        if key in to_fix:
            link.state = "fail"
        elif link.error_rules:
            link.state = "unknown"
        elif key in worst:
            link.state = "warn"
        elif link.evaluated:
            link.state = "ok"
    return list(links.values()), to_fix


def counts(report: PreflightReport, lead: Lead) -> dict[str, Any]:
    """The summary: the numbered problems by severity, the actions, and what else the page lists."""
    by_severity = {s.value: 0 for s in Severity}
    for problem in lead.problems:
        by_severity[problem.severity.value] += 1
    answer = report.answer
    return {
        "problems": len(lead.problems),
        "by_severity": by_severity,
        "blocking": sum(p.severity.at_least(report.threshold) for p in lead.problems),
        # The missing endpoint is the headline, not a numbered problem: said, not counted twice.
        "in_headline": lead.headline_problem,
        "actions": len(answer.actions) if answer is not None else 0,
        "blockers": len(answer.blockers) if answer is not None else 0,
        "unchecked": len(lead.unchecked) + (len(answer.unchecked) if answer is not None else 0),
        "passed": len(lead.passed),
        "notes": len(lead.notes),
    }


def _actions(report: PreflightReport) -> list[dict[str, Any]]:
    """The answer's actions for the request page (the rollout page renders the audit's own)."""
    from auditor.preflight.actions_view import _resolved

    answer = report.answer
    if answer is None or report.request is None:
        return []
    numbers = {a.id: str(n) for n, a in enumerate(answer.actions, 1)}
    return [{"severity": a.severity.value, "text": clean(a.text, 1000), "rules": clean(", ".join(a.rule_ids), 120),
             "evidence": [clean(e, 600) for e in a.evidence], "resolves": clean(_resolved(a), 1000),
             "after": ", ".join(numbers.get(i, clean(i, 20)) for i in a.depends_on)} for a in answer.actions]


def context(report: PreflightReport, lead: Lead) -> dict[str, Any]:
    from auditor.preflight.actions_view import heading

    links, to_fix = chain(report)
    answer = report.answer
    return {"title": title(report), "mode": report.mode, "chain": links, "to_fix": to_fix,
            "counts": counts(report, lead), "fail_on": report.threshold.value, "show_scope": report.request is None,
            "actions": _actions(report),
            "actions_heading": clean(heading(answer, "call" if report.request else "rollout"), 200) if answer else "",
            "verdict_line": clean(answer.verdict_line(), 400) if answer is not None else ""}
