from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from auditor.errors import DatasetUnavailable
from auditor.genesys.auth_setup import collected_at, thresholds_of
from auditor.genesys.oauth_clients import unusable_reason
from auditor.rules import Outcome, RuleContext, failed, passed, rule

USAGE_ARTICLE = "https://help.mypurecloud.com/?p=264255"


@rule(
    id="OAUTH-013",
    title="Every active OAuth client made API requests recently",
    severity="low",
    resource_type="oauth_client",
    rationale="""An active client nobody uses is a standing credential: its secret still mints tokens
        with all its roles, and nobody would notice it being used. Usage comes from the org's API usage
        query, one row per client and day. Genesys' API Usage data "does not include data about API
        requests that Genesys Cloud makes to support the function of its browser, web, and mobile apps",
        nor requests of the Embedded Clients (Genesys Cloud for Chrome, Firefox, Salesforce, Zendesk),
        and has no data for the current day: a client used only that way looks unused here.""",
    remediation="""Admin > Integrations > OAuth > (client): delete it if nothing uses it (DELETE
        /api/v2/oauth/clients/{clientId}), or set it inactive first to find out; Admin > Platform Usage >
        API Usage shows its requests.""",
    references=(USAGE_ARTICLE,),
    datasets=("oauth_clients", "oauth_usage"),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    rows = ctx.frames.snapshot.raw("oauth_usage")
    status = ctx.frames.snapshot.status("oauth_usage")
    if rows and not any(isinstance(r.get("clientId"), str) for r in rows):
        raise DatasetUnavailable("oauth_usage", "its rows name no clientId, so usage per client is unknown")
    last: dict[str, tuple[str, int]] = {}
    for row in rows:
        client_id, day = row.get("clientId"), str(row.get("date") or "")[:10]
        requests = row.get("requests") if isinstance(row.get("requests"), int) else 0
        if isinstance(client_id, str) and requests > 0 and day >= last.get(client_id, ("", 0))[0]:
            last[client_id] = (day, requests)
    days = thresholds_of(ctx).unused_client_days
    cutoff = (collected_at(ctx.frames) - timedelta(days=days)).date().isoformat()
    window = f"the {status.days} days the usage query covered" if status.days else "the usage window"
    clients = ctx.frames.oauth_clients
    for client_id, name, state, delete_on in zip(clients["id"].tolist(), clients["name"].tolist(),
                                                  clients["state"].tolist(), clients["date_to_delete"].tolist(),
                                                  strict=True):
        if unusable_reason(state, delete_on):
            continue  # not active: OAUTH-008 reports it
        used = last.get(client_id)
        if used is None:
            yield failed(client_id, name, f"Client {name!r} is active and made no API request in {window}.")
        elif used[0] < cutoff:
            yield failed(client_id, name, f"Client {name!r} is active and was last used on {used[0]}, "
                                          f"more than {days} days before the collection.")
        else:
            yield passed(client_id, name, f"Client {name!r} was last used on {used[0]}.")
