from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import unusable_reason
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.safety.fileio import shorten


@rule(
    id="OAUTH-011",
    title="Plan integration clients are active and not scheduled for deletion",
    severity="high",
    resource_type="oauth_client",
    rationale="""The rollout relies on this client to start co-browse. A `disabled` client's
        tokens stop working and no new ones can be created; an `inactive` one cannot mint tokens
        and will be deleted; one with `dateToDelete` disappears on that date, after which its id
        answers 404. The integration fails at login or on its next API call. (OAUTH-008 reports
        the same states for every client at medium severity.)""",
    remediation="""Admin > Integrations > OAuth > (client): set it Active and clear the deletion,
        or point the plan and the integration at an active client.""",
    references=("https://developer.genesys.cloud/devapps/api-explorer#get-api-v2-oauth-clients",),
    datasets=("oauth_clients",),
    needs={"oauth_clients": "plan"},
    chain_link="client",
    plan_requires=("integration_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    clients = ctx.frames.oauth_clients.set_index("id")
    for client_id in ctx.scope.client_ids:
        name = clients.at[client_id, "name"]
        state = clients.at[client_id, "state"]
        reason = unusable_reason(state, clients.at[client_id, "date_to_delete"])
        if reason is None:
            yield passed(client_id, name, f"Plan integration client {name!r} is {shorten(state, 40)}.")
        else:
            yield failed(client_id, name, f"Plan integration client {name!r} is {reason}; the rollout cannot use it.")
