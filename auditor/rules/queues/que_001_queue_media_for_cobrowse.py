from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="QUE-001",
    title="Plan queues route the media co-browse rides on",
    severity="high",
    resource_type="queue",
    rationale="""Queues have no `cobrowse` media type: `mediaSettings` holds only `call`,
        `callback`, `chat`, `email` and `message`. Co-browse for Messenger is proposed by the
        agent inside a web messaging interaction (or a call, for Voice co-browse), so a queue
        that routes no `message` interactions (no `call` ones when the plan needs Voice) never
        delivers an interaction co-browse could start from. This is the real meaning of the
        forum's "the queue lacks the Cobrowse media type": looking for that type in Admin, or
        adding `routingData.queueId` to a cobrowse request body, fixes nothing.""",
    remediation="""Admin > Contact Center > Queues > (queue) > Message (and Voice when the plan
        needs it): configure the media settings (PUT /api/v2/routing/queues/{queueId} with
        `mediaSettings.message` / `mediaSettings.call`), and route the Messenger deployment's
        inbound message flow to this queue.""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
        "https://developer.genesys.cloud/routing/routing/",
    ),
    datasets=("queues",),
    chain_link="queue",
    plan_requires=("queues",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    queues = ctx.frames.queues
    queues = queues[queues["id"].isin(ctx.scope.queue_ids)]
    voice = "Voice" in ctx.scope.channels
    for queue_id, name, has_message, has_call in zip(
        queues["id"], queues["name"], queues["has_message"], queues["has_call"], strict=True
    ):
        missing = []
        if not has_message:
            missing.append("message")
        if voice and not has_call:
            missing.append("call")
        if missing:
            yield failed(
                queue_id, name,
                f"Queue {name!r} has no {' or '.join(missing)} media settings, so no interaction co-browse "
                "rides on reaches it (queues have no cobrowse media type).",
            )
        else:
            routed = "message and call" if voice else "message"
            yield passed(queue_id, name, f"Queue {name!r} routes {routed} interactions co-browse rides on.")
