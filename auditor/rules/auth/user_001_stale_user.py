from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from auditor.errors import DatasetUnavailable
from auditor.genesys.auth_setup import collected_at, parse_time, thresholds_of
from auditor.rules import Outcome, RuleContext, failed, passed, rule

USERS_API = "https://developer.genesys.cloud/useragentman/users/"


def last_token(user: dict) -> str | None:  # type: ignore[type-arg]
    """The date of the user's last issued token (User.lastTokenIssued.dateIssued). Never
    `dateLastLogin`: "The last time the user logged in using username and password" (SDK models/user.py),
    so a user who signs in through SSO keeps an old one however active they are."""
    issued = user.get("lastTokenIssued")
    value = issued.get("dateIssued") if isinstance(issued, dict) else None
    return value if parse_time(value) is not None else None


def stale_users(ctx: RuleContext) -> list[tuple[dict, str | None]]:  # type: ignore[type-arg]
    """(user, last token date or None) of the active users with no token issued within the threshold."""
    users = [u for u in ctx.frames.snapshot.raw("users") if (u.get("state") or "active") == "active"]
    if users and not any(last_token(u) for u in users):
        # expand=lasttokenissued is "resolved with a best effort approach and not guaranteed" (SDK docs):
        # no user at all with a token date means the expand was not honoured, not that nobody signed in.
        raise DatasetUnavailable("users", "no user carries lastTokenIssued (the expand was not returned)")
    cutoff = collected_at(ctx.frames) - timedelta(days=thresholds_of(ctx).stale_user_days)
    out = []
    for user in users:
        issued = last_token(user)
        when = parse_time(issued)
        if when is None or when < cutoff:
            out.append((user, issued))
    return out


@rule(
    id="USER-001",
    title="Active users have signed in within the threshold",
    severity="low",
    resource_type="user",
    rationale="""An active account nobody uses keeps its roles and can still sign in: a leaver not
        deactivated or an unused shared account. Activity is the date of the user's last issued token
        (`expand=lasttokenissued`), which every sign-in produces, SSO included; `dateLastLogin` records
        only username-and-password logins and is never used to call a user stale.""",
    remediation="""Admin > People and Permissions > People: deactivate or delete the user if they left
        (PATCH /api/v2/users/{userId} `state: inactive`, or DELETE /api/v2/users/{userId}).""",
    references=(USERS_API,),
    datasets=("users",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    days = thresholds_of(ctx).stale_user_days
    stale = {u["id"]: issued for u, issued in ctx.shared("stale_users", lambda: stale_users(ctx))}
    for user in ctx.frames.snapshot.raw("users"):
        if (user.get("state") or "active") != "active":
            continue
        name = user.get("name") or user["id"]
        if user["id"] not in stale:
            yield passed(user["id"], name, f"{name} was issued a token on {str(last_token(user))[:10]}.")
        elif stale[user["id"]] is None:
            yield failed(user["id"], name, f"{name} is active and has no token issue on record.")
        else:
            yield failed(user["id"], name, f"{name} is active and was last issued a token on "
                                           f"{str(stale[user['id']])[:10]}, more than {days} days ago.")
