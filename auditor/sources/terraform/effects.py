"""What an apply takes away: the destructive changes an overlay finds between the org (the base
snapshot) and the org after the apply, recorded in `manifest.extra.terraform.apply` for the APPLY
rules (auditor/rules/apply/). Plain facts only (ids, names, counts, file and line); the rules add
what they judge from the frames (co-browse permissions, traffic, scope).

Each record: `{"kind", "id", "name", "address", "file", "line", ...}`:
- `members`: every user member of a queue removed (APPLY-001; updateQueueMembers ->
  removeAllExistingUserMembersFromQueue, resource_genesyscloud_routing_queue_members.go).
- `roles`: direct grants of a user the apply removes (APPLY-002; genesyscloud_user_roles replaces
  every direct grant of its user, updateUserRoles in user_roles/resource_genesyscloud_user_roles.go).
- `switch`: co-browse, Messenger or its conversations app turned off in a deployment's pinned
  configuration, or in a configuration an Active deployment pins (APPLY-003).
- `delete`: an object the plan deletes or replaces (APPLY-004).
"""

from __future__ import annotations

from typing import Any

from auditor.snapshot.store import Snapshot
from auditor.sources.terraform.config import Configuration, ResourceInstance
from auditor.sources.terraform.mappers import Entity

#: Terraform resource type -> (snapshot dataset, report resource type) for APPLY-004.
DELETABLE = {
    "genesyscloud_webdeployments_deployment": ("deployments", "web_deployment"),
    "genesyscloud_webdeployments_configuration": ("configurations", "messenger_configuration"),
    "genesyscloud_routing_queue": ("queues", "queue"),
    "genesyscloud_auth_role": ("roles", "role"),
    "genesyscloud_oauth_client": ("oauth_clients", "oauth_client"),
}

#: The switches APPLY-003 watches: API path inside a configuration version -> what it is.
SWITCHES = {
    ("cobrowse", "enabled"): "co-browse",
    ("messenger", "enabled"): "Messenger",
    ("messenger", "apps", "conversations", "enabled"): "Messenger's conversations app",
}


def _where(instance: ResourceInstance) -> dict[str, Any]:
    return {"address": instance.address, "file": instance.location.file, "line": instance.location.line}


