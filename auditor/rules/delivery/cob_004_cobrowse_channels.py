from __future__ import annotations

from collections.abc import Iterator

from auditor.inputs.plan import CHANNELS
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list


@rule(
    id="COB-004",
    title="Co-browse deployments offer co-browse on every channel the rollout needs",
    severity="high",
    resource_type="web_deployment",
    rationale="""`cobrowse.channels` in the pinned Messenger configuration decides where agents may
        propose co-browse: `Webmessaging` for web messaging, `Voice` for calls. An empty list, or
        one without the channel the rollout uses, means the agent never sees the co-browse offer
        on that interaction; with `cobrowse.enabled` false nothing is offered at all. Co-browse is
        not a queue media type or a channel of its own: it rides on messaging or voice, and this
        list (not a `cobrowseType` body field) is where that is chosen.""",
    remediation="""Admin > Message > Messenger Configurations > (configuration) > Co-browse: turn
        Co-browse on and tick the channels (Web messaging, Voice), publish, and pin the new
        version on the deployment (PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=(
        "https://help.mypurecloud.com/articles/configure-messenger/",
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
    ),
    datasets=("deployments",),
    chain_link="configuration",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.frames.deployments
    frame = frame[frame["id"].isin(ctx.scope.deployment_ids)]
    # Without a plan the scope's channels are the union of what the deployments enable, which
    # would hold each deployment to its neighbours' channels; then only "some channel" is needed.
    needed = ctx.scope.channels if ctx.plan is not None else ()
    for deployment_id, name, enabled, channels, config_id, config_name, version in zip(
        frame["id"], frame["name"], frame["cobrowse_enabled"], frame["cobrowse_channels"],
        frame["configuration_id"], frame["configuration_name"], frame["configuration_version"], strict=True
    ):
        # Compare case-insensitively and ignore values the tool does not know (never crash on them).
        known = {c for c in CHANNELS if c.casefold() in {str(v).casefold() for v in channels}}
        missing = [c for c in needed if c not in known]
        # The setting lives in the pinned configuration version: one edit there fixes every deployment pinning it.
        facts = {"configuration_id": config_id, "configuration_name": config_name, "version": version,
                 "cobrowse_enabled": bool(enabled),
                 "have": sorted(known), "need": missing or [c for c in needed if c in CHANNELS]}
        if not enabled:
            yield failed(deployment_id, name, f"Deployment {name!r} pins a configuration with co-browse disabled.",
                         facts=facts)
        elif not known:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} enables co-browse on no channel (cobrowse.channels is "
                f"{name_list(channels) or 'empty'}), so agents are never offered it.",
                facts=facts,
            )
        elif missing:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} enables co-browse for {name_list(sorted(known))} "
                f"but not for {name_list(missing)}, which the plan needs.",
                facts=facts,
            )
        else:
            yield passed(deployment_id, name, f"Deployment {name!r} enables co-browse for {name_list(sorted(known))}.")
