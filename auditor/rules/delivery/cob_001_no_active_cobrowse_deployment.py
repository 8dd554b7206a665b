from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="COB-001",
    title="An Active web deployment pins a Messenger configuration with co-browse enabled",
    severity="critical",
    resource_type="organization",
    rationale="""Co-browse for Messenger is offered only through a web deployment whose pinned
        Messenger configuration has `cobrowse.enabled: true`. With none Active, agents never see
        the co-browse button and any attempt to start a session fails. There is no queue media
        type or API body field that enables co-browse instead: forum answers that add
        `cobrowseType` or a "Cobrowse" queue media type chase a 400/404 that comes from here.""",
    remediation="""Admin > Message > Messenger Configurations: enable Co-browse in the configuration,
        publish a new version, then Admin > Message > Messenger Deployments: pin that version on
        an Active deployment (PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
        "https://help.mypurecloud.com/articles/configure-messenger/",
    ),
    datasets=("deployments",),
    chain_link="deployment",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.frames.deployments
    ready = frame[frame["cobrowse_enabled"] & frame["status"].eq("Active")]
    name = ctx.org_name or ctx.org_id
    if ready.empty:
        enabled = frame[frame["cobrowse_enabled"]]
        detail = (
            f"co-browse is enabled on {len(enabled)} deployment(s) but none is Active"
            if not enabled.empty
            else "no deployment pins a configuration with co-browse enabled"
        )
        yield failed(ctx.org_id, name, f"Org {name!r}: {detail}.")
    else:
        names = ", ".join(sorted(ready["name"]))
        yield passed(ctx.org_id, name, f"Org {name!r}: co-browse is live on Active deployment(s) {names}.")
