from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.auth_setup import single
from auditor.rules import Outcome, RuleContext, failed, passed, rule

EMBED_ARTICLE = "https://help.mypurecloud.com/articles/restrict-embedding-genesys-cloud/"


@rule(
    id="AUTH-007",
    title="Embedding Genesys Cloud is restricted to listed domains",
    severity="medium",
    resource_type="organization",
    rationale="""Without a domain allowlist any web page can frame Genesys Cloud for a signed-in user,
        which is what clickjacking needs. OrgAuthSettings documents `domainAllowlist` as "The list of
        domains that will be allowed to embed Genesys Cloud applications", switched on by
        `domainAllowlistEnabled`. Read from the authentication settings when the collector could read
        them, else from the deprecated embedded-integration setting (`enableWhitelist`,
        `domainWhitelist`), which needs no admin permission.""",
    remediation="""Admin > Account Settings > Organization Settings > Settings > Restrict embedding:
        turn it on and list the domains that embed Genesys Cloud (PUT
        /api/v2/organizations/authentication/settings `domainAllowlistEnabled: true`, `domainAllowlist`).""",
    references=(EMBED_ARTICLE,),
    datasets=("embedded_integration",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    if ctx.frames.available("auth_settings"):
        settings = single(ctx.frames, "auth_settings")
        enabled, domains = settings.get("domainAllowlistEnabled"), settings.get("domainAllowlist") or []
    else:
        legacy = single(ctx.frames, "embedded_integration")
        enabled, domains = legacy.get("enableWhitelist"), legacy.get("domainWhitelist") or []
    if enabled is True and domains:
        yield passed(ctx.org_id, ctx.org_name, f"Embedding is restricted to {len(domains)} domains.")
    elif enabled is True:
        yield failed(ctx.org_id, ctx.org_name, "Embedding restriction is on but lists no domain.")
    else:
        yield failed(ctx.org_id, ctx.org_name,
                     "Embedding of the org is not restricted: any site may frame Genesys Cloud.")
