from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import single
from auditor.rules import Outcome, RuleContext, failed, passed, rule

IP_ARTICLE = "https://help.mypurecloud.com/articles/allow-ip-addresses/"


@rule(
    id="AUTH-005",
    title="An IP allowlist limits where the org can be signed in to from",
    severity="info",
    resource_type="organization",
    rationale="""Genesys: "If you do not enter anything in the Allowed IP Addresses field, all IP
        addresses can access your Genesys Cloud account", and the list "also applies to applications
        that interface with Genesys Cloud using its API". Genesys also warns not to enable it with
        dynamic IPs, so this is information, not a failure to fix at any cost.""",
    remediation="""Admin > Account Settings > Organization Settings > Settings > IP Addresses: list the
        public IPv4 CIDR blocks of your sites and integrations (PUT
        /api/v2/organizations/authentication/settings `ipAddressAllowlist`).""",
    references=(IP_ARTICLE,),
    datasets=("auth_settings",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    entries = single(ctx.frames, "auth_settings").get("ipAddressAllowlist") or []
    if entries:
        yield passed(ctx.org_id, ctx.org_name, f"An IP allowlist of {len(entries)} entries is set.")
    else:
        yield failed(ctx.org_id, ctx.org_name,
                     "No IP allowlist: the org accepts sign-ins and API calls from any address.")
