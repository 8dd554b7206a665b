from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.safety.fileio import shorten

#: acwSettings.wrapupPrompt values that use `timeoutMs` (fact sheet §1.4) and those that ignore it.
TIMED_PROMPTS = ("MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT", "AGENT_REQUESTED")
UNTIMED_PROMPTS = ("MANDATORY", "OPTIONAL")


@rule(
    id="QUE-004",
    title="The wrap-up timeout matches the wrap-up prompt",
    severity="low",
    resource_type="queue",
    rationale="""`acwSettings.timeoutMs` (1 s to 60 min) is used only by the AGENT_REQUESTED,
        MANDATORY_TIMEOUT and MANDATORY_FORCED_TIMEOUT prompts. A time-boxed prompt without it has
        no time box the admin chose, so wrap-up of interactions (co-browse ones included) does not
        end with ININ-WRAP-UP-TIMEOUT when the team expects; a `timeoutMs` on MANDATORY or OPTIONAL
        is silently ignored, so the admin believes agents are time-boxed when they are not.""",
    remediation="""Admin > Contact Center > Queues > (queue) > After Call Work: pick Mandatory,
        Time-boxed (or Agent Requested) with a timeout, or clear the timeout on Optional and
        Mandatory, Discretionary (PUT /api/v2/routing/queues/{queueId}, `acwSettings`).""",
    references=("https://help.mypurecloud.com/articles/configure-call-work-settings/",),
    datasets=("queues",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Every queue, voice included (hygiene lens): a configuration auditor run every night must see
    # the time box that does not work on any queue, not only on the co-browse ones.
    queues = ctx.frames.queues
    # A timeout of 0 or less is no time box either (the documented minimum is 1 s).
    no_timeout = queues["timeout_ms"].isna() | queues["timeout_ms"].fillna(0).le(0)
    for queue_id, name, prompt, timeout, missing in zip(
        queues["id"].tolist(), queues["name"].tolist(), queues["wrapup_prompt"].tolist(), queues["timeout_ms"].tolist(),
        no_timeout.tolist(), strict=True,
    ):
        if prompt in TIMED_PROMPTS and missing:
            yield failed(queue_id, name, f"Queue {name!r} uses the timed prompt {prompt} but sets no timeoutMs.")
        elif prompt in TIMED_PROMPTS:
            yield passed(queue_id, name, f"Queue {name!r} uses {prompt} with timeoutMs {int(timeout)}.")
        elif prompt in UNTIMED_PROMPTS and not missing:
            yield failed(
                queue_id, name, f"Queue {name!r} sets timeoutMs {int(timeout)}, which the {prompt} prompt ignores."
            )
        elif prompt in UNTIMED_PROMPTS:
            yield passed(queue_id, name, f"Queue {name!r} uses {prompt} without a timeout.")
        else:
            # An enum value newer than this tool (or "outdated_sdk_version"): say so, do not guess.
            shown = shorten(str(prompt)) if prompt is not None else "not set"
            yield not_applicable(
                queue_id, name, f"Queue {name!r} has wrap-up prompt {shown!r}, which this rule does not know."
            )
