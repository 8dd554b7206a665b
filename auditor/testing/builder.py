"""Build snapshots in memory or on disk from factory entities (tests, samples, benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.snapshot import DATASETS, DatasetStatus, Manifest, Snapshot, SnapshotWriter
from auditor.snapshot.datasets import BY_NAME, visibility_permissions
from auditor.testing import factories as f

DEFAULT_ORG_ID = "8c3e2b4a-6d1f-4f2e-9b7a-0d5e3c1a2f90"
#: The traffic window the builder records for conversation_aggregates (7 days before collected_at).
DEFAULT_TRAFFIC_DAYS = 7


def _known(dataset: str) -> None:
    if dataset not in BY_NAME:
        raise ValueError(f"unknown dataset {dataset!r}")


@dataclass
class OrgBuilder:
    """An org under construction. Per-parent datasets are dicts keyed by queue, role, group or permission."""

    org_id: str = DEFAULT_ORG_ID
    org_name: str = "Acme Support"
    region: str | None = "eu-west-1"
    collected_at: str = "2026-11-24T02:00:00Z"
    divisions: list[dict[str, Any]] = field(default_factory=lambda: [f.authz_division_of(f.HOME_DIVISION)])
    queues: list[dict[str, Any]] = field(default_factory=list)
    queue_wrapupcodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    queue_members: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    wrapupcodes: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    role_subjectgrants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    group_individuals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    oauth_clients: list[dict[str, Any]] = field(default_factory=list)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    configurations: list[dict[str, Any]] = field(default_factory=list)
    flows: list[dict[str, Any]] = field(default_factory=list)
    #: None: the traffic query was not made (recorded `not_collected`, so the scope falls back to
    #: the queues' settings); a list, even empty, is the query's answer.
    conversation_aggregates: list[dict[str, Any]] | None = None
    #: {permission: [AuthzDivision]}; None: every visibility permission in every division.
    divisions_permitted: dict[str, list[dict[str, Any]]] | None = None
    traffic_days: int = DEFAULT_TRAFFIC_DAYS
    # Auth setup (issue 21). The defaults are a hardened org that signs in through SSO only (MFA is
    # the identity provider's business), so a test org built for other rules gets no auth findings:
    # AUTH-001 passes, AUTH-002 (MFA not required here) and AUTH-003 (no passwords) do not apply.
    auth_settings: list[dict[str, Any]] = field(
        default_factory=lambda: [f.auth_settings(multifactorAuthenticationRequired=False)])
    token_timeout: list[dict[str, Any]] = field(default_factory=lambda: [f.token_timeout()])
    embedded_integration: list[dict[str, Any]] = field(default_factory=lambda: [f.embedded_integration()])
    genesys_login: list[dict[str, Any]] = field(default_factory=lambda: [f.genesys_login(disabled=True)])
    identity_providers: list[dict[str, Any]] = field(default_factory=list)
    org_trustees: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    #: ApiUsageRows; None: every OAuth client made requests on the collection day.
    oauth_usage: list[dict[str, Any]] | None = None
    usage_days: int = 90
    #: Organization.features of GET /api/v2/organizations/me (e.g. {"hipaa": True}), kept in the manifest.
    features: dict[str, bool] = field(default_factory=dict)
    #: dataset name -> DatasetStatus for datasets that "failed to collect" or were not collected
    failures: dict[str, DatasetStatus] = field(default_factory=dict)
    #: dataset name -> the divisions ([{"id", "name"}]) the collecting client could not see
    partials: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    # -- statuses -----------------------------------------------------------------------------

    def fail(self, dataset: str, http_status: int = 403, error_code: str = "missing.permissions",
             message_with_params: str | None = None) -> OrgBuilder:
        _known(dataset)
        self.failures[dataset] = DatasetStatus(
            status="error",
            http_status=http_status,
            error_code=error_code,
            message="Unable to perform the requested action.",
            message_with_params=message_with_params,
        )
        return self

    def not_collected(self, dataset: str, reason: str = "not requested by this call plan") -> OrgBuilder:
        _known(dataset)
        self.failures[dataset] = DatasetStatus(status="not_collected", not_collected_reason=reason)
        return self

    def partial(self, dataset: str, divisions: Iterable[dict[str, Any]]) -> OrgBuilder:
        """Mark `dataset` partial: its data is what a client that cannot see `divisions` collected.

        `divisions` are division dicts (at least `id`; `name` is recorded too). The data stays as
        built: remove the objects of those divisions yourself if the test needs them gone.
        """
        _known(dataset)
        self.partials[dataset] = [{"id": d["id"], "name": d.get("name") or d["id"]} for d in divisions]
        return self

    # -- entities -----------------------------------------------------------------------------

    def add_division(self, division: dict[str, Any]) -> OrgBuilder:
        """Add a division (a ref or an AuthzDivision); returns self."""
        self.divisions.append(f.authz_division_of(division))
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

    def add_role(self, role: dict[str, Any], user_ids: list[str] | None = None,
                 grants: Iterable[dict[str, Any]] = ()) -> OrgBuilder:
        """Add a role; each of `user_ids` holds it in all divisions (a PC_USER subject grant with
        the all-divisions marker); `grants` are further subject grants (`factories.subject_grant`)."""
        self.roles.append(role)
        holders = [f.subject_grant(u) for u in user_ids or []]
        self.role_subjectgrants[role["id"]] = holders + list(grants)
        return self

    def grant(self, role_id: str, subject: str | dict[str, Any], divisions: Iterable[dict[str, Any] | str] = ("*",),
              *, subject_type: str = "PC_USER", name: str | None = None) -> OrgBuilder:
        """Grant an already added role to a subject in `divisions` (division dicts or ids; `*` = all).
        `subject` is a subject id, or a whole SubjectDivisionGrants entry (`factories.subject_grant`)."""
        grants = self.role_subjectgrants.setdefault(role_id, [])
        if isinstance(subject, dict):
            grants.append(subject)
        else:
            grants.append(f.subject_grant(subject, name=name, subject_type=subject_type, divisions=divisions))
        return self

    def add_group(self, group_id: str, user_ids: Iterable[str], names: dict[str, str] | None = None) -> OrgBuilder:
        """The users GET /groups/{groupId}/individuals lists for a group."""
        names = names or {}
        self.group_individuals[group_id] = [f.user(u, names.get(u, f"User {u[:8]}")) for u in user_ids]
        return self

    def dataset_content(self, name: str) -> Any:
        if name == "divisions_permitted":
            return self.permitted()
        if name == "oauth_usage" and self.oauth_usage is None:
            day = self.collected_at[:10]
            return [f.usage_row(c, day, 10) for c in self.oauth_clients]
        return getattr(self, name)

    def usage_interval(self) -> str:
        from datetime import datetime, timedelta

        end = datetime.strptime(self.collected_at, "%Y-%m-%dT%H:%M:%SZ")
        return f"{end - timedelta(days=self.usage_days):%Y-%m-%dT%H:%M:%S}/{end:%Y-%m-%dT%H:%M:%S}"

    def permitted(self) -> dict[str, list[dict[str, Any]]]:
        """divisions_permitted as built, or derived: every visibility permission in every division
        except those a partial dataset of that permission could not see."""
        if self.divisions_permitted is not None:
            return self.divisions_permitted
        out: dict[str, list[dict[str, Any]]] = {}
        for permission in visibility_permissions():
            hidden = {d["id"] for name, divs in self.partials.items()
                      if BY_NAME[name].permission == permission for d in divs}
            out[permission] = [d for d in self.divisions if d["id"] not in hidden]
        return out

    def traffic_interval(self) -> str:
        from datetime import datetime, timedelta

        end = datetime.strptime(self.collected_at, "%Y-%m-%dT%H:%M:%SZ")
        start = end - timedelta(days=self.traffic_days)
        return f"{start:%Y-%m-%dT%H:%M:%S}.000Z/{end:%Y-%m-%dT%H:%M:%S}.000Z"

    def manifest(self) -> Manifest:
        statuses = {}
        for dataset in DATASETS:
            if dataset.name in self.failures:
                statuses[dataset.name] = self.failures[dataset.name]
                continue
            content = self.dataset_content(dataset.name)
            if content is None:
                statuses[dataset.name] = DatasetStatus(status="not_collected",
                                                       not_collected_reason="traffic not queried by this test org")
                continue
            count = sum(len(v) for v in content.values()) if isinstance(content, dict) else len(content)
            status = DatasetStatus(status="ok", entities=count, calls=0)
            if dataset.name in self.partials:
                status.status = "partial"
                status.divisions_not_visible = list(self.partials[dataset.name])
            if dataset.kind == "query":
                status.interval, status.days = self.traffic_interval(), self.traffic_days
            if dataset.kind == "usage_query":
                status.interval, status.days = self.usage_interval(), self.usage_days
            statuses[dataset.name] = status
        return Manifest(
            collected_at=self.collected_at,
            organization_id=self.org_id,
            organization_name=self.org_name,
            region=self.region,
            api_base=None,
            tool_version=__version__,
            datasets=statuses,
            extra={"features": dict(self.features)} if self.features else {},
        )

    def _collected(self) -> list[str]:
        return [d.name for d in DATASETS
                if (d.name not in self.failures or self.failures[d.name].available)
                and self.dataset_content(d.name) is not None]

    def snapshot(self) -> Snapshot:
        """An in-memory snapshot (not re-validated: tests of validation go through `write`)."""
        data = {name: self.dataset_content(name) for name in self._collected()}
        return Snapshot(path=None, manifest=self.manifest(), data=data)

    def write(self, target: Path | str, indent: int | None = 2, *, columns: bool = True) -> Path:
        with SnapshotWriter(target, indent=indent, columns=columns) as writer:
            for name in self._collected():
                writer.write_dataset(name, self.dataset_content(name))
            return writer.commit(self.manifest())
