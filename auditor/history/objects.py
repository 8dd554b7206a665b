"""Snapshot -> the objects whose configuration drift the nightly run reports.

Each object gets a sha256 of its canonical JSON (sorted keys, no whitespace) with volatile
fields removed (member counts move every time an agent joins a queue and would make every queue
"changed" every night), plus the co-browse-relevant fields flattened to dotted names so that a
change can say *what* changed, e.g. `configuration.cobrowse.channels`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from auditor.snapshot import Snapshot

#: Fields dropped before hashing: they change without anyone changing the configuration.
VOLATILE = frozenset({"memberCount", "userMemberCount", "joinedMemberCount", "userCount", "selfUri"})

#: kind -> (label, the datasets it is built from)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "queue": ("Queues", ("queues",)),
    "wrapup_assignment": ("Wrap-up code assignments", ("queues", "queue_wrapupcodes")),
    "role": ("Roles", ("roles",)),
    "oauth_client": ("OAuth clients", ("oauth_clients",)),
    "deployment": ("Web deployments", ("deployments",)),
    "configuration": ("Messenger configurations", ("configurations",)),
}

_COBROWSE_FIELDS = (
    "enabled", "channels", "allowAgentControl", "allowAgentNavigation", "allowDraw",
    "maskSelectors", "readonlySelectors", "pauseCriteria",
)


@dataclass(frozen=True)
class ObjectState:
    kind: str
    object_id: str
    name: str
    sha256: str
    fields: dict[str, Any]


def _scrub(value: Any) -> Any:
    """Drop volatile fields and anything secret-looking, recursively."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in VOLATILE and "secret" not in k.lower()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def content_hash(entity: Any) -> str:
    canonical = json.dumps(_scrub(entity), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _get(entity: dict[str, Any], dotted: str) -> Any:
    value: Any = entity
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _pick(entity: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _get(entity, name) for name in names}


def _queue_fields(q: dict[str, Any]) -> dict[str, Any]:
    fields = _pick(q, ("name", "division.id", "acwSettings.wrapupPrompt", "acwSettings.timeoutMs"))
    fields["mediaSettings.message"] = (q.get("mediaSettings") or {}).get("message") is not None
    return fields


def _role_fields(r: dict[str, Any]) -> dict[str, Any]:
    permissions = sorted(
        f"{p.get('domain')}:{p.get('entityName')}:{action}"
        for p in r.get("permissionPolicies") or [] for action in p.get("actionSet") or []
    )
    return {"name": r.get("name"), "permissionPolicies": permissions}


def _client_fields(c: dict[str, Any]) -> dict[str, Any]:
    fields = _pick(c, ("name", "authorizedGrantType", "state", "accessTokenValiditySeconds"))
    fields["scope"] = sorted(c.get("scope") or [])
    fields["roleDivisions"] = sorted(f"{d.get('roleId')}/{d.get('divisionId')}" for d in c.get("roleDivisions") or [])
    fields["registeredRedirectUri"] = sorted(c.get("registeredRedirectUri") or [])
    return fields


def _deployment_fields(d: dict[str, Any]) -> dict[str, Any]:
    fields = _pick(d, ("name", "status", "allowAllDomains", "configuration.id", "configuration.version"))
    fields["allowedDomains"] = sorted(d.get("allowedDomains") or [])
    cobrowse = _get(d, "configuration.cobrowse") or {}
    fields.update({f"configuration.cobrowse.{k}": cobrowse.get(k) for k in _COBROWSE_FIELDS})
    return fields


def _configuration_fields(c: dict[str, Any]) -> dict[str, Any]:
    fields = _pick(c, ("name", "version", "status", "messenger.enabled"))
    cobrowse = c.get("cobrowse") or {}
    fields.update({f"cobrowse.{k}": cobrowse.get(k) for k in _COBROWSE_FIELDS})
    return fields


_LIST_KINDS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "queue": ("queues", _queue_fields),
    "role": ("roles", _role_fields),
    "oauth_client": ("oauth_clients", _client_fields),
    "deployment": ("deployments", _deployment_fields),
    "configuration": ("configurations", _configuration_fields),
}


def compared_kinds(snapshot: Snapshot) -> list[str]:
    """Kinds whose source datasets were all collected (drift is only meaningful for those)."""
    return [kind for kind, (_, datasets) in KINDS.items() if all(snapshot.available(d) for d in datasets)]


def extract_objects(snapshot: Snapshot) -> Iterator[ObjectState]:
    if snapshot.lean:
        # A lean snapshot drops undeclared fields: its hashes would report every object as changed.
        raise ValueError("drift needs a fully loaded snapshot, not a lean one")
    kinds = set(compared_kinds(snapshot))
    for kind, (dataset, fields_of) in _LIST_KINDS.items():
        if kind not in kinds:
            continue
        for entity in snapshot.raw(dataset):
            yield ObjectState(kind, str(entity["id"]), str(entity.get("name") or entity["id"]),
                              content_hash(entity), fields_of(entity))
    if "wrapup_assignment" in kinds:
        names = {q["id"]: q.get("name") or q["id"] for q in snapshot.raw("queues")}
        for queue_id, codes in snapshot.raw("queue_wrapupcodes").items():
            for code in codes:
                yield ObjectState(
                    "wrapup_assignment", f"{queue_id}/{code['id']}",
                    f"{names.get(queue_id, queue_id)} / {code.get('name') or code['id']}",
                    content_hash({"queue": queue_id, "code": code["id"]}), {},
                )
