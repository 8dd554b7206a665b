from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import MFA_RESET_PERMISSIONS, privileged_users, single, thresholds_of, user_names
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules.base import REFERENCED

RESET_ARTICLE = "https://help.mypurecloud.com/articles/reset-mfa-devices-of-users/"


@rule(
    id="AUTH-002",
    title="At least two users can reset MFA devices when MFA is required",
    severity="medium",
    resource_type="organization",
    rationale="""With MFA required, a user who loses the MFA device cannot sign in until someone
        resets it, which needs all of mfa > verifier > View, Edit and Delete. Genesys: "To reset MFA
        devices in the event that an administrator is unable to log in due to an issue with their MFA
        device, make sure that multiple administrators are granted with the MFA specific permissions";
        otherwise only Genesys Customer Care can reset it.""",
    remediation="""Admin > People and Permissions > Roles / Permissions: grant a role with mfa > verifier >
        View, Edit and Delete (mfa:verifier:view, mfa:verifier:edit, mfa:verifier:delete) to at least two
        administrators (POST /api/v2/authorization/roles/{roleId} subjects).""",
    references=(RESET_ARTICLE,),
    datasets=("auth_settings", "roles", "role_subjectgrants", "group_individuals"),
    needs={"role_subjectgrants": REFERENCED, "group_individuals": REFERENCED},
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    if single(ctx.frames, "auth_settings").get("multifactorAuthenticationRequired") is not True:
        yield not_applicable(ctx.org_id, ctx.org_name,
                             "MFA is not required, so no MFA device reset is needed to sign in.")
        return
    minimum = thresholds_of(ctx).mfa_resetters_min
    _, mfa = privileged_users(ctx.frames)
    names = user_names(ctx.frames)
    able = sorted(names.get(u, u) for u, held in mfa.items() if held >= set(MFA_RESET_PERMISSIONS))
    listed = ", ".join(able) if able else "nobody"
    if len(able) < minimum:
        yield failed(ctx.org_id, ctx.org_name,
                     f"MFA is required but only {len(able)} user(s) hold all of {', '.join(MFA_RESET_PERMISSIONS)} "
                     f"({listed}); at least {minimum} should.")
    else:
        yield passed(ctx.org_id, ctx.org_name, f"{len(able)} users can reset MFA devices: {listed}.")
