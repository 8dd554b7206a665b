from __future__ import annotations

from collections.abc import Iterator

from auditor.analysis.queue_coverage import coverage, why_lacking
from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules._text import name_list

#: Members listed by name before "and N more".
NAME_LIMIT = 10


@rule(
    id="AUTHZ-002",
    title="Some joined member of each co-browse queue holds the co-browse permission",
    severity="high",
    resource_type="queue",
    rationale="""Co-browse is offered by the agent who has the queue's interaction, through
        POST /api/v2/conversations/{conversationId}/cobrowse. When no joined member of the queue
        holds `conversation:cobrowse:add` (web messaging) or `conversation:cobrowseVoice:add`
        (voice) through a role, every attempt from that queue ends in 403
        `missing.any.permissions`. No OAuth scope fixes this (there is no
        `conversation:cobrowse:manage` scope): the agent's roles must grant the permission.
        Holders are read from each role's subject grants
        (GET /api/v2/authorization/roles/{roleId}/subjectgrants), which are division-scoped: a role
        granted only in another division than the queue's does not let the agent co-browse that
        queue's interactions, and a role granted to a group counts for the group's members
        (GET /api/v2/groups/{groupId}/individuals). Members who hold the permission only in another
        division, or only through a policy with conditions (`allowConditions` /
        `resourceConditionNode`, which the audit cannot evaluate), are named apart.""",
    remediation="""Admin > People & Permissions > People > (agent) > Roles: assign a role granting
        Conversation > Cobrowse > Add (CobrowseVoice > Add for voice) to the queue's agents, or
        PUT /api/v2/authorization/subjects/{subjectId}/divisions/{divisionId}/roles/{roleId}.""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
        "https://developer.genesys.cloud/devapps/api-explorer#post-api-v2-conversations--conversationId--cobrowse",
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
        nobody = [p for p in queue.permissions if not p.holders]
        if nobody:
            missing = ", ".join(f"{p.permission} ({p.channel})" for p in nobody)
            yield failed(
                queue.queue_id, name,
                f"Queue {name!r}: none of its {queue.joined} joined member(s) holds {missing}; co-browse "
                f"from it gets 403 missing.any.permissions (members: {name_list(nobody[0].lacking, NAME_LIMIT)})"
                f"{why_lacking(nobody[0], NAME_LIMIT)}.",
            )
        else:
            held = "; ".join(f"{p.permission}: {len(p.holders)} of {queue.joined}" for p in queue.permissions)
            yield passed(queue.queue_id, name, f"Queue {name!r}: members hold the permission ({held}).")
