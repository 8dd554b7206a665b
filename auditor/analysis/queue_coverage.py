"""Which joined members of each co-browse queue hold the co-browse permission through their roles.

Shared by AUTHZ-002 (nobody on the queue can start co-browse) and AUTHZ-003 (some members
cannot). A queue needs the permission of each planned channel it serves: `message` media
settings -> Webmessaging (`conversation:cobrowse:add`), `call` -> Voice
(`conversation:cobrowseVoice:add`). A queue serving none of them (QUE-005 reports a queue that took none) is held
to every planned channel, so a misconfigured queue is not silently skipped. When the scope comes
from traffic (no plan queues), what the queue took in the window decides instead: every queue of
a real org carries both media settings.

Grants are division-scoped (GET /api/v2/authorization/roles/{roleId}/subjectgrants): a member holds
the permission for a queue only through a role granted in the queue's division or in all
divisions, directly or through a group (GET /api/v2/groups/{groupId}/individuals). A role whose
only matching policy carries conditions (`allowConditions` / `resourceConditionNode`) grants it
only where the condition holds, which the configuration does not tell: such members are named
apart and not counted as holders.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.genesys.permissions import ALL_DIVISIONS, COBROWSE_PERMISSION, roles_granting_split

if TYPE_CHECKING:
    from auditor.rules.base import RuleContext


@dataclass(frozen=True)
class PermissionCoverage:
    channel: str
    permission: str
    holders: tuple[str, ...]  # names of joined members holding the permission (only counted)
    lacking: tuple[str, ...]  # names of joined members without it, sorted by name
    #: Of `lacking`: those holding it only in other divisions than the queue's.
    other_division: tuple[str, ...] = ()
    #: Of `lacking`: those holding it here only through a policy with conditions.
    conditional: tuple[str, ...] = ()


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


class Membership:
    """Distinct users per queue, worked out per queue on first ask (shared with QUE-003): the
    questions are about the co-browse scope's queues, often a fraction of an org's."""

    def __init__(self, lists: dict[str, tuple[list[str], list[str], list[bool]]]) -> None:
        self._lists = lists
        self._joined: dict[str, dict[str, str]] = {}

    def listed(self, queue_id: str) -> set[str]:
        """Every listed user id of the queue."""
        rows = self._lists.get(queue_id)
        return set(rows[0]) if rows else set()

    def joined(self, queue_id: str) -> dict[str, str]:
        """{joined user id: name on its first joined row}. A user listed twice on a queue (directly
        and through a group) counts once: walking the rows backwards makes the first joined row's
        name the one the dict comprehension keeps."""
        found = self._joined.get(queue_id)
        if found is None:
            rows = self._lists.get(queue_id)
            if rows is None:
                found = {}
            else:
                user_ids, names, is_joined = rows
                found = {u: n for u, n, j in zip(user_ids[::-1], names[::-1], is_joined[::-1], strict=True) if j}
            self._joined[queue_id] = found
        return found


def membership(ctx: RuleContext) -> Membership:
    return ctx.shared("queue_membership", lambda: Membership(ctx.frames.queue_member_lists))


def coverage(ctx: RuleContext) -> tuple[QueueCoverage, ...]:
    """One QueueCoverage per in-scope queue, in scope order; computed once per audit and shared by
    AUTHZ-002 and AUTHZ-003 (at 50,000 queues it walks a million member rows)."""
    return ctx.shared("queue_coverage", lambda: tuple(_coverage(ctx)))


#: user id -> divisions where the user holds the permission (ALL_DIVISIONS for every division).
Holdings = dict[str, set[str]]


def _holdings(ctx: RuleContext, role_sets: dict[tuple[str, bool], set[str]]) -> dict[tuple[str, bool], Holdings]:
    """Per key (channel, conditional): who holds one of its roles, and in which divisions. One
    pass over the subject grants for every key (at 50,000 queues there are 600,000 of them), a
    group's grant counting for each of its individuals."""
    frames = ctx.frames
    keys_of: dict[str, list[tuple[str, bool]]] = {}
    for key, roles in role_sets.items():
        for role_id in roles:
            keys_of.setdefault(role_id, []).append(key)
    out: dict[tuple[str, bool], Holdings] = {key: {} for key in role_sets}
    for role_id, rows in frames.subject_grants_by_role():
        keys = keys_of.get(role_id)
        if not keys:
            continue  # a role granting no co-browse permission: its holders are not read
        helds = [out[key] for key in keys]
        for subject_id, _, kind, division_ids in rows:
            if not division_ids:
                continue
            holders = frames.subject_users(kind, subject_id)
            for held in helds:
                for user_id in holders:
                    divisions = held.get(user_id)
                    if divisions is None:
                        held[user_id] = set(division_ids)
                    else:
                        divisions.update(division_ids)
    return out


