"""What the preflight HTML page says about itself: its title, its chain colours and its counts.

The page reuses the audit report's layout, but an audit's chain, summary and scope describe the
whole org, not the call: a critical COB-001 on an amber "warnings" link (the predictions carry no
engine blocker marks), "2 critical, 7 high, 9 FAIL" beside 5 numbered problems (the body fields
counted one by one, the headline's missing endpoint counted again), a page titled "Co-browse
readiness", and the org's co-browse scope for a call that names none of it. So, from the lead:

- the chain: a link is "blocked" when a problem shown on it is at or above `--fail-on` (what makes
  the verdict NO-GO), "warnings" when only lower ones are; each link is as bad as the worst
  severity shown on it;
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


def chain(report: PreflightReport, lead: Lead) -> tuple[list[readiness.Link], dict[str, int]]:
    """The readiness chain of the problems shown: (links, problems to fix per link)."""
    links = {key: readiness.Link(key, label) for key, label in readiness.LINKS}
    worst: dict[str, Severity] = {}
    to_fix: dict[str, int] = {}
    for p in (p for problem in lead.problems for p in problem.predictions):
        key = _link(p)
        if key is None:
            continue
        link = links[key]
        link.evaluated += 1
        if p.rule_id not in link.failing_rules:
            link.failing_rules.append(p.rule_id)
        if key not in worst or p.severity.rank < worst[key].rank:
            worst[key] = p.severity
        if p.severity.at_least(report.fail_on):
            to_fix[key] = to_fix.get(key, 0) + 1
    for p in report.predictions:
        key = _link(p)
        if key is None or p.status in (Status.FAIL, Status.NOT_APPLICABLE):
            continue  # FAILs are counted above (info-severity ones are notes, not problems)
        links[key].evaluated += 1
        if p.status is Status.ERROR and p.rule_id not in links[key].error_rules:
            links[key].error_rules.append(p.rule_id)
    for key, link in links.items():
        link.failing_rules.sort()
        link.error_rules.sort()
        if key in worst and worst[key].at_least(report.fail_on):
            link.state = "fail"
        elif link.error_rules:
            link.state = "unknown"
        elif key in worst:
            link.state = "warn"
        elif link.evaluated:
            link.state = "ok"
    return list(links.values()), to_fix


def counts(report: PreflightReport, lead: Lead) -> dict[str, Any]:
    """The summary: the numbered problems by severity, and what else the page lists."""
    by_severity = {s.value: 0 for s in Severity}
    for problem in lead.problems:
        by_severity[problem.severity.value] += 1
    return {
        "problems": len(lead.problems),
        "by_severity": by_severity,
        "blocking": sum(p.severity.at_least(report.fail_on) for p in lead.problems),
        # The missing endpoint is the headline, not a numbered problem: said, not counted twice.
        "in_headline": lead.headline_problem,
        "unchecked": len(lead.unchecked),
        "passed": len(lead.passed),
        "notes": len(lead.notes),
    }


def context(report: PreflightReport, lead: Lead) -> dict[str, Any]:
    links, to_fix = chain(report, lead)
    return {"title": title(report), "chain": links, "to_fix": to_fix, "counts": counts(report, lead),
            "fail_on": report.fail_on.value, "show_scope": report.request is None}
