from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list


@rule(
    id="COB-002",
    title="Co-browse enabled in a Messenger configuration draft is published and pinned",
    severity="high",
    resource_type="messenger_configuration",
    rationale="""Messenger serves the configuration version a deployment pins
        (`deployment.configuration.version`), never the draft that GET
        /api/v2/webdeployments/configurations lists. Co-browse switched on in a draft that was not
        published and pinned, or in a configuration no deployment uses, looks enabled in Admin but
        is off for every customer: the agent never gets the co-browse offer and
        POST /api/v2/conversations/{conversationId}/cobrowse cannot start a session. Forum answers
        blame the request body (`cobrowseType`, `cobrowseTarget`) for this; that endpoint takes no
        body, and the fix is publishing the version.""",
    remediation="""Admin > Message > Messenger Configurations > (configuration): Save and Publish
        (POST /api/v2/webdeployments/configurations/{configurationId}/versions/draft/publish), then
        Admin > Message > Messenger Deployments > (deployment): select the new version
        (PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=(
        "https://help.mypurecloud.com/articles/configure-messenger/",
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
    ),
    datasets=("configurations", "deployments"),
    chain_link="configuration",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Org-wide: a draft belongs to no plan object until a deployment pins it, and an enabled but
    # unpinned draft is exactly the "I enabled co-browse and nothing happens" case.
    configs = ctx.frames.configurations
    deployments = ctx.frames.deployments
    # Grouped once, in frame order: filtering the deployments frame per configuration cost 0.5 ms
    # each (a tenth of a second at a few hundred configurations).
    pinned_by: dict[str, list[tuple[str, bool, str | None, str]]] = {}
    for config_id, name, enabled, version, deployment_id in zip(
        deployments["configuration_id"].tolist(), deployments["name"].tolist(),
        deployments["cobrowse_enabled"].tolist(), deployments["configuration_version"].tolist(),
        deployments["id"].tolist(), strict=True,
    ):
        pinned_by.setdefault(config_id, []).append((name, enabled, version, deployment_id))
    for config_id, name, enabled in zip(configs["id"].tolist(), configs["name"].tolist(),
                                        configs["cobrowse_enabled"].tolist(), strict=True):
        if not enabled:
            continue
        pinning = pinned_by.get(config_id, [])
        if not pinning:
            yield failed(
                config_id, name,
                f"Configuration {name!r} enables co-browse but no deployment pins it, so no site offers co-browse.",
                facts={"configuration_id": config_id, "deployments": []},
            )
            continue
        stale = [(d, v, i) for d, e, v, i in pinning if not e]
        if not stale:
            yield passed(
                config_id, name,
                f"Configuration {name!r} enables co-browse and every deployment pinning it "
                f"({name_list([d for d, _, _, _ in pinning])}) serves a version with co-browse enabled.",
            )
        else:
            pins = [f"{d} (version {v or '?'})" for d, v, _ in stale]
            yield failed(
                config_id, name,
                f"Configuration {name!r} enables co-browse only in its draft: deployment(s) "
                f"{name_list(pins)} pin a version with co-browse disabled.",
                facts={"configuration_id": config_id,
                       "deployments": [{"id": i, "name": d, "version": v} for d, v, i in stale]},
            )
