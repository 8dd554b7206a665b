from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import collected_at, parse_time
from auditor.rules import Outcome, RuleContext, failed, passed, rule

#: Trustee flags (SDK models/trustee.py) that grant admin-level access, and how the message names them.
_BROAD = (("full access", "hasFullAccess"), ("the default (admin) role", "usesDefaultRole"))
TRUST_ARTICLE = "https://help.mypurecloud.com/articles/about-organization-authorization/"


@rule(
    id="TRUST-001",
    title="No authorized organization has full access or the default role without an expiry date",
    severity="medium",
    resource_type="trustee",
    rationale="""An authorized (trustee) organization's users act in this org with the roles the trust
        grants. `hasFullAccess` ("Denotes if trustee uses full access role by default") and
        `usesDefaultRole` ("Denotes if trustee uses admin role by default") give them admin-level access;
        without `dateExpired` ("The expiration date of the trust") that access never ends by itself.
        A disabled trust ("no trustee user will have access") passes.""",
    remediation="""Admin > Account Settings > Organization Settings > Authorized Organizations >
        (organization): grant specific roles instead of full access / the default role, and set an
        expiration date (PUT /api/v2/orgauthorization/trustees/{trusteeOrgId} `dateExpired`), or
        delete the trust when it is no longer needed.""",
    references=(TRUST_ARTICLE,),
    datasets=("org_trustees",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    now = collected_at(ctx.frames)
    for trustee in ctx.frames.snapshot.raw("org_trustees"):
        org = trustee.get("organization") or {}
        name = org.get("name") or trustee["id"]
        broad = [what for what, flag in _BROAD if trustee.get(flag) is True]
        expires = parse_time(trustee.get("dateExpired"))
        if trustee.get("enabled") is False:
            yield passed(trustee["id"], name, f"The trust of {name!r} is disabled.")
        elif broad and expires is None:
            yield failed(trustee["id"], name, f"{name!r} is trusted with {' and '.join(broad)} and no expiry date.")
        elif expires is not None and expires < now:
            yield passed(trustee["id"], name, f"The trust of {name!r} expired on {expires.date().isoformat()}.")
        elif broad:
            yield passed(trustee["id"], name, f"{name!r} has {' and '.join(broad)} until {expires.date().isoformat()}.")
        else:
            yield passed(trustee["id"], name, f"{name!r} is trusted with specific roles only.")
