"""Preflight, lead first: the one thing to change first, then the problems, each fix once.

Shapes the predictions for people (the JSON keeps every prediction as it is):

- the headline: when the endpoint does not exist (PRE-001 with 404), that is the headline, with
  the request that would work right under it; otherwise the verdict and its count;
- the body fields the API does not take (PRE-003) collapse into one problem with one sub-point
  per field and one fix;
- fixes are de-duplicated: a fix already given is not repeated;
- placeholder values (example.com, `your-...`, `12345678-1234-...`, one repeated digit) are called
  placeholders: never "checked and fine", and the HTML never links them;
- info-severity checks are notes, not problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.reporters.placeholders import is_placeholder
from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.preflight.checks import Prediction
    from auditor.preflight.verdict import PreflightReport

ENDPOINT_CHECK = "PRE-001"
BODY_FIELD_CHECK = "PRE-003"


@dataclass
class Problem:
    severity: Severity
    rule_ids: list[str]
    would_get: str
    summary: str
    points: list[str] = field(default_factory=list)
    fix: str = ""  # empty when the same fix was given for an earlier problem
    placeholder: bool = False
    predictions: list[Prediction] = field(default_factory=list)


@dataclass
class Lead:
    headline: str
    #: The request that would work, one line, right under the headline (None in plan mode).
    instead: str | None
    problems: list[Problem]
    notes: list[str]
    placeholders: list[str]
    passed: list[str]
    #: Checks that could not run (data missing from the snapshot): why the verdict may be INCOMPLETE.
    unchecked: list[str] = field(default_factory=list)
    #: The problem the headline states (the missing endpoint, critical), not repeated in `problems`.
    headline_problem: str = ""

    @property
    def blocking_count(self) -> int:
        return len(self.problems)


def _placeholder(p: Prediction) -> bool:
    return is_placeholder(p.resource_id) or is_placeholder(p.resource_name)


def _problem(p: Prediction) -> Problem:
    label = "placeholder " if _placeholder(p) else ""
    summary = f"{label}{p.resource_name}: {p.cause}" if p.resource_name else p.cause
    return Problem(p.severity, [p.rule_id], p.would_get, summary, fix=p.fix, placeholder=bool(label),
                   predictions=[p])


def _body_problem(fields: list[Prediction]) -> Problem:
    names = ", ".join(p.resource_name for p in fields)
    summary = (f"The body has {len(fields)} field(s) the API does not take ({names}); "
               "this call takes no body" if len(fields) > 1 else fields[0].cause)
    worst = min(fields, key=lambda p: p.severity.rank)
    return Problem(worst.severity, [BODY_FIELD_CHECK], worst.would_get, summary,
                   points=[f"{p.resource_name}: {p.cause}" for p in fields] if len(fields) > 1 else [],
                   fix=worst.fix, predictions=list(fields))


def _endpoint_missing(report: PreflightReport) -> Prediction | None:
    return next((p for p in report.problems if p.rule_id == ENDPOINT_CHECK and p.http_status == 404), None)


def build(report: PreflightReport) -> Lead:
    failing = [p for p in report.predictions if p.status is Status.FAIL]
    if report.answer is not None:
        # The catalog rules' findings are the answer's actions (and "also" findings), shown after
        # the lead (`actions_view`): the numbered problems are preflight's own checks only.
        failing = [p for p in failing if p.source == "preflight"]
    notes = [f"{p.rule_id}: {p.cause}" for p in failing if p.severity is Severity.INFO]
    failing = [p for p in failing if p.severity is not Severity.INFO]
    missing = _endpoint_missing(report)
    body_fields = [p for p in failing if p.rule_id == BODY_FIELD_CHECK]
    problems: list[Problem] = []
    for p in failing:
        if p is missing:
            continue
        if p.rule_id == BODY_FIELD_CHECK:
            if p is body_fields[0]:
                problems.append(_body_problem(body_fields))
            continue
        problems.append(_problem(p))
    # Most severe first; among equals, the request's own shape (its body) before what it points at,
    # and real values before placeholders.
    problems.sort(key=lambda pr: (pr.severity.rank, pr.rule_ids != [BODY_FIELD_CHECK], pr.placeholder))
    seen_fixes = {missing.fix} if missing else set()
    for problem in problems:
        if problem.fix in seen_fixes:
            problem.fix = ""
        else:
            seen_fixes.add(problem.fix)
    passed_predictions = [p for p in report.predictions if p.status is Status.PASS]
    placeholders = sorted({p.resource_name or p.resource_id for p in report.predictions if _placeholder(p)})
    passed = sorted({f"{p.rule_id} {p.resource_name}" for p in passed_predictions if not _placeholder(p)})
    instead = None
    if report.suggestion is not None:
        s = report.suggestion
        instead = f"Use instead: {s.method} {s.url} (no body)"
    if missing is not None:
        method_path = report.request.describe().split(";", 1)[0] if report.request else "This endpoint"
        headline = f"{report.verdict}: {method_path} does not exist ({missing.would_get})"
    elif report.answer is not None:
        headline = _answer_headline(report)
    else:
        count = len([p for p in problems if p.severity.at_least(report.threshold)])
        headline = _verdict_headline(report, count)
    errors = report.errors if report.answer is None else [p for p in report.errors if p.source == "preflight"]
    unchecked = [f"{p.rule_id} {p.resource_name}: {p.cause}" for p in errors]
    in_headline = f"{missing.rule_id} [{missing.severity.value}]" if missing is not None else ""
    return Lead(headline, instead, problems, notes + list(report.notes), placeholders, passed, unchecked,
                in_headline)


def _verdict_headline(report: PreflightReport, count: int) -> str:
    threshold = report.threshold.value
    if report.verdict == "NO-GO":
        return f"NO-GO: {count} problem(s) at or above {threshold}"
    if report.verdict == "INCOMPLETE":
        return (f"INCOMPLETE: nothing at or above {threshold} found, but {len(report.errors)} "
                "check(s) lacked data")
    return f"GO: nothing at or above {threshold} fails"


def _answer_headline(report: PreflightReport) -> str:
    """`NO-GO: NOT READY for co-browse: 15 actions resolve 25 blockers; ...`: the GO / NO-GO, then the
    answer's own verdict line (the same as `gcaudit audit`'s), after what else decided a NO-GO (a
    problem of the request itself, or with `--fail-on SEVERITY` a finding that blocks nothing)."""
    assert report.answer is not None
    others = [p for p in report.blocking if not p.blocker]
    parts = []
    if others:
        if report.request is None:
            where = f"(--fail-on {report.threshold.value})"
        elif all(p.source == "preflight" for p in others):
            where = "in the request"
        else:
            where = "in the request or the objects it names"
        parts.append(f"{len(others)} problem(s) at or above {report.threshold.value} {where}")
    line = report.answer.verdict_line()
    if report.verdict == "INCOMPLETE" and line.startswith("INCOMPLETE"):
        return "; ".join([*parts, line])
    return f"{report.verdict}: " + "; ".join([*parts, line])
