from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.permissions import COBROWSE_PERMISSION, roles_granting
from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="AUTHZ-001",
    title="A role grants the co-browse permission of every planned channel",
    severity="critical",
    resource_type="permission",
    rationale="""An agent starts co-browse with POST /api/v2/conversations/{conversationId}/cobrowse
        (no request body); without `conversation:cobrowse:add` (web messaging) or
        `conversation:cobrowseVoice:add` (voice) it answers 403 `missing.any.permissions`, and the
        Co-browse field is hidden in Admin > Message > Messenger Configurations. If no role in the
        org grants the permission, nobody can be given it. The forum's
        "`conversation:cobrowse:manage` scope" does not exist: it has the shape of a permission,
        not of a scope (scopes look like `conversations`), and no `:manage` action exists. Policies
        with `*` in domain, entityName or actionSet count as granting it.""",
    remediation="""Admin > People & Permissions > Roles / Permissions > (role) > Permissions: add
        Conversation > Cobrowse > Add (and Conversation > CobrowseVoice > Add for voice), or
        PUT /api/v2/authorization/roles/{roleId} with the policy.""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
        "https://developer.genesys.cloud/devapps/api-explorer#post-api-v2-conversations--conversationId--cobrowse",
    ),
    datasets=("roles",),
    chain_link="permissions",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    policies = ctx.frames.role_policies
    names = dict(zip(ctx.frames.roles["id"], ctx.frames.roles["name"], strict=True))
    for channel in ctx.scope.channels:
        permission = COBROWSE_PERMISSION[channel]
        granting = sorted(names.get(r, r) for r in roles_granting(policies, permission))
        if granting:
            yield passed(
                permission, permission,
                f"Permission {permission} ({channel} co-browse) is granted by role(s) {', '.join(granting)}.",
            )
        else:
            yield failed(
                permission, permission,
                f"No role grants {permission} ({channel} co-browse): {channel} co-browse gets 403 "
                "missing.any.permissions from POST /api/v2/conversations/{conversationId}/cobrowse for every agent.",
                facts={"permission": permission, "channel": channel},
            )
