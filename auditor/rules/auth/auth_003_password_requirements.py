from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import single, sso_only, thresholds_of
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule

PASSWORD_ARTICLE = "https://help.mypurecloud.com/articles/set-password-requirements/"

#: PasswordRequirements field (SDK models/password_requirements.py) -> AuthThresholds attribute.
_CHECKS = (
    ("minimumLength", "password_min_length", "characters"),
    ("minimumDigits", "password_min_digits", "numerals"),
    ("minimumUpper", "password_min_upper", "upper-case letters"),
    ("minimumLower", "password_min_lower", "lower-case letters"),
    ("minimumSpecials", "password_min_specials", "special characters"),
)


@rule(
    id="AUTH-003",
    title="Password requirements are at least the Genesys defaults",
    severity="medium",
    resource_type="organization",
    rationale="""Genesys: "The default minimum length for a password is 8 characters, including a
        default minimum of 1 lowercase letter, 1 uppercase letter, 1 number, 1 special character".
        Requirements below that make Genesys Cloud passwords easier to guess. Not applicable when
        Genesys Cloud login is disabled (SSO only): no Genesys Cloud password signs anyone in.""",
    remediation="""Admin > Account Settings > Organization Settings > Authentication: raise Minimum Length
        and the minimum character classes (PUT /api/v2/organizations/authentication/settings
        `passwordRequirements`).""",
    references=(PASSWORD_ARTICLE,),
    datasets=("auth_settings", "genesys_login"),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    if sso_only(ctx.frames):
        yield not_applicable(ctx.org_id, ctx.org_name,
                             "Genesys Cloud login is disabled (SSO only): passwords are not used.")
        return
    limits = thresholds_of(ctx)
    required = single(ctx.frames, "auth_settings").get("passwordRequirements") or {}
    weak = []
    for field, attribute, what in _CHECKS:
        minimum = getattr(limits, attribute)
        value = required.get(field)
        actual = value if isinstance(value, int) and not isinstance(value, bool) else 0
        if actual < minimum:
            weak.append(f"{field} {actual} < {minimum} {what}")
    if weak:
        yield failed(ctx.org_id, ctx.org_name,
                     "Password requirements are weaker than the threshold: " + "; ".join(weak) + ".")
    else:
        yield passed(ctx.org_id, ctx.org_name, "Password requirements meet the threshold.")
