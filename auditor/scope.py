"""The co-browse scope of an audit: which deployments, queues, clients and sites matter.

With a plan, the plan's references (names or ids) are resolved against the snapshot; a
reference that resolves to nothing is kept so that a rule can report it (it is the 404 the
rollout would hit). Without a plan, or for a plan element left empty, the scope is every
deployment whose pinned configuration enables co-browse and every queue with `message` media
settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from auditor.plan import CHANNELS

if TYPE_CHECKING:
    import pandas as pd

    from auditor.frames import Frames
    from auditor.plan import Plan


@dataclass(frozen=True)
class Reference:
    kind: str  # "deployment" | "queue" | "integration_client"
    ref: str
    ids: tuple[str, ...]


def resolve(frame: pd.DataFrame, refs: tuple[str, ...], kind: str) -> list[Reference]:
    """Match each reference on id first, then on name (case-insensitive)."""
    ids = set(frame["id"])
    by_name: dict[str, list[str]] = {}
    for entity_id, name in zip(frame["id"], frame["name"], strict=True):
        by_name.setdefault(name.casefold(), []).append(entity_id)
    out = []
    for ref in refs:
        matched = (ref,) if ref in ids else tuple(by_name.get(ref.casefold(), ()))
        out.append(Reference(kind=kind, ref=ref, ids=matched))
    return out


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
    def queue_ids(self) -> list[str]:
        if self.plan and self.plan.queues:
            return self._ids(self.queue_refs)
        frame = self.frames.queues
        return list(frame.loc[frame["has_message"], "id"])

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
