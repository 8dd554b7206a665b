from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import describe, is_client_credentials
from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="OAUTH-001",
    title="Plan integration clients use a user grant, not client credentials",
    severity="high",
    resource_type="oauth_client",
    rationale="""Co-browse is started inside an agent's conversation
        (POST /api/v2/conversations/{conversationId}/cobrowse) by the agent who holds
        `conversation:cobrowse:add`; a client-credentials token carries no user, so an app using
        one is not a participant of that conversation. Users report that co-browse cannot be
        started with a client-credentials token; this is NOT stated in the API docs (the endpoint
        lacks the "not valid when using the Client Credentials OAuth grant" note that
        GET /api/v2/users/me has), so treat it as a strong warning, not a documented error.
        Adding a `conversation:cobrowse:manage` scope does not help: no such scope exists, and
        scopes do not apply to client-credentials clients at all.""",
    remediation="""Admin > Integrations > OAuth > (client): create a Code Authorization (CODE, with
        PKCE for browser apps) client for the co-browse launcher and give it the `conversations`
        scope; keep client credentials for server-side jobs that act on no user's behalf.""",
    references=(
        "https://developer.genesys.cloud/authorization/platform-auth/",
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
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
        if is_client_credentials(grant):
            yield failed(
                client_id, name,
                f"Plan integration client {name!r} uses {describe(grant)}: its token carries no user, "
                "so it cannot act as the agent who starts co-browse in a conversation.",
            )
        else:
            yield passed(client_id, name, f"Plan integration client {name!r} uses a user grant: {describe(grant)}.")
