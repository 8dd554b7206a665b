from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.oauth_clients import unusable_reason
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.safety.fileio import shorten


@rule(
    id="OAUTH-008",
    title="OAuth clients are active and not scheduled for deletion",
    severity="medium",
    resource_type="oauth_client",
    rationale="""A `disabled` client's tokens stop working and no new ones can be created; an
        `inactive` client cannot mint tokens and will be deleted; a `dateToDelete` means the
        platform will delete it. Anything still using it then fails at the token endpoint or with
        401 on its next call. Org-wide this is hygiene (remove or re-enable); a client the rollout
        plan names is reported by OAUTH-011 (high) as well, since there it blocks the rollout.""",
    remediation="""Admin > Integrations > OAuth > (client): set it Active again if it is in use,
        or delete it (DELETE /api/v2/oauth/clients/{clientId}) if not.""",
    references=("https://developer.genesys.cloud/devapps/api-explorer#get-api-v2-oauth-clients",),
    datasets=("oauth_clients",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    planned = set(ctx.scope.client_ids)
    clients = ctx.frames.oauth_clients
    for client_id, name, state, delete_on in zip(
        clients["id"], clients["name"], clients["state"], clients["date_to_delete"], strict=True
    ):
        reason = unusable_reason(state, delete_on)
        if reason is None:
            yield passed(client_id, name, f"Client {name!r} is {shorten(state, 40)}.")
            continue
        flag = " It is named in the rollout plan (see OAUTH-011)." if client_id in planned else ""
        yield failed(client_id, name, f"Client {name!r} is {reason}.{flag}")
