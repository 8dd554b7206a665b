from __future__ import annotations

from collections.abc import Iterator

from auditor.errors import DatasetUnavailable
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
    granting = {channel: sorted(names.get(r, r) for r in roles_granting(policies, COBROWSE_PERMISSION[channel]))
                for channel in ctx.scope.channels}
    # Sessions are not split by channel: they contradict "gets 403" only when no co-browse permission is granted.
    sessions = 0
    if not any(granting.values()) and ctx.frames.available("conversation_aggregates"):
        try:
            sessions = sum(ctx.scope.traffic[q].cobrowse_sessions for q in ctx.scope.queue_ids
                           if q in ctx.scope.traffic)
        except DatasetUnavailable:  # no queue listing: the plain statement, never an ERROR for this rule
            sessions = 0
    for channel, roles in granting.items():
        permission = COBROWSE_PERMISSION[channel]
        if roles:
            yield passed(
                permission, permission,
                f"Permission {permission} ({channel} co-browse) is granted by role(s) {', '.join(roles)}.",
            )
        elif sessions:
            yield failed(
                permission, permission,
                f"No role grants {permission} ({channel} co-browse), yet the co-browse queues had {sessions} "
                "co-browse session(s) in the traffic window: a grant the snapshot does not show (or one removed "
                "since) allowed them; without a role granting it, POST "
                "/api/v2/conversations/{conversationId}/cobrowse answers 403 missing.any.permissions.",
                facts={"permission": permission, "channel": channel},
            )
        else:
            yield failed(
                permission, permission,
                f"No role grants {permission} ({channel} co-browse): {channel} co-browse gets 403 "
                "missing.any.permissions from POST /api/v2/conversations/{conversationId}/cobrowse for every agent.",
                facts={"permission": permission, "channel": channel},
            )
