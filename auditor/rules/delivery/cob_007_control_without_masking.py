from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="COB-007",
    title="Co-browse with agent control or navigation masks sensitive fields",
    severity="low",
    resource_type="web_deployment",
    rationale="""`allowAgentControl` lets the agent request control of the customer's page and
        `allowAgentNavigation` lets the agent request to navigate it. Without `maskSelectors`
        every field (card numbers, passwords, personal data) is shown to the agent and, with
        control, can be edited by them: a data-protection finding waiting to happen.""",
    remediation="""Admin > Message > Messenger Configurations > (configuration) > Co-browse: add
        masked fields (CSS selectors such as `input[type=password]`, `.card-number`) or turn off
        agent control and navigation, publish, and pin the new version on the deployment.""",
    references=("https://help.mypurecloud.com/articles/configure-messenger/",),
    datasets=("deployments",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Org-wide over deployments that serve co-browse: the pinned settings are what customers
    # get today, inside the plan or not; a deployment without co-browse exposes nothing.
    frame = ctx.frames.deployments
    frame = frame[frame["cobrowse_enabled"]]
    for deployment_id, name, control, navigation, masks in zip(
        frame["id"], frame["name"], frame["allow_agent_control"], frame["allow_agent_navigation"],
        frame["mask_selectors"], strict=True,
    ):
        masks = [m for m in masks if isinstance(m, str) and m.strip()]  # blank selectors mask nothing
        powers = [p for p, on in (("agent control", control), ("agent navigation", navigation)) if on]
        if powers and not masks:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} allows {' and '.join(powers)} in co-browse with no maskSelectors.",
            )
        elif powers:
            yield passed(
                deployment_id, name,
                f"Deployment {name!r} allows {' and '.join(powers)} and masks {len(masks)} selector(s).",
            )
        else:
            yield passed(deployment_id, name, f"Deployment {name!r} allows neither agent control nor navigation.")
