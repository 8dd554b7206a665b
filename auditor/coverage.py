"""What a targeted snapshot cannot judge: a rule whose need a call plan did not collect is ERROR.

A call plan (auditor.collectors.plan) collects per-object datasets only for some objects and
records it in the manifest (`scope: ids`, the `ids`, and `covers`: the needs it met). A rule that
needs more than that (every queue's members, say, when only the scope's were collected), or an
audit whose co-browse scope holds queues the collection did not select (another plan), cannot tell
a missing sub-resource from an empty one: it reports ERROR, never PASS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.errors import DatasetUnavailable
from auditor.rules.base import PLAN, SCOPE

if TYPE_CHECKING:
    from auditor.rules.base import Rule
    from auditor.scope import Scope
    from auditor.snapshot import Snapshot

#: Per-object datasets keyed by queue id, whose scope need the audit's scope queues must fit in.
_QUEUE_KEYED = frozenset({"queue_members", "queue_wrapupcodes"})


def uncovered(rule: Rule, snapshot: Snapshot, scope: Scope) -> str | None:
    """Why `rule` cannot be judged on this snapshot's targeted datasets, or None when it can."""
    for dataset in rule.datasets:
        status = snapshot.status(dataset)
        if status.scope != "ids":
            continue
        need = rule.need(dataset)
        collected = set(status.ids or ())
        if need not in (status.covers or ()):
            return (f"{dataset} was collected for {len(collected)} selected object(s) only "
                    f"({', '.join(status.covers or ()) or 'no need'} of a call plan) and this rule needs "
                    f"{need} objects: collect it again without a call plan")
        if need in (SCOPE, PLAN) and dataset in _QUEUE_KEYED:
            try:
                listed = set(scope.frames.queues["id"].tolist())
                missing = [q for q in scope.queue_ids if q in listed and q not in collected]
            except DatasetUnavailable:
                continue  # the rule reports the missing listing itself
            if missing:
                return (f"{dataset} was collected for other queues than this audit's co-browse scope "
                        f"({len(missing)} scope queue(s) not collected, e.g. {missing[0]}): collect it "
                        "again with this plan")
    return None
