"""The org's audit trail: who changed an object, when, from where, and what (old -> new).

Endpoints, bodies and permission (SDK 269 `apis/audit_api.py`; the SDK's docs/AuditApi.md, MyPureCloud
platform-client-sdk-python, name "Requires ALL permissions: audits:audit:view" for every one of them):

- GET  /api/v2/audits/query/realtime/servicemapping -> AuditQueryServiceMapping {services: [{name,
  entities: [{name, actions}]}]} (models/audit_query_service_mapping.py, audit_query_service.py,
  audit_query_entity.py): which service records which entity type. The service name of a query is
  taken from here, never assumed ("Use /api/v2/audits/query/realtime/servicemapping endpoint for a
  list of valid values", AuditApi.md).
- POST /api/v2/audits/query/realtime?expand=user with AuditRealtimeQueryRequest {interval, serviceName,
  filters: [AuditQueryFilter {property, value}], sort, pageNumber, pageSize}
  (models/audit_realtime_query_request.py) -> AuditRealtimeQueryResultsResponse {entities:
  [AuditLogMessage], pageSize, pageNumber, total, pageCount}. "This endpoint will only retrieve 14
  days worth of audits" (AuditApi.md), so older windows use the asynchronous query:
- POST /api/v2/audits/query with AuditQueryRequest {interval, serviceName, filters, sort} ->
  AuditQueryExecutionStatusResponse {id, state: Queued|Running|Succeeded|Failed|Cancelled}; GET
  /api/v2/audits/query/{transactionId} until it leaves Queued/Running; then GET
  /api/v2/audits/query/{transactionId}/results?cursor=&pageSize=500&expand=user ->
  AuditQueryExecutionResultsResponse {id, pageSize, cursor, entities} ("The maximum page size is 500").
- AuditQueryFilter.property is one of UserId, TrusteeOrganizationId, ClientId, Action, EntityType,
  EntityId (models/audit_query_filter.py); AuditQuerySort.name is Timestamp (models/audit_query_sort.py).
- AuditLogMessage (models/audit_log_message.py): id, user (DomainEntityRef {id, name}; `expand=user`
  fills the name, AuditApi.md "Values: user"), client (AddressableEntityRef {id}: no name, so the
  client's name comes from the collected OAuth clients), remoteIp (list), serviceName, eventDate,
  action, entity {id, name}, entityType, application, propertyChanges [PropertyChange {property,
  oldValues, newValues}] (models/property_change.py).

One query per service and window (never one per object): every entity type asked for that the
service records goes into one query (an `EntityType` filter when it is the only one), and the
entries are matched to the objects by `entity.id` here. The realtime query's page size is left to
the server: no source states its maximum.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from auditor.sources.collectors.client import ApiClient, CallStats
from auditor.sources.collectors.errors import ApiError

log = logging.getLogger(__name__)

SERVICEMAPPING = "/api/v2/audits/query/realtime/servicemapping"
REALTIME = "/api/v2/audits/query/realtime"
QUERY = "/api/v2/audits/query"
PERMISSION = "audits:audit:view"
#: "This endpoint will only retrieve 14 days worth of audits" (AuditApi.md, post_audits_query_realtime).
REALTIME_DAYS = 14
#: GET .../results: "The maximum page size is 500" (AuditApi.md).
RESULTS_PAGE_SIZE = 500
#: AuditQueryExecutionStatusResponse.state values that are final (models/audit_query_execution_status_response.py).
FINAL_STATES = frozenset({"Succeeded", "Failed", "Cancelled"})
#: Bounds on the asynchronous query: pages followed, and seconds spent polling one transaction.
MAX_PAGES = 200
POLL_SECONDS = 300.0


@dataclass(frozen=True)
class TrailEntry:
    """One AuditLogMessage, reduced to what a report shows. All text is as the API sent it
    (user-controlled: every report sanitises it for its medium)."""

    entity_type: str
    entity_id: str
    when: str
    service: str
    action: str
    user_id: str | None = None
    user_name: str | None = None
    client_id: str | None = None
    client_name: str | None = None
    application: str | None = None
    remote_ip: tuple[str, ...] = ()
    changes: tuple[tuple[str, str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_type": self.entity_type, "entity_id": self.entity_id, "when": self.when,
            "service": self.service, "action": self.action,
            "user": {"id": self.user_id, "name": self.user_name} if self.user_id or self.user_name else None,
            "client": {"id": self.client_id, "name": self.client_name} if self.client_id else None,
            "application": self.application, "remote_ip": list(self.remote_ip),
            "property_changes": [{"property": p, "old": o, "new": n} for p, o, n in self.changes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrailEntry:
        user = data.get("user") or {}
        client = data.get("client") or {}
        return cls(
            entity_type=str(data.get("entity_type") or ""), entity_id=str(data.get("entity_id") or ""),
            when=str(data.get("when") or ""), service=str(data.get("service") or ""),
            action=str(data.get("action") or ""), user_id=user.get("id"), user_name=user.get("name"),
            client_id=client.get("id"), client_name=client.get("name"), application=data.get("application"),
            remote_ip=tuple(str(ip) for ip in data.get("remote_ip") or ()),
            changes=tuple((str(c.get("property", "")), str(c.get("old", "")), str(c.get("new", "")))
                          for c in data.get("property_changes") or () if isinstance(c, dict)),
        )


@dataclass
class TrailResult:
    """Entries per entity id, plus what was asked and how."""

    entries: dict[str, list[TrailEntry]] = field(default_factory=dict)
    method: str = "realtime"
    services: list[str] = field(default_factory=list)
    #: Entity types no service of the mapping records (no query could find them).
    unmapped: list[str] = field(default_factory=list)
    calls: int = 0
    #: What the call plan said this would cost (auditor.sources.collectors.plan.audit_trail_calls).
    planned_calls: int = 0


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _values(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def parse_message(message: dict[str, Any], client_names: dict[str, str]) -> TrailEntry | None:
    """An AuditLogMessage -> TrailEntry; None without an entity id (nothing to join it to)."""
    entity = message.get("entity") if isinstance(message.get("entity"), dict) else {}
    entity_id = _text(entity.get("id"))
    if entity_id is None:
        return None
    user = message.get("user") if isinstance(message.get("user"), dict) else {}
    client = message.get("client") if isinstance(message.get("client"), dict) else {}
    client_id = _text(client.get("id"))
    ips = message.get("remoteIp")
    changes = []
    for change in message.get("propertyChanges") or []:
        if isinstance(change, dict) and _text(change.get("property")):
            changes.append((change["property"], _values(change.get("oldValues")), _values(change.get("newValues"))))
    return TrailEntry(
        entity_type=str(message.get("entityType") or ""), entity_id=entity_id,
        when=str(message.get("eventDate") or ""), service=str(message.get("serviceName") or ""),
        action=str(message.get("action") or ""), user_id=_text(user.get("id")), user_name=_text(user.get("name")),
        client_id=client_id, client_name=client_names.get(client_id or ""),
        application=_text(message.get("application")),
        remote_ip=tuple(str(ip) for ip in ips if isinstance(ip, str)) if isinstance(ips, list) else (),
        changes=tuple(changes),
    )


def services_for(mapping: dict[str, Any], entity_types: Iterable[str]) -> tuple[dict[str, list[str]], list[str]]:
    """service name -> the wanted entity types it records (AuditQueryServiceMapping); and the
    wanted types no service records."""
    wanted = set(entity_types)
    out: dict[str, list[str]] = {}
    seen: set[str] = set()
    for service in mapping.get("services") or []:
        if not isinstance(service, dict) or not _text(service.get("name")):
            continue
        names = sorted({e.get("name") for e in service.get("entities") or []
                        if isinstance(e, dict) and e.get("name") in wanted})
        if names:
            out[service["name"]] = names
            seen.update(names)
    return dict(sorted(out.items())), sorted(wanted - seen)


def interval(start: datetime, end: datetime) -> str:
    """ISO-8601 "start/end" (AuditRealtimeQueryRequest.interval: YYYY-MM-DDThh:mm:ssZ/YYYY-MM-DDThh:mm:ssZ).
    Whole seconds: the start is rounded down and the end up, so the window never loses its edges."""
    start = start.replace(microsecond=0)
    if end.microsecond:
        end = end.replace(microsecond=0) + timedelta(seconds=1)
    return f"{start.strftime('%Y-%m-%dT%H:%M:%SZ')}/{end.strftime('%Y-%m-%dT%H:%M:%SZ')}"


def _before(when: str, start: datetime) -> bool:
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return False  # unparseable: kept (the server put it in the window)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=start.tzinfo)
    return moment < start


def _body(service: str, types: list[str], start: datetime, end: datetime) -> dict[str, Any]:
    body: dict[str, Any] = {"interval": interval(start, end), "serviceName": service,
                            "sort": [{"name": "Timestamp", "sortOrder": "descending"}]}
    if len(types) == 1:
        body["filters"] = [{"property": "EntityType", "value": types[0]}]
    return body


def query_trail(client: ApiClient, entity_ids: dict[str, set[str]], start: datetime, end: datetime,
                client_names: dict[str, str] | None = None, *, poll_interval: float = 2.0) -> TrailResult:
    """The trail entries for `entity_ids` (entity type -> ids) between start and end. Raises
    ApiError (a 403 means the permission is missing) for the caller to word."""
    stats = CallStats()
    names = client_names or {}
    mapping = client.get(SERVICEMAPPING, stats=stats) or {}
    services, unmapped = services_for(mapping, entity_ids)
    realtime = end - start <= timedelta(days=REALTIME_DAYS)
    from auditor.sources.collectors.plan import audit_trail_calls

    planned = audit_trail_calls(len(services), (end - start).total_seconds() / 86400).calls
    result = TrailResult(method="realtime" if realtime else "query", services=list(services), unmapped=unmapped,
                         planned_calls=planned)
    wanted = {(t, i) for t, ids in entity_ids.items() for i in ids}
    wanted_ids = {i for _, i in wanted}
    for service, types in services.items():
        body = _body(service, types, start, end)
        messages = _realtime(client, body, stats) if realtime else _asynchronous(client, body, stats, poll_interval)
        for message in messages:
            entry = parse_message(message, names) if isinstance(message, dict) else None
            # The interval is in whole seconds: an entry from before the window's exact start
            # (a change the previous run already saw) is dropped here.
            if entry is not None and entry.entity_id in wanted_ids and not _before(entry.when, start):
                result.entries.setdefault(entry.entity_id, []).append(entry)
    for found in result.entries.values():
        found.sort(key=lambda e: e.when, reverse=True)  # newest first
    result.calls = stats.calls
    return result


def _realtime(client: ApiClient, body: dict[str, Any], stats: CallStats) -> Iterable[dict[str, Any]]:
    page = 1
    while page <= MAX_PAGES:
        answer = client.request("POST", REALTIME, {"expand": "user"}, {**body, "pageNumber": page}, stats) or {}
        yield from answer.get("entities") or []
        count = answer.get("pageCount")
        if not isinstance(count, int) or page >= count:
            return
        page += 1


def _asynchronous(client: ApiClient, body: dict[str, Any], stats: CallStats,
                  poll_interval: float) -> Iterable[dict[str, Any]]:
    status = client.post(QUERY, body, stats) or {}
    transaction = status.get("id")
    if not isinstance(transaction, str) or not transaction:
        raise ApiError("POST", QUERY, None, None, "the audit query returned no transaction id")
    deadline = time.monotonic() + POLL_SECONDS
    while status.get("state") not in FINAL_STATES:
        if time.monotonic() > deadline:
            raise ApiError("GET", f"{QUERY}/{{transactionId}}", None, None,
                           f"the audit query did not finish in {POLL_SECONDS:g} s")
        time.sleep(poll_interval)
        status = client.get(f"{QUERY}/{transaction}", stats=stats) or {}
    if status.get("state") != "Succeeded":
        raise ApiError("GET", f"{QUERY}/{{transactionId}}", None, None,
                       f"the audit query ended {str(status.get('state'))[:20]}")
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params: dict[str, Any] = {"pageSize": RESULTS_PAGE_SIZE, "expand": "user"}
        if cursor:
            params["cursor"] = cursor
        answer = client.get(f"{QUERY}/{transaction}/results", params, stats) or {}
        yield from answer.get("entities") or []
        cursor = answer.get("cursor") if isinstance(answer.get("cursor"), str) else None
        if not cursor:
            return
