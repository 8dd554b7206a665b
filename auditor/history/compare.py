"""Comparing runs: finding changes (NEW / UNCHANGED / REGRESSED / RESOLVED) and configuration drift."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from auditor.history.objects import KINDS


class Change(StrEnum):
    NEW = "NEW"
    UNCHANGED = "UNCHANGED"
    REGRESSED = "REGRESSED"
    RESOLVED = "RESOLVED"


@dataclass(frozen=True)
class FindingChange:
    change: Change
    fingerprint: str
    rule_id: str
    severity: str
    resource_id: str
    resource_name: str
    title: str = ""
    message: str = ""
    first_seen: str | None = None
    last_seen: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change.value, "fingerprint": self.fingerprint, "rule_id": self.rule_id,
            "severity": self.severity, "resource_id": self.resource_id, "resource_name": self.resource_name,
            "title": self.title, "message": self.message, "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass
class FindingComparison:
    previous_run_id: int | None
    changes: list[FindingChange] = field(default_factory=list)

    def of(self, change: Change) -> list[FindingChange]:
        return [c for c in self.changes if c.change is change]

    def counts(self) -> dict[str, int]:
        return {c.value: len(self.of(c)) for c in Change}

    def by_fingerprint(self) -> dict[str, Change]:
        return {c.fingerprint: c.change for c in self.changes if c.change is not Change.RESOLVED}

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_run_id": self.previous_run_id,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes if c.change is not Change.UNCHANGED],
        }


@dataclass(frozen=True)
class ObjectChange:
    kind: str
    change: str  # added / removed / changed
    object_id: str
    name: str
    fields: tuple[str, ...] = ()
    #: field -> (old, new) for the changed fields the history tracks (objects.py picks the fields
    #: that matter: grant type, status, co-browse settings, ...), so a report can say CODE -> PASSWORD.
    values: dict[str, tuple[Any, Any]] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "change": self.change, "object_id": self.object_id, "name": self.name,
                "fields": list(self.fields),
                "values": {name: {"old": old, "new": new} for name, (old, new) in self.values.items()}}

    def describe_values(self, limit: int = 120) -> list[str]:
        """`authorizedGrantType: CODE -> PASSWORD`, one per changed field (just the name when untracked)."""
        return [f"{name}: {show_value(self.values[name][0], limit)} -> {show_value(self.values[name][1], limit)}"
                if name in self.values else name for name in self.fields]


def show_value(value: Any, limit: int = 120) -> str:
    """A drift value for people: lists comma-joined, None as (none), booleans lower-case, bounded."""
    if value is None or value == []:
        text = "(none)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Drift:
    from_run_id: int | None
    to_run_id: int | None
    changes: list[ObjectChange] = field(default_factory=list)
    #: kind -> why it was not compared (a dataset missing in one of the runs)
    not_compared: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for c in self.changes:
            out.setdefault(c.kind, {"added": 0, "removed": 0, "changed": 0})[c.change] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_run_id": self.from_run_id,
            "to_run_id": self.to_run_id,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "not_compared": self.not_compared,
        }


#: What a stored object looks like to the comparison: object_id -> (name, sha256, fields)
ObjectMap = dict[str, tuple[str, str, dict[str, Any]]]

#: Field name shown when the hash changed but none of the co-browse-relevant fields did.
OTHER_FIELDS = "(other fields)"


def compare_objects(
    before: dict[str, ObjectMap],
    after: dict[str, ObjectMap],
    before_kinds: set[str],
    after_kinds: set[str],
    from_run_id: int | None = None,
    to_run_id: int | None = None,
) -> Drift:
    """Objects per kind in two runs -> added / removed / changed (with the changed field names)."""
    drift = Drift(from_run_id, to_run_id)
    for kind in KINDS:
        if kind not in before_kinds or kind not in after_kinds:
            missing = "the earlier" if kind not in before_kinds else "the later"
            drift.not_compared[kind] = f"its data was not collected in {missing} run"
            continue
        old, new = before.get(kind, {}), after.get(kind, {})
        for object_id in sorted(new.keys() - old.keys(), key=lambda i: (new[i][0].casefold(), i)):
            drift.changes.append(ObjectChange(kind, "added", object_id, new[object_id][0]))
        for object_id in sorted(old.keys() - new.keys(), key=lambda i: (old[i][0].casefold(), i)):
            drift.changes.append(ObjectChange(kind, "removed", object_id, old[object_id][0]))
        for object_id in sorted(old.keys() & new.keys(), key=lambda i: (new[i][0].casefold(), i)):
            (_, old_hash, old_fields), (name, new_hash, new_fields) = old[object_id], new[object_id]
            if old_hash == new_hash:
                continue
            names = sorted(k for k in old_fields.keys() | new_fields.keys() if old_fields.get(k) != new_fields.get(k))
            values = {k: (old_fields.get(k), new_fields.get(k)) for k in names}
            drift.changes.append(ObjectChange(kind, "changed", object_id, name, tuple(names or [OTHER_FIELDS]),
                                              values))
    return drift
