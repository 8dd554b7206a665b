"""`manifest.json`: when, where from and how completely a snapshot was collected."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

#: `not_collected`: left out on purpose, `message` says why (e.g. "not in the Terraform configuration").
DatasetState = Literal["ok", "error", "not_collected"]


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
    #: Values known only after a Terraform apply: {entity id: {API field path: expression}}
    #: (`auditor.sources.terraform`); the engine turns a rule's reliance on them into ERROR.
    unknown: dict[str, dict[str, str]] | None = None
    #: Where each entity was declared: {entity id: {file, line, address, fields: {path: {...}}}}.
    locations: dict[str, dict[str, Any]] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def reason(self) -> str:
        """One phrase saying why the dataset is missing, e.g. `HTTP 403 missing.permissions`."""
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
        return {k: v for k, v in data.items() if v is not None}


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
        known = set(DatasetStatus.__dataclass_fields__)
        return cls(
            schema_version=data["schema_version"],
            collected_at=data["collected_at"],
            organization_id=org.get("id", ""),
            organization_name=org.get("name", ""),
            region=source.get("region"),
            api_base=source.get("api_base"),
            tool_version=(data.get("tool") or {}).get("version", ""),
            datasets={
                name: DatasetStatus(**{k: v for k, v in entry.items() if k in known})
                for name, entry in data["datasets"].items()
            },
            extra=data.get("extra") or {},
        )
