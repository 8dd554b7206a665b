"""The fake Platform API's audit trail: the audit endpoints with the real envelopes, and a way for a
test (or the demo) to plant a change: the object changes and an AuditLogMessage records who did it.

Shapes (SDK 269 models; tests/testing/test_fake_audit.py deserialises every answer with the SDK):
AuditQueryServiceMapping, AuditRealtimeQueryResultsResponse, AuditQueryExecutionStatusResponse,
AuditQueryExecutionResultsResponse, AuditLogMessage (see auditor/sources/collectors/audit_trail.py
for the endpoints). Service names, entity types and actions are values of the SDK's enums
(models/audit_topic_audit_log_message.py: serviceName, entityType, action). Which service records
which entity type is this fake's own choice: the real mapping comes from the servicemapping
endpoint, which the auditor reads rather than assumes.
"""

from __future__ import annotations

import copy
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: service -> entity type -> actions (illustrative, see the module docstring).
SERVICE_MAPPING: dict[str, dict[str, list[str]]] = {
    "Routing": {"Queue": ["Create", "Update", "Delete", "WrapupCodeAdd", "WrapupCodeRemove"],
                "WrapupCode": ["Create", "Update", "Delete"]},
    "WebDeployments": {"Deployment": ["Create", "Update", "Delete"],
                       "Configuration": ["Create", "Update", "Delete", "Publish"]},
    "PeoplePermissions": {"Role": ["Create", "Update", "Delete"], "OAuthClient": ["Create", "Update", "Delete"]},
}
#: Snapshot dataset -> the audit entity type of its objects.
ENTITY_TYPES = {"queues": "Queue", "wrapupcodes": "WrapupCode", "deployments": "Deployment",
                "configurations": "Configuration", "roles": "Role", "oauth_clients": "OAuthClient"}
AUDIT_PREFIX = "/api/v2/audits/"


@dataclass(frozen=True)
class Actor:
    """Who made a planted change: a user (id, name) or an OAuth client (id)."""

    user_name: str | None = None
    user_id: str | None = None
    client_id: str | None = None
    application: str = "UI"
    remote_ip: tuple[str, ...] = ("203.0.113.7",)


def _service_of(entity_type: str) -> str:
    return next(s for s, types in SERVICE_MAPPING.items() if entity_type in types)


def _get(entity: dict[str, Any], path: str) -> Any:
    value: Any = entity
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _set(entity: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        entity = entity.setdefault(part, {})
    entity[parts[-1]] = value


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v) for v in value]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [value if isinstance(value, str) else json.dumps(value)]


