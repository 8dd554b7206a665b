"""Runs the rules over a snapshot: snapshot -> frames -> results. Never touches the network."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from auditor import __version__
from auditor.errors import DatasetUnavailable
from auditor.frames import Frames
from auditor.gcpause import gc_paused
from auditor.locations import Locator
from auditor.plan import Plan
from auditor.results import AuditReport, Result, Status, fingerprint
from auditor.rules import Rule, RuleContext, catalog
from auditor.rules.base import Outcome
from auditor.scope import Scope
from auditor.snapshot import Snapshot
from auditor.unknowns import describe, fills, unknowns

log = logging.getLogger(__name__)


def _result(rule: Rule, org_id: str, outcome: Outcome) -> Result:
    return Result(
        rule_id=rule.id,
        title=rule.title,
        severity=rule.severity,
        status=outcome.status,
        resource_type=outcome.resource_type or rule.resource_type,
        resource_id=outcome.resource_id,
        resource_name=outcome.resource_name,
        message=outcome.message,
        remediation=rule.remediation,
        fingerprint=fingerprint(rule.id, org_id, outcome.resource_id),
        category=rule.category,
    )


def _org_outcome(ctx: RuleContext, status: Status, message: str) -> Outcome:
    return Outcome(status, ctx.org_id, ctx.org_name or ctx.org_id, message, resource_type="organization")


def evaluate_rule(rule: Rule, ctx: RuleContext, snapshot: Snapshot) -> list[Outcome]:
    missing = [d for d in rule.datasets if not snapshot.available(d)]
    if missing:
        reasons = "; ".join(f"{d}: {snapshot.status(d).reason()}" for d in missing)
        return [_org_outcome(ctx, Status.ERROR, f"Cannot evaluate: required data was not collected ({reasons}).")]
    if rule.plan_requires:
        absent = [p for p in rule.plan_requires if ctx.plan is None or not getattr(ctx.plan, p)]
        if absent:
            return [_org_outcome(ctx, Status.NOT_APPLICABLE, f"The rollout plan lists no {', '.join(absent)}.")]
    try:
        outcomes = list(rule.evaluate(ctx))
    except DatasetUnavailable as exc:
        return [_org_outcome(ctx, Status.ERROR, f"Cannot evaluate: {exc}.")]
    except Exception as exc:  # a bug in one rule must not hide the others' results
        log.error("rule %s crashed: %s: %s", rule.id, type(exc).__name__, exc)
        log.debug("rule %s traceback", rule.id, exc_info=True)
        return [_org_outcome(ctx, Status.ERROR, f"Rule failed to evaluate: {type(exc).__name__}: {exc}")]
    if not outcomes:
        return [_org_outcome(ctx, Status.NOT_APPLICABLE, "No resource in the co-browse scope to evaluate.")]
    return outcomes


def _context(snapshot: Snapshot, plan: Plan | None) -> RuleContext:
    frames = Frames(snapshot)
    manifest = snapshot.manifest
    return RuleContext(frames=frames, scope=Scope(frames, plan), plan=plan,
                       org_id=manifest.organization_id, org_name=manifest.organization_name)


def evaluate_with_unknowns(rule: Rule, ctx: RuleContext, snapshot: Snapshot, plan: Plan | None) -> list[Outcome]:
    """`evaluate_rule`, but a result that changes with a value unknown before apply is ERROR.

    See `auditor.unknowns`: the rule runs once per fill of the unknown values; results that agree
    under every fill stand, the others name the expressions they depend on.
    """
    marked = unknowns(snapshot, rule.datasets)
    if not marked:
        return evaluate_rule(rule, ctx, snapshot)
    runs = [evaluate_rule(rule, _context(filled, plan), filled) for filled in fills(snapshot, marked, rule.datasets)]
    first = runs[0]
    verdicts = [{o.resource_id: (o.status, o.message) for o in run} for run in runs]
    out: list[Outcome] = []
    seen: set[str] = set()
    for outcome in [o for run in runs for o in run]:
        if outcome.resource_id in seen:
            continue
        seen.add(outcome.resource_id)
        same = all(v.get(outcome.resource_id) == verdicts[0].get(outcome.resource_id) for v in verdicts)
        if same and outcome in first:
            out.append(outcome)
            continue
        statuses = {(v.get(outcome.resource_id) or (None,))[0] for v in verdicts}
        if len(statuses) == 1 and None not in statuses:
            # Same verdict under every fill, but the message quotes a filled-in value: keep the
            # verdict, never the guessed detail.
            out.append(Outcome(
                outcome.status, outcome.resource_id, outcome.resource_name,
                f"{rule.title}: {outcome.status.value} whatever the values known only after apply turn out to be "
                f"(details depend on {describe(marked, outcome.resource_id)}).",
                outcome.resource_type,
            ))
            continue
        out.append(Outcome(
            Status.ERROR, outcome.resource_id, outcome.resource_name,
            f"Cannot evaluate before apply: the result depends on values known only after apply: "
            f"{describe(marked, outcome.resource_id)}.",
            outcome.resource_type,
        ))
    return out


def run_audit(
    snapshot: Snapshot,
    plan: Plan | None = None,
    rules: Iterable[Rule] | None = None,
    now: datetime | None = None,
) -> AuditReport:
    manifest = snapshot.manifest
    ctx = _context(snapshot, plan)
    locate = Locator(snapshot)
    results: list[Result] = []
    with gc_paused():
        for rule in rules if rules is not None else catalog():
            results.extend(locate(_result(rule, ctx.org_id, o))
                           for o in evaluate_with_unknowns(rule, ctx, snapshot, plan))
        results.sort(key=Result.sort_key)
    return AuditReport(
        org_id=manifest.organization_id,
        org_name=manifest.organization_name,
        region=manifest.region,
        collected_at=manifest.collected_at,
        tool_version=__version__,
        snapshot_path=str(snapshot.path) if snapshot.path else None,
        plan_path=plan.path if plan else None,
        datasets={name: status.to_dict() for name, status in manifest.datasets.items()},
        results=results,
        generated_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
    )
