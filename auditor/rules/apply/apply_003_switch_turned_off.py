from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules.apply._changes import PROVIDER, changes, not_an_apply, org_traffic, where


@rule(
    id="APPLY-003",
    title="The apply keeps co-browse and Messenger on where an Active deployment uses them",
    severity="critical",
    resource_type="web_deployment",
    rationale="""A configuration's `cobrowse` and `messenger` blocks are sent whole on every
        apply (buildCobrowseSettings, buildMessengerSettings): a switch left out of a present
        block is sent as false, and a published version that turns co-browse, Messenger or its
        conversations app off stops co-browse on every site whose Active deployment pins it,
        while customers are using it.""",
    remediation="""Set `enabled = true` in the configuration's `cobrowse` block (and in
        `messenger` and `messenger.apps.conversations`), or pin the deployment to the version it
        serves today until the change is meant.""",
    references=(
        PROVIDER + "genesyscloud/webdeployments_configuration/utils/"
                   "resource_genesyscloud_webdeployments_configuration_utils.go",
        PROVIDER + "genesyscloud/webdeployments_configuration/utils/"
                   "resource_genesyscloud_webdeployments_configuration_messenger.go",
    ),
    datasets=(),
    chain_link="deployment",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    switched = changes(ctx, "switch")
    if switched is None:
        yield not_an_apply(ctx)
        return
    traffic = org_traffic(ctx) if switched else None
    if traffic is not None and traffic == (0, 0):
        switched = []  # nobody used co-browse or web messaging in the window: nothing in use is taken away
    for change in switched:
        evidence = (f"in the traffic window the org had {traffic[0]} co-browse session(s) and {traffic[1]} web "
                    "messaging conversation(s)") if traffic else "traffic in the window was not collected"
        yield failed(change["id"], str(change.get("name")),
                     f"Applying {where(change)} turns {change['what']} off in configuration "
                     f"{change.get('configuration')!r}, which Active deployment {change.get('name')!r} pins; "
                     f"{evidence}.")
    if not switched:
        yield passed(ctx.org_id, ctx.org_name or ctx.org_id,
                     "The apply turns off neither co-browse nor Messenger where an Active deployment uses them.",
                     resource_type="organization")
