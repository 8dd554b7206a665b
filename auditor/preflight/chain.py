"""The co-browse chain rules, run by the engine over exactly the objects a request or plan names.

The request's resolved references (queues, deployments, the token's OAuth client, target URLs)
become a rollout `Plan`, merged with the user's plan if any, and `run_audit` evaluates the
catalog over it. Results are kept only for those objects (and org-level ones such as COB-001):
an unrelated client with a PASSWORD grant elsewhere in the org is not this call's problem.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from auditor.analysis.scope import Scope
from auditor.engine import run_audit
from auditor.genesys.permissions import COBROWSE_PERMISSION
from auditor.inputs.plan import Plan
from auditor.preflight.checks import Prediction, Resolved
from auditor.results import Result, Status
from auditor.rules import Rule, catalog

if TYPE_CHECKING:
    from auditor.analysis.frames import Frames
    from auditor.results import AuditReport
    from auditor.snapshot import Snapshot

#: What the API most likely answers when a catalog rule's problem is hit by the call. Rules not
#: listed describe configuration that makes co-browse fail silently (no offer, no button), not
#: an HTTP error of the call itself.
RULE_HTTP: dict[str, tuple[int, str]] = {
    "PLAN-001": (404, "not.found"),
    "AUTHZ-001": (403, "missing.any.permissions"),
    "AUTHZ-002": (403, "missing.any.permissions"),
    "AUTHZ-003": (403, "missing.any.permissions"),
    "OAUTH-001": (403, "missing.any.permissions"),
    "OAUTH-002": (403, "missing.any.permissions"),
    "OAUTH-008": (401, "invalid_client"),
}


def engine_plan(user_plan: Plan | None, resolved: Resolved) -> Plan:
    """The user's plan (or an empty one) plus the objects the request resolved to, by id."""
    base = user_plan or Plan()

    def merged(existing: tuple[str, ...], extra: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*existing, *extra)))

    return replace(
        base,
        deployments=merged(base.deployments, resolved.deployment_ids),
        queues=merged(base.queues, resolved.queue_ids),
        sites=merged(base.sites, resolved.sites),
        integration_clients=merged(base.integration_clients, resolved.client_ids),
    )


def relevant_keys(frames: Frames, plan: Plan, user_plan: Plan | None, org_id: str) -> set[str]:
    """Resource ids (or parts of them) whose results concern this call or rollout."""
    scope = Scope(frames, plan)
    keys = {org_id, *plan.sites, *plan.deployments, *plan.queues, *plan.integration_clients}
    # Org-wide permission rules (AUTHZ-001) report on the permission string itself.
    keys.update(COBROWSE_PERMISSION[c] for c in plan.channels if c in COBROWSE_PERMISSION)
    for name, ids in (("deployments", lambda: scope.deployment_ids), ("queues", lambda: scope.queue_ids),
                      ("oauth_clients", lambda: scope.client_ids)):
        # Only objects named explicitly: without a plan, the scope's fallback (every co-browse
        # deployment, every messaging queue) is not what a single call relies on.
        named = getattr(plan, "integration_clients" if name == "oauth_clients" else name)
        if (named or user_plan is not None) and frames.available(name):
            keys.update(ids())
    return {k for k in keys if k}


def _relevant(result: Result, keys: set[str]) -> bool:
    return result.resource_id in keys or any(key in result.resource_id for key in keys if len(key) > 3)


def to_prediction(result: Result, blocker: bool = False) -> Prediction:
    http = RULE_HTTP.get(result.rule_id) if result.status is Status.FAIL else None
    return Prediction(
        rule_id=result.rule_id,
        title=result.title,
        severity=result.severity,
        status=result.status,
        http_status=http[0] if http else None,
        error_code=http[1] if http else None,
        cause=result.message,
        fix=result.remediation if result.status is not Status.PASS else "",
        resource_type=result.resource_type,
        resource_id=result.resource_id,
        resource_name=result.resource_name,
        source="rule",
        blocker=blocker,
        fingerprint=result.fingerprint,
    )


def predictions_of(report: AuditReport, statuses: tuple[Status, ...]) -> list[Prediction]:
    """The report's results with these statuses as predictions, blockers marked as its answer says."""
    blockers = {r.fingerprint for r in report.answer.blockers}
    return [to_prediction(r, r.fingerprint in blockers) for r in report.results if r.status in statuses]


def chain_rules(plan: Plan, user_plan: Plan | None) -> list[Rule]:
    """The catalog rules that concern the objects named: a rule family with nothing to look at is
    not run, so a dataset it alone needs does not make the prediction "incomplete"."""
    wanted = {"delivery", "authorization"}  # co-browse itself: org-level COB-001, AUTHZ-001 always apply
    if plan.queues or user_plan is not None:
        wanted.add("queues")
    if plan.integration_clients:
        wanted.add("oauth")
    if user_plan is not None:
        wanted.update(("plan", "custom"))
    return [r for r in catalog() if r.category in wanted]


def run_chain(snapshot: Snapshot, frames: Frames, user_plan: Plan | None, resolved: Resolved,
              ) -> tuple[list[Prediction], AuditReport]:
    """A request's chain: the rules over the objects it names, and the report of only those results
    (its `answer` is the request's: the actions preflight shows after its own lead)."""
    plan = engine_plan(user_plan, resolved)
    report = run_audit(snapshot, plan, rules=chain_rules(plan, user_plan))
    keys = relevant_keys(frames, plan, user_plan, report.org_id)
    report.results = [r for r in report.results if r.status is not Status.NOT_APPLICABLE and _relevant(r, keys)]
    return predictions_of(report, (Status.FAIL, Status.ERROR, Status.WAIVED, Status.PASS)), report


#: The results a rollout plan's preflight lists (its PASS and n/a results stay in the audit).
PLAN_STATUSES = (Status.FAIL, Status.ERROR, Status.WAIVED)


def run_plan(snapshot: Snapshot, user_plan: Plan) -> tuple[list[Prediction], AuditReport]:
    """A rollout plan: exactly `gcaudit audit --plan` (every rule, the plan's scope), so preflight
    shows the audit's own answer: the same verdict, blockers and actions."""
    report = run_audit(snapshot, user_plan)
    return predictions_of(report, PLAN_STATUSES), report