def _iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class FakeAuditTrail:
    org_id: str
    #: AuditLogMessage dicts, as the API keeps them (user names included; `expand=user` decides
    #: whether an answer carries them).
    messages: list[dict[str, Any]] = field(default_factory=list)
    #: (method, path, body or params) of every audit call answered, in order.
    queries: list[tuple[str, str, Any]] = field(default_factory=list)
    #: Entries per realtime page: small, so that tests see more than one page.
    page_size: int = 25
    _transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, entity_type: str, entity_id: str, entity_name: str, action: str, actor: Actor,
               changes: list[tuple[str, Any, Any]], when: datetime | None = None) -> dict[str, Any]:
        """Append one AuditLogMessage (models/audit_log_message.py)."""
        user = ({"id": actor.user_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"user:{actor.user_name}")),
                 "name": actor.user_name} if actor.user_name or actor.user_id else None)
        message: dict[str, Any] = {
            "id": str(uuid.uuid4()), "userHomeOrgId": self.org_id,
            "remoteIp": list(actor.remote_ip), "serviceName": _service_of(entity_type), "level": "USER",
            "eventDate": _iso(when or datetime.now(UTC)), "action": action,
            "entity": {"id": entity_id, "name": entity_name, "selfUri": f"/api/v2/audits/entities/{entity_id}"},
            "entityType": entity_type, "status": "SUCCESS", "application": actor.application,
            "propertyChanges": [{"property": p, "oldValues": _values(o), "newValues": _values(n)}
                                for p, o, n in changes],
            "context": {},
        }
        if user is not None:
            message["user"] = {**user, "selfUri": f"/api/v2/users/{user['id']}"}
        if actor.client_id:
            message["client"] = {"id": actor.client_id, "selfUri": f"/api/v2/oauth/clients/{actor.client_id}"}
        with self._lock:
            self.messages.append(message)
        return message

    # -- answering ------------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        """(status, JSON body) for a call under /api/v2/audits/."""
        expand_user = "user" in ",".join(params.get("expand", [])).split(",")
        with self._lock:
            self.queries.append((method, path, json.loads(body or b"null") if method == "POST" else params))
        if method == "GET" and path in (AUDIT_PREFIX + "query/realtime/servicemapping",
                                        AUDIT_PREFIX + "query/servicemapping"):
            return 200, {"services": [{"name": s, "entities": [{"name": e, "actions": a} for e, a in types.items()]}
                                      for s, types in SERVICE_MAPPING.items()]}
        if method == "POST" and path == AUDIT_PREFIX + "query/realtime":
            query, error = self._query(body)
            if error:
                return 400, error
            found = self._matching(query)
            size = int(query.get("pageSize") or self.page_size)
            number = max(1, int(query.get("pageNumber") or 1))
            page = found[(number - 1) * size:number * size]
            return 200, {"entities": [self._shown(m, expand_user) for m in page], "pageSize": size,
                         "pageNumber": number, "total": len(found), "pageCount": max(1, -(-len(found) // size))}
        if method == "POST" and path == AUDIT_PREFIX + "query":
            query, error = self._query(body)
            if error:
                return 400, error
            transaction = str(uuid.uuid4())
            status = {"id": transaction, "state": "Queued", "startDate": _iso(datetime.now(UTC)),
                      "interval": query["interval"], "serviceName": query["serviceName"],
                      "filters": query.get("filters") or [], "sort": query.get("sort") or []}
            found = self._matching(query)
            with self._lock:
                self._transactions[transaction] = {"status": status, "polls": 0, "found": found}
            return 200, status
        parts = path[len(AUDIT_PREFIX):].split("/")
        if method == "GET" and len(parts) in (2, 3) and parts[0] == "query" and parts[1] in self._transactions:
            job = self._transactions[parts[1]]
            if len(parts) == 2:  # Queued, then Running, then Succeeded: the caller has to poll
                job["polls"] += 1
                job["status"]["state"] = ["Queued", "Running", "Succeeded"][min(job["polls"], 2)]
                return 200, job["status"]
            if parts[2] == "results" and job["status"]["state"] == "Succeeded":
                size = min(500, int((params.get("pageSize") or ["25"])[0]))
                start = int((params.get("cursor") or ["0"])[0])
                page = job["found"][start:start + size]
                more = start + size < len(job["found"])
                answer = {"id": parts[1], "pageSize": size, "entities": [self._shown(m, expand_user) for m in page]}
                if more:
                    answer["cursor"] = str(start + size)
                return 200, answer
            return 400, {"status": 400, "code": "bad.request", "message": "The query has not finished."}
        return 404, {"status": 404, "code": "not.found", "message": "The requested resource was not found."}

    @staticmethod
    def _query(body: bytes) -> tuple[dict[str, Any], dict[str, Any] | None]:
        try:
            query = json.loads(body or b"null")
        except ValueError:
            query = None
        bad = {"status": 400, "code": "bad.request", "message": "interval and serviceName are required."}
        if not isinstance(query, dict) or not isinstance(query.get("interval"), str) or "/" not in query["interval"]:
            return {}, bad
        if query.get("serviceName") not in SERVICE_MAPPING:
            return {}, {**bad, "message": "Invalid serviceName (see /api/v2/audits/query/realtime/servicemapping)."}
        return query, None

    def _matching(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        start, end = (_parse(p) for p in query["interval"].split("/", 1))
        keys = {"EntityType": lambda m: m["entityType"], "EntityId": lambda m: m["entity"]["id"],
                "Action": lambda m: m["action"], "UserId": lambda m: (m.get("user") or {}).get("id"),
                "ClientId": lambda m: (m.get("client") or {}).get("id")}
        filters = [(f.get("property"), f.get("value")) for f in query.get("filters") or [] if isinstance(f, dict)]
        with self._lock:
            found = [m for m in self.messages if m["serviceName"] == query["serviceName"]
                     and start <= _parse(m["eventDate"]) < end
                     and all(p in keys and keys[p](m) == v for p, v in filters)]
        return sorted(found, key=lambda m: m["eventDate"], reverse=True)

    @staticmethod
    def _shown(message: dict[str, Any], expand_user: bool) -> dict[str, Any]:
        shown = copy.deepcopy(message)
        if not expand_user and "user" in shown:
            shown["user"] = {k: v for k, v in shown["user"].items() if k != "name"}
        return shown


def plant_change(api: Any, dataset: str, entity_id: str, changes: dict[str, Any], actor: Actor,
                 when: datetime | None = None, action: str = "Update") -> dict[str, Any]:
    """Change an object the fake serves (dotted field paths -> new values) and record the change in
    its audit trail, as Genesys does when someone edits it. Returns the AuditLogMessage."""
    with api._lock:
        entity = next(e for e in api.data[dataset] if e.get("id") == entity_id)
        recorded = []
        for path, new in changes.items():
            recorded.append((path, copy.deepcopy(_get(entity, path)), new))
            _set(entity, path, new)
    return api.audit.record(ENTITY_TYPES[dataset], entity_id, str(entity.get("name", "")), action, actor,
                            recorded, when or datetime.now(UTC))
