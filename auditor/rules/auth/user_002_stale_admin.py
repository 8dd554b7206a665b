from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import privileged_users, thresholds_of
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules.auth.user_001_stale_user import last_token, stale_users
from auditor.rules.base import REFERENCED

ROLES_ARTICLE = "https://help.mypurecloud.com/articles/roles-and-permissions-overview/"


@rule(
    id="USER-002",
    title="No dormant user holds an admin-level role",
    severity="high",
    resource_type="user",
    rationale="""A dormant account with an admin-level role (a `*` permission policy, the legacy
        `admin` permission, Master Admin, or directory:organization:admin) is the most valuable account
        to take over and the least likely to be missed. Dormant is USER-001's test: no token issued
        within the threshold (SSO sign-ins count; `dateLastLogin` is never used). Each result lists
        the admin-level roles the user holds, directly or through a group.""",
    remediation="""Admin > People and Permissions > People > (user) > Roles: remove the admin-level roles,
        or deactivate the user (PATCH /api/v2/users/{userId} `state: inactive`).""",
    references=(ROLES_ARTICLE,),
    datasets=("users", "roles", "role_subjectgrants", "group_individuals"),
    needs={"role_subjectgrants": REFERENCED, "group_individuals": REFERENCED},
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    admins, _ = privileged_users(ctx.frames)
    role_names = dict(zip(ctx.frames.roles["id"].tolist(), ctx.frames.roles["name"].tolist(), strict=True))
    stale = {u["id"]: issued for u, issued in ctx.shared("stale_users", lambda: stale_users(ctx))}
    days = thresholds_of(ctx).stale_user_days
    for user in ctx.frames.snapshot.raw("users"):
        roles = admins.get(user["id"])
        if not roles or (user.get("state") or "active") != "active":
            continue
        name = user.get("name") or user["id"]
        held = ", ".join(sorted(role_names.get(r, r) for r in roles))
        if user["id"] in stale:
            issued = stale[user["id"]]
            when = f"last issued a token on {str(issued)[:10]}" if issued else "no token on record"
            yield failed(user["id"], name, f"{name} holds admin-level roles ({held}) and is dormant "
                                           f"({when}; threshold {days} days).")
        else:
            yield passed(user["id"], name, f"{name} holds admin-level roles ({held}) and was issued a token on "
                                           f"{str(last_token(user))[:10]}.")
