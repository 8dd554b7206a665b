from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="COB-011",
    title="Co-browse deployments not in headless mode (or the site handles the offer itself)",
    severity="info",
    resource_type="web_deployment",
    rationale="""With `headlessMode.enabled` (WebDeploymentHeadlessMode, SDK 269) Messenger shows no
        user interface of its own: the co-browse offer reaches the page only as a Messenger
        headless SDK event, and the site's own code must show it and accept it. A site built for
        the standard Messenger never shows the offer, and co-browse looks broken although every
        setting is right. A note to check, not a fault.""",
    remediation="""Make sure the site's headless integration handles the co-browse offer (see the
        Messenger headless SDK), or turn headless mode off in the Messenger configuration.""",
    references=("https://help.mypurecloud.com/articles/configure-messenger/",),
    datasets=("deployments",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.scope.cobrowse_deployments()
    for deployment_id, name, headless in zip(frame["id"], frame["name"], frame["headless"], strict=True):
        if headless:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} uses headless mode: the site itself must show and accept the co-browse "
                "offer through the Messenger headless SDK.",
            )
        else:
            yield passed(deployment_id, name, f"Deployment {name!r} uses the standard Messenger interface.")
