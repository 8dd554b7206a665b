from __future__ import annotations

from collections.abc import Iterator

from auditor.results import Status
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list

_DATASET_OF = {"deployment": "deployments", "queue": "queues", "integration_client": "oauth_clients"}


@rule(
    id="PLAN-001",
    title="Every object the rollout plan names exists in the org",
    severity="high",
    resource_type="plan_reference",
    rationale="""A deployment, queue or OAuth client named in the plan that does not exist in the
        org is the `404 not.found` the rollout would hit when it calls the API with that id (or
        the object an admin forgot to create). When the auditing client could not see every
        division (the dataset is `partial`), an unmatched queue may sit in a division it cannot
        see: that is reported as not visible (ERROR), never as missing.""",
    remediation="""Fix the name or id in the plan, or create the object. Names are matched
        case-insensitively; ids exactly.""",
    datasets=("deployments", "queues", "oauth_clients"),
    needs={"deployments": "plan", "queues": "plan", "oauth_clients": "plan"},
    chain_link="deployment",
    plan_requires=(),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    if ctx.plan is None:
        return
    scope = ctx.scope
    snapshot = ctx.frames.snapshot
    for ref in (*scope.deployment_refs, *scope.queue_refs, *scope.client_refs):
        resource_id = f"{ref.kind}:{ref.ref}"
        label = ref.kind.replace("_", " ")
        if ref.ids:
            yield passed(resource_id, ref.ref, f"Plan {label} {ref.ref!r} resolves to {', '.join(ref.ids)}.")
        elif snapshot.status(_DATASET_OF[ref.kind]).partial:
            hidden = snapshot.invisible_divisions(_DATASET_OF[ref.kind]).values()
            yield Outcome(
                Status.ERROR, resource_id, ref.ref,
                f"Plan {label} {ref.ref!r} matches no visible {label}: it is not visible to the auditing client "
                f"(division {name_list(sorted(hidden))}) or does not exist.",
            )
        else:
            yield failed(
                resource_id,
                ref.ref,
                f"Plan {label} {ref.ref!r} matches no {label} in the org (id or name): 404 not.found.",
            )
