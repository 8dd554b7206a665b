from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import hipaa, single, thresholds_of
from auditor.rules import Outcome, RuleContext, failed, passed, rule

TIMEOUT_ARTICLE = "https://help.mypurecloud.com/articles/automatic-inactivity-timeout/"


@rule(
    id="AUTH-006",
    title="The idle token timeout is on and no longer than the threshold",
    severity="medium",
    resource_type="organization",
    rationale="""Without the idle token timeout an unattended, signed-in browser stays usable by anyone
        at the desk. The API documents the range: "Must be at least 5 minutes and 8 hours or less (if
        HIPAA is disabled) or 15 minutes or less (if HIPAA is enabled)" (IdleTokenTimeout). The
        threshold is the stricter one when the org's HIPAA feature is on.""",
    remediation="""Admin > Account Settings > Organization Settings > Settings > Automatic Inactivity
        Timeout: turn it on and set the timeout (PUT /api/v2/tokens/timeout `enableIdleTokenTimeout: true`,
        `idleTokenTimeoutSeconds`).""",
    references=(TIMEOUT_ARTICLE,),
    datasets=("token_timeout",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    timeout = single(ctx.frames, "token_timeout")
    limits = thresholds_of(ctx)
    is_hipaa = hipaa(ctx.frames)
    limit = limits.idle_timeout_max_seconds_hipaa if is_hipaa else limits.idle_timeout_max_seconds
    why = " (the HIPAA feature is on)" if is_hipaa else ""
    seconds = timeout.get("idleTokenTimeoutSeconds")
    if timeout.get("enableIdleTokenTimeout") is not True:
        yield failed(ctx.org_id, ctx.org_name, "The idle token timeout is off: idle sessions never sign out.")
    elif not isinstance(seconds, int) or isinstance(seconds, bool):
        yield failed(ctx.org_id, ctx.org_name, "The idle token timeout is on but has no idleTokenTimeoutSeconds.")
    elif seconds > limit:
        yield failed(ctx.org_id, ctx.org_name,
                     f"The idle token timeout is {seconds} s, longer than {limit} s{why}.")
    else:
        yield passed(ctx.org_id, ctx.org_name, f"Idle sessions sign out after {seconds} s (threshold {limit} s{why}).")
