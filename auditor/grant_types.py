"""OAuth client grant types (`authorizedGrantType`) as the Platform API spells them.

The API enum is exactly CODE, TOKEN, SAML2-BEARER, PASSWORD, CLIENT-CREDENTIALS (hyphens).
Snapshots may still hold other values: a newer grant the enum does not list yet (PKCE is
mentioned in the field description but not in the enum), an SDK placeholder such as
`outdated_sdk_version`, or a hand-written export with `CLIENT_CREDENTIALS` (the underscore bug
fixed in MyPureCloud/purecloud-premium-app PR #24). Rules must tolerate all of them.
"""

from __future__ import annotations

from auditor.fileio import shorten

CODE = "CODE"
TOKEN = "TOKEN"
SAML2_BEARER = "SAML2-BEARER"
PASSWORD = "PASSWORD"
CLIENT_CREDENTIALS = "CLIENT-CREDENTIALS"

GRANT_TYPES = (CODE, TOKEN, SAML2_BEARER, PASSWORD, CLIENT_CREDENTIALS)


def canonical(grant: object) -> str | None:
    """The documented spelling `grant` stands for, or None when it matches none of them.

    Case, underscores and spaces are forgiven so that `CLIENT_CREDENTIALS` or `password` is
    judged by what it obviously means: a security rule must not pass a client-credentials
    client just because its export misspelt the enum.
    """
    if not isinstance(grant, str):
        return None
    key = "-".join(grant.strip().upper().replace("_", " ").replace("-", " ").split())
    return key if key in GRANT_TYPES else None


def is_documented(grant: object) -> bool:
    return isinstance(grant, str) and grant in GRANT_TYPES


def is_client_credentials(grant: object) -> bool:
    return canonical(grant) == CLIENT_CREDENTIALS


def is_user_grant(grant: object) -> bool:
    """Every grant whose token carries a user: all but client credentials, unknown values included
    (an unrecognised grant is most likely a newer user flow such as PKCE)."""
    return not is_client_credentials(grant)


def spelling_note(grant: object) -> str:
    """A clause for messages when `grant` is not spelt as the API spells it ('' when it is)."""
    if is_documented(grant):
        return ""
    meant = canonical(grant)
    if meant:
        return f" (recorded as '{shorten(grant, 40)}', not the API's spelling {meant}; read as {meant})"
    return f" (grant type '{shorten(grant, 40)}' is not one of {', '.join(GRANT_TYPES)})"
