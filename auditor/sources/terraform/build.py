"""Mapped entities -> a Snapshot (alone, or overlaid on a collected snapshot).

What the configuration does not cover is `not_collected` with reason "not in the Terraform
configuration". Values unknown before apply are stored as null and listed per dataset in the
manifest (`datasets[name].unknown = {entity id: {API field path: expression}}`); the engine turns a
rule's reliance on them into ERROR. Source locations are listed the same way
(`datasets[name].locations`). Adding a snapshot v2 dataset is one mapper in `mappers.py` plus its
name in `DATASET_SOURCES` here.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.snapshot.datasets import BY_NAME, DATASETS
from auditor.snapshot.manifest import DatasetStatus, Manifest
from auditor.snapshot.store import Snapshot
from auditor.sources.terraform.config import Configuration, Note
from auditor.sources.terraform.mappers import (
    FALSE_ON_CREATE,
    HOME_DIVISION_UNSET,
    KEEP_ON_UPDATE,
    MAPPERS,
    NOT_MANAGED,
    PINNED_SETTINGS,
    Context,
    Entity,
    _set,
)

NOT_IN_CONFIGURATION = "not in the Terraform configuration"

#: Dataset -> the resource type whose presence makes the configuration cover it.
DATASET_SOURCES: dict[str, str] = {
    "queues": "genesyscloud_routing_queue",
    "queue_wrapupcodes": "genesyscloud_routing_queue",
    "queue_members": "genesyscloud_routing_queue",
    "wrapupcodes": "genesyscloud_routing_wrapupcode",
    "roles": "genesyscloud_auth_role",
    "role_subjectgrants": "genesyscloud_user_roles",
    "oauth_clients": "genesyscloud_oauth_client",
    "deployments": "genesyscloud_webdeployments_deployment",
    "configurations": "genesyscloud_webdeployments_configuration",
    "divisions": "genesyscloud_auth_division",
    "flows": "genesyscloud_flow",
}
#: Snapshot v2 datasets no Terraform resource describes: the traffic window
#: (`conversation_aggregates`), the auditing client's own division visibility
#: (`divisions_permitted`) and the users of groups holding roles (`group_individuals`); they are
#: always `not_collected` with reason NOT_IN_CONFIGURATION (absent from DATASET_SOURCES).


def map_entities(config: Configuration) -> list[Entity]:
    ctx = Context(config.instances)
    entities: list[Entity] = []
    for instance in config.instances:
        if instance.action == "delete":
            continue
        mapper = MAPPERS.get(instance.type)
        if mapper is not None:
            entities.extend(mapper(instance, ctx))
    config.notes.extend(ctx.notes)
    config.notes.extend(_duplicate_names(entities))
    return entities


def _duplicate_names(entities: list[Entity]) -> list[Note]:
    """Two resources giving one object type the same name: lookups by name (data sources,
    overlays) pick either. Noted; the names themselves are not repeated if they came from tfvars."""
    seen: dict[tuple[str, str], Entity] = {}
    notes = []
    for entity in entities:
        if entity.parent is not None or not entity.match_name:
            continue
        # Exact names: names differing only in case are distinct objects (WRP-002 judges them).
        key = (entity.dataset, entity.match_name)
        first = seen.setdefault(key, entity)
        if first is not entity:
            loc = entity.instance.location
            notes.append(Note(loc.file, loc.line, f"{entity.instance.address} has the same name as "
                                                  f"{first.instance.address}"))
    return notes


def _location(entity: Entity) -> dict[str, Any]:
    loc = entity.instance.location
    return {"file": loc.file, "line": loc.line, "address": entity.instance.address, "fields": entity.fields}


def _source_extra(config: Configuration, source: str) -> dict[str, Any]:
    return {"terraform": {
        "source": source,
        "files": config.files,
        "resources": len(config.instances),
        "ignored": dict(sorted(config.ignored.items())),
        "notes": [str(n) for n in config.notes],
    }}


def resolve_created(entity: Entity) -> None:
    """The values an unset attribute takes when the apply creates the object (see mappers.py):
    FALSE_ON_CREATE booleans are false; KEEP_ON_UPDATE values stay unknown (the server's)."""
    for path, why in list(entity.unknown.items()):
        if why.endswith(f"({FALSE_ON_CREATE})"):
            del entity.unknown[path]
            _set(entity.data, path, False)


def resolve_updated(entity: Entity) -> None:
    """An update keeps the current value of both kinds of unset attribute: they leave the entity,
    so the overlay keeps the snapshot's value."""
    for path, why in list(entity.unknown.items()):
        if why.endswith(f"({FALSE_ON_CREATE})") or why.endswith(f"({KEEP_ON_UPDATE})"):
            del entity.unknown[path]
            _unset(entity.data, path)


def _unset(data: dict[str, Any], path: str) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.get(part)
        if not isinstance(data, dict):
            return
    data.pop(parts[-1], None)


def build_snapshot(config: Configuration, source: str, now: datetime | None = None) -> Snapshot:
    """A snapshot holding only what the configuration declares, as if the apply created it."""
    entities = map_entities(config)
    for entity in entities:
        resolve_created(entity)
    data: dict[str, Any] = {}
    statuses: dict[str, DatasetStatus] = {}
    present = {i.type for i in config.instances}
    for dataset in DATASETS:
        unknown_count = _unexpanded(config, dataset.name)
        if unknown_count:
            statuses[dataset.name] = DatasetStatus(status="not_collected", not_collected_reason=unknown_count)
            continue
        mine = [e for e in entities if e.dataset == dataset.name]
        covered = DATASET_SOURCES.get(dataset.name) in present and (not dataset.parent or mine)
        if dataset.name == "role_subjectgrants" and covered and not _members_roles_managed(config, entities):
            covered = False
        reason = NOT_IN_CONFIGURATION
        if dataset.name == "flows" and covered:
            undeclared = _undeclared_flows(entities)
            if undeclared:
                covered = False
                reason = f"{NOT_IN_CONFIGURATION} ({undeclared})"
        if not covered:
            statuses[dataset.name] = DatasetStatus(status="not_collected", not_collected_reason=reason)
            continue
        unknown: dict[str, dict[str, str]] = {}
        locations: dict[str, dict[str, Any]] = {}
        if dataset.parent:
            keyed: dict[str, list[Any]] = {}
            for entity in mine:
                keyed.setdefault(entity.id, []).extend(entity.data.get("list") or [])
                _record(entity, unknown, locations)
            if dataset.name == "queue_wrapupcodes":
                # `wrapup_codes` unset (Optional + Computed): a create adds none, an update keeps the
                # org's; which one the files alone do not say: unknown for the queue.
                for queue in (e for e in entities if e.dataset == "queues"):
                    if queue.id not in keyed:
                        keyed[queue.id] = []
                        unknown.setdefault(queue.id, {})["*"] = f"{queue.instance.address}.wrapup_codes ({NOT_MANAGED})"
            if dataset.name == "role_subjectgrants":
                for role in (e for e in entities if e.dataset == "roles"):
                    keyed.setdefault(role.id, [])
            data[dataset.name] = keyed
        else:
            data[dataset.name] = [e.data for e in mine]
            for entity in mine:
                _record(entity, unknown, locations)
        statuses[dataset.name] = DatasetStatus(status="ok", entities=len(mine))
        _attach(statuses[dataset.name], unknown, locations)
    manifest = Manifest(
        collected_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        organization_id="terraform",
        organization_name=Path(source).name or "terraform",
        tool_version=__version__,
        datasets=statuses,
        extra=_source_extra(config, source),
    )
    return Snapshot(path=None, manifest=manifest, data=data, lean=True)


def _unexpanded(config: Configuration, dataset: str) -> str | None:
    """Why a dataset cannot be judged: some resource feeding it has a count/for_each known only
    after apply, so even how many objects there will be is unknown."""
    address = config.unexpanded.get(DATASET_SOURCES.get(dataset, ""))
    return f"count/for_each of {address} is known only after apply" if address else None


def _undeclared_flows(entities: list[Entity]) -> str | None:
    """A deployment's flow that no genesyscloud_flow declares: whether it exists and is published
    is the org's, so the flows cannot be judged from the files (named in the reason)."""
    declared = {e.data["id"] for e in entities if e.dataset == "flows"}
    for entity in entities:
        flow_id = (entity.data.get("flow") or {}).get("id") if entity.dataset == "deployments" else None
        if isinstance(flow_id, str) and flow_id not in declared:
            return f"the flow of {entity.instance.address} is not declared"
    return None


def _members_roles_managed(config: Configuration, entities: list[Entity]) -> bool:
    """Holders of a role are known only when every queue member's roles are managed here
    (a genesyscloud_user_roles per member, possibly with no roles)."""
    managed = {str(i.values.get("user_id")) for i in config.instances
               if i.type == "genesyscloud_user_roles" and i.action != "delete"}
    members = {m["user"]["id"] for e in entities if e.dataset == "queue_members" for m in e.data.get("list") or []}
    return members <= managed


def _record(entity: Entity, unknown: dict[str, dict[str, str]], locations: dict[str, dict[str, Any]]) -> None:
    if entity.unknown:
        unknown.setdefault(entity.id, {}).update(entity.unknown)
    locations.setdefault(entity.id, _location(entity))


def _attach(status: DatasetStatus, unknown: dict[str, Any], locations: dict[str, Any]) -> None:
    status.unknown = unknown or None
    status.locations = locations or None


# -- overlay --------------------------------------------------------------------------------------

def overlay(base: Snapshot, config: Configuration, source: str) -> Snapshot:
    """`base` as it will be after the configuration (or plan) is applied.

    Plan creates, updates and deletes are applied on top; objects are matched by id, or by name for
    objects the configuration creates (the exact name first, else the one object whose name differs
    only in case). What the configuration does not declare keeps the snapshot's data. Unknown
    values stay unknown. What the apply takes away is recorded in the manifest
    (`extra.terraform.apply`, see `effects.py`) for the APPLY rules.
    """
    from auditor.sources.terraform.effects import record_effects

    entities = map_entities(config)
    for name in list(base.columns):
        base.raw(name)  # a dataset loaded as columns: the overlay edits its entities
    data = copy.deepcopy(base.data)
    statuses = {name: copy.deepcopy(status) for name, status in base.manifest.datasets.items()}
    id_map = _match(entities, data, config)
    for entity in entities:
        _remap(entity, id_map)
    _home_division(data, entities)
    existing = {name: {r.get("id") for r in rows if isinstance(r, dict)}
                for name, rows in data.items() if isinstance(rows, list)}
    for entity in entities:
        if BY_NAME[entity.dataset].parent:
            continue
        if entity.data.get("id") in existing.get(entity.dataset, ()):
            resolve_updated(entity)
        else:
            resolve_created(entity)
    # 2. Deletes.
    for instance in config.instances:
        gone = instance.id if instance.action == "delete" else instance.replaced_id
        if gone is None:
            continue
        for name, rows in data.items():
            if isinstance(rows, list):
                data[name] = [r for r in rows if r.get("id") != gone]
            elif isinstance(rows, dict):
                rows.pop(gone, None)
    # 3. Creates and updates. A subject whose roles the files manage (genesyscloud_user_roles,
    # an OAuth client's `roles`) holds exactly the grants written there: its org grants go first.
    _strip_managed_subjects(data, config, entities, id_map)
    for entity in entities:
        dataset = BY_NAME[entity.dataset]
        status = statuses.get(entity.dataset)
        if status is None or status.status != "ok":
            # The org's data is missing: the configuration alone cannot stand for the whole dataset.
            continue
        unknown = dict(getattr(status, "unknown", None) or {})
        locations = dict(getattr(status, "locations", None) or {})
        if entity.dataset == "role_subjectgrants":
            rows = data[entity.dataset].setdefault(entity.id, [])
            rows.extend(entity.data.get("list") or [])
            pending = dict(unknown.get(entity.id) or {}) | entity.unknown
        elif entity.dataset == "queue_members":
            pending = _overlay_members(entity, data, base)
        elif dataset.parent:
            listed = data[entity.dataset].get(entity.id, [])
            before = {(m.get("user") or {}).get("id") or m.get("id"): m for m in listed}
            names = {c.get("id"): c.get("name") for c in data.get("wrapupcodes") or [] if isinstance(c, dict)}
            rows = []
            for row in entity.data.get("list") or []:
                known = before.get(row.get("id"))
                # A listed code keeps the name the org gives it (also a code the org no longer has).
                name = (known or {}).get("name") or names.get(row.get("id"))
                rows.append({**row, "name": name} if name and row.get("name") == row.get("id") else row)
            data[entity.dataset][entity.id] = rows
            pending = dict(entity.unknown)
        else:
            rows = data[entity.dataset]
            current = next((r for r in rows if r.get("id") == entity.data["id"]), None)
            _keep_pinned_settings(entity, current)
            if current is None:
                rows.append(entity.data)
            else:
                _deep_update(current, entity.data, entity.unknown)
            pending = dict(entity.unknown)
        if pending:
            unknown[entity.id] = pending
        else:
            unknown.pop(entity.id, None)
        locations[entity.id] = _location(entity)
        _attach(status, unknown, locations)
    _unknown_flows(base, data, statuses, entities)
    for name in statuses:
        reason = _unexpanded(config, name)
        if reason:
            statuses[name] = DatasetStatus(status="not_collected", not_collected_reason=reason)
    manifest = copy.deepcopy(base.manifest)
    manifest.datasets = statuses
    manifest.extra = {**manifest.extra, **_source_extra(config, source)}
    manifest.extra["terraform"]["apply"] = record_effects(base, data, config, entities)
    return Snapshot(path=base.path, manifest=manifest, data=data, lean=base.lean)


def _match(entities: list[Entity], data: dict[str, Any], config: Configuration) -> dict[str, str]:
    """The org id each Terraform object stands for: its id, else (for an object the files create)
    the object of the same name, else the one whose name differs only in case. Each org object
    stands for one Terraform object at most, so names differing only in case stay distinct."""
    gone = {i.id for i in config.instances if i.action == "delete"}
    id_map: dict[str, str] = {}
    claimed: set[tuple[str, str]] = set()
    pending: list[Entity] = []
    for entity in entities:
        if BY_NAME[entity.dataset].parent or not isinstance(data.get(entity.dataset), list):
            continue
        if any(r.get("id") == entity.data["id"] for r in data[entity.dataset] if r.get("id") not in gone):
            claimed.add((entity.dataset, entity.data["id"]))
        elif entity.instance.known_id is None and entity.match_name and entity.instance.action != "replace":
            pending.append(entity)
    for exact in (True, False):
        for entity in pending:
            if entity.data["id"] in id_map:
                continue
            key = entity.match_name or ""
            rows = [r for r in data[entity.dataset] if r.get("id") not in gone
                    and (entity.dataset, r.get("id")) not in claimed
                    and _same_name(str(r.get("name", "")), key, exact)]
            if len(rows) == 1 or (exact and rows):
                id_map[entity.data["id"]] = rows[0]["id"]
                claimed.add((entity.dataset, rows[0]["id"]))
    return id_map


def _same_name(name: str, key: str, exact: bool) -> bool:
    return name == key if exact else name.casefold() == key.casefold()


def _unknown_flows(base: Snapshot, data: dict[str, Any], statuses: dict[str, DatasetStatus],
                   entities: list[Entity]) -> None:
    """A deployment's flow that the snapshot never saw and the files do not declare: whether it
    exists is unknown, unless the snapshot's own deployment already pointed at it (the collection
    looked for that flow and did not find it: it does not exist, as the snapshot says)."""
    flows = statuses.get("flows")
    if flows is None or flows.status not in ("ok", "partial"):
        return
    known = {f.get("id") for f in data.get("flows") or []}
    looked_for = {(d.get("flow") or {}).get("id") for d in base.raw("deployments") or []} \
        if base.available("deployments") else set()
    for entity in entities:
        flow_id = (entity.data.get("flow") or {}).get("id") if entity.dataset == "deployments" else None
        if isinstance(flow_id, str) and flow_id not in known and flow_id not in looked_for:
            statuses["flows"] = DatasetStatus(
                status="not_collected",
                not_collected_reason=f"{NOT_IN_CONFIGURATION} (the flow of {entity.instance.address} is "
                                     "neither in the snapshot nor declared)")
            return


#: updateRoutingQueue sends `MemberGroups` built from `groups`, `skill_groups` and `teams`
#: (buildMemberGroupList, routing_queue utils): unset, the Go SDK's Queuerequest carries
#: `memberGroups: null`, and what the API does with it is not documented.
GROUPS_UNDOCUMENTED = ("groups, skill_groups and teams unset: the update sends memberGroups null "
                       "(routing_queue updateRoutingQueue, buildMemberGroupList), "
                       "whose effect the API does not document")


def _overlay_members(entity: Entity, data: dict[str, Any], base: Snapshot) -> dict[str, str]:
    """A queue's members after the apply (mappers._queue_members says what the provider does):
    user members as declared, removed or kept (ignore_members); group members kept when the apply
    sends the queue's own member groups, none on a new queue without groups, else unknown."""
    listed = data["queue_members"].get(entity.id, [])
    users_before = [m for m in listed if m.get("memberBy", "user") == "user"]
    groups_before = [m for m in listed if m.get("memberBy", "user") != "user"]
    queue = next((q for q in data.get("queues") or [] if isinstance(q, dict) and q.get("id") == entity.id), None)
    existed = any(q.get("id") == entity.id for q in base.raw("queues") or []) if base.available("queues") else False
    pending = {p: e for p, e in entity.unknown.items() if p not in ("*", "+", "*.joined")}
    mode = entity.meta.get("users")
    if mode in ("ignored", "unknown"):
        users = users_before if mode == "ignored" and existed else []
        if mode == "unknown" or not existed:
            pending["*"] = entity.unknown["*"]
    elif mode == "removed":
        users = []
    else:
        before = {(m.get("user") or {}).get("id") or m.get("id"): m for m in users_before}
        users = []
        for row in entity.data.get("list") or []:
            known = before.get(row["user"]["id"])
            # A user already in the queue keeps their name and joined state; ring_num is the file's.
            users.append({**known, "ringNumber": row.get("ringNumber", 1)} if known else row)
        if any(u.get("joined") is None for u in users):
            pending["*.joined"] = entity.unknown["*.joined"]
    declared = entity.meta.get("groups")
    if isinstance(declared, list) and not declared:
        declared = None
    recorded = (queue or {}).get("memberGroups") if existed else None
    if not existed:
        groups = []
        if "+" in entity.unknown:
            pending["+"] = entity.unknown["+"]
    elif not groups_before and not recorded and declared is None:
        groups = []  # nothing the update could take away, nothing it adds
    elif isinstance(declared, list) and isinstance(recorded, list) \
            and {g.get("id") for g in declared} == {g.get("id") for g in recorded}:
        groups = groups_before  # the update sends the groups the queue has
    else:
        groups = []
        if declared is None:
            why = GROUPS_UNDOCUMENTED
        elif isinstance(recorded, list):
            why = ("groups, skill_groups or teams differ from the queue's member groups: "
                   "their users are not in the files")
        else:
            why = "the snapshot does not record the queue's member groups (memberGroups)"
        pending["+"] = f"{entity.instance.address}.groups ({why})"
    if users is not users_before or groups is not groups_before:
        data["queue_members"][entity.id] = users + groups
    return pending


def _home_division(data: dict[str, Any], entities: list[Entity]) -> None:
    """A queue whose `division_id` is unset (Optional + Computed): an existing queue keeps its
    division (no diff), a new one gets the snapshot's home division (`homeDivision`)."""
    existing = {q.get("id") for q in data.get("queues") or [] if isinstance(q, dict)}
    homes = [d for d in data.get("divisions") or [] if isinstance(d, dict) and d.get("homeDivision")]
    for entity in entities:
        if entity.dataset != "queues" or HOME_DIVISION_UNSET not in entity.unknown.get("division.id", ""):
            continue
        if entity.data["id"] in existing:
            entity.unknown.pop("division.id")
            entity.data.pop("division", None)
        elif len(homes) == 1:
            entity.unknown.pop("division.id")
            entity.data["division"] = {"id": homes[0]["id"], "name": homes[0].get("name")}


def _strip_managed_subjects(data: dict[str, Any], config: Configuration, entities: list[Entity],
                            id_map: dict[str, str]) -> None:
    """genesyscloud_user_roles manages every role of its user (docs/resources/user_roles.md), an
    OAuth client's `roles` every role of the client: their grants in the org are replaced, also
    when the files grant no role at all."""
    grants = data.get("role_subjectgrants")
    if not isinstance(grants, dict):
        return
    managed = {row.get("id") for e in entities if e.dataset == "role_subjectgrants" for row in e.data.get("list") or []}
    managed |= {str(i.values.get("user_id")) for i in config.instances
                if i.type == "genesyscloud_user_roles" and i.action != "delete"
                and isinstance(i.values.get("user_id"), str)}
    managed |= {id_map.get(e.data["id"], e.data["id"]) for e in entities
                if e.dataset == "oauth_clients" and "roleDivisions" not in e.unknown}
    for role_id, subjects in grants.items():
        grants[role_id] = [s for s in subjects if s.get("id") not in managed]


def _remap(entity: Entity, id_map: dict[str, str]) -> None:
    if entity.parent in id_map:
        entity.parent = id_map[entity.parent]
    if entity.data.get("id") in id_map:
        entity.data["id"] = id_map[entity.data["id"]]
    configuration = entity.data.get("configuration")
    if isinstance(configuration, dict) and configuration.get("id") in id_map:
        configuration["id"] = id_map[configuration["id"]]
    for grant in entity.data.get("roleDivisions") or []:
        if grant.get("roleId") in id_map:
            grant["roleId"] = id_map[grant["roleId"]]
    for row in entity.data.get("list") or []:
        if row.get("id") in id_map:
            row["id"] = id_map[row["id"]]
        for division in row.get("divisions") or []:
            if division.get("id") in id_map:
                division["id"] = id_map[division["id"]]
    for key in ("division", "flow"):
        ref = entity.data.get(key)
        if isinstance(ref, dict) and ref.get("id") in id_map:
            ref["id"] = id_map[ref["id"]]
    for grant in entity.data.get("roleDivisions") or []:
        if grant.get("divisionId") in id_map:
            grant["divisionId"] = id_map[grant["divisionId"]]


def _deep_update(target: dict[str, Any], source: dict[str, Any], unknown: dict[str, str], prefix: str = "") -> None:
    for key, value in source.items():
        path = prefix + key
        if value is None and path not in unknown:
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict) and path not in unknown:
            _deep_update(target[key], value, unknown, path + ".")
        else:
            target[key] = value


def _keep_pinned_settings(entity: Entity, current: dict[str, Any] | None) -> None:
    """A deployment that keeps pinning the configuration version the org already serves keeps
    that version's settings, which the snapshot holds and the configuration files do not."""
    if entity.dataset != "deployments" or current is None or "configuration.cobrowse" not in entity.unknown:
        return
    pinned, now = entity.data.get("configuration") or {}, current.get("configuration") or {}
    if pinned.get("id") == now.get("id") and pinned.get("version") and pinned.get("version") == now.get("version"):
        for path in PINNED_SETTINGS:
            entity.unknown.pop(f"configuration.{path}", None)
            pinned.pop(path, None)
