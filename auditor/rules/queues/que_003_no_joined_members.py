from __future__ import annotations

from collections.abc import Iterator

from auditor.analysis.queue_coverage import membership
from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="QUE-003",
    title="Co-browse queues have joined members",
    severity="high",
    resource_type="queue",
    rationale="""Only joined members (`joined: true` in /routing/queues/{queueId}/members, whether
        added directly or through a group) receive the queue's interactions. A co-browse queue
        with nobody joined routes no web messaging interaction to an agent, so no agent is ever
        in a position to propose co-browse and the rollout stalls with interactions waiting.""",
    remediation="""Admin > Contact Center > Queues > (queue) > Members: add agents and have them
        join the queue (or set them to auto-join); POST /api/v2/routing/queues/{queueId}/members
        adds members, PATCH /api/v2/routing/queues/{queueId}/members/{memberId} with
        `joined: true` joins them.""",
    references=("https://developer.genesys.cloud/routing/routing/",),
    datasets=("queues", "queue_members"),
    needs={"queues": "scope", "queue_members": "scope"},
    chain_link="members",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    queues = ctx.frames.queues
    queues = queues[queues["id"].isin(ctx.scope.queue_ids)]
    # memberBy is "user" or "group"; both deliver interactions once joined, so both count.
    members = membership(ctx)
    for queue_id, name in zip(queues["id"].tolist(), queues["name"].tolist(), strict=True):
        count = len(members.joined(queue_id))
        total = len(members.listed(queue_id))
        if count:
            yield passed(queue_id, name, f"Queue {name!r} has {count} joined member(s).")
        elif total:
            # Sessions in the window mean agents were joined then: say so rather than imply it never worked.
            traffic = ctx.scope.traffic.get(queue_id)
            sessions = traffic.cobrowse_sessions if traffic else 0
            since = (f"; {sessions} co-browse session(s) took place on it in the traffic window, so members were "
                     "joined then and have left since" if sessions else "")
            yield failed(queue_id, name, f"Queue {name!r} has {total} member(s) but none is joined{since}.")
        else:
            yield failed(queue_id, name, f"Queue {name!r} has no members.")
