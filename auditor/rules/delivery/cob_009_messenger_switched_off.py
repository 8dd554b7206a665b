from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="COB-009",
    title="The pinned configuration keeps Messenger and its conversations app on",
    severity="high",
    resource_type="web_deployment",
    rationale="""`messenger.enabled: false` (MessengerSettings, SDK 269) turns Messenger off on the
        site; `messenger.apps.conversations.enabled: false` (MessengerApps.conversations,
        ConversationAppSettings.enabled) removes the conversations app. Either way no web
        messaging conversation can start from the deployment, and co-browse, offered inside one,
        never is. Only an explicit `false` in the configuration version the deployment pins
        counts: a field the snapshot does not hold is not read as off.""",
    remediation="""Admin > Message > Messenger Configurations > (configuration): turn Messenger and
        its Conversations app on, publish a new version, and pin it on the deployment
        (PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=("https://help.mypurecloud.com/articles/configure-messenger/",),
    datasets=("deployments",),
    chain_link="configuration",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.scope.cobrowse_deployments()
    for deployment_id, name, messenger, conversations, version, config_id, config_name in zip(
        frame["id"], frame["name"], frame["messenger_enabled"], frame["conversations_enabled"],
        frame["configuration_version"], frame["configuration_id"], frame["configuration_name"], strict=True,
    ):
        off = []
        if messenger is False:
            off.append("Messenger (messenger.enabled: false)")
        if conversations is False:
            off.append("its conversations app (messenger.apps.conversations.enabled: false)")
        if off:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} pins a configuration (version {version or '?'}) that turns off "
                f"{' and '.join(off)}: no web messaging conversation can start, so no co-browse.",
                facts={"configuration_id": config_id, "configuration_name": config_name, "version": version,
                       "off": [s for s, o in (("messenger.enabled", messenger is False),
                                              ("messenger.apps.conversations.enabled", conversations is False)) if o]},
            )
        else:
            yield passed(deployment_id, name, f"Deployment {name!r}: Messenger and its conversations app are not off.")
