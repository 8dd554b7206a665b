from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.safety.fileio import shorten


@rule(
    id="COB-003",
    title="Deployments that pin a co-browse configuration are Active",
    severity="high",
    resource_type="web_deployment",
    rationale="""Only an `Active` web deployment serves Messenger. A deployment in `Pending`,
        `Inactive`, `Error` or `Deleting` (or a status this tool does not know yet) loads no
        Messenger on the site, so co-browse enabled in its pinned configuration is never offered
        and the agent-side start of a session fails however the API call is written.""",
    remediation="""Admin > Message > Messenger Deployments > (deployment): set Status to Active and
        fix the error the deployment shows, or pin the co-browse configuration on an Active
        deployment (PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=("https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",),
    datasets=("deployments",),
    chain_link="deployment",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Every deployment that enables co-browse, in the plan or not (hygiene lens: an Inactive
    # co-browse deployment outside the plan is still a broken deployment), plus the plan's
    # deployments; the engine marks the plan's (the scope's) results as blockers.
    frame = ctx.frames.deployments
    frame = frame[frame["cobrowse_enabled"] | frame["id"].isin(ctx.scope.deployment_ids)]
    for deployment_id, name, status, enabled in zip(
        frame["id"], frame["name"], frame["status"], frame["cobrowse_enabled"], strict=True
    ):
        if not enabled:
            yield not_applicable(
                deployment_id, name, f"Deployment {name!r} pins a configuration without co-browse (see COB-004)."
            )
        elif status == "Active":
            yield passed(deployment_id, name, f"Deployment {name!r} enables co-browse and is Active.")
        else:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} enables co-browse but its status is {shorten(str(status))!r}, not Active.",
                facts={"status": shorten(str(status))},
            )
