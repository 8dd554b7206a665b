from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import describe, is_client_credentials
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules._text import name_list


@rule(
    id="OAUTH-010",
    title="Client-credentials clients list no scopes (the platform ignores them)",
    severity="info",
    resource_type="oauth_client",
    rationale=""""Scopes only apply to clients not using the client_credential grant" (OAuthClient
        model). A `scope` list on a CLIENT-CREDENTIALS client is ignored: its permissions come
        only from its roles. A list there usually records a fix that never worked: adding
        `conversations` (or the non-existent `conversation:cobrowse:manage`) to cure a 403
        that only a role with the right permission cures.""",
    remediation="""Remove the scopes (PUT /api/v2/oauth/clients/{clientId} without `scope`) and
        grant the needed permissions through roles (`roleDivisions`).""",
    references=("https://developer.genesys.cloud/devapps/api-explorer#put-api-v2-oauth-clients--clientId-",),
    datasets=("oauth_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    clients = ctx.frames.oauth_clients
    for client_id, name, grant, scopes in zip(
        clients["id"].tolist(), clients["name"].tolist(), clients["grant"].tolist(), clients["scopes"].tolist(),
        strict=True,
    ):
        if not is_client_credentials(grant):
            yield not_applicable(client_id, name, f"Client {name!r} uses {describe(grant)}: its scopes apply.")
        elif scopes:
            yield failed(
                client_id, name,
                f"Client {name!r} (client credentials) lists scope(s) {name_list(scopes)} that the platform "
                "ignores; its permissions come only from its roles.",
            )
        else:
            yield passed(client_id, name, f"Client {name!r} (client credentials) lists no scopes.")
