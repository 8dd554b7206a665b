from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="QUE-001",
    title="Plan queues have the media settings co-browse rides on",
    severity="high",
    resource_type="queue",
    rationale="""Queues have no `cobrowse` media type: `mediaSettings` holds only `call`,
        `callback`, `chat`, `email` and `message`. Co-browse for Messenger is proposed by the
        agent inside a web messaging interaction (or a call, for Voice co-browse), so a queue
        whose `message` settings (`call` ones when the plan needs Voice) are absent cannot take
        the interaction co-browse starts from. On a real org every queue carries all five media
        settings (the API fills them in; the Terraform provider marks every `media_settings_*` as
        computed), and `message.subTypeSettings` is only a map of per-subtype overrides: present
        settings are therefore no evidence that web messaging reaches the queue. This rule only
        catches a queue whose settings are missing (hand-made or partial exports); whether web
        messaging actually reaches a plan queue is QUE-005 (traffic in the window) and whether the
        deployment routes it anywhere is COB-008 (inbound message flow). This is the real meaning
        of the forum's "the queue lacks the Cobrowse media type": looking for that type in Admin,
        or adding `routingData.queueId` to a cobrowse request body, fixes nothing.""",
    remediation="""Admin > Contact Center > Queues > (queue) > Message (and Voice when the plan
        needs it): configure the media settings (PUT /api/v2/routing/queues/{queueId} with
        `mediaSettings.message` / `mediaSettings.call`), and route the Messenger deployment's
        inbound message flow to this queue.""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
        "https://developer.genesys.cloud/routing/routing/",
        "https://registry.terraform.io/providers/MyPureCloud/genesyscloud/latest/docs/resources/routing_queue",
    ),
    datasets=("queues",),
    needs={"queues": "scope"},
    plan_requires=("queues",),
    chain_link="queue",
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
            settings = "message and call" if voice else "message"
            yield passed(
                queue_id, name,
                f"Queue {name!r} has {settings} media settings (every queue of a real org has them: whether "
                "web messaging reaches it is QUE-005).",
            )
