"""Permission strings and how role permission policies grant them (with `*` wildcards)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: The only co-browse permissions of the Platform API, by co-browse channel.
#: (`conversation:cobrowse:manage`, quoted on forums, does not exist.)
COBROWSE_PERMISSION = {
    "Webmessaging": "conversation:cobrowse:add",
    "Voice": "conversation:cobrowseVoice:add",
}


#: The division id SubjectDivisionGrants use for a grant in every division (CONTRACT.md: `*`
#: until the collector sources the API's own marker; the Terraform provider documents `*` as
#: "all divisions" for OAuth client roleDivisions).
ALL_DIVISIONS = "*"


def split(permission: str) -> tuple[str, str, str]:
    domain, entity, action = permission.split(":")
    return domain, entity, action


def roles_granting(role_policies: pd.DataFrame, permission: str) -> set[str]:
    """Ids of roles whose policies grant `permission`, honouring `*` in domain, entityName and actionSet.

    Entity names are compared case-insensitively: the API spells the voice permission both
    `cobrowseVoice` (policies, UI) and `cobrowsevoice` (operation summary).
    """
    if role_policies.empty:
        return set()
    domain, entity, action = (part.casefold() for part in split(permission))
    d = role_policies["domain"].str.casefold()
    e = role_policies["entity_name"].str.casefold()
    a = role_policies["action"].str.casefold()
    mask = d.isin([domain, "*"]) & e.isin([entity, "*"]) & a.isin([action, "*"])
    return set(role_policies.loc[mask, "role_id"].tolist())


def roles_granting_split(role_policies: pd.DataFrame, permission: str) -> tuple[set[str], set[str]]:
    """(roles granting `permission` through a policy without conditions, roles granting it only
    through policies with conditions: `allowConditions` / `resourceConditionNode`, DomainPermissionPolicy
    in SDK 269)."""
    if role_policies.empty:
        return set(), set()
    domain, entity, action = (part.casefold() for part in split(permission))
    d = role_policies["domain"].str.casefold()
    e = role_policies["entity_name"].str.casefold()
    a = role_policies["action"].str.casefold()
    mask = d.isin([domain, "*"]) & e.isin([entity, "*"]) & a.isin([action, "*"])
    matching = role_policies.loc[mask]
    plain = set(matching.loc[~matching["conditional"], "role_id"].tolist())
    conditional = set(matching.loc[matching["conditional"], "role_id"].tolist()) - plain
    return plain, conditional


#: Legacy role `permissions` strings that make a role admin-level (DomainOrganizationRole.permissions,
#: SDK 269; issue 11: roles carrying ["admin"] and no `*` policy are admin roles all the same).
ADMIN_LEGACY_PERMISSIONS = frozenset({"admin"})


def admin_roles(role_policies: pd.DataFrame, roles: pd.DataFrame) -> set[str]:
    """Roles with an admin-level policy (domain `*`), a legacy `admin` permission, and the Master Admin role."""
    ids = set(role_policies.loc[role_policies["domain"] == "*", "role_id"])
    master = roles["name"].str.casefold().eq("master admin") | roles["default_role_id"].eq("admin")
    legacy = {
        role_id for role_id, permissions in zip(roles["id"].tolist(), roles["legacy_permissions"].tolist(), strict=True)
        if any(str(p).casefold() in ADMIN_LEGACY_PERMISSIONS for p in permissions)
    }
    return ids | set(roles.loc[master, "id"]) | legacy
