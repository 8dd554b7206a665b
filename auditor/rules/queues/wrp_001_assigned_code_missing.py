from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list


@rule(
    id="WRP-001",
    title="Wrap-up codes assigned to queues exist in the org",
    severity="medium",
    resource_type="queue",
    rationale="""A code listed by /routing/queues/{queueId}/wrapupcodes but absent from
        GET /api/v2/routing/wrapupcodes was deleted, or sits in a division the reader cannot see.
        Either way the assignment is dangling: agents under mandatory wrap-up may find no usable
        code, a `Wrapup.code` id taken from the queue fails with 404 not.found, and reports count
        the outcome against a code nobody can manage. (Wrap-up codes are ids, not names:
        `COBROWSE_INITIATED` is no system code; system codes are `ININ-*`.)""",
    remediation="""Admin > Contact Center > Queues > (queue) > Wrap-up Codes: remove the dangling
        code and assign an existing one (DELETE and POST /api/v2/routing/queues/{queueId}/wrapupcodes),
        or grant the auditing client view access to the code's division.""",
    references=("https://help.mypurecloud.com/articles/configure-call-work-settings/",),
    datasets=("queues", "queue_wrapupcodes", "wrapupcodes"),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Every queue (hygiene lens): a dangling assignment is wrong on any queue.
    queues = ctx.frames.queues
    org_codes = ctx.frames.wrapupcodes
    known_ids = set(org_codes["id"])
    known_names = {str(n).casefold() for n in org_codes["name"]}
    assigned = ctx.frames.queue_wrapupcodes
    # Group once instead of filtering per queue: orgs have thousands of queues.
    # Plain dicts and lists: a pandas lookup per queue costs ~10 µs, seconds at 50,000 queues.
    counts = ctx.frames.queue_wrapupcode_counts
    dangling_rows = assigned[~assigned["code_id"].isin(known_ids)]
    dangling_by_queue = dangling_rows.groupby("queue_id")["code_name"].apply(list).to_dict()
    for queue_id, name in zip(queues["id"].tolist(), queues["name"].tolist(), strict=True):
        count = int(counts.get(queue_id, 0))
        dangling = dangling_by_queue.get(queue_id, [])
        if not count:
            yield passed(queue_id, name, f"Queue {name!r} has no wrap-up codes assigned, so none can dangle.")
        elif not dangling:
            yield passed(queue_id, name, f"Queue {name!r}: all {count} assigned wrap-up code(s) exist in the org.")
        else:
            renamed = [n for n in dangling if str(n).casefold() in known_names]
            hint = f" (a code named {name_list(renamed)} exists under another id)" if renamed else ""
            yield failed(
                queue_id, name,
                f"Queue {name!r} has wrap-up code(s) {name_list(dangling)} assigned "
                f"that are not among the org's wrap-up codes{hint}.",
            )
