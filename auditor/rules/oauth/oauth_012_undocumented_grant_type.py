from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import canonical, describe, is_documented
from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="OAUTH-012",
    title="OAuth client grant types are spelt as the API spells them",
    severity="low",
    resource_type="oauth_client",
    rationale="""`authorizedGrantType` is exactly CODE, TOKEN, SAML2-BEARER, PASSWORD or
        CLIENT-CREDENTIALS (hyphens); `SAML2BEARER` is accepted too (the Genesys Terraform provider
        validates both SAML2 spellings), so it is not reported. A snapshot holding `CLIENT_CREDENTIALS` (underscore) was
        produced or edited by a tool with the spelling bug fixed in
        MyPureCloud/purecloud-premium-app PR #24, and code with that bug compares or sends the
        wrong value. Any other value (a newer grant such as PKCE,
        or `outdated_sdk_version` from an old SDK) means the grant-specific OAUTH rules had to
        guess: misspellings are read as the grant they obviously mean, unknown values as a user
        grant.""",
    remediation="""Re-collect the snapshot with `gcaudit collect`, or fix the tool that wrote the
        value; with a current SDK, update it so new enum values are recognised.""",
    references=("https://github.com/MyPureCloud/purecloud-premium-app/pull/24",),
    datasets=("oauth_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    clients = ctx.frames.oauth_clients
    # .tolist(): iterating a pandas column element by element costs ~1 µs per element.
    for client_id, name, grant in zip(clients["id"].tolist(), clients["name"].tolist(), clients["grant"].tolist(),
                                      strict=True):
        if is_documented(grant):
            alias = f" (an accepted spelling of {canonical(grant)})" if canonical(grant) != grant else ""
            yield passed(client_id, name, f"Client {name!r} uses {grant}{alias}.")
        elif canonical(grant):
            yield failed(client_id, name, f"Client {name!r} records its grant as {describe(grant)}.")
        else:
            yield failed(client_id, name, f"Client {name!r} has an {describe(grant)}; read as a user grant.")
