"""Building blocks of the bundled sample orgs (`sample_exports/`): a builder whose manifest is
pinned (so regenerating gives byte-identical files) and helpers that keep the org definitions in
`demo_org.py` and `ready_org.py` down to data."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditor.snapshot import DATASETS, Manifest
from auditor.snapshot.datasets import BY_NAME
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

#: The tool version recorded in the sample manifests. Pinned rather than `auditor.__version__`
#: so a release bump does not change the committed samples; the samples are data, not output.
SAMPLE_TOOL_VERSION = "0.1.0"

#: Queue media types the Platform API knows (QueueMediaSettings keys; there is no `cobrowse`).
MEDIA_TYPES = ("call", "callback", "chat", "email", "message")


@dataclass
class SampleOrgBuilder(OrgBuilder):
    api_base: str | None = None
    #: A sample is a real collection's answer: the traffic query was made.
    conversation_aggregates: list[dict[str, Any]] | None = field(default_factory=list)

    def manifest(self) -> Manifest:
        manifest = super().manifest()
        manifest.tool_version = SAMPLE_TOOL_VERSION
        manifest.api_base = self.api_base
        for dataset in DATASETS:
            status = manifest.datasets[dataset.name]
            status.calls = self._calls(dataset.name, dataset.page_size)
            # A plausible, fixed duration (a real collection records the measured one).
            status.seconds = round(status.calls * 0.21, 2)
        return manifest

    def _calls(self, name: str, page_size: int) -> int:
        """The API calls a collector would make: one per page, at least one per list (or parent)."""
        content = self.dataset_content(name)
        kind = BY_NAME[name].kind
        if kind == "query":
            return 1
        if kind == "per_reference":  # one GET per referenced flow
            return len({d["flow"]["id"] for d in self.deployments if d.get("flow")})
        lists = content.values() if isinstance(content, dict) else [content]
        if page_size <= 0:  # an unpaged endpoint (GET /oauth/clients): one call returns everything
            return len(lists)
        return sum(max(1, math.ceil(len(entities) / page_size)) for entities in lists)


@dataclass(frozen=True)
class SampleOrg:
    """One sample: the snapshot to write and the rollout plan (YAML text, kept verbatim so its
    comments can say which rule each entry exercises)."""

    name: str
    builder: SampleOrgBuilder
    plan_yaml: str


@dataclass(frozen=True)
class User:
    name: str
    id: str


def users(names: Iterable[str], org: str) -> list[User]:
    """Users with ids seeded by org and name, so the two samples never share a user id."""
    return [User(name, f.new_id(f"{org}:user:{name}")) for name in names]


def division(name: str, org: str) -> dict[str, Any]:
    division_id = f.new_id(f"{org}:division:{name}")
    return {"id": division_id, "name": name, "selfUri": f"/api/v2/authorization/divisions/{division_id}"}


#: What each media type of a sample queue's traffic is, in the aggregates' terms: (mediaType,
#: messageType). Web messaging is mediaType `message` with messageType `webmessaging`.
TRAFFIC_MEDIA = {"message": ("message", "webmessaging"), "call": ("voice", None), "callback": ("callback", None),
                 "chat": ("chat", None), "email": ("email", None)}


def traffic(queue: dict[str, Any], media: Iterable[str], interval: str, *, cobrowse_sessions: int = 0,
            scale: int = 1) -> list[dict[str, Any]]:
    """Aggregates rows for a sample queue: a fixed, name-derived number of conversations per media
    type (so regenerating gives the same files), co-browse sessions on its web messaging."""
    rows = []
    for index, medium in enumerate(sorted(set(media))):
        media_type, message_type = TRAFFIC_MEDIA[medium]
        conversations = (20 + (sum(map(ord, queue["name"])) * (index + 7)) % 380) * scale
        rows.append(f.aggregate(queue["id"], media_type, interval, conversations=conversations,
                                message_type=message_type,
                                cobrowse_sessions=cobrowse_sessions if medium == "message" else 0))
    return rows


def members(joined: Sequence[User] = (), not_joined: Sequence[User] = (), *,
            by_group: Sequence[User] = ()) -> list[dict[str, Any]]:
    """Queue members as GET /routing/queues/{id}/members returns them. `by_group` members are
    joined members who belong through a group rather than individually."""
    out = [f.queue_member(u.id, u.name, joined=True) for u in joined]
    out += [f.queue_member(u.id, u.name, joined=True, member_by="group") for u in by_group]
    out += [f.queue_member(u.id, u.name, joined=False) for u in not_joined]
    return out


def queue(org: str, name: str, media: Iterable[str], *, prompt: str, timeout_ms: int | None = None,
          queue_members: Sequence[dict[str, Any]] = (), description: str = "",
          queue_division: dict[str, Any] | None = None) -> dict[str, Any]:
    """A queue whose member counts agree with its member list."""
    media = set(media)
    unknown = media - set(MEDIA_TYPES)
    if unknown:
        raise ValueError(f"unknown media type(s) {sorted(unknown)} for queue {name!r}")
    joined = sum(1 for m in queue_members if m["joined"])
    # `media` says what the queue is for (its traffic); its mediaSettings, like a real org's,
    # carry all five media types.
    body = f.queue(
        name,
        id=f.new_id(f"{org}:queue:{name}"),
        wrapup_prompt=prompt,
        timeout_ms=timeout_ms,
        joined_member_count=joined,
        member_count=len(queue_members),
        mediaSettings=f.all_media_settings(),
    )
    body["description"] = description or f"{name} queue"
    by_group = sum(1 for m in queue_members if m.get("memberBy") == "group")
    if by_group:
        # Queue.memberGroups (SDK models/queue.py, MemberGroup {id, name, type: TEAM | GROUP |
        # SKILLGROUP, memberCount}): the group the group members belong through.
        group_id = f.new_id(f"{org}:group:{name} Team")
        body["memberGroups"] = [{"id": group_id, "name": f"{name} Team", "type": "GROUP", "memberCount": by_group,
                                 "selfUri": f"/api/v2/groups/{group_id}"}]
    if queue_division is not None:
        body["division"] = queue_division
    return body


def codes(catalog: dict[str, dict[str, Any]], names: Iterable[str]) -> list[dict[str, Any]]:
    """Queue wrap-up code assignments, by org code name (KeyError = a typo in the sample)."""
    return [catalog[name] for name in names]
