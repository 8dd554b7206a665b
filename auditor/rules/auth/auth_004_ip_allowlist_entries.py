from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import cidr_problem, single, thresholds_of
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.safety.fileio import shorten

IP_ARTICLE = "https://help.mypurecloud.com/articles/allow-ip-addresses/"


@rule(
    id="AUTH-004",
    title="Every IP allowlist entry is one Genesys honours",
    severity="medium",
    resource_type="organization",
    rationale="""Genesys: enter "one CIDR per line ... up to a maximum of 150 CIDRs"; "Only IPv4
        addresses are supported"; "Do not include private IP addresses in your list." An entry
        outside those rules does not allow what the admin meant it to (a private range never matches
        the public address Genesys sees), so the allowlist locks out or leaves open the wrong people.""",
    remediation="""Admin > Account Settings > Organization Settings > Settings > IP Addresses: replace
        the entries named with public IPv4 CIDR blocks, at most 150 (PUT
        /api/v2/organizations/authentication/settings `ipAddressAllowlist`).""",
    references=(IP_ARTICLE,),
    datasets=("auth_settings",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    entries = single(ctx.frames, "auth_settings").get("ipAddressAllowlist") or []
    if not entries:
        yield not_applicable(ctx.org_id, ctx.org_name, "No IP allowlist is set (AUTH-005).")
        return
    problems = [f"{shorten(e)}: {why}" for e in entries if (why := cidr_problem(e))]
    limit = thresholds_of(ctx).ip_allowlist_max
    if len(entries) > limit:
        problems.append(f"{len(entries)} entries, more than the maximum of {limit}")
    if problems:
        yield failed(ctx.org_id, ctx.org_name,
                     "IP allowlist entries Genesys will not honour: " + "; ".join(problems) + ".")
    else:
        yield passed(ctx.org_id, ctx.org_name, f"All {len(entries)} IP allowlist entries are public IPv4 CIDR blocks.")
