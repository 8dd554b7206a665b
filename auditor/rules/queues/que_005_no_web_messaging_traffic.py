from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule


@rule(
    id="QUE-005",
    title="Plan queues took web messaging in the traffic window",
    severity="medium",
    resource_type="queue",
    rationale="""Co-browse is offered inside a web messaging conversation (or a call, for Voice
        co-browse) that reached the queue. A plan queue that took no web messaging conversation in
        the traffic window (POST /api/v2/analytics/conversations/aggregates/query grouped by
        queueId, mediaType `message`, messageType `webmessaging`; voice conversations for Voice)
        is a queue no co-browse can start from today: the deployment's inbound message flow routes
        elsewhere, or nothing reaches it yet. Since every queue of a real org carries `message`
        media settings, traffic is the evidence that web messaging really arrives. The co-browse
        sessions of the window (`nCobrowseSessions`) are reported too: the first evidence of
        whether co-browse has ever worked there.""",
    remediation="""Check the inbound message flow of the deployment (Architect > Inbound Message
        flow > Transfer to ACD) routes web messaging to this queue; for a brand-new queue, send a
        test conversation and audit again.""",
    references=(
        "https://developer.genesys.cloud/devapps/api-explorer#post-api-v2-analytics-conversations-aggregates-query",
    ),
    datasets=("queues", "conversation_aggregates"),
    needs={"queues": "scope"},
    plan_requires=("queues",),
    chain_link="queue",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    queues = ctx.frames.queues
    queues = queues[queues["id"].isin(ctx.scope.queue_ids)]
    channels = ctx.scope.channels
    for queue_id, name in zip(queues["id"].tolist(), queues["name"].tolist(), strict=True):
        traffic = ctx.scope.traffic.get(queue_id)
        web = (traffic.webmessaging + traffic.message_untyped) if traffic else 0
        voice = traffic.voice if traffic else 0
        sessions = traffic.cobrowse_sessions if traffic else 0
        silent = []
        if "Webmessaging" in channels and not web:
            silent.append("web messaging")
        if "Voice" in channels and not voice:
            silent.append("voice")
        if silent:
            # Web messaging reaches a queue through the deployment's inbound message flow, voice through
            # an inbound call flow: name the one that applies, never the message flow for a voice gap.
            where = []
            if "web messaging" in silent:
                where.append("the inbound message flow of the deployment")
            if "voice" in silent:
                where.append("the inbound call flow that should route voice to it")
            yield failed(
                queue_id, name,
                f"No {' or '.join(silent)} conversation reached queue {name!r} in the traffic window: check "
                f"{' and '.join(where)}.",
            )
        else:
            took = [f"{web} web messaging" if "Webmessaging" in channels else "", f"{voice} voice" if voice else ""]
            yield passed(
                queue_id, name,
                f"Queue {name!r} took {' and '.join(t for t in took if t)} conversation(s) and {sessions} co-browse "
                "session(s) in the traffic window.",
            )