def _rows(snapshot_data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = snapshot_data.get(name)
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def record_effects(base: Snapshot, after: dict[str, Any], config: Configuration,
                   entities: list[Entity]) -> list[dict[str, Any]]:
    before = base.data
    effects: list[dict[str, Any]] = []
    effects += _members(before, entities)
    effects += _roles(base, after, config)
    effects += _switches(before, after, entities)
    effects += _deletes(before, config)
    return effects


def _members(before: dict[str, Any], entities: list[Entity]) -> list[dict[str, Any]]:
    out = []
    listed = before.get("queue_members") if isinstance(before.get("queue_members"), dict) else {}
    queues = {q.get("id"): q for q in _rows(before, "queues")}
    for entity in entities:
        if entity.dataset != "queue_members" or entity.meta.get("users") != "removed" or entity.id not in queues:
            continue
        users = [m for m in listed.get(entity.id) or [] if m.get("memberBy", "user") == "user"]
        if not users:
            continue
        out.append({"kind": "members", "id": entity.id, "name": queues[entity.id].get("name"),
                    "cause": "empty" if "members" in entity.instance.values else "unset",
                    "users": [m.get("name") or m.get("id") for m in users],
                    "joined": [m.get("name") or m.get("id") for m in users if m.get("joined") is True],
                    **_where(entity.instance)})
    return out


def _direct(grants: Any, user_id: str) -> dict[str, set[str]]:
    """Role id -> division ids of the user's direct grants (PC_USER subjects with the user's id)."""
    out: dict[str, set[str]] = {}
    for role_id, subjects in (grants or {}).items():
        for subject in subjects or ():
            if subject.get("id") == user_id and subject.get("type", "PC_USER") == "PC_USER":
                out.setdefault(role_id, set()).update(
                    d.get("id") for d in subject.get("divisions") or () if isinstance(d, dict) and d.get("id"))
    return out


def _roles(base: Snapshot, after: dict[str, Any], config: Configuration) -> list[dict[str, Any]]:
    if not base.available("role_subjectgrants") or base.status("role_subjectgrants").status != "ok":
        return []
    names = {r.get("id"): r.get("name") for r in _rows(base.data, "roles")}
    # A grant without divisions is in the home division ("If not set, the home division will be
    # used", user_roles schema): the org's home division, when the snapshot has it.
    homes = {d.get("id") for d in _rows(base.data, "divisions") if d.get("homeDivision")}
    out = []
    for instance in config.instances:
        user = instance.values.get("user_id")
        if instance.type != "genesyscloud_user_roles" or instance.action == "delete" or not isinstance(user, str):
            continue
        held = _direct(base.data.get("role_subjectgrants"), user)
        kept = {r: d or set(homes) for r, d in _direct(after.get("role_subjectgrants"), user).items()}
        lost_roles = sorted(r for r in held if r not in kept)
        lost_divisions = {r: sorted(held[r] - kept[r]) for r in held
                          if r in kept and kept[r] and held[r] - kept[r] and "*" not in kept[r]}
        if not lost_roles and not lost_divisions:
            continue
        out.append({"kind": "roles", "id": user, "name": user,
                    "roles": [{"id": r, "name": names.get(r) or r} for r in lost_roles],
                    "divisions": [{"id": r, "name": names.get(r) or r, "divisions": d}
                                  for r, d in sorted(lost_divisions.items())],
                    "kept": sorted(names.get(r) or r for r in kept),
                    **_where(instance)})
    return out


def _switches(before: dict[str, Any], after: dict[str, Any], entities: list[Entity]) -> list[dict[str, Any]]:
    """A switch on before and off after: in a deployment's pinned configuration, or in a
    configuration that an Active deployment pins."""
    out = []
    where = {e.data.get("id"): e.instance for e in entities if e.dataset in ("deployments", "configurations")}
    old_deployments = {d.get("id"): d for d in _rows(before, "deployments")}
    for deployment in _rows(after, "deployments"):
        old = old_deployments.get(deployment.get("id"))
        if old is None or old.get("status") != "Active" or deployment.get("id") not in where:
            continue
        for path, what in SWITCHES.items():
            if _get(old.get("configuration"), path) is True and _get(deployment.get("configuration"), path) is False:
                out.append({"kind": "switch", "id": deployment["id"], "name": deployment.get("name"), "what": what,
                            "configuration": (deployment.get("configuration") or {}).get("name"),
                            **_where(where[deployment["id"]])})
    old_configs = {c.get("id"): c for c in _rows(before, "configurations")}
    pinned = {}
    for deployment in old_deployments.values():
        if deployment.get("status") == "Active":
            pinned.setdefault((deployment.get("configuration") or {}).get("id"), []).append(deployment)
    flagged = {(e["id"], e["what"]) for e in out}
    for configuration in _rows(after, "configurations"):
        old = old_configs.get(configuration.get("id"))
        if old is None or configuration.get("id") not in where:
            continue
        for deployment in pinned.get(configuration.get("id"), []):
            for path, what in SWITCHES.items():
                if (deployment["id"], what) in flagged:
                    continue
                if _get(old, path) is True and _get(configuration, path) is False:
                    flagged.add((deployment["id"], what))
                    out.append({"kind": "switch", "id": deployment["id"], "name": deployment.get("name"),
                                "what": what, "configuration": configuration.get("name"),
                                **_where(where[configuration["id"]])})
    return out


def _deletes(before: dict[str, Any], config: Configuration) -> list[dict[str, Any]]:
    out = []
    for instance in config.instances:
        gone = instance.id if instance.action == "delete" else instance.replaced_id
        if gone is None or instance.type not in DELETABLE:
            continue
        dataset, resource_type = DELETABLE[instance.type]
        row = next((r for r in _rows(before, dataset) if r.get("id") == gone), None)
        if row is None:
            continue
        out.append({"kind": "delete", "id": gone, "name": row.get("name"), "resource_type": resource_type,
                    "dataset": dataset, "action": instance.action, **_depends(before, dataset, row),
                    **_where(instance)})
    return out


#: The co-browse permissions (auditor.genesys.permissions.COBROWSE_PERMISSION), as policy parts.
_COBROWSE = {("conversation", "cobrowse", "add"): "conversation:cobrowse:add",
             ("conversation", "cobrowsevoice", "add"): "conversation:cobrowseVoice:add"}


def _grants_cobrowse(role: dict[str, Any]) -> list[str]:
    """The co-browse permissions a role's policies grant (`*` honoured, entity names case-blind)."""
    found = set()
    for policy in role.get("permissionPolicies") or ():
        domain, entity = str(policy.get("domain", "")).casefold(), str(policy.get("entityName", "")).casefold()
        for action in policy.get("actionSet") or ():
            for (d, e, a), permission in _COBROWSE.items():
                if domain in (d, "*") and entity in (e, "*") and str(action).casefold() in (a, "*"):
                    found.add(permission)
    return sorted(found)


def _depends(before: dict[str, Any], dataset: str, row: dict[str, Any]) -> dict[str, Any]:
    """What depended on a deleted object before the apply (the object is gone from the result)."""
    if dataset == "deployments":
        return {"cobrowse": bool(_get(row.get("configuration"), ("cobrowse", "enabled")))}
    if dataset == "configurations":
        return {"pinned_by": [d.get("name") for d in _rows(before, "deployments") if d.get("status") == "Active"
                              and (d.get("configuration") or {}).get("id") == row.get("id")]}
    if dataset == "roles":
        holders = (before.get("role_subjectgrants") or {}).get(row.get("id")) or []
        return {"cobrowse": _grants_cobrowse(row), "holders": len(holders)}
    return {}

