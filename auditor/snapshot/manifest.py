"""`manifest.json`: when, where from and how completely a snapshot was collected."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: 2: statuses `partial` and `not_collected`; datasets divisions, divisions_permitted,
#: role_subjectgrants (replacing role_users), group_individuals, flows, conversation_aggregates.
SCHEMA_VERSION = 2
#: What a dataset absent from a version-1 manifest is recorded as.
V1_REASON = "snapshot format v1"

#: - ok: complete;
#: - partial: present, but the collecting client could not see every division (`divisions_not_visible`);
#: - error: not collected because of an error (http_status, error_code, message, message_with_params);
#: - not_collected: not collected on purpose (`reason`).
DatasetState = Literal["ok", "partial", "error", "not_collected"]

#: Field names in manifest.json that differ from the attribute names.
_JSON_NAMES = {"not_collected_reason": "reason"}


@dataclass
class DatasetStatus:
    status: DatasetState = "ok"
    entities: int = 0
    calls: int = 0
    retries: int = 0
    throttled: int = 0
    seconds: float = 0.0
    http_status: int | None = None
    error_code: str | None = None
    message: str | None = None
    #: ErrorBody.messageWithParams, when the API sent one (e.g. naming the missing permission).
    message_with_params: str | None = None
    #: Why a `not_collected` dataset was not collected (`reason` in manifest.json).
    not_collected_reason: str | None = None
    #: For `partial`: [{"id": ..., "name": ...}] of the divisions the client could not see.
    divisions_not_visible: list[dict[str, str]] | None = None
    #: For conversation_aggregates: the queried interval (ISO-8601 start/end) and its length in days.
    interval: str | None = None
    days: int | None = None
    #: Values known only after a Terraform apply: {entity id: {API field path: expression}}
    #: (`auditor.sources.terraform`); the engine turns a rule's reliance on them into ERROR.
    unknown: dict[str, dict[str, str]] | None = None
    #: Where each entity was declared: {entity id: {file, line, address, fields: {path: {...}}}}.
    locations: dict[str, dict[str, Any]] | None = None
    #: Which objects a per-object dataset was collected for (auditor.sources.collectors.plan): `all`,
    #: `ids` (only `ids`; what an audit may judge is in `covers`: the rule needs the selection met), or
    #: `subjects` (role grants read per user: `ids` are the users, auditor.analysis.coverage).
    scope: str | None = None
    ids: list[str] | None = None
    covers: list[str] | None = None

    @property
    def ok(self) -> bool:
        """Complete."""
        return self.status == "ok"

    @property
    def partial(self) -> bool:
        return self.status == "partial"

    @property
    def available(self) -> bool:
        """Data is present (complete or partial)."""
        return self.status in ("ok", "partial")

    @property
    def not_collected(self) -> bool:
        return self.status == "not_collected"

    def invisible_divisions(self) -> dict[str, str]:
        """{division id: name} of the divisions a partial dataset could not see."""
        return {d["id"]: d.get("name") or d["id"] for d in self.divisions_not_visible or ()}

    def reason(self) -> str:
        """One phrase saying why the dataset is missing or incomplete, e.g. `HTTP 403 missing.permissions`."""
        if self.status == "not_collected":
            return f"not collected: {self.not_collected_reason or 'not requested'}"
        if self.status == "partial":
            names = ", ".join(self.invisible_divisions().values())
            return (f"partial: divisions not visible to the collecting client: {names}" if names
                    else f"partial: {self.message or 'division visibility could not be checked'}")
        parts = []
        if self.http_status:
            parts.append(f"HTTP {self.http_status}")
        if self.error_code:
            parts.append(self.error_code)
        if self.message and not parts:
            parts.append(self.message)
        return " ".join(parts) or "not collected"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {_JSON_NAMES.get(k, k): v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> DatasetStatus:
        attributes = {v: k for k, v in _JSON_NAMES.items()}
        known = set(cls.__dataclass_fields__)
        values = {attributes.get(k, k): v for k, v in entry.items()}
        return cls(**{k: v for k, v in values.items() if k in known})


@dataclass
class Manifest:
    collected_at: str
    organization_id: str
    organization_name: str = ""
    region: str | None = None
    api_base: str | None = None
    tool_version: str = ""
    schema_version: int = SCHEMA_VERSION
    datasets: dict[str, DatasetStatus] = field(default_factory=dict)
    #: Anything a collector wants to record beyond the fixed fields (timings, worker count...).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(status.ok for status in self.datasets.values())

    def failed(self) -> dict[str, DatasetStatus]:
        """Every dataset that is not complete: error, partial or not collected."""
        return {name: status for name, status in self.datasets.items() if not status.ok}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": self.schema_version,
            "collected_at": self.collected_at,
            "tool": {"name": "gcaudit", "version": self.tool_version},
            "source": {"region": self.region, "api_base": self.api_base},
            "organization": {"id": self.organization_id, "name": self.organization_name},
            "datasets": {name: status.to_dict() for name, status in self.datasets.items()},
        }
        if self.extra:
            data["extra"] = self.extra
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Build from a dict already validated against `schemas.MANIFEST`."""
        source = data.get("source") or {}
        org = data.get("organization") or {}
        return cls(
            schema_version=data["schema_version"],
            collected_at=data["collected_at"],
            organization_id=org.get("id", ""),
            organization_name=org.get("name", ""),
            region=source.get("region"),
            api_base=source.get("api_base"),
            tool_version=(data.get("tool") or {}).get("version", ""),
            datasets={name: DatasetStatus.from_dict(entry) for name, entry in data["datasets"].items()},
            extra=data.get("extra") or {},
        )
