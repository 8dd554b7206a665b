from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list

#: Loopback hosts on which plain http is acceptable (RFC 8252 native-app redirects).
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def problem(uri: str) -> str | None:
    """Why a redirect URI is unsafe, or None."""
    if "*" in uri:
        return "wildcard"
    try:
        parts = urlsplit(uri.strip())
        scheme, host = parts.scheme.casefold(), (parts.hostname or "")
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return "not a valid URL"
    if scheme == "https" and host:
        return None
    if scheme == "http" and host in LOOPBACK:
        return None
    return "not https" if host or scheme else "not a valid URL"


@rule(
    id="OAUTH-005",
    title="OAuth redirect URIs are https and have no wildcard",
    severity="medium",
    resource_type="oauth_client",
    rationale="""The login server sends the authorization code (or, for TOKEN clients, the access
        token) to the registered redirect URI. Over plain http it can be read on the network; a
        wildcard `*` lets an attacker-controlled page on a matching host receive it. http is
        accepted only on loopback (localhost, 127.0.0.1, [::1]), where it never leaves the machine.""",
    remediation="""Admin > Integrations > OAuth > (client) > Authorized redirect URIs: list exact
        https URIs only (PUT /api/v2/oauth/clients/{clientId} `registeredRedirectUri`).""",
    references=(
        "https://www.rfc-editor.org/rfc/rfc9700#section-2.1",
        "https://www.rfc-editor.org/rfc/rfc8252#section-7.3",
    ),
    datasets=("oauth_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    clients = ctx.frames.oauth_clients
    for client_id, name, uris in zip(clients["id"].tolist(), clients["name"].tolist(),
                                     clients["redirect_uris"].tolist(), strict=True):
        bad = [f"{uri} ({reason})" for uri in uris if (reason := problem(uri))]
        if bad:
            yield failed(client_id, name, f"Client {name!r} registers unsafe redirect URI(s): {name_list(bad)}.")
        elif uris:
            yield passed(client_id, name, f"Client {name!r}: all {len(uris)} redirect URI(s) are exact https.")
        else:
            yield passed(client_id, name, f"Client {name!r} registers no redirect URI.")
