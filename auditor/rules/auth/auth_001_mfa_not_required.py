from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import single, sso_only
from auditor.rules import Outcome, RuleContext, failed, passed, rule

MFA_ARTICLE = "https://help.mypurecloud.com/articles/enable-multi-factor-authentication/"


@rule(
    id="AUTH-001",
    title="Multi-factor authentication is required while Genesys Cloud login is enabled",
    severity="high",
    resource_type="organization",
    rationale="""Genesys: "Administrators can enable multi-factor authentication (MFA) for Genesys
        Cloud users to increase security and reduce the risk of fraud." With Require Multi-Factor
        Authentication off, a user "can still choose to set up MFA", so a stolen Genesys Cloud password
        alone signs in anyone who did not. Orgs that disabled Genesys Cloud login (SSO only) enforce MFA
        at their identity provider instead, so the rule passes for them.""",
    remediation="""Admin > Account Settings > Organization Settings > Authentication: turn on Require
        Multi-Factor Authentication (PUT /api/v2/organizations/authentication/settings
        `multifactorAuthenticationRequired: true`), or disable Genesys Cloud login and sign in through SSO.""",
    references=(MFA_ARTICLE,),
    datasets=("auth_settings", "genesys_login", "identity_providers"),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    settings = single(ctx.frames, "auth_settings")
    required = settings.get("multifactorAuthenticationRequired")
    required = str(required).lower() if isinstance(required, bool) else "not set"
    providers = [p.get("name") or p["id"] for p in ctx.frames.snapshot.raw("identity_providers")
                 if p.get("disabled") is not True]
    sso = f" (SSO providers: {', '.join(map(str, providers))})" if providers else ""
    if sso_only(ctx.frames):
        yield passed(ctx.org_id, ctx.org_name, f"Genesys Cloud login is disabled: users sign in through SSO only{sso}.")
    elif settings.get("multifactorAuthenticationRequired") is True:
        yield passed(ctx.org_id, ctx.org_name, "Multi-factor authentication is required for Genesys Cloud login.")
    else:
        yield failed(ctx.org_id, ctx.org_name,
                     "Genesys Cloud login is enabled and multi-factor authentication is not required "
                     f"(multifactorAuthenticationRequired is {required}){sso}.")
