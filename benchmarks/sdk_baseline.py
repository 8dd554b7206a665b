"""What a user would write instead of gcaudit: a straightforward script on the official Python SDK.

It follows the SDK's tutorials: log in with client credentials, then page through each listing
one page after another (`page_number` += 1 until `page_count`, `next_uri` for queue members, the
`after` cursor for web deployments), and for every queue and role fetch its sub-resources in
turn. Page sizes are the largest each endpoint documents (100 for per-queue listings and queues,
500 for role users), as a careful user would set. Nothing is parallel: that is the point of the
comparison. The SDK's own urllib3 retries (429/503 with Retry-After) stay on, as in real use.

    GENESYSCLOUD_OAUTHCLIENT_ID=... GENESYSCLOUD_OAUTHCLIENT_SECRET=... \\
        python benchmarks/sdk_baseline.py http://127.0.0.1:PORT

prints one JSON line: entity counts per dataset, calls made and seconds taken.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import PureCloudPlatformClientV2 as sdk  # the official SDK (a test/benchmark-only dependency)

from auditor.snapshot.datasets import visibility_permissions


class CountingApiClient(sdk.ApiClient):
    """The SDK's ApiClient, counting the API calls it makes (the login is not one)."""

    def __init__(self, host: str) -> None:
        super().__init__(host=host)
        self.calls = 0

    def call_api(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return super().call_api(*args, **kwargs)


def _paged(fetch: Any, page_size: int, **kwargs: Any) -> list[Any]:
    """pageNumber paging, as in the SDK tutorials: until pageNumber reaches pageCount."""
    entities: list[Any] = []
    page = 1
    while True:
        listing = fetch(page_number=page, page_size=page_size, **kwargs)
        entities.extend(listing.entities or [])
        if not listing.page_count or page >= listing.page_count:
            return entities
        page += 1


def _next_uri_paged(fetch: Any, page_size: int, **kwargs: Any) -> list[Any]:
    """Queue members have no pageCount: follow nextUri's pageNumber until there is none."""
    entities: list[Any] = []
    page = 1
    while True:
        listing = fetch(page_number=page, page_size=page_size, **kwargs)
        entities.extend(listing.entities or [])
        if not listing.next_uri:
            return entities
        page = int(parse_qs(urlsplit(listing.next_uri).query)["pageNumber"][0])


def _cursor_paged(fetch: Any, **kwargs: Any) -> list[Any]:
    entities: list[Any] = []
    after = None
    while True:
        listing = fetch(after=after, **kwargs) if after else fetch(**kwargs)
        entities.extend(listing.entities or [])
        if not listing.next_uri:
            return entities
        after = parse_qs(urlsplit(listing.next_uri).query)["after"][0]


def collect(host: str, client_id: str, client_secret: str) -> dict[str, Any]:
    started = time.perf_counter()
    sdk.configuration.host = host
    client = CountingApiClient(host)
    client.get_client_credentials_token(client_id, client_secret)

    routing = sdk.RoutingApi(client)
    authorization = sdk.AuthorizationApi(client)
    oauth = sdk.OAuthApi(client)
    web = sdk.WebDeploymentsApi(client)

    org = sdk.OrganizationApi(client).get_organizations_me()
    queues = _paged(routing.get_routing_queues, 100)
    queue_codes = {q.id: _paged(routing.get_routing_queue_wrapupcodes, 100, queue_id=q.id) for q in queues}
    queue_members = {q.id: _next_uri_paged(routing.get_routing_queue_members, 100, queue_id=q.id) for q in queues}
    wrapupcodes = _paged(routing.get_routing_wrapupcodes, 100)
    roles = _paged(authorization.get_authorization_roles, 100, user_count=False)
    role_grants = {r.id: _paged(authorization.get_authorization_role_subjectgrants, 100, role_id=r.id)
                   for r in roles}
    clients = oauth.get_oauth_clients().entities or []
    deployments = _cursor_paged(web.get_webdeployments_deployments, expand=["Configuration"])
    configurations = _cursor_paged(web.get_webdeployments_configurations)
    divisions = _paged(authorization.get_authorization_divisions, 100)
    permitted = {p: _paged(authorization.get_authorization_divisionspermitted_paged_me, 100, permission=p)
                 for p in visibility_permissions()}
    groups = {g.id for grants in role_grants.values() for g in grants if g.type == "PC_GROUP"}
    individuals = {g: sdk.GroupsApi(client).get_group_individuals(g).entities or [] for g in groups}
    flows = []
    for flow_id in dict.fromkeys(d.flow.id for d in deployments if d.flow):
        try:
            flows.append(sdk.ArchitectApi(client).get_flow(flow_id))
        except sdk.rest.ApiException as exc:
            if exc.status != 404:
                raise
    query = sdk.ConversationAggregationQuery()
    query.interval, query.group_by = "2026-11-17T00:00:00.000Z/2026-11-24T00:00:00.000Z", ["queueId", "mediaType"]
    traffic = sdk.AnalyticsApi(client).post_analytics_conversations_aggregates_query(query).results or []
    # Auth setup (issue 21): the same reads as gcaudit's, the SDK way.
    organization = sdk.OrganizationApi(client)
    settings = [organization.get_organizations_authentication_settings(), sdk.TokensApi(client).get_tokens_timeout(),
                organization.get_organizations_embeddedintegration(),
                sdk.IdentityProviderApi(client).get_identityproviders_purecloud()]
    providers = sdk.IdentityProviderApi(client).get_identityproviders().entities or []
    trustees = _paged(sdk.OrganizationAuthorizationApi(client).get_orgauthorization_trustees, 100)
    users = _paged(sdk.UsersApi(client).get_users, 100, expand=["lasttokenissued", "dateLastLogin"])
    usage_query = sdk.ApiUsageOrganizationQuery()
    usage_query.interval, usage_query.granularity = "2026-08-26T00:00:00/2026-11-24T00:00:00", "Day"
    usage = sdk.UsageApi(client)
    execution = usage.post_usage_query(usage_query).execution_id
    while (answer := usage.get_usage_query_execution_id_results(execution)).query_status == "Running":
        time.sleep(0.5)
    seconds = time.perf_counter() - started

    return {
        "organization": org.id,
        "seconds": seconds,
        "calls": client.calls,
        "entities": {
            "queues": len(queues),
            "queue_wrapupcodes": sum(map(len, queue_codes.values())),
            "queue_members": sum(map(len, queue_members.values())),
            "wrapupcodes": len(wrapupcodes),
            "roles": len(roles),
            "role_subjectgrants": sum(map(len, role_grants.values())),
            "group_individuals": sum(map(len, individuals.values())),
            "oauth_clients": len(clients),
            "deployments": len(deployments),
            "configurations": len(configurations),
            "flows": len(flows),
            "conversation_aggregates": len(traffic),
            "divisions": len(divisions),
            "divisions_permitted": sum(map(len, permitted.values())),
            "auth_settings": 1, "token_timeout": 1, "embedded_integration": 1, "genesys_login": 1,
            "identity_providers": len(providers),
            "org_trustees": len(trustees),
            "users": len(users),
            "oauth_usage": len(answer.results or []),
        },
        "settings_read": len(settings),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    result = collect(argv[1], os.environ["GENESYSCLOUD_OAUTHCLIENT_ID"], os.environ["GENESYSCLOUD_OAUTHCLIENT_SECRET"])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
