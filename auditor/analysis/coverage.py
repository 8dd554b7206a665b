"""What a targeted snapshot cannot judge: never a PASS for an object whose data was not collected.

A call plan (auditor.sources.collectors.plan) collects per-object datasets only for some objects and
records it in the manifest (`scope: ids`, the `ids`, and `covers`: the rule needs it met). When a
rule needs more than that (every queue's wrap-up codes when only the scope's were collected, or
an audit whose co-browse scope holds queues the collection did not select):

- per-queue datasets (members, wrap-up codes): the rule is judged on the queues that were
  collected; its verdicts on the other queues are dropped and one ERROR says how many queues were
  not judged and why (a queue with no collected members would otherwise look like a queue with
  no members);
- role holders and group members: the rule cannot tell who holds what, so it is one ERROR;
- role grants read per user (`scope: subjects`): judged on the queues all of whose members are
  among those users, as per-queue datasets are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.errors import DatasetUnavailable
from auditor.results import Status
from auditor.rules.base import EVERY, REFERENCED, Outcome

if TYPE_CHECKING:
    from auditor.analysis.scope import Scope
    from auditor.rules.base import Rule
    from auditor.snapshot import Snapshot

#: Per-object datasets keyed by queue id: a rule can be judged queue by queue on them.
_QUEUE_KEYED = frozenset({"queue_members", "queue_wrapupcodes"})


@dataclass
class Coverage:
    #: Set: the rule cannot be judged at all on this snapshot.
    problem: str | None = None
    #: Set: only the verdicts on these queues stand (the others' data was not collected).
    queues: set[str] | None = None
    #: One line per per-queue dataset that left queues unjudged.
    unjudged: list[tuple[str, int, str]] = field(default_factory=list)


def coverage(rule: Rule, snapshot: Snapshot, scope: Scope) -> Coverage:
    out = Coverage()
    for dataset in rule.datasets:
        status = snapshot.status(dataset)
        if status.scope == "subjects":
            _subjects(dataset, set(status.ids or ()), snapshot, scope, out)
            continue
        if status.scope != "ids":
            continue
        need, covers = rule.need(dataset), tuple(status.covers or ())
        collected = set(status.ids or ())
        if dataset not in _QUEUE_KEYED:
            if need not in covers:
                out.problem = (f"{dataset} was collected for {len(collected)} selected object(s) only "
                               f"({', '.join(covers) or 'none'} of a call plan) and this rule needs {need} "
                               "objects: collect it again without a call plan")
                return out
            continue
        if need in covers and need in (EVERY, REFERENCED):
            continue  # what the rule reads was collected
        try:
            listed = scope.frames.queues["id"].tolist()
            wanted = listed if need not in covers else [q for q in scope.queue_ids if q in set(listed)]
        except DatasetUnavailable:
            continue  # the rule reports the missing listing itself
        missing = [q for q in wanted if q not in collected]
        if missing:
            out.queues = collected if out.queues is None else out.queues & collected
            why = ("were not among the queues a call plan selected" if need in covers else
                   f"were collected only for the call plan's {', '.join(covers) or 'selection'} and this "
                   f"rule needs {need} queues")
            out.unjudged.append((dataset, len(missing), why))
    return out


def _subjects(dataset: str, users: set[str], snapshot: Snapshot, scope: Scope, out: Coverage) -> None:
    """Role grants read per user (scope `subjects`): a queue is judged when every joined member it
    lists is one of those users; a queue whose members were not collected is left to the queue_members
    check above (one ERROR, not two)."""
    if not snapshot.available("queue_members"):
        return
    # Joined members, as the rules and the call plan count them (member_columns).
    members = {q: [u for u, j in zip(user_ids, joined, strict=True) if j]
               for q, (user_ids, _, joined) in scope.frames.queue_member_lists.items()}
    judged = {q for q, ids in members.items() if all(i in users for i in ids)}
    missing = [q for q in scope.queue_ids if q in members and q not in judged]
    out.queues = judged if out.queues is None else out.queues & judged
    if missing:
        out.unjudged.append((dataset, len(missing),
                             f"were read for {len(users)} user(s) only, not for every joined member of these queues"))


def apply(rule: Rule, outcomes: list[Outcome], cover: Coverage) -> list[Outcome]:
    """The verdicts that stand, plus one ERROR per dataset that left queues unjudged."""
    if cover.queues is None:
        return outcomes
    kept = [o for o in outcomes
            if (o.resource_type or rule.resource_type) != "queue" or o.resource_id in cover.queues]
    for dataset, count, why in cover.unjudged:
        kept.append(Outcome(
            Status.ERROR, f"not-collected:{dataset}", dataset,
            f"{count} queue(s) not judged: their {dataset} {why}. Collect again without --rules/--plan "
            "(or with this plan) to judge them.", resource_type="dataset",
        ))
    return kept
