"""Deep links from a finding to the object in the Genesys Cloud admin UI: the one place that knows
the UI's URL layout.

The admin UI lives at `https://apps.<domain>/directory/#/admin/...`, where `<domain>` is the
region's domain (genesys-api-facts §8.1). Only paths seen in public Genesys tooling are listed;
a resource type without a known path (web deployments, Messenger configurations, wrap-up codes,
plan references, permissions) gets no link rather than a guessed one.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from auditor.genesys.regions import REGIONS as REGION_DOMAINS

#: resource type (as rules report it) -> path under /directory/#/admin/ with an `{id}` slot.
ADMIN_PATHS: dict[str, str] = {
    "queue": "organization/queues/{id}",
    "oauth_client": "integrations/oauth/{id}",
    "integration_client": "integrations/oauth/{id}",
    "role": "directory/rolesV2/{id}",
    "user": "directory/peopleV2/{id}",
}

# Every object the UI addresses by id has a UUID; anything else (e.g. "queue:Billing" plan
# references) is not linkable, and refusing it keeps hostile ids out of URLs.
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def region_domain(region: str | None) -> str | None:
    """The domain of `region`, given as `eu-west-1`, `eu_west_1` or the domain itself.

    Unknown values give None: a snapshot's region is input, and a link must never point at a host
    that is not a Genesys Cloud region.
    """
    if not region:
        return None
    value = region.strip().lower()
    if value in REGION_DOMAINS.values():
        return value
    return REGION_DOMAINS.get(value.replace("_", "-"))


def link_templates(region: str | None) -> dict[str, str]:
    """resource type -> absolute URL template with an `{id}` slot, for this region (empty if unknown)."""
    domain = region_domain(region)
    if domain is None:
        return {}
    return {kind: f"https://apps.{domain}/directory/#/admin/{path}" for kind, path in ADMIN_PATHS.items()}


def admin_url(region: str | None, resource_type: str, resource_id: str) -> str | None:
    """The admin UI page of one object, or None when there is none we know of."""
    template = link_templates(region).get(resource_type)
    if template is None or not _UUID.match(resource_id or ""):
        return None
    return template.replace("{id}", quote(resource_id, safe=""))


def linkable_id(resource_id: str) -> bool:
    return bool(_UUID.match(resource_id or ""))
