"""The fake's audit trail speaks the real shapes: the official SDK's AuditApi deserialises every
answer (service mapping, realtime query, asynchronous query + status + results), and a planted
change both changes the object and records who changed it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_api import FakePlatformApi
from auditor.testing.fake_audit import Actor


def _org() -> OrgBuilder:
    org = OrgBuilder()
    config = f.configuration("Web", cobrowse_settings=f.cobrowse(channels=["Webmessaging"]))
    org.configurations = [config]
    org.deployments = [f.deployment("Store Checkout", config)]
    org.add_queue(f.queue("Billing"))
    return org


@pytest.fixture
def sdk_api() -> Iterator[tuple[object, object, FakePlatformApi]]:
    import PureCloudPlatformClientV2 as sdk  # test-only dependency

    with FakePlatformApi(_org()) as api:
        saved = sdk.configuration.host
        sdk.configuration.host = api.url
        try:
            client = sdk.api_client.ApiClient(host=api.url)
            client.get_client_credentials_token(api.config.client_id, api.config.client_secret)
            yield sdk, sdk.AuditApi(client), api
        finally:
            sdk.configuration.host = saved


def _plant(api: FakePlatformApi, when: datetime | None = None) -> str:
    deployment = api.data["deployments"][0]
    api.plant_change("deployments", deployment["id"], {"status": "Inactive"},
                     Actor(user_name="Priya Natarajan", application="UI", remote_ip=("203.0.113.7",)), when=when)
    return deployment["id"]


def test_a_planted_change_changes_the_object_and_is_in_the_trail(sdk_api) -> None:
    _, _, api = sdk_api
    before = api.data["deployments"][0]["status"]
    deployment_id = _plant(api)
    assert api.data["deployments"][0]["status"] == "Inactive" != before
    [message] = api.audit.messages
    assert message["entity"]["id"] == deployment_id
    assert message["propertyChanges"] == [{"property": "status", "oldValues": [before], "newValues": ["Inactive"]}]


def test_sdk_deserialises_the_service_mapping(sdk_api) -> None:
    sdk, audit, _ = sdk_api
    mapping = audit.get_audits_query_realtime_servicemapping()
    assert isinstance(mapping, sdk.AuditQueryServiceMapping)
    by_name = {s.name: {e.name: e.actions for e in s.entities} for s in mapping.services}
    assert "Deployment" in by_name["WebDeployments"]
    # Names are the SDK's own enum values (AuditTopicAuditLogMessage), not "outdated_sdk_version".
    topic = sdk.AuditTopicAuditLogMessage()
    for service, entities in by_name.items():
        topic.service_name = service
        assert topic.service_name == service
        for entity, actions in entities.items():
            topic.entity_type = entity
            assert topic.entity_type == entity
            for action in actions:
                topic.action = action
                assert topic.action == action


def test_sdk_deserialises_a_realtime_query(sdk_api) -> None:
    sdk, audit, api = sdk_api
    deployment_id = _plant(api)
    now = datetime.now(UTC)
    body = sdk.AuditRealtimeQueryRequest()
    body.interval = f"{(now - timedelta(days=1)):%Y-%m-%dT%H:%M:%SZ}/{(now + timedelta(minutes=1)):%Y-%m-%dT%H:%M:%SZ}"
    body.service_name = "WebDeployments"
    page = audit.post_audits_query_realtime(body, expand=["user"])
    assert isinstance(page, sdk.AuditRealtimeQueryResultsResponse)
    assert (page.total, page.page_number, page.page_count) == (1, 1, 1)
    [entry] = page.entities
    assert isinstance(entry, sdk.AuditLogMessage)
    assert entry.user.name == "Priya Natarajan" and entry.remote_ip == ["203.0.113.7"]
    assert entry.entity.id == deployment_id and entry.entity_type == "Deployment"
    assert entry.level == "USER" and entry.status == "SUCCESS" and entry.application == "UI"
    assert entry.property_changes[0].pcProperty == "status"
    assert entry.property_changes[0].new_values == ["Inactive"]
    assert entry.event_date.tzinfo is not None
    # Without expand=user the user is a bare reference.
    assert audit.post_audits_query_realtime(body).entities[0].user.name is None


def test_sdk_deserialises_the_asynchronous_query(sdk_api) -> None:
    sdk, audit, api = sdk_api
    _plant(api, when=datetime.now(UTC) - timedelta(days=20))
    now = datetime.now(UTC)
    body = sdk.AuditQueryRequest()
    body.interval = f"{(now - timedelta(days=30)):%Y-%m-%dT%H:%M:%SZ}/{now:%Y-%m-%dT%H:%M:%SZ}"
    body.service_name = "WebDeployments"
    status = audit.post_audits_query(body)
    assert isinstance(status, sdk.AuditQueryExecutionStatusResponse) and status.state == "Queued"
    states = [audit.get_audits_query_transaction_id(status.id).state for _ in range(3)]
    assert states == ["Running", "Succeeded", "Succeeded"]
    results = audit.get_audits_query_transaction_id_results(status.id, page_size=500, expand=["user"])
    assert isinstance(results, sdk.AuditQueryExecutionResultsResponse)
    assert [e.user.name for e in results.entities] == ["Priya Natarajan"] and results.cursor is None


def test_bad_query_is_a_400_error_body(sdk_api) -> None:
    sdk, audit, _ = sdk_api
    from PureCloudPlatformClientV2.rest import ApiException

    body = sdk.AuditRealtimeQueryRequest()
    body.interval = "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"
    body.service_name = "NoSuchService"
    with pytest.raises(ApiException) as caught:
        audit.post_audits_query_realtime(body)
    assert caught.value.status == 400
