"""The co-browse scope of an audit: which deployments, queues, clients and sites matter.

With a plan, the plan's references (names or ids) are resolved against the snapshot; a
reference that resolves to nothing is kept so that a rule can report it (it is the 404 the
rollout would hit). Without a plan, or for a plan element left empty, the scope is every
deployment whose pinned configuration enables co-browse and the queues that actually took web
messaging in the traffic window (`conversation_aggregates`), plus those that took voice when a
co-browse deployment enables the Voice channel. Every queue of a real org carries `message`
media settings, so those settings say nothing about where web messaging goes.

When the traffic query was not made or failed, the queue scope falls back to the queues with
`message` media settings and `traffic_fallback_reason` says why, so every surface can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from auditor.errors import DatasetUnavailable
from auditor.inputs.plan import CHANNELS

if TYPE_CHECKING:
    import pandas as pd

    from auditor.analysis.frames import Frames
    from auditor.inputs.plan import Plan


@dataclass(frozen=True)
class Reference:
    kind: str  # "deployment" | "queue" | "integration_client"
    ref: str
    ids: tuple[str, ...]


def resolve(frame: pd.DataFrame, refs: tuple[str, ...], kind: str) -> list[Reference]:
    """Match each reference on id first, then on name (case-insensitive)."""
    # .tolist(): iterating a pandas column element by element costs ~1 µs per element.
    id_list = frame["id"].tolist()
    ids = set(id_list)
    by_name: dict[str, list[str]] = {}
    for entity_id, name in zip(id_list, frame["name"].tolist(), strict=True):
        by_name.setdefault(name.casefold(), []).append(entity_id)
    out = []
    for ref in refs:
        matched = (ref,) if ref in ids else tuple(by_name.get(ref.casefold(), ()))
        out.append(Reference(kind=kind, ref=ref, ids=matched))
    return out


@dataclass(frozen=True)
class QueueTraffic:
    """What reached a queue in the traffic window: the first evidence of whether co-browse works there."""

    webmessaging: int
    #: Message conversations whose messageType the aggregates did not give (counted as web messaging).
    message_untyped: int
    voice: int
    cobrowse_sessions: int


#: Resource types whose results are always inside the co-browse scope when their rule is a chain link:
#: org-wide verdicts, the permissions of the planned channels, plan references and divisions the
#: audit could not see.
_ALWAYS_IN_SCOPE = frozenset({"organization", "permission", "plan_reference", "division",
                              # APPLY-004 reports only objects it judged part of co-browse (from the
                              # snapshot before the apply: they are gone from the one after it).
                              "terraform_delete"})


class Scope:
    def __init__(self, frames: Frames, plan: Plan | None) -> None:
        self.frames = frames
        self.plan = plan

    @property
    def planned(self) -> bool:
        return self.plan is not None

    @cached_property
    def deployment_refs(self) -> list[Reference]:
        if not self.plan or not self.plan.deployments:
            return []
        return resolve(self.frames.deployments, self.plan.deployments, "deployment")

    @cached_property
    def queue_refs(self) -> list[Reference]:
        if not self.plan or not self.plan.queues:
            return []
        return resolve(self.frames.queues, self.plan.queues, "queue")

    @cached_property
    def client_refs(self) -> list[Reference]:
        if not self.plan or not self.plan.integration_clients:
            return []
        return resolve(self.frames.oauth_clients, self.plan.integration_clients, "integration_client")

    @staticmethod
    def _ids(refs: list[Reference]) -> list[str]:
        return list(dict.fromkeys(i for ref in refs for i in ref.ids))

    @cached_property
    def deployment_ids(self) -> list[str]:
        if self.plan and self.plan.deployments:
            return self._ids(self.deployment_refs)
        frame = self.frames.deployments
        return list(frame.loc[frame["cobrowse_enabled"], "id"])

    @cached_property
    def traffic_fallback_reason(self) -> str | None:
        """Why the queue scope could not come from traffic, or None when it did (or a plan names the queues)."""
        if self.plan and self.plan.queues:
            return None
        if self.frames.available("conversation_aggregates"):
            return None
        status = self.frames.snapshot.status("conversation_aggregates")
        return (
            f"conversation_aggregates {status.reason()}: the co-browse queues are taken to be every queue "
            "with message media settings, which on a real org is every queue"
        )

    @property
    def queues_from(self) -> str:
        """Where the queue scope comes from: `plan`, `traffic`, or `message_settings` (the fallback)."""
        if self.plan and self.plan.queues:
            return "plan"
        return "traffic" if self.traffic_fallback_reason is None else "message_settings"

    @cached_property
    def traffic(self) -> dict[str, QueueTraffic]:
        """Queue id -> traffic in the window; empty when the aggregates were not collected."""
        if not self.frames.available("conversation_aggregates"):
            return {}
        t = self.frames.queue_traffic
        return {
            q: QueueTraffic(int(w), int(u), int(v), int(c))
            for q, w, u, v, c in zip(t["queue_id"].tolist(), t["webmessaging"].tolist(), t["message_untyped"].tolist(),
                                     t["voice"].tolist(), t["cobrowse_sessions"].tolist(), strict=True)
        }

    @cached_property
    def queue_ids(self) -> list[str]:
        if self.plan and self.plan.queues:
            return self._ids(self.queue_refs)
        frame = self.frames.queues
        if self.traffic_fallback_reason is not None:
            return list(frame.loc[frame["has_message"], "id"])
        voice = "Voice" in self.channels
        took = {
            q for q, t in self.traffic.items()
            if t.webmessaging or t.message_untyped or (voice and t.voice)
        }
        # Queue order, then queues that took traffic but are not in the visible listing (a queue in a
        # division the auditing client cannot see): kept so rules can say they could not check them.
        listed = [q for q in frame["id"].tolist() if q in took]
        return listed + sorted(took - set(listed))

    def contains(self, resource_type: str, resource_id: str) -> bool:
        """Whether a result about this resource is inside the co-browse scope."""
        try:
            return self._contains(resource_type, resource_id)
        except DatasetUnavailable:  # the rule itself reports the missing data
            return False

    def _contains(self, resource_type: str, resource_id: str) -> bool:
        if resource_type in _ALWAYS_IN_SCOPE:
            return True
        if resource_type == "queue":
            return resource_id in self._queue_set
        if resource_type == "web_deployment":
            return resource_id in self._deployment_set
        if resource_type == "messenger_configuration":
            return resource_id in self._configuration_set
        if resource_type == "oauth_client":
            return resource_id in self._client_set
        if resource_type == "site":
            return resource_id in self.sites
        if resource_type == "user":
            return resource_id in self._member_set
        return False

    @cached_property
    def _queue_set(self) -> frozenset[str]:
        return frozenset(self.queue_ids)

    @cached_property
    def _member_set(self) -> frozenset[str]:
        """Users listed as members of a scope queue (a user's result is in scope through them)."""
        if not self.frames.available("queue_members"):
            return frozenset()
        listed = self.frames.snapshot.raw("queue_members") or {}
        return frozenset((m.get("user") or {}).get("id") or m.get("id") for q in self._queue_set
                         for m in listed.get(q) or ())

    @cached_property
    def _client_set(self) -> frozenset[str]:
        return frozenset(self.client_ids)

    @cached_property
    def _deployment_set(self) -> frozenset[str]:
        return frozenset(self.deployment_ids) if self.frames.available("deployments") else frozenset()

    @cached_property
    def _configuration_set(self) -> frozenset[str]:
        if not self.frames.available("deployments"):
            return frozenset()
        frame = self.frames.deployments
        return frozenset(frame.loc[frame["id"].isin(self._deployment_set), "configuration_id"].dropna().tolist())

    def cobrowse_deployments(self) -> pd.DataFrame:
        """Every deployment that enables co-browse, in the plan or not, plus the scope's deployments:
        what the deployment rules check (the engine marks the scope's results as blockers)."""
        frame = self.frames.deployments
        return frame[frame["cobrowse_enabled"] | frame["id"].isin(self.deployment_ids)]

    @cached_property
    def client_ids(self) -> list[str]:
        return self._ids(self.client_refs)

    @property
    def sites(self) -> tuple[str, ...]:
        return self.plan.sites if self.plan else ()

    @cached_property
    def channels(self) -> tuple[str, ...]:
        """The co-browse channels the rollout needs: the plan's, else those the in-scope deployments enable."""
        if self.plan:
            return self.plan.channels
        if not self.frames.available("deployments"):
            return ("Webmessaging",)
        frame = self.frames.deployments
        enabled = frame[frame["id"].isin(self.deployment_ids)]
        found = {c for channels in enabled["cobrowse_channels"] for c in channels}
        return tuple(c for c in CHANNELS if c in found) or ("Webmessaging",)