def _holds(divisions: set[str] | None, queue_division: str | None) -> bool:
    if not divisions:
        return False
    # A queue without a division (a Terraform source or a v1 snapshot) cannot be told apart:
    # any grant counts, as before grants carried divisions.
    return queue_division is None or queue_division in divisions or ALL_DIVISIONS in divisions


def _coverage(ctx: RuleContext) -> Iterator[QueueCoverage]:
    frames = ctx.frames
    role_sets: dict[tuple[str, bool], set[str]] = {}
    for channel, permission in COBROWSE_PERMISSION.items():
        unconditional_roles, conditional_roles = roles_granting_split(frames.role_policies, permission)
        role_sets[(channel, False)], role_sets[(channel, True)] = unconditional_roles, conditional_roles
    held_by = _holdings(ctx, role_sets)
    plain = {channel: held_by[(channel, False)] for channel in COBROWSE_PERMISSION}
    conditional = {channel: held_by[(channel, True)] for channel in COBROWSE_PERMISSION}
    # Plain dicts: a pandas row lookup per queue costs more than the whole rest of the loop.
    queues: dict[str, tuple[str, bool, bool, str | None]] = {}
    # .tolist(): iterating a pandas string column element by element costs ~1 µs per element.
    q = frames.queues
    for qid, qname, has_message, has_call, division in zip(
        q["id"].tolist(), q["name"].tolist(), q["has_message"].tolist(), q["has_call"].tolist(),
        q["division_id"].tolist(), strict=True,
    ):
        queues.setdefault(qid, (qname, bool(has_message), bool(has_call),
                                division if isinstance(division, str) else None))
    on_queue = membership(ctx)
    channels = tuple(ctx.scope.channels)
    # A scope taken from traffic also says which channel each queue serves: a queue that took only
    # web messaging is not held to the voice permission because another queue takes calls.
    by_traffic = ctx.scope.queues_from == "traffic"
    for queue_id in ctx.scope.queue_ids:
        if queue_id not in queues:
            continue
        queue_name, has_message, has_call, division = queues[queue_id]
        if by_traffic and queue_id in ctx.scope.traffic:
            t = ctx.scope.traffic[queue_id]
            has_message, has_call = bool(t.webmessaging or t.message_untyped), bool(t.voice)
        joined = on_queue.joined(queue_id)
        per_permission = []
        for channel in queue_channels(has_message, has_call, channels):
            held, held_if = plain[channel], conditional[channel]
            holders: list[str] = []
            lacking: list[tuple[str, str, str]] = []
            for u, n in joined.items():  # one pass, _holds inlined: a million members at 50,000 queues
                divisions = held.get(u)
                if divisions and (division is None or division in divisions or ALL_DIVISIONS in divisions):
                    holders.append(n)
                else:
                    lacking.append((n.casefold(), u, n))
            # Sorted by name (then id) so messages and the bounded lists in them are deterministic;
            # plain tuples sort without a Python key call per name.
            lacking.sort()
            elsewhere = tuple(n for _, u, n in lacking if held.get(u))
            only_conditional = tuple(n for _, u, n in lacking
                                     if not held.get(u) and _holds(held_if.get(u), division))
            per_permission.append(
                PermissionCoverage(
                    channel=channel,
                    permission=COBROWSE_PERMISSION[channel],
                    holders=tuple(holders),
                    lacking=tuple(n for _, _, n in lacking),
                    other_division=elsewhere,
                    conditional=only_conditional,
                )
            )
        yield QueueCoverage(str(queue_id), str(queue_name), len(joined), tuple(per_permission))


def why_lacking(p: PermissionCoverage, limit: int) -> str:
    """What AUTHZ-002/003 add about members who lack the permission for a reason worth naming."""
    from auditor.rules._text import name_list

    parts = []
    if p.other_division:
        parts.append(f"{name_list(p.other_division, limit)} hold it only in another division than the queue's")
    if p.conditional:
        parts.append(f"{name_list(p.conditional, limit)} hold it only through a policy with conditions, "
                     "which the audit cannot confirm applies")
    return f" ({'; '.join(parts)})" if parts else ""
