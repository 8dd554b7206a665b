"""GO / NO-GO for a Terraform apply: the org before (snapshot) and after (plan overlaid) compared.

NO-GO when the apply brings a FAIL at or above the threshold that the org does not have today
(a plan that disables co-browse, deactivates a deployment, turns a client into PASSWORD...),
naming file and line. An ERROR the apply brings (a value unknown before apply that a rule needs)
makes the verdict UNKNOWN (exit 3): never GO on a guess.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from typing import Any

from auditor.reporters.table import clean
from auditor.results import AuditReport, Result, Severity, Status


@dataclass
class ApplyVerdict:
    verdict: str  # "GO" | "NO-GO" | "UNKNOWN"
    blockers: list[Result] = field(default_factory=list)
    unknown: list[Result] = field(default_factory=list)
    fixed: list[Result] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return {"GO": 0, "NO-GO": 1, "UNKNOWN": 3}[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict,
                "blockers": [r.to_dict() for r in self.blockers],
                "unknown": [r.to_dict() for r in self.unknown],
                "fixed": [r.to_dict() for r in self.fixed]}


def judge_apply(before: AuditReport, after: AuditReport, fail_on: Severity) -> ApplyVerdict:
    failing_before = {r.fingerprint for r in before.results if r.status is Status.FAIL}
    error_before = {r.fingerprint for r in before.results if r.status is Status.ERROR}
    failing_after = {r.fingerprint for r in after.results if r.status is Status.FAIL}
    blockers = [r for r in after.results if r.status is Status.FAIL and r.severity.at_least(fail_on)
                and r.fingerprint not in failing_before]
    unknown = [r for r in after.results if r.status is Status.ERROR and r.severity.at_least(fail_on)
               and r.fingerprint not in error_before]
    # "Fixed" only where the org after the apply has the same result passing: a result that is
    # gone (its dataset no longer judged, its object deleted) or ERROR is not a fix.
    passing_after = {r.fingerprint for r in after.results if r.status in (Status.PASS, Status.NOT_APPLICABLE)}
    fixed = [r for r in before.results if r.status is Status.FAIL and r.fingerprint not in failing_after
             and r.fingerprint in passing_after]
    verdict = "NO-GO" if blockers else "UNKNOWN" if unknown else "GO"
    return ApplyVerdict(verdict, blockers, unknown, fixed)


def _line(result: Result) -> str:
    where = f"{clean(result.where, 200)} " if result.where else ""
    address = f"[{clean(result.location.get('address', ''), 200)}] " if result.location else ""
    return f"  {where}{address}{result.rule_id} [{result.severity.value}] {clean(result.message, 600)}"


#: The terminal form fits 80 columns.
WIDTH = 80


def _wrapped(line: str) -> str:
    return textwrap.fill(line, WIDTH, initial_indent="", subsequent_indent="    ", break_on_hyphens=False)


def render(verdict: ApplyVerdict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False) + "\n"
    bullet = "- " if fmt == "markdown" else ""
    out = [f"{'## ' if fmt == 'markdown' else ''}Apply preflight: {verdict.verdict}"]
    for title, items in (("Blocking: the apply brings these failures", verdict.blockers),
                         ("Unknown until apply (cannot be judged now)", verdict.unknown),
                         ("Fixed by the apply", verdict.fixed)):
        if items:
            out += ["", f"{title}:"] + [bullet + _line(r).strip() if bullet else _wrapped(_line(r)) for r in items]
    if not (verdict.blockers or verdict.unknown):
        out += ["", "The apply brings no new failure at or above the threshold."]
    return "\n".join(out) + "\n"
