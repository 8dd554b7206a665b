"""Which joined members of each co-browse queue hold the co-browse permission through their roles.

Shared by AUTHZ-002 (nobody on the queue can start co-browse) and AUTHZ-003 (some members
cannot). A queue needs the permission of each planned channel it serves: `message` media
settings -> Webmessaging (`conversation:cobrowse:add`), `call` -> Voice
(`conversation:cobrowseVoice:add`). A queue serving none of them (QUE-001 reports that) is held
to every planned channel, so a misconfigured queue is not silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.permissions import COBROWSE_PERMISSION, roles_granting

if TYPE_CHECKING:
    from auditor.rules.base import RuleContext


@dataclass(frozen=True)
class PermissionCoverage:
    channel: str
    permission: str
    holders: tuple[str, ...]  # names of joined members holding the permission
    lacking: tuple[str, ...]  # names of joined members without it


@dataclass(frozen=True)
class QueueCoverage:
    queue_id: str
    queue_name: str
    joined: int
    permissions: tuple[PermissionCoverage, ...]


def queue_channels(has_message: bool, has_call: bool, channels: Iterable[str]) -> tuple[str, ...]:
    channels = tuple(channels)
    served = tuple(
        c for c in channels if (c == "Webmessaging" and has_message) or (c == "Voice" and has_call)
    )
    return served or channels


def coverage(ctx: RuleContext) -> Iterator[QueueCoverage]:
    """One QueueCoverage per in-scope queue, in scope order."""
    frames = ctx.frames
    role_users = frames.role_users
    holders_of = {}
    for channel, permission in COBROWSE_PERMISSION.items():
        granting = roles_granting(frames.role_policies, permission)
        holders_of[channel] = set(role_users.loc[role_users["role_id"].isin(granting), "user_id"])
    # Plain dicts: a pandas row lookup per queue costs more than the whole rest of the loop.
    queues: dict[str, tuple[str, bool, bool]] = {}
    # .tolist(): iterating a pandas string column element by element costs ~1 µs per element.
    q = frames.queues
    for qid, qname, has_message, has_call in zip(q["id"].tolist(), q["name"].tolist(),
                                                 q["has_message"].tolist(), q["has_call"].tolist(), strict=True):
        queues.setdefault(qid, (qname, bool(has_message), bool(has_call)))
    members = frames.queue_members
    # astype(bool): an empty object column would otherwise be read as a list of column labels.
    joined = members.loc[members["joined"].astype(bool)].drop_duplicates(["queue_id", "user_id"])
    # Grouped once: filtering the member frame per queue is quadratic (minutes at 10k queues).
    on_queue: dict[str, list[tuple[str, str]]] = {}
    for qid, user_id, name in zip(joined["queue_id"].tolist(), joined["user_id"].tolist(),
                                  joined["name"].tolist(), strict=True):
        on_queue.setdefault(qid, []).append((user_id, name))
    for queue_id in ctx.scope.queue_ids:
        if queue_id not in queues:
            continue
        queue_name, has_message, has_call = queues[queue_id]
        # Sorted by name so messages (and the bounded lists in them) are deterministic.
        pairs = sorted(on_queue.get(queue_id, ()), key=lambda p: (p[1].casefold(), p[0]))
        per_permission = []
        for channel in queue_channels(has_message, has_call, ctx.scope.channels):
            holders = holders_of.get(channel, set())
            per_permission.append(
                PermissionCoverage(
                    channel=channel,
                    permission=COBROWSE_PERMISSION[channel],
                    holders=tuple(name for uid, name in pairs if uid in holders),
                    lacking=tuple(name for uid, name in pairs if uid not in holders),
                )
            )
        yield QueueCoverage(str(queue_id), str(queue_name), len(pairs), tuple(per_permission))
