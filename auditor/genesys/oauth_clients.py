"""Facts about OAuth clients the rules share: grant types and lifecycle state.

Grant types (`authorizedGrantType`): the API enum is exactly CODE, TOKEN, SAML2-BEARER,
PASSWORD, CLIENT-CREDENTIALS (hyphens).
Snapshots may still hold other values: a newer grant the enum does not list yet (PKCE is
mentioned in the field description but not in the enum), an SDK placeholder such as
`outdated_sdk_version`, or a hand-written export with `CLIENT_CREDENTIALS` (the underscore bug
fixed in MyPureCloud/purecloud-premium-app PR #24). Rules must tolerate all of them.
"""

from __future__ import annotations

from auditor.safety.fileio import shorten

CODE = "CODE"
TOKEN = "TOKEN"
SAML2_BEARER = "SAML2-BEARER"
PASSWORD = "PASSWORD"
CLIENT_CREDENTIALS = "CLIENT-CREDENTIALS"

GRANT_TYPES = (CODE, TOKEN, SAML2_BEARER, PASSWORD, CLIENT_CREDENTIALS)

#: Other spellings Genesys itself accepts, and the grant they mean: the Terraform provider
#: validates authorized_grant_type against CODE, TOKEN, SAML2BEARER, SAML2-BEARER, PASSWORD,
#: CLIENT-CREDENTIALS (genesyscloud/oauth_client/resource_genesyscloud_oauth_client_schema.go).
ACCEPTED_SPELLINGS = {"SAML2BEARER": SAML2_BEARER}


def canonical(grant: object) -> str | None:
    """The documented spelling `grant` stands for, or None when it matches none of them.

    Case, underscores and spaces are forgiven so that `CLIENT_CREDENTIALS` or `password` is
    judged by what it obviously means: a security rule must not pass a client-credentials
    client just because its export misspelt the enum.
    """
    if not isinstance(grant, str):
        return None
    if grant.strip().upper() in ACCEPTED_SPELLINGS:
        return ACCEPTED_SPELLINGS[grant.strip().upper()]
    key = "-".join(grant.strip().upper().replace("_", " ").replace("-", " ").split())
    return key if key in GRANT_TYPES else None


def is_documented(grant: object) -> bool:
    """The API enum spelling, or another spelling Genesys tooling accepts (SAML2BEARER)."""
    return isinstance(grant, str) and (grant in GRANT_TYPES or grant in ACCEPTED_SPELLINGS)


def is_client_credentials(grant: object) -> bool:
    return canonical(grant) == CLIENT_CREDENTIALS


def is_user_grant(grant: object) -> bool:
    """Every grant whose token carries a user: all but client credentials, unknown values included
    (an unrecognised grant is most likely a newer user flow such as PKCE)."""
    return not is_client_credentials(grant)


def describe(grant: object) -> str:
    """The grant as messages show it: the API spelling, or the odd value with how it was read."""
    if is_documented(grant):
        return str(grant)
    meant = canonical(grant)
    if meant:
        return f"'{shorten(grant, 40)}' (not the API's spelling {meant}; read as {meant})"
    return f"unknown grant type '{shorten(grant, 40)}' (not one of {', '.join(GRANT_TYPES)})"


#: `state` values under which a client can no longer mint tokens, and why.
UNUSABLE_STATES = {
    "disabled": "disabled: its existing tokens are invalid and no new ones can be created",
    "inactive": "inactive: no new tokens can be created and the client will be deleted",
}


def unusable_reason(state: object, date_to_delete: object) -> str | None:
    """Why a client cannot (or soon cannot) be used, or None when it is fine.

    Unknown `state` values are tolerated as usable: the API adds enum values over time.
    """
    reasons = []
    if isinstance(state, str) and state.casefold() in UNUSABLE_STATES:
        reasons.append(UNUSABLE_STATES[state.casefold()])
    if isinstance(date_to_delete, str) and date_to_delete.strip():
        reasons.append(f"scheduled for deletion on {shorten(date_to_delete, 40)} (dateToDelete)")
    return "; ".join(reasons) or None
