from __future__ import annotations

from collections.abc import Iterator

from auditor.results import Status
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import text_or_none
from auditor.safety.fileio import shorten


@rule(
    id="COB-008",
    title="Co-browse deployments route web messaging into a published inbound message flow",
    severity="high",
    resource_type="web_deployment",
    rationale="""Co-browse for Messenger is offered inside a web messaging conversation, and a web
        deployment starts that conversation in its inbound message flow: `WebDeployment.flow` is
        "a reference to the inboundshortmessage flow used by this deployment" (SDK 269
        models/web_deployment.py). A deployment without that flow, or whose flow does not exist
        or has no published version (`Flow.publishedVersion`, SDK 269 models/flow.py), never
        routes a customer's message to a queue, so no agent is ever in a conversation to offer
        co-browse from. Checked on every deployment that enables co-browse (and on the plan's).""",
    remediation="""Admin > Message > Messenger Deployments > (deployment): select an inbound message
        flow (PUT /api/v2/webdeployments/deployments/{deploymentId} with `flow`), and publish that
        flow in Architect (the flow must have a published version).""",
    references=(
        "https://developer.genesys.cloud/devapps/api-explorer#put-api-v2-webdeployments-deployments--deploymentId-",
    ),
    datasets=("deployments", "flows"),
    needs={"flows": "referenced"},
    chain_link="deployment",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.scope.cobrowse_deployments()
    flows = ctx.frames.flows
    published = dict(zip(flows["id"].tolist(), flows["published"].tolist(), strict=True))
    flows_partial = ctx.frames.snapshot.status("flows").partial
    for deployment_id, name, flow_id, flow_name in zip(
        frame["id"], frame["name"], frame["flow_id"], frame["flow_name"], strict=True
    ):
        flow_id = text_or_none(flow_id)
        label = shorten(str(text_or_none(flow_name) or flow_id))
        if not flow_id:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} has no inbound message flow: no web messaging conversation is routed, "
                "so co-browse is never offered.",
                facts={"flow_problem": "none"},
            )
        elif flow_id not in published and flows_partial:
            yield Outcome(
                Status.ERROR, deployment_id, name,
                f"Deployment {name!r} uses inbound message flow {label!r}, which is not visible to the auditing "
                "client (flows were collected without some divisions): it could not be checked.",
            )
        elif flow_id not in published:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} uses inbound message flow {label!r}, which does not exist in the org.",
                facts={"flow_problem": "missing", "flow_id": flow_id, "flow_name": label},
            )
        elif not published[flow_id]:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} uses inbound message flow {label!r}, which has no published version.",
                facts={"flow_problem": "unpublished", "flow_id": flow_id, "flow_name": label},
            )
        else:
            yield passed(
                deployment_id, name, f"Deployment {name!r} routes web messaging into published flow {label!r}."
            )
