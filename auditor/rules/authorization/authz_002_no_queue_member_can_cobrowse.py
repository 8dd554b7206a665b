from __future__ import annotations

from collections.abc import Iterator

from auditor.analysis.queue_coverage import PermissionCoverage, QueueCoverage, coverage, why_lacking
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
    traffic = ctx.scope.traffic if ctx.frames.available("conversation_aggregates") else None
    days = ctx.frames.snapshot.status("conversation_aggregates").days if traffic is not None else None
    for queue in coverage(ctx):
        name = queue.queue_name
        if queue.joined == 0:
            yield not_applicable(queue.queue_id, name, f"Queue {name!r} has no joined members (see QUE-003).")
            continue
        nobody = [p for p in queue.permissions if not p.holders]
        if nobody:
            sessions = None if traffic is None else getattr(traffic.get(queue.queue_id), "cobrowse_sessions", 0)
            yield failed(queue.queue_id, name, _message(queue, nobody, sessions, days), facts={
                "joined": queue.joined,
                "missing": [{"permission": p.permission, "channel": p.channel} for p in nobody],
                "held": [{"permission": p.permission, "channel": p.channel, "holders": len(p.holders)}
                         for p in queue.permissions if p.holders],
                "cobrowse_sessions": sessions, "days": days,
            })
        else:
            held = "; ".join(f"{p.permission}: {len(p.holders)} of {queue.joined}" for p in queue.permissions)
            yield passed(queue.queue_id, name, f"Queue {name!r}: members hold the permission ({held}).")


def _message(queue: QueueCoverage, nobody: list[PermissionCoverage], sessions: int | None, days: int | None) -> str:
    """Say which channel's permission is missing and what that stops; never a consequence the queue's own
    traffic contradicts: a channel whose permission some member holds still works, and co-browse sessions
    in the window mean co-browse did work there (issue 19: evidence wins over inference)."""
    name = queue.queue_name
    window = f"the last {days} days" if days else "the traffic window"
    missing = ", ".join(f"{p.permission} ({p.channel})" for p in nobody)
    channels = " and ".join(p.channel for p in nobody)
    held = [p for p in queue.permissions if p.holders]
    text = f"Queue {name!r}: none of its {queue.joined} joined member(s) holds {missing}"
    if held or not sessions:
        text += f", so {channels} co-browse from it {'get' if len(nobody) > 1 else 'gets'} 403 missing.any.permissions"
    else:  # every permission missing, yet sessions happened: the grants changed, or one the audit cannot see
        text += (f"; yet {sessions} co-browse session(s) took place on it in {window}, so a grant the snapshot "
                 "does not show (or one removed since) let an agent co-browse")
    text += f" (members: {name_list(nobody[0].lacking, NAME_LIMIT)}){why_lacking(nobody[0], NAME_LIMIT)}"
    for p in held:
        text += (f"; {p.channel} co-browse is not affected: {len(p.holders)} of {queue.joined} hold "
                 f"{p.permission}")
    if held and sessions:
        text += f" ({sessions} co-browse session(s) in {window})"
    return text + "."
