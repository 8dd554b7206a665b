"""Runs the rules over a snapshot: snapshot -> frames -> results. Never touches the network."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from auditor import __version__
from auditor.analysis.coverage import apply as apply_coverage
from auditor.analysis.coverage import coverage
from auditor.analysis.frames import Frames
from auditor.analysis.locations import Locator
from auditor.analysis.scope import Scope
from auditor.analysis.unknowns import evaluate_with_unknowns
from auditor.errors import DatasetUnavailable
from auditor.inputs.plan import Plan
from auditor.results import AuditReport, Result, Status, fingerprint
from auditor.rules import Rule, RuleContext, catalog
from auditor.rules.base import Outcome
from auditor.snapshot import Snapshot
from auditor.snapshot.gcpause import gc_paused

log = logging.getLogger(__name__)


def _result(rule: Rule, ctx: RuleContext, outcome: Outcome) -> Result:
    resource_type = outcome.resource_type or rule.resource_type
    return Result(
        rule_id=rule.id,
        title=rule.title,
        severity=rule.severity,
        status=outcome.status,
        resource_type=resource_type,
        resource_id=outcome.resource_id,
        resource_name=outcome.resource_name,
        message=outcome.message,
        remediation=rule.remediation,
        fingerprint=fingerprint(rule.id, ctx.org_id, outcome.resource_id),
        category=rule.category,
        facts=outcome.facts,
        # The readiness lens: a chain rule's verdict on an object co-browse relies on.
        blocks_cobrowse=rule.chain_link is not None and ctx.scope.contains(resource_type, outcome.resource_id),
    )


def _org_outcome(ctx: RuleContext, status: Status, message: str) -> Outcome:
    return Outcome(status, ctx.org_id, ctx.org_name or ctx.org_id, message, resource_type="organization")


def invisible_divisions(rule: Rule, snapshot: Snapshot) -> dict[str, tuple[str, list[str]]]:
    """Division id -> (name, partial datasets) for the divisions hidden from the rule's data."""
    out: dict[str, tuple[str, list[str]]] = {}
    for dataset in rule.datasets:
        if not snapshot.status(dataset).partial:
            continue
        for division_id, name in snapshot.invisible_divisions(dataset).items():
            out.setdefault(division_id, (name, []))[1].append(dataset)
    return out


def _unseen_outcomes(rule: Rule, snapshot: Snapshot) -> list[Outcome]:
    """One ERROR per division the rule's data could not see: what is there was not checked, so the
    rule can never PASS for it. Rules handle partial data themselves only where they can say
    more (PLAN-001); everything else gets this."""
    outcomes = []
    for division_id, (name, datasets) in invisible_divisions(rule, snapshot).items():
        outcomes.append(Outcome(
            Status.ERROR, f"division:{division_id}", name,
            f"Division {name!r} is not visible to the auditing client ({', '.join(datasets)} collected without "
            "it): its objects were not checked. Grant the auditing client's role in every division.",
            resource_type="division",
        ))
    return outcomes


def evaluate_rule(rule: Rule, ctx: RuleContext, snapshot: Snapshot) -> list[Outcome]:
    # A rule about plan elements the plan does not list does not apply, whatever data is missing:
    # its ERROR would only say that data it would not have read was not collected.
    if rule.plan_requires:
        absent = [p for p in rule.plan_requires if ctx.plan is None or not getattr(ctx.plan, p)]
        if absent:
            return [_org_outcome(ctx, Status.NOT_APPLICABLE, f"The rollout plan lists no {', '.join(absent)}.")]
    missing = [d for d in rule.datasets if not snapshot.available(d)]
    if missing:
        reasons = "; ".join(f"{d}: {snapshot.status(d).reason()}" for d in missing)
        return [_org_outcome(ctx, Status.ERROR, f"Cannot evaluate: required data was not collected ({reasons}).")]
    # A targeted snapshot (a call plan) may hold a sub-resource for some objects only.
    cover = coverage(rule, snapshot, ctx.scope)
    if cover.problem:
        return [_org_outcome(ctx, Status.ERROR, f"Cannot evaluate: {cover.problem}.")]
    try:
        outcomes = list(rule.evaluate(ctx))
    except DatasetUnavailable as exc:
        return [_org_outcome(ctx, Status.ERROR, f"Cannot evaluate: {exc}.")]
    except Exception as exc:  # a bug in one rule must not hide the others' results
        log.error("rule %s crashed: %s: %s", rule.id, type(exc).__name__, exc)
        log.debug("rule %s traceback", rule.id, exc_info=True)
        return [_org_outcome(ctx, Status.ERROR, f"Rule failed to evaluate: {type(exc).__name__}: {exc}")]
    outcomes = apply_coverage(rule, outcomes, cover)
    unseen = _unseen_outcomes(rule, snapshot)
    if not outcomes and not unseen:
        return [_org_outcome(ctx, Status.NOT_APPLICABLE, "No resource in the co-browse scope to evaluate.")]
    return outcomes + unseen


def scope_summary(scope: Scope) -> dict[str, Any]:
    """What the report says about the co-browse scope: where the queues came from and, per scope
    queue, its traffic in the window (the first evidence of whether co-browse ever worked there)."""
    summary: dict[str, Any] = {"queues_from": scope.queues_from, "fallback_reason": scope.traffic_fallback_reason}
    try:
        queue_ids = scope.queue_ids
        frame = scope.frames.queues
        names = dict(zip(frame["id"].tolist(), frame["name"].tolist(), strict=True))
    except DatasetUnavailable:
        return summary
    queues = []
    with_traffic = scope.frames.available("conversation_aggregates")
    for queue_id in queue_ids:
        entry: dict[str, Any] = {"id": queue_id, "name": names.get(queue_id), "visible": queue_id in names}
        traffic = scope.traffic.get(queue_id)
        if with_traffic:
            entry.update(
                webmessaging_conversations=(traffic.webmessaging + traffic.message_untyped) if traffic else 0,
                voice_conversations=traffic.voice if traffic else 0,
                cobrowse_sessions=traffic.cobrowse_sessions if traffic else 0,
            )
        queues.append(entry)
    summary["queues"] = queues
    return summary


def _context(snapshot: Snapshot, plan: Plan | None) -> RuleContext:
    frames = Frames(snapshot)
    manifest = snapshot.manifest
    return RuleContext(frames=frames, scope=Scope(frames, plan), plan=plan,
                       org_id=manifest.organization_id, org_name=manifest.organization_name)


def _evaluator(rule: Rule, ctx: RuleContext, snapshot: Snapshot,
               plan: Plan | None) -> Callable[[Snapshot], list[Outcome]]:
    """Evaluate `rule` on `snapshot` or on a copy whose unknown values are filled in."""

    def evaluate(filled: Snapshot) -> list[Outcome]:
        return evaluate_rule(rule, ctx if filled is snapshot else _context(filled, plan), filled)
    return evaluate


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
    # Frozen at the end like the snapshot: resuming the collector over the 300,000 results and the
    # frames built meanwhile would walk them all at once (0.3 s at 50,000 queues) to find no cycle.
    with gc_paused(freeze=True):
        for rule in rules if rules is not None else catalog():
            outcomes = evaluate_with_unknowns(rule, snapshot, _evaluator(rule, ctx, snapshot, plan))
            results.extend(locate(_result(rule, ctx, o)) for o in outcomes)
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
        scope=scope_summary(ctx.scope),
    )
