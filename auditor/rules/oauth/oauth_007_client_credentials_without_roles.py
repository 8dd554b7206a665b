from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import describe, is_client_credentials
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule


@rule(
    id="OAUTH-007",
    title="Client-credentials clients have role grants",
    severity="medium",
    resource_type="oauth_client",
    rationale="""A client-credentials token's permissions come only from the client's roles
        (`roleDivisions`; scopes do not apply to this grant). With no role the token is issued
        but every permission-checked call answers 403 `missing.permissions` /
        `missing.any.permissions`, which is often misread as a missing scope. Either the client
        is unused (delete it) or the integration using it is broken.""",
    remediation="""Admin > Integrations > OAuth > (client) > Roles: grant a least-privilege role in
        the divisions it needs (PUT /api/v2/oauth/clients/{clientId} `roleDivisions`), or delete
        the client if nothing uses it.""",
    references=("https://developer.genesys.cloud/authorization/platform-auth/use-client-credentials",),
    datasets=("oauth_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    granted = ctx.frames.oauth_client_roles.groupby("client_id").size()
    clients = ctx.frames.oauth_clients
    # .tolist(): iterating a pandas column element by element costs ~1 µs per element.
    for client_id, name, grant in zip(clients["id"].tolist(), clients["name"].tolist(), clients["grant"].tolist(),
                                      strict=True):
        if not is_client_credentials(grant):
            yield not_applicable(client_id, name, f"Client {name!r} uses {describe(grant)}: role grants do not apply.")
            continue
        count = int(granted.get(client_id, 0))
        if count:
            yield passed(client_id, name, f"Client {name!r} (client credentials) has {count} role grant(s).")
        else:
            yield failed(
                client_id, name,
                f"Client {name!r} uses {describe(grant)} with no role: every permission-checked call it makes "
                "gets 403 missing.permissions.",
            )
