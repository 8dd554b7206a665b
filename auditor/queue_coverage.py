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
    holders: tuple[str, ...]  # names of joined members holding the permission (only counted)
    lacking: tuple[str, ...]  # names of joined members without it, sorted by name


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


@dataclass(frozen=True)
class Membership:
    """Distinct users per queue, from one pass over the member rows (shared with QUE-003)."""

    listed: dict[str, set[str]]  # queue id -> every listed user id
    joined: dict[str, dict[str, str]]  # queue id -> {joined user id: name on its first joined row}


def membership(ctx: RuleContext) -> Membership:
    return ctx.shared("queue_membership", lambda: _membership(ctx))


def _membership(ctx: RuleContext) -> Membership:
    listed: dict[str, set[str]] = {}
    joined: dict[str, dict[str, str]] = {}
    # A user listed twice on a queue (directly and through a group) counts once. Walking each
    # queue's rows backwards makes the first joined row's name the one a dict comprehension keeps.
    for queue_id, (user_ids, names, is_joined) in ctx.frames.queue_member_lists.items():
        listed[queue_id] = set(user_ids)
        joined[queue_id] = {u: n for u, n, j in zip(user_ids[::-1], names[::-1], is_joined[::-1], strict=True) if j}
    return Membership(listed, joined)


def coverage(ctx: RuleContext) -> tuple[QueueCoverage, ...]:
    """One QueueCoverage per in-scope queue, in scope order; computed once per audit and shared by
    AUTHZ-002 and AUTHZ-003 (at 50,000 queues it walks a million member rows)."""
    return ctx.shared("queue_coverage", lambda: tuple(_coverage(ctx)))


def _coverage(ctx: RuleContext) -> Iterator[QueueCoverage]:
    frames = ctx.frames
    role_users = frames.role_users
    holders_of = {}
    for channel, permission in COBROWSE_PERMISSION.items():
        granting = roles_granting(frames.role_policies, permission)
        holders_of[channel] = set(role_users.loc[role_users["role_id"].isin(granting), "user_id"].tolist())
    # Plain dicts: a pandas row lookup per queue costs more than the whole rest of the loop.
    queues: dict[str, tuple[str, bool, bool]] = {}
    # .tolist(): iterating a pandas string column element by element costs ~1 µs per element.
    q = frames.queues
    for qid, qname, has_message, has_call in zip(q["id"].tolist(), q["name"].tolist(),
                                                 q["has_message"].tolist(), q["has_call"].tolist(), strict=True):
        queues.setdefault(qid, (qname, bool(has_message), bool(has_call)))
    on_queue = membership(ctx).joined
    channels = tuple(ctx.scope.channels)
    for queue_id in ctx.scope.queue_ids:
        if queue_id not in queues:
            continue
        queue_name, has_message, has_call = queues[queue_id]
        joined = on_queue.get(queue_id, {})
        per_permission = []
        for channel in queue_channels(has_message, has_call, channels):
            holders = holders_of.get(channel, set())
            # Sorted by name (then id) so messages and the bounded lists in them are deterministic;
            # plain tuples sort without a Python key call per name.
            lacking = sorted([(n.casefold(), u, n) for u, n in joined.items() if u not in holders])
            per_permission.append(
                PermissionCoverage(
                    channel=channel,
                    permission=COBROWSE_PERMISSION[channel],
                    holders=tuple(n for u, n in joined.items() if u in holders),
                    lacking=tuple(n for _, _, n in lacking),
                )
            )
        yield QueueCoverage(str(queue_id), str(queue_name), len(joined), tuple(per_permission))
