from __future__ import annotations

from collections.abc import Iterator

from auditor.analysis.queue_coverage import coverage, why_lacking
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules._text import name_list

#: Members listed by name before "and N more".
NAME_LIMIT = 10


@rule(
    id="AUTHZ-003",
    title="Every joined member of a co-browse queue holds the co-browse permission",
    severity="medium",
    resource_type="queue",
    rationale="""An agent without `conversation:cobrowse:add` (web messaging) or
        `conversation:cobrowseVoice:add` (voice) who takes the queue's interaction gets 403
        `missing.any.permissions` from POST /api/v2/conversations/{conversationId}/cobrowse,
        while a colleague on the same queue succeeds: the "co-browse works for some agents only"
        symptom. It is a missing role, not a missing scope or queue media type. This rule lists
        the members lacking it when some, but not all, lack it; a queue where nobody holds it is
        AUTHZ-002. Grants count only in the queue's division or in all divisions; members holding
        the permission only in another division, or only through a policy with conditions, are
        named apart.""",
    remediation="""Admin > People & Permissions > People > (agent) > Roles: assign a role granting
        Conversation > Cobrowse > Add (CobrowseVoice > Add for voice) to the listed agents, or
        remove them from the co-browse queue.""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
    ),
    datasets=("queues", "queue_members", "roles", "role_subjectgrants", "group_individuals"),
    needs={"queues": "scope", "queue_members": "scope",
           "role_subjectgrants": "referenced", "group_individuals": "referenced"},
    chain_link="members",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    for queue in coverage(ctx):
        name = queue.queue_name
        if queue.joined == 0:
            yield not_applicable(queue.queue_id, name, f"Queue {name!r} has no joined members (see QUE-003).")
            continue
        # Permissions nobody holds are AUTHZ-002's finding; listing everyone here would double it.
        partial = [p for p in queue.permissions if p.holders and p.lacking]
        if partial:
            detail = "; ".join(
                f"{len(p.lacking)} of {queue.joined} lack {p.permission} ({p.channel} co-browse gets 403 for "
                f"them): {name_list(p.lacking, NAME_LIMIT)}"
                f"{why_lacking(p, NAME_LIMIT)}"
                for p in partial
            )
            yield failed(queue.queue_id, name, f"Queue {name!r}: {detail}.", facts={
                "joined": queue.joined,
                "lacking": [{"permission": p.permission, "channel": p.channel, "users": len(p.lacking)}
                            for p in partial],
            })
        elif all(p.holders for p in queue.permissions):
            yield passed(
                queue.queue_id, name,
                f"Queue {name!r}: all {queue.joined} joined member(s) hold the co-browse permission.",
            )
        else:
            yield not_applicable(
                queue.queue_id, name,
                f"Queue {name!r}: no joined member holds the permission (see AUTHZ-002).",
            )
