from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import describe, is_user_grant
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules._text import name_list

REQUIRED_SCOPE = "conversations"


def _myths(scopes: tuple[str, ...]) -> str:
    """Explain scopes copied from forum answers that the platform does not have."""
    fake = [s for s in scopes if "cobrowse" in s.casefold()]
    if not fake:
        return ""
    return (
        f" Scope(s) {name_list(fake)} do not exist: there is no cobrowse scope (`conversation:cobrowse:manage` "
        "has the shape of a permission); co-browse permissions come from the user's roles."
    )


@rule(
    id="OAUTH-002",
    title="Plan integration clients with a user grant have the `conversations` scope",
    severity="high",
    resource_type="oauth_client",
    rationale="""Every Platform API endpoint requires a scope; for user grants the app needs the
        scope and the user needs the permission. POST /api/v2/conversations/{conversationId}/cobrowse
        is a conversations write, so a token without the `conversations` scope gets 403 even for an
        agent holding `conversation:cobrowse:add` (`conversations:readonly` is not enough). There is
        no `cobrowse` scope family: the forum's `conversation:cobrowse:manage` is shaped like a
        permission, and the real permissions are `conversation:cobrowse:add` /
        `conversation:cobrowseVoice:add`, granted by roles.""",
    remediation="""Admin > Integrations > OAuth > (client) > Scope: add `conversations`
        (PUT /api/v2/oauth/clients/{clientId} with it in `scope`); users must re-authorize the app.""",
    references=(
        "https://help.mypurecloud.com/articles/oauth-scopes-for-applications-overview/",
        "https://developer.genesys.cloud/authorization/platform-auth/scopes",
    ),
    datasets=("oauth_clients",),
    needs={"oauth_clients": "plan"},
    chain_link="client",
    plan_requires=("integration_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    clients = ctx.frames.oauth_clients.set_index("id")
    for client_id in ctx.scope.client_ids:
        name, grant = clients.at[client_id, "name"], clients.at[client_id, "grant"]
        scopes: tuple[str, ...] = clients.at[client_id, "scopes"]
        if not is_user_grant(grant):
            yield not_applicable(
                client_id, name,
                f"Plan integration client {name!r} uses {describe(grant)}: scopes do not apply (see OAUTH-001).",
            )
        elif REQUIRED_SCOPE in scopes:
            yield passed(
                client_id, name, f"Plan integration client {name!r} ({describe(grant)}) has the conversations scope.",
            )
        else:
            readonly = " (conversations:readonly cannot start co-browse)" if "conversations:readonly" in scopes else ""
            yield failed(
                client_id, name,
                f"Plan integration client {name!r} ({describe(grant)}) lacks the `conversations` scope{readonly}: "
                f"starting co-browse with its token gets 403.{_myths(scopes)}",
            )
