from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="COB-006",
    title="Web deployments restrict the domains Messenger loads on",
    severity="medium",
    resource_type="web_deployment",
    rationale="""With `allowAllDomains: true` any website can embed the deployment's snippet and
        open Messenger conversations into your queues; with co-browse enabled an agent may then
        view (and, if allowed, control) pages of a site you do not own. It also hides the
        domain mistakes COB-005 would catch, since every host is accepted.""",
    remediation="""Admin > Message > Messenger Deployments > (deployment): turn on Restrict domain
        access and list your sites' hosts (`allowAllDomains: false` plus `allowedDomains` in
        PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=("https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",),
    datasets=("deployments",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Every deployment (hygiene lens): an exposure does not care about the plan, and a deployment
    # without co-browse that any site may embed still opens conversations into your queues.
    frame = ctx.frames.deployments
    for deployment_id, name, allow_all, domains, cobrowse in zip(
        frame["id"], frame["name"], frame["allow_all_domains"], frame["allowed_domains"], frame["cobrowse_enabled"],
        strict=True,
    ):
        if allow_all:
            what = "serves co-browse" if cobrowse else "serves Messenger"
            yield failed(deployment_id, name, f"Deployment {name!r} {what} with allowAllDomains: true (any site).")
        else:
            yield passed(
                deployment_id, name, f"Deployment {name!r} restricts Messenger to {len(domains)} allowed domain(s)."
            )
