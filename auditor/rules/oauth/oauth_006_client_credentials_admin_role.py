from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import describe, is_client_credentials
from auditor.genesys.permissions import admin_roles
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules._text import name_list

ALL_DIVISIONS = "*"


@rule(
    id="OAUTH-006",
    title="Client-credentials clients hold no admin-level role",
    severity="high",
    resource_type="oauth_client",
    rationale="""A client-credentials token acts with exactly the permissions of the client's
        `roleDivisions` roles, with no user, no MFA and no session: whoever holds the client
        secret can do everything those roles allow. A role with a policy whose domain is `*`, a
        legacy `permissions` entry `admin` (DomainOrganizationRole.permissions), or the Master
        Admin role makes the secret an org-admin credential; granted with divisionId
        `*` it reaches every division, including ones created later. Co-browse needs none of
        this: an integration that reads configuration needs the view permissions only.""",
    remediation="""Admin > Integrations > OAuth > (client) > Roles: replace the admin role with a
        least-privilege role in the divisions it needs (PUT /api/v2/oauth/clients/{clientId}
        `roleDivisions`), then rotate the client secret.""",
    references=(
        "https://developer.genesys.cloud/authorization/platform-auth/use-client-credentials",
        "https://help.mypurecloud.com/articles/create-an-oauth-client/",
    ),
    datasets=("oauth_clients", "roles"),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frames = ctx.frames
    admin = admin_roles(frames.role_policies, frames.roles)
    role_names = dict(zip(frames.roles["id"], frames.roles["name"], strict=True))
    grants = frames.oauth_client_roles
    grants = grants[grants["role_id"].isin(admin)]
    # Grouped once: filtering the grants per client is quadratic (seconds at 7,500 clients).
    admin_grants: dict[str, list[tuple[str, str | None]]] = {}
    for grant_client, role_id, division_id in zip(grants["client_id"].tolist(), grants["role_id"].tolist(),
                                                  grants["division_id"].tolist(), strict=True):
        admin_grants.setdefault(grant_client, []).append((role_id, division_id))
    clients = frames.oauth_clients
    # .tolist(): iterating a pandas column element by element costs ~1 µs per element.
    for client_id, name, grant in zip(clients["id"].tolist(), clients["name"].tolist(), clients["grant"].tolist(),
                                      strict=True):
        if not is_client_credentials(grant):
            yield not_applicable(client_id, name, f"Client {name!r} uses {describe(grant)}: role grants do not apply.")
            continue
        mine = admin_grants.get(client_id, [])
        if not mine:
            yield passed(client_id, name, f"Client {name!r} (client credentials) holds no admin-level role.")
            continue
        held = sorted({role_names.get(r, r) for r, _ in mine})
        everywhere = sorted({role_names.get(r, r) for r, d in mine if d == ALL_DIVISIONS})
        if everywhere == held:
            scope = " in all divisions (*)"
        elif everywhere:
            scope = f", {name_list(everywhere)} in all divisions (*)"
        else:
            scope = ""
        yield failed(
            client_id, name,
            f"Client {name!r} (client credentials) holds admin-level role(s) {name_list(held)}{scope}; "
            "its secret is an org-admin credential.",
        )
