from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule

MANDATORY_PROMPTS = ("MANDATORY", "MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT")


@rule(
    id="QUE-002",
    title="Queues with mandatory wrap-up have wrap-up codes assigned",
    severity="high",
    resource_type="queue",
    rationale="""When `acwSettings.wrapupPrompt` is MANDATORY, MANDATORY_TIMEOUT or
        MANDATORY_FORCED_TIMEOUT, agents must pick a wrap-up code from the queue's assigned codes
        before the interaction (including one escalated to co-browse) can close; with none
        assigned they are stuck in wrap-up or the timeout applies ININ-WRAP-UP-TIMEOUT. This is
        the real meaning of the forum's "the queue has no default wrap-up code": queues have no
        default-code field, and `COBROWSE_INITIATED` is not a system code.""",
    remediation="""Admin > Contact Center > Queues > (queue) > Wrap-up Codes: assign codes
        (POST /api/v2/routing/queues/{queueId}/wrapupcodes), or set After Call Work to Optional.""",
    references=(
        "https://help.mypurecloud.com/articles/configure-call-work-settings/",
        "https://developer.genesys.cloud/routing/routing/",
    ),
    datasets=("queues", "queue_wrapupcodes"),
    needs={"queue_wrapupcodes": "referenced"},
    chain_link="queue",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Every queue (hygiene lens): an agent stuck in wrap-up is stuck whatever the queue routes;
    # the engine marks the co-browse queues' results as blockers.
    queues = ctx.frames.queues
    # Plain dict and lists: a pandas lookup per queue costs ~10 µs, seconds at 50,000 queues.
    assigned = ctx.frames.queue_wrapupcode_counts
    for queue_id, name, prompt in zip(queues["id"].tolist(), queues["name"].tolist(),
                                      queues["wrapup_prompt"].tolist(), strict=True):
        count = int(assigned.get(queue_id, 0))
        if prompt in MANDATORY_PROMPTS and count == 0:
            yield failed(
                queue_id, name, f"Queue {name!r} requires wrap-up ({prompt}) but has no wrap-up codes assigned."
            )
        elif prompt in MANDATORY_PROMPTS:
            yield passed(
                queue_id, name, f"Queue {name!r} requires wrap-up ({prompt}) and has {count} code(s) assigned."
            )
        else:
            yield passed(queue_id, name, f"Queue {name!r} does not require wrap-up ({prompt or 'not set'}).")
