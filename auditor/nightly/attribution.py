"""Who changed it: NEW and REGRESSED findings and drift entries joined to the org's audit trail.

After a live run is recorded, the objects behind tonight's NEW / REGRESSED findings and drift
entries are looked up in the audit trail for the window since the previous run
(auditor.sources.collectors.audit_trail: one query per service and window). Each gets either the
trail's entries (who, when, from where, what changed old -> new), or "who: unknown" with the
reason: the permission is missing, no entry was found, the object type is not one the trail
records, or the query failed. Never a guess, and nothing else in the run depends on it.

Audit-trail entity types are values of the SDK's AuditTopicAuditLogMessage.entityType enum
(models/audit_topic_audit_log_message.py): Queue, WrapupCode, Role, OAuthClient, Deployment,
Configuration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditor.history.compare import Change, Drift, FindingComparison
from auditor.sources.collectors.audit_trail import PERMISSION, TrailEntry

log = logging.getLogger(__name__)

#: Result.resource_type (findings) and drift kinds -> audit-trail entity type (see the docstring).
ENTITY_TYPES = {
    "queue": "Queue", "wrapup_code": "WrapupCode", "role": "Role", "oauth_client": "OAuthClient",
    "web_deployment": "Deployment", "deployment": "Deployment",
    "messenger_configuration": "Configuration", "configuration": "Configuration",
    # A wrap-up code assignment (queue id/code id) is a change to the queue (actions WrapupCodeAdd /
    # WrapupCodeRemove of the same enum).
    "wrapup_assignment": "Queue",
}
NO_ENTRY = "no entry in the audit trail"
MAX_ENTRIES = 5  # per object, newest first


@dataclass(frozen=True)
class Target:
    """One object a report line is about."""

    entity_type: str
    entity_id: str


def target_for(kind: str, object_id: str) -> Target | None:
    entity_type = ENTITY_TYPES.get(kind)
    if entity_type is None or not object_id:
        return None
    if kind == "wrapup_assignment":
        object_id = object_id.split("/", 1)[0]
    return Target(entity_type, object_id)


@dataclass
class Attribution:
    """The trail's answer for one run: entries per entity id, or why there is none."""

    window_start: str | None = None
    window_end: str | None = None
    method: str | None = None
    #: Why nothing could be attributed (None: the trail was read).
    unknown: str | None = None
    entries: dict[str, list[TrailEntry]] = field(default_factory=dict)
    #: Entity ids asked about (for "no entry" versus "not asked").
    asked: set[str] = field(default_factory=set)
    #: Entity types no audit service records (from the service mapping).
    unmapped: set[str] = field(default_factory=set)
    calls: int = 0
    planned_calls: int = 0
    services: list[str] = field(default_factory=list)

    def for_target(self, target: Target | None) -> dict[str, Any]:
        """{"who": one line, "entries": [...]} for a report line about `target`."""
        if target is None:
            return {"who": "who: unknown (not an object the audit trail records)", "entries": []}
        if self.unknown:
            return {"who": f"who: unknown ({self.unknown})", "entries": []}
        if target.entity_type in self.unmapped:
            return {"who": f"who: unknown (no audit service records {target.entity_type})", "entries": []}
        found = self.entries.get(target.entity_id) or []
        if not found:
            return {"who": f"who: unknown ({NO_ENTRY})", "entries": []}
        return {"who": describe(found[0]) + (f" (+{len(found) - 1} earlier)" if len(found) > 1 else ""),
                "entries": [e.to_dict() for e in found[:MAX_ENTRIES]]}

    def to_dict(self) -> dict[str, Any]:
        return {"window": {"start": self.window_start, "end": self.window_end}, "method": self.method,
                "unknown": self.unknown, "calls": self.calls, "planned_calls": self.planned_calls,
                "services": self.services, "unmapped": sorted(self.unmapped),
                "entries": {k: [e.to_dict() for e in v] for k, v in sorted(self.entries.items())}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        window = data.get("window") or {}
        return cls(window_start=window.get("start"), window_end=window.get("end"), method=data.get("method"),
                   unknown=data.get("unknown"), calls=int(data.get("calls") or 0),
                   planned_calls=int(data.get("planned_calls") or 0), services=list(data.get("services") or ()),
                   unmapped=set(data.get("unmapped") or ()),
                   entries={k: [TrailEntry.from_dict(e) for e in v if isinstance(e, dict)]
                            for k, v in (data.get("entries") or {}).items() if isinstance(v, list)})

    def merge(self, other: Attribution) -> Attribution:
        """Entries of two runs' windows together (`gcaudit diff` over several runs)."""
        entries = {k: list(v) for k, v in self.entries.items()}
        for key, found in other.entries.items():
            entries.setdefault(key, []).extend(found)
        for found in entries.values():
            found.sort(key=lambda e: e.when, reverse=True)
        return Attribution(self.window_start or other.window_start, other.window_end or self.window_end,
                           self.method or other.method, self.unknown if self.unknown == other.unknown else None,
                           entries, self.asked | other.asked, self.unmapped & other.unmapped,
                           self.calls + other.calls)


def _when(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text[:40]
    return moment.strftime("%Y-%m-%d %H:%M")


def actor(entry: TrailEntry) -> str:
    """The user's name, else the OAuth client's name and id; never a guess."""
    if entry.user_name:
        return entry.user_name
    if entry.client_id:
        name = entry.client_name or "unnamed"
        return f"OAuth client {name} ({entry.client_id})"
    if entry.user_id:
        return f"user {entry.user_id}"
    return "unknown"


def describe(entry: TrailEntry) -> str:
    """`status: Active -> Inactive, by Priya Natarajan (UI, 203.0.113.7) at 2026-12-05 14:02
    [WebDeployments Update]`: what changed, who, from which application and address, when, where."""
    where = ", ".join(p for p in (entry.application, ", ".join(entry.remote_ip)) if p)
    what = "; ".join(f"{p}: {o or '(none)'} -> {n or '(none)'}" for p, o, n in entry.changes[:4])
    if len(entry.changes) > 4:
        what += f"; +{len(entry.changes) - 4} more"
    by = f"by {actor(entry)}" + (f" ({where})" if where else "") + f" at {_when(entry.when)}"
    service = " ".join(p for p in (entry.service, entry.action) if p)
    return (f"{what}, " if what else "") + by + (f" [{service}]" if service else "")


def finding_targets(findings: FindingComparison, resource_types: dict[str, str]) -> dict[str, Target | None]:
    """fingerprint -> target for the NEW and REGRESSED findings (`resource_types`: fingerprint ->
    Result.resource_type)."""
    return {c.fingerprint: target_for(resource_types.get(c.fingerprint, ""), c.resource_id)
            for c in findings.changes if c.change in (Change.NEW, Change.REGRESSED)}


def drift_targets(drift: Drift) -> dict[tuple[str, str], Target | None]:
    return {(c.kind, c.object_id): target_for(c.kind, c.object_id) for c in drift.changes}


def wanted(targets: list[Target | None]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for target in targets:
        if target is not None:
            out.setdefault(target.entity_type, set()).add(target.entity_id)
    return out


def unknown_reason(exc: Exception) -> str:
    """A failed query in words: the missing permission, else the failure's kind (no message text:
    it could quote the request)."""
    from auditor.sources.collectors.errors import ApiError

    if isinstance(exc, ApiError):
        if exc.status == 403:
            return f"needs {PERMISSION}"
        if exc.status:
            return f"the audit trail query failed: HTTP {exc.status}"
        return "the audit trail query failed: " + (exc.code or "no answer")[:60]
    return f"the audit trail query failed: {type(exc).__name__}"


def attribute(client: Any, findings: FindingComparison, drift: Drift, resource_types: dict[str, str],
              start: datetime, end: datetime, client_names: dict[str, str]) -> Attribution:
    """Query the trail for tonight's changes; any failure becomes `unknown` with its reason."""
    from auditor.sources.collectors.audit_trail import query_trail

    targets = [*finding_targets(findings, resource_types).values(), *drift_targets(drift).values()]
    ids = wanted(targets)
    result = Attribution(window_start=start.isoformat(timespec="seconds"), window_end=end.isoformat(timespec="seconds"),
                         asked={i for s in ids.values() for i in s})
    if not ids:
        return result
    try:
        trail = query_trail(client, ids, start, end, client_names)
    except Exception as exc:  # attribution never changes the run: it says why it could not tell
        result.unknown = unknown_reason(exc)
        log.warning("attribution: %s", result.unknown)
        return result
    result.method, result.entries, result.unmapped, result.calls = (trail.method, trail.entries,
                                                                     set(trail.unmapped), trail.calls)
    result.planned_calls, result.services = trail.planned_calls, trail.services
    log.info("attribution: %d audit-trail call(s), %d planned, services %s", trail.calls, trail.planned_calls,
             ", ".join(trail.services) or "none")
    return result


def finding_who(attribution: Attribution | None, change: Any, resource_types: dict[str, str]) -> dict[str, Any] | None:
    """The attribution of one FindingChange (None: not attributed, e.g. offline or RESOLVED)."""
    if attribution is None or change.change not in (Change.NEW, Change.REGRESSED):
        return None
    return attribution.for_target(target_for(resource_types.get(change.fingerprint, ""), change.resource_id))


def drift_who(attribution: Attribution | None, change: Any) -> dict[str, Any] | None:
    if attribution is None:
        return None
    return attribution.for_target(target_for(change.kind, change.object_id))


def stored(store: Any, org_id: str, run_a: int, run_b: int) -> tuple[Attribution | None, dict[str, str]]:
    """For `gcaudit diff A B`: the attributions the org's runs after A up to B recorded, merged
    (None when none of them was attributed), and each finding's resource type in run B."""
    low, high = min(run_a, run_b), max(run_a, run_b)
    docs = store.attributions(org_id, low, high)
    if not docs:
        return None, {}
    merged = Attribution.from_dict(docs[0])
    for doc in docs[1:]:
        merged = merged.merge(Attribution.from_dict(doc))
    types = {r["fingerprint"]: r["resource_type"] for r in store.results(run_b)}
    return merged, types
