"""Build snapshots in memory or on disk from factory entities (tests, samples, benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.snapshot import DATASETS, DatasetStatus, Manifest, Snapshot, SnapshotWriter

DEFAULT_ORG_ID = "8c3e2b4a-6d1f-4f2e-9b7a-0d5e3c1a2f90"


@dataclass
class OrgBuilder:
    """An org under construction. Per-parent datasets are dicts keyed by queue or role id."""

    org_id: str = DEFAULT_ORG_ID
    org_name: str = "Acme Support"
    region: str | None = "eu-west-1"
    collected_at: str = "2026-11-24T02:00:00Z"
    queues: list[dict[str, Any]] = field(default_factory=list)
    queue_wrapupcodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    queue_members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    wrapupcodes: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    role_users: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    oauth_clients: list[dict[str, Any]] = field(default_factory=list)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    configurations: list[dict[str, Any]] = field(default_factory=list)
    # Snapshot format v2 (CONTRACT.md).
    divisions: list[dict[str, Any]] = field(default_factory=list)
    divisions_permitted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    role_subjectgrants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    group_individuals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    flows: list[dict[str, Any]] = field(default_factory=list)
    #: None: the traffic query was not made; the dataset is absent from the manifest, as in a v1
    #: snapshot (use `not_collected()` for an explicit status).
    conversation_aggregates: list[dict[str, Any]] | None = None
    #: dataset name -> DatasetStatus for datasets that "failed to collect"
    failures: dict[str, DatasetStatus] = field(default_factory=dict)

    def fail(self, dataset: str, http_status: int = 403, error_code: str = "missing.permissions") -> OrgBuilder:
        self.failures[dataset] = DatasetStatus(
            status="error",
            http_status=http_status,
            error_code=error_code,
            message="Unable to perform the requested action.",
        )
        return self

    def partial(self, dataset: str, divisions: list[dict[str, Any]]) -> OrgBuilder:
        """Mark `dataset` as collected without visibility of `divisions` ({id, name})."""
        self.failures[dataset] = DatasetStatus(
            status="partial", divisions_not_visible=[{"id": d["id"], "name": d.get("name")} for d in divisions]
        )
        return self

    def not_collected(self, dataset: str, reason: str) -> OrgBuilder:
        self.failures[dataset] = DatasetStatus(status="not_collected", reason_text=reason)
        return self

    def grant(self, role_id: str, subject: dict[str, Any]) -> OrgBuilder:
        """Add a SubjectDivisionGrants entry (see factories.subject_grant) to a role."""
        self.role_subjectgrants.setdefault(role_id, []).append(subject)
        return self

    def add_queue(
        self,
        queue: dict[str, Any],
        codes: list[dict[str, Any]] | None = None,
        members: list[dict[str, Any]] | None = None,
    ) -> OrgBuilder:
        self.queues.append(queue)
        self.queue_wrapupcodes[queue["id"]] = list(codes or [])
        self.queue_members[queue["id"]] = list(members or [])
        return self

    def add_role(self, role: dict[str, Any], user_ids: list[str] | None = None) -> OrgBuilder:
        self.roles.append(role)
        self.role_users[role["id"]] = [{"id": u, "selfUri": f"/api/v2/users/{u}"} for u in user_ids or []]
        # Users given with the role hold it in all divisions (marker `*`, CONTRACT.md).
        self.role_subjectgrants[role["id"]] = [
            {"id": u, "name": u, "type": "PC_USER", "divisions": [{"id": "*", "name": "All divisions"}],
             "selfUri": f"/api/v2/users/{u}"}
            for u in user_ids or []
        ]
        return self

    def dataset_content(self, name: str) -> Any:
        return getattr(self, name)

    def _absent(self, name: str) -> bool:
        status = self.failures.get(name)
        if status is not None:
            return not status.usable
        return self.dataset_content(name) is None

    def manifest(self) -> Manifest:
        statuses = {}
        for dataset in DATASETS:
            if dataset.name in self.failures and not self.failures[dataset.name].usable:
                statuses[dataset.name] = self.failures[dataset.name]
                continue
            content = self.dataset_content(dataset.name)
            if content is None:  # absent from the manifest, as in a snapshot written before the dataset existed
                continue
            if dataset.name in self.failures:
                status = self.failures[dataset.name]
                count = sum(len(v) for v in content.values()) if isinstance(content, dict) else len(content)
                statuses[dataset.name] = DatasetStatus(
                    status=status.status, entities=count, divisions_not_visible=status.divisions_not_visible
                )
                continue
            content = self.dataset_content(dataset.name)
            count = sum(len(v) for v in content.values()) if isinstance(content, dict) else len(content)
            statuses[dataset.name] = DatasetStatus(status="ok", entities=count, calls=0)
        return Manifest(
            collected_at=self.collected_at,
            organization_id=self.org_id,
            organization_name=self.org_name,
            region=self.region,
            api_base=None,
            tool_version=__version__,
            datasets=statuses,
        )

    def snapshot(self) -> Snapshot:
        """An in-memory snapshot (not re-validated: tests of validation go through `write`)."""
        data = {d.name: self.dataset_content(d.name) for d in DATASETS if not self._absent(d.name)}
        return Snapshot(path=None, manifest=self.manifest(), data=data)

    def write(self, target: Path | str, indent: int | None = 2) -> Path:
        with SnapshotWriter(target, indent=indent) as writer:
            for dataset in DATASETS:
                if not self._absent(dataset.name):
                    writer.write_dataset(dataset.name, self.dataset_content(dataset.name))
            return writer.commit(self.manifest())
