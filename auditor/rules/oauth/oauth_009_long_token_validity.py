from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule

#: The platform default (24 h); the documented range for ordinary clients ends at 48 h.
DEFAULT_SECONDS = 86_400


@rule(
    id="OAUTH-009",
    title="OAuth access tokens live no longer than 24 hours",
    severity="low",
    resource_type="oauth_client",
    rationale="""`accessTokenValiditySeconds` above the 24 h default keeps a leaked or logged token
        usable for longer; revocation then depends on someone noticing. Only SCIM clients have a
        reason to go beyond 48 h (up to 450 days).""",
    remediation="""Admin > Integrations > OAuth > (client) > Token Duration: 86400 seconds or less
        (PUT /api/v2/oauth/clients/{clientId} `accessTokenValiditySeconds`); refresh tokens instead.""",
    references=("https://registry.terraform.io/providers/MyPureCloud/genesyscloud/latest/docs/resources/oauth_client",),
    datasets=("oauth_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    clients = ctx.frames.oauth_clients
    for client_id, name, seconds in zip(clients["id"], clients["name"], clients["token_validity"], strict=True):
        # A missing value is pd.NA in the nullable Int64 column: the platform applies the 24 h default.
        if hasattr(seconds, "__index__"):
            value = int(seconds)
            if value > DEFAULT_SECONDS:
                yield failed(
                    client_id, name,
                    f"Client {name!r} issues tokens valid for {value} s ({value / 3600:g} h), above 24 h.",
                )
                continue
            yield passed(client_id, name, f"Client {name!r} issues tokens valid for {value} s.")
        else:
            yield passed(client_id, name, f"Client {name!r} uses the default token validity (24 h).")
