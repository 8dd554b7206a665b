"""The fake Platform API speaks the real shapes: raw HTTP checks, then the official SDK
(`PureCloudPlatformClientV2`, test-only) deserialising what it serves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests

from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_api import FakeConfig, FakePlatformApi, Forbidden, RandomErrors

ERROR_BODY_FIELDS = {"message", "code", "status", "contextId", "details", "errors"}


def _org() -> OrgBuilder:
    org = OrgBuilder()
    members = [f.queue_member(f.new_id(f"user:{i}"), f"Agent {i}") for i in range(150)]
    org.add_queue(f.queue("Support", call=True, wrapup_prompt="MANDATORY_TIMEOUT", timeout_ms=30000),
                  [f.wrapup_code("Resolved"), f.wrapup_code("Escalated")], members)
    for i in range(30):
        org.add_queue(f.queue(f"Queue {i:02d}"))
    org.wrapupcodes = [f.wrapup_code("Resolved"), f.wrapup_code("Escalated")]
    org.oauth_clients = [f.oauth_client("Nightly audit", roles=[(f.new_id("role:a"), "*")]),
                         f.oauth_client("Portal", "CODE", redirect_uris=["https://portal.example.com/cb"],
                                        scopes=["conversations"])]
    config = f.configuration("Web", cobrowse_settings=f.cobrowse(channels=["Webmessaging", "Voice"]))
    org.configurations = [config]
    org.deployments = [f.deployment(f"Site {i}", config) for i in range(3)]
    return org


@pytest.fixture
def api() -> Iterator[FakePlatformApi]:
    with FakePlatformApi(_org()) as server:
        yield server


def _token(api: FakePlatformApi) -> str:
    response = requests.post(f"{api.url}/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(api.config.client_id, api.config.client_secret), timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    return body["access_token"]


def _get(api: FakePlatformApi, path: str, token: str | None, **params: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{api.url}{path}", params=params, headers=headers, timeout=5)


def test_token_endpoint_refuses_a_wrong_secret_like_genesys(api: FakePlatformApi) -> None:
    response = requests.post(f"{api.url}/oauth/token", data={"grant_type": "client_credentials"},
                             auth=(api.config.client_id, "wrong"), timeout=5)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client", "description": "authentication failed",
                               "error_description": "authentication failed"}
    assert api.logins == 0


def test_bearer_checks_and_error_bodies(api: FakePlatformApi) -> None:
    missing = _get(api, "/api/v2/routing/queues", None)
    bad = _get(api, "/api/v2/routing/queues", "nope")
    assert (missing.status_code, missing.json()["code"]) == (401, "authentication.required")
    assert (bad.status_code, bad.json()["code"]) == (401, "bad.credentials")
    assert set(bad.json()) >= ERROR_BODY_FIELDS
    # The correlation id header is the ErrorBody's contextId, as on the real API.
    assert bad.json()["contextId"] == bad.headers["inin-correlation-id"]
    uuid.UUID(bad.headers["ININ-Correlation-Id"])
    not_found = _get(api, "/api/v2/conversations/cobrowse", _token(api))
    assert (not_found.status_code, not_found.json()["code"]) == (404, "not.found")


def test_page_number_envelope(api: FakePlatformApi) -> None:
    body = _get(api, "/api/v2/routing/queues", _token(api), pageSize=10, pageNumber=2).json()
    assert {"entities", "pageSize", "pageNumber", "total", "pageCount", "firstUri", "selfUri", "nextUri",
            "previousUri", "lastUri"} <= set(body)
    assert (body["pageSize"], body["pageNumber"], body["total"], body["pageCount"]) == (10, 2, 31, 4)
    assert body["nextUri"] == "/api/v2/routing/queues?pageSize=10&pageNumber=3"
    assert body["lastUri"] == "/api/v2/routing/queues?pageSize=10&pageNumber=4"
    last = _get(api, "/api/v2/routing/queues", _token(api), pageSize=10, pageNumber=4).json()
    assert len(last["entities"]) == 1 and "nextUri" not in last
    assert _get(api, "/api/v2/routing/queues", _token(api)).json()["pageSize"] == 25  # the API default


def test_queue_members_have_only_next_uri_and_are_capped_at_100(api: FakePlatformApi) -> None:
    queue_id = api.data["queues"][0]["id"]
    body = _get(api, f"/api/v2/routing/queues/{queue_id}/members", _token(api), pageSize=500).json()
    assert "total" not in body and "pageCount" not in body
    assert body["pageSize"] == 100 and len(body["entities"]) == 100  # silently capped
    assert body["nextUri"].endswith("pageSize=100&pageNumber=2")


def test_web_deployments_use_an_after_cursor_and_expand(api: FakePlatformApi) -> None:
    token = _token(api)
    first = _get(api, "/api/v2/webdeployments/deployments", token, pageSize=2, expand="Configuration").json()
    assert set(first) == {"entities", "nextUri", "selfUri", "total"}
    assert "after=" in first["nextUri"] and "expand=Configuration" in first["nextUri"]
    assert first["entities"][0]["configuration"]["cobrowse"]["enabled"] is True
    plain = _get(api, "/api/v2/webdeployments/deployments", token).json()
    assert "cobrowse" not in plain["entities"][0]["configuration"]  # only a reference without expand


def test_rate_limit_answers_429_with_retry_after_per_token() -> None:
    with FakePlatformApi(_org(), FakeConfig(rate_limit=3, rate_window=60)) as api:
        token = _token(api)
        statuses = [_get(api, "/api/v2/routing/wrapupcodes", token) for _ in range(4)]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429]
        refused = statuses[-1]
        assert refused.json()["code"] == "too.many.requests.retry.after"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["inin-ratelimit-allowed"] == "3"
        # Another token has its own budget.
        assert _get(api, "/api/v2/routing/wrapupcodes", _token(api)).status_code == 200
    with FakePlatformApi(_org(), FakeConfig(rate_limit=1, retry_after=False)) as api:
        token = _token(api)
        _get(api, "/api/v2/routing/wrapupcodes", token)
        refused = _get(api, "/api/v2/routing/wrapupcodes", token)
        assert refused.status_code == 429 and "Retry-After" not in refused.headers
        assert refused.json()["code"] == "too.many.requests"


def test_faults_and_counters() -> None:
    faults = [Forbidden("oauth_clients"), RandomErrors(rate=1.0, dataset="wrapupcodes")]
    with FakePlatformApi(_org(), FakeConfig(faults=faults)) as api:
        token = _token(api)
        forbidden = _get(api, "/api/v2/oauth/clients", token)
        assert (forbidden.status_code, forbidden.json()["code"]) == (403, "missing.permissions")
        assert "oauth:client:view" in forbidden.json()["message"]
        assert _get(api, "/api/v2/routing/wrapupcodes", token).status_code == 503
        assert _get(api, "/api/v2/routing/queues", token).status_code == 200
        assert api.calls("/api/v2/oauth/clients", 403) == 1
        assert api.by_status() == {200: 2, 403: 1, 503: 1}
        assert api.errors == []


# --- the official SDK against the fake -------------------------------------------------------


@pytest.fixture
def sdk_client(api: FakePlatformApi):
    import PureCloudPlatformClientV2 as sdk  # test-only dependency: the product never imports it

    configuration = sdk.configuration  # the SDK's global Configuration singleton
    saved = configuration.host
    configuration.host = api.url
    try:
        client = sdk.api_client.ApiClient(host=api.url)
        client.get_client_credentials_token(api.config.client_id, api.config.client_secret)
        yield sdk, client
    finally:
        configuration.host = saved


def test_sdk_deserialises_queues(sdk_client, api: FakePlatformApi) -> None:
    sdk, client = sdk_client
    listing = sdk.RoutingApi(client).get_routing_queues(page_size=100)
    assert isinstance(listing, sdk.QueueEntityListing)
    assert listing.total == 31 and listing.page_count == 1
    support = next(q for q in listing.entities if q.name == "Support")
    assert isinstance(support, sdk.Queue)
    assert support.acw_settings.wrapup_prompt == "MANDATORY_TIMEOUT"
    assert support.acw_settings.timeout_ms == 30000
    assert support.media_settings.message.sub_type_settings["webmessaging"].enable_auto_answer is False
    assert support.division.name == "Home"
    members = sdk.RoutingApi(client).get_routing_queue_members(support.id, page_size=100)
    assert len(members.entities) == 100 and members.next_uri and members.entities[0].joined is True


def test_sdk_deserialises_wrapup_codes(sdk_client) -> None:
    sdk, client = sdk_client
    routing = sdk.RoutingApi(client)
    codes = routing.get_routing_wrapupcodes(page_size=100)
    assert isinstance(codes, sdk.WrapupCodeEntityListing)
    assert sorted(c.name for c in codes.entities) == ["Escalated", "Resolved"]
    queue_id = routing.get_routing_queues(name="Support").entities[0].id
    assigned = routing.get_routing_queue_wrapupcodes(queue_id)
    assert {c.name for c in assigned.entities} == {"Resolved", "Escalated"}


def test_sdk_deserialises_oauth_clients(sdk_client) -> None:
    sdk, client = sdk_client
    clients = sdk.OAuthApi(client).get_oauth_clients()
    assert isinstance(clients, sdk.OAuthClientEntityListing)
    by_name = {c.name: c for c in clients.entities}
    # Enum values the SDK does not know would come back as "outdated_sdk_version".
    assert by_name["Nightly audit"].authorized_grant_type == "CLIENT-CREDENTIALS"
    assert by_name["Nightly audit"].role_divisions[0].division_id == "*"
    assert by_name["Nightly audit"].state == "active"
    assert by_name["Portal"].authorized_grant_type == "CODE"
    assert by_name["Portal"].registered_redirect_uri == ["https://portal.example.com/cb"]


def test_sdk_deserialises_web_deployments_and_the_organization(sdk_client) -> None:
    sdk, client = sdk_client
    deployments = sdk.WebDeploymentsApi(client).get_webdeployments_deployments(expand=["Configuration"])
    assert deployments.total == 3
    first = deployments.entities[0]
    assert first.status == "Active"
    assert first.configuration.cobrowse.channels == ["Webmessaging", "Voice"]
    org = sdk.OrganizationApi(client).get_organizations_me()
    assert org.state == "active" and org.product_platform == "GenesysCloud"


def test_a_fault_can_reset_the_connection_and_the_collector_client_retries_it(tmp_path) -> None:
    from dataclasses import dataclass

    from auditor.testing.fake_api import FakeRequest, Fault, Reply

    @dataclass
    class ResetFirstCalls(Fault):
        count: int = 2

        def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
            if request.call_number <= self.count:
                return Reply(reset=True)
            return None

    with FakePlatformApi(_org(), FakeConfig(faults=[ResetFirstCalls()])) as api:
        token = _token(api)
        with pytest.raises(requests.ConnectionError):
            _get(api, "/api/v2/routing/wrapupcodes", token)
        assert api.calls(status=0) == 1
    with FakePlatformApi(_org(), FakeConfig(faults=[ResetFirstCalls(count=3)])) as api:
        from tests.sources.collectors.conftest import collect_from

        result = collect_from(api, tmp_path / "snap")
        assert result.complete and api.calls(status=0) == 3
        assert result.manifest.extra["retries"] == 3


# --- snapshot format 2: divisions, visibility, subject grants, flows, traffic -------------------

STORES = f.division("Stores")


def _division_org() -> OrgBuilder:
    """Two divisions; a queue, a wrap-up code and a flow in each; a role held by a user in all
    divisions, a user in Stores only and a group; traffic on both queues."""
    org = OrgBuilder().add_division(STORES)
    home_queue = f.queue("Web Support", mediaSettings=f.all_media_settings())
    stores_queue = f.queue("Click & Collect", mediaSettings=f.all_media_settings(), division=f.division_ref(STORES))
    org.add_queue(home_queue, [f.wrapup_code("Resolved")], [f.queue_member("u1", "Ana")])
    org.add_queue(stores_queue, [f.wrapup_code("Collected")], [f.queue_member("u2", "Ben")])
    org.wrapupcodes = [f.wrapup_code("Resolved"), f.wrapup_code("Collected", division=f.division_ref(STORES))]
    role = f.role("Co-browse Agent", ["conversation:cobrowse:add"], user_count=3)
    org.add_role(role, ["u1"], grants=[f.subject_grant("u2", name="Ben", divisions=[STORES]),
                                        f.subject_grant("g1", name="Web Agents", subject_type="PC_GROUP")])
    org.add_group("g1", ["u3", "u4"], {"u3": "Cleo", "u4": "Dev"})
    home_flow, stores_flow = f.flow("Web Inbound"), f.flow("Stores Inbound", published=False, division=STORES)
    org.flows = [home_flow, stores_flow]
    config = f.configuration("Web", cobrowse_settings=f.cobrowse())
    org.configurations = [config]
    org.deployments = [f.deployment("Site", config, flow=f.flow_ref(home_flow)),
                       f.deployment("Stores Site", config, flow=f.flow_ref(stores_flow))]
    window = org.traffic_interval()
    org.conversation_aggregates = [
        f.aggregate(home_queue["id"], "message", window, conversations=40, message_type="webmessaging",
                    cobrowse_sessions=3),
        f.aggregate(stores_queue["id"], "voice", window, conversations=12),
    ]
    return org


@pytest.fixture
def division_api() -> Iterator[FakePlatformApi]:
    with FakePlatformApi(_division_org()) as server:
        yield server


@pytest.fixture
def restricted_api() -> Iterator[FakePlatformApi]:
    """A client whose role grants cover the Home division only."""
    with FakePlatformApi(_division_org(), FakeConfig(visible_divisions={f.HOME_DIVISION["id"]})) as server:
        yield server


def _query(api: FakePlatformApi, token: str, body: object) -> requests.Response:
    return requests.post(f"{api.url}/api/v2/analytics/conversations/aggregates/query", json=body,
                         headers={"Authorization": f"Bearer {token}"}, timeout=5)


def test_roles_honour_user_count_false(division_api: FakePlatformApi) -> None:
    token = _token(division_api)
    default = _get(division_api, "/api/v2/authorization/roles", token).json()["entities"][0]
    lean = _get(division_api, "/api/v2/authorization/roles", token, userCount="false").json()["entities"][0]
    assert default["userCount"] == 3 and "userCount" not in lean


def test_a_restricted_client_sees_only_its_divisions(restricted_api: FakePlatformApi) -> None:
    api, token = restricted_api, _token(restricted_api)
    queues = _get(api, "/api/v2/routing/queues", token).json()
    assert [q["name"] for q in queues["entities"]] == ["Web Support"] and queues["total"] == 1
    assert [c["name"] for c in _get(api, "/api/v2/routing/wrapupcodes", token).json()["entities"]] == ["Resolved"]
    # The org's divisions are listed whole ("Requires no permissions").
    assert {d["name"] for d in _get(api, "/api/v2/authorization/divisions", token).json()["entities"]} == {
        "Home", "Stores"}
    stores_queue = next(q for q in api.data["queues"] if q["name"] == "Click & Collect")
    for path in (f"/api/v2/routing/queues/{stores_queue['id']}/members",
                 f"/api/v2/flows/{api.data['flows'][1]['id']}"):
        refused = _get(api, path, token)
        body = refused.json()
        assert (refused.status_code, body["code"]) == (403, "missing.division.permission")
        assert body["messageParams"]["division"] == STORES["id"] and "{division}" in body["messageWithParams"]
    permitted = _get(api, "/api/v2/authorization/divisionspermitted/paged/me", token,
                     permission="routing:queue:view").json()
    assert permitted["allDivsPermitted"] is False and [d["name"] for d in permitted["entities"]] == ["Home"]
    traffic = _query(api, token, {"interval": "2026-11-17T00:00:00Z/2026-11-24T00:00:00Z",
                                  "groupBy": ["queueId", "mediaType"]}).json()
    assert [r["group"]["mediaType"] for r in traffic["results"]] == ["message"]


def test_an_unrestricted_client_sees_everything_and_all_divisions_permitted(division_api: FakePlatformApi) -> None:
    token = _token(division_api)
    assert _get(division_api, "/api/v2/routing/queues", token).json()["total"] == 2
    permitted = _get(division_api, "/api/v2/authorization/divisionspermitted/paged/me", token,
                     permission="architect:flow:view").json()
    assert permitted["allDivsPermitted"] is True and len(permitted["entities"]) == 2
    assert _get(division_api, "/api/v2/flows/nope", token).status_code == 404
    bad = _query(division_api, token, {"groupBy": ["queueId"]})
    assert (bad.status_code, bad.json()["code"]) == (400, "bad.request")


@pytest.fixture
def sdk_division_client(division_api: FakePlatformApi):
    import PureCloudPlatformClientV2 as sdk

    configuration = sdk.configuration
    saved = configuration.host
    configuration.host = division_api.url
    try:
        client = sdk.api_client.ApiClient(host=division_api.url)
        client.get_client_credentials_token(division_api.config.client_id, division_api.config.client_secret)
        yield sdk, client, division_api
    finally:
        configuration.host = saved


def test_sdk_deserialises_divisions_and_divisions_permitted(sdk_division_client) -> None:
    sdk, client, _ = sdk_division_client
    authz = sdk.AuthorizationApi(client)
    divisions = authz.get_authorization_divisions(page_size=100)
    assert isinstance(divisions, sdk.AuthzDivisionEntityListing)
    home = next(d for d in divisions.entities if d.name == "Home")
    assert isinstance(home, sdk.AuthzDivision) and home.home_division is True
    permitted = authz.get_authorization_divisionspermitted_paged_me("routing:queue:view", page_size=100)
    assert isinstance(permitted, sdk.DivsPermittedEntityListing) and permitted.all_divs_permitted is True
    assert {d.name for d in permitted.entities} == {"Home", "Stores"}


def test_sdk_deserialises_subject_grants_and_group_individuals(sdk_division_client) -> None:
    sdk, client, api = sdk_division_client
    role_id = api.data["roles"][0]["id"]
    grants = sdk.AuthorizationApi(client).get_authorization_role_subjectgrants(role_id, page_size=100)
    assert isinstance(grants, sdk.SubjectDivisionGrantsEntityListing) and grants.total == 3
    by_id = {g.id: g for g in grants.entities}
    assert all(isinstance(g, sdk.SubjectDivisionGrants) for g in grants.entities)
    # Enum values the SDK does not know would come back as "outdated_sdk_version".
    assert (by_id["u1"].type, [d.id for d in by_id["u1"].divisions]) == ("PC_USER", ["*"])
    assert (by_id["u2"].type, [d.name for d in by_id["u2"].divisions]) == ("PC_USER", ["Stores"])
    assert by_id["g1"].type == "PC_GROUP"
    people = sdk.GroupsApi(client).get_group_individuals("g1")
    assert isinstance(people, sdk.UserEntityListing)
    assert [(u.id, u.name, u.state) for u in people.entities] == [("u3", "Cleo", "active"), ("u4", "Dev", "active")]
    roles = sdk.AuthorizationApi(client).get_authorization_roles(page_size=100, user_count=False)
    assert isinstance(roles, sdk.OrganizationRoleEntityListing) and roles.entities[0].user_count is None


def test_sdk_deserialises_a_users_grants_direct_and_through_a_group(sdk_division_client) -> None:
    sdk, client, api = sdk_division_client
    authz = sdk.AuthorizationApi(client)
    role_id = api.data["roles"][0]["id"]
    ben = authz.get_authorization_subject("u2")
    assert isinstance(ben, sdk.AuthzSubject) and ben.name == "Ben"
    [grant] = ben.grants
    assert isinstance(grant, sdk.AuthzGrant) and isinstance(grant.division, sdk.AuthzDivision)
    assert (grant.subject_id, grant.role.id, grant.division.name) == ("u2", role_id, "Stores")
    # Cleo holds the role through group g1: the grant names the group as its subject.
    [cleo] = authz.get_authorization_subject("u3").grants
    assert (cleo.subject_id, cleo.role.id, cleo.division.id) == ("g1", role_id, "*")
    with pytest.raises(sdk.rest.ApiException) as missing:
        authz.get_authorization_subject("nobody")
    assert missing.value.status == 404


def test_sdk_deserialises_flows_and_the_deployment_flow(sdk_division_client) -> None:
    sdk, client, api = sdk_division_client
    published, draft = (sdk.ArchitectApi(client).get_flow(fl["id"]) for fl in api.data["flows"])
    # The lookup the collector makes first: a FlowEntityListing of the matching flows only.
    lookup = sdk.ArchitectApi(client).get_flows_lookup([fl["id"] for fl in api.data["flows"]] + ["nope"])
    assert isinstance(lookup, sdk.FlowEntityListing)
    assert [fl.id for fl in lookup.entities] == [fl["id"] for fl in api.data["flows"]]
    assert isinstance(lookup.entities[0], sdk.Flow) and lookup.entities[0].published_version.id == "1.0"
    assert isinstance(published, sdk.Flow) and published.type == "INBOUNDSHORTMESSAGE"
    assert published.published_version.id == "1.0" and published.division.name == "Home"
    assert draft.published_version is None and draft.division.name == "Stores"
    deployments = sdk.WebDeploymentsApi(client).get_webdeployments_deployments(expand=["Configuration"])
    assert deployments.entities[0].flow.id == published.id
    config = deployments.entities[0].configuration
    assert config.messenger.apps.conversations.enabled is True and config.headless_mode.enabled is False


def test_sdk_deserialises_the_aggregates_response_and_all_media_settings(sdk_division_client) -> None:
    sdk, client, api = sdk_division_client
    query = sdk.ConversationAggregationQuery()
    query.interval = "2026-11-17T02:00:00.000Z/2026-11-24T02:00:00.000Z"
    query.group_by = ["queueId", "mediaType", "messageType"]
    query.metrics = ["nConversations", "nOffered", "tHandle", "nCobrowseSessions"]
    answer = sdk.AnalyticsApi(client).post_analytics_conversations_aggregates_query(query)
    assert isinstance(answer, sdk.ConversationAggregateQueryResponse) and len(answer.results) == 2
    web = next(r for r in answer.results if r.group["mediaType"] == "message")
    assert isinstance(web, sdk.ConversationAggregateDataContainer) and web.group["messageType"] == "webmessaging"
    metrics = {m.metric: m.stats for m in web.data[0].metrics}
    assert isinstance(web.data[0], sdk.StatisticalResponse)
    assert metrics["nConversations"].count == 40 and metrics["nCobrowseSessions"].count == 3
    assert api.queries[-1]["groupBy"] == ["queueId", "mediaType", "messageType"]
    queue = sdk.RoutingApi(client).get_routing_queues(page_size=100).entities[0]
    assert all(getattr(queue.media_settings, m) is not None for m in f.MEDIA_TYPES)


def test_the_sample_orgs_serve_all_five_media_settings_on_every_queue() -> None:
    from tests.conftest import SAMPLES

    for name in ("demo-org", "demo-org-partial", "ready-org"):
        with FakePlatformApi(SAMPLES / name) as api:
            queues = _get(api, "/api/v2/routing/queues", _token(api), pageSize=500).json()["entities"]
            assert queues and all(set(q["mediaSettings"]) == set(f.MEDIA_TYPES) for q in queues), name
