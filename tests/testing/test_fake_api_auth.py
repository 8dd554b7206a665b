"""The fake Platform API's auth-setup answers (issue 21), proved with the official SDK's deserialiser:
every new endpoint, and the usage query in each of its states (Running, Complete, Failed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_api import FakeConfig, FakePlatformApi

PORTAL = f.oauth_client("Portal", "CODE", id=f.new_id("auth:client:portal"))
IDLE = f.oauth_client("Idle Export", "CLIENT-CREDENTIALS", id=f.new_id("auth:client:idle"))


def _org() -> OrgBuilder:
    org = OrgBuilder()
    org.oauth_clients = [PORTAL, IDLE]
    org.auth_settings = [f.auth_settings(multifactorAuthenticationRequired=False,
                                         ipAddressAllowlist=["81.2.69.0/24", "10.0.0.0/8"])]
    org.token_timeout = [f.token_timeout(None)]
    org.embedded_integration = [f.embedded_integration([])]
    org.genesys_login = [f.genesys_login(disabled=True)]
    org.identity_providers = [f.identity_provider("Okta")]
    org.org_trustees = [f.trustee(f.new_id("auth:trustee"), "Partner BPO", full_access=True, expires=None)]
    org.users = [f.user_activity(f.new_id("auth:user:sso"), "Sso User", token_issued="2026-11-23T08:00:00.000Z",
                                 last_login="2025-01-10T08:00:00.000Z")]
    org.oauth_usage = [f.usage_row(PORTAL, "2026-11-20", 42)]
    return org


@pytest.fixture
def sdk_api(request) -> Iterator[tuple[object, object, FakePlatformApi]]:
    import PureCloudPlatformClientV2 as sdk  # test-only dependency: the product never imports it

    config = getattr(request, "param", None) or FakeConfig()
    with FakePlatformApi(_org(), config) as api:
        configuration = sdk.configuration
        saved = configuration.host
        configuration.host = api.url
        try:
            client = sdk.api_client.ApiClient(host=api.url)
            client.get_client_credentials_token(api.config.client_id, api.config.client_secret)
            yield sdk, client, api
        finally:
            configuration.host = saved


def test_sdk_deserialises_the_settings_objects(sdk_api) -> None:
    sdk, client, _ = sdk_api
    settings = sdk.OrganizationApi(client).get_organizations_authentication_settings()
    assert isinstance(settings, sdk.OrgAuthSettings)
    assert settings.multifactor_authentication_required is False
    assert settings.ip_address_allowlist == ["81.2.69.0/24", "10.0.0.0/8"]
    assert isinstance(settings.password_requirements, sdk.PasswordRequirements)
    assert settings.password_requirements.minimum_length == 12
    assert settings.token_storage_location == "session"  # an allowed value of the enum
    timeout = sdk.TokensApi(client).get_tokens_timeout()
    assert isinstance(timeout, sdk.IdleTokenTimeout)
    assert timeout.enable_idle_token_timeout is False and timeout.inactivity_timeout_unit == "Minutes"
    embedded = sdk.OrganizationApi(client).get_organizations_embeddedintegration()
    assert isinstance(embedded, sdk.EmbeddedIntegration) and embedded.enable_whitelist is False
    genesys = sdk.IdentityProviderApi(client).get_identityproviders_purecloud()
    assert isinstance(genesys, sdk.PureCloud) and genesys.disabled is True
    providers = sdk.IdentityProviderApi(client).get_identityproviders()
    assert isinstance(providers, sdk.IdentityProviderEntityListing)
    assert providers.entities[0].name == "Okta" and providers.entities[0].disabled is False


def test_sdk_deserialises_trustees_and_users_with_their_last_token(sdk_api) -> None:
    sdk, client, _ = sdk_api
    trustees = sdk.OrganizationAuthorizationApi(client).get_orgauthorization_trustees(page_size=100)
    assert isinstance(trustees, sdk.TrustEntityListing) and trustees.total == 1
    trustee = trustees.entities[0]
    assert isinstance(trustee, sdk.Trustee)
    assert trustee.has_full_access is True and trustee.date_expired is None
    assert isinstance(trustee.date_created, datetime) and trustee.organization.name == "Partner BPO"
    users = sdk.UsersApi(client).get_users(page_size=100, expand=["lasttokenissued", "dateLastLogin"])
    assert isinstance(users, sdk.UserEntityListing)
    user = users.entities[0]
    assert isinstance(user.last_token_issued, sdk.OAuthLastTokenIssued)
    assert user.last_token_issued.date_issued.year == 2026 and user.date_last_login.year == 2025
    # Without the expand, as the real API: no lastTokenIssued, no dateLastLogin.
    bare = sdk.UsersApi(client).get_users(page_size=100).entities[0]
    assert bare.last_token_issued is None and bare.date_last_login is None


def _usage_query(sdk):
    query = sdk.ApiUsageOrganizationQuery()
    query.interval = "2026-08-26T02:00:00/2026-11-24T02:00:00"
    query.granularity = "Day"  # validated by the SDK model against its allowed values
    return query


def test_sdk_deserialises_the_usage_query_running_then_complete(sdk_api) -> None:
    sdk, client, api = sdk_api
    usage = sdk.UsageApi(client)
    started = usage.post_usage_query(_usage_query(sdk))
    assert isinstance(started, sdk.UsageExecutionResult) and started.execution_id
    assert started.results_uri.endswith(f"/{started.execution_id}/results")
    running = usage.get_usage_query_execution_id_results(started.execution_id)
    assert isinstance(running, sdk.ApiUsageQueryResult) and running.query_status == "Running"
    done = usage.get_usage_query_execution_id_results(started.execution_id)
    assert done.query_status == "Complete"
    row = done.results[0]
    assert isinstance(row, sdk.ApiUsageRow)
    assert row.client_id == PORTAL["id"] and row.requests == 42 and row.date.day == 20
    assert api.usage_queries[-1] == {"interval": "2026-08-26T02:00:00/2026-11-24T02:00:00", "granularity": "Day"}


@pytest.mark.parametrize("sdk_api", [FakeConfig(usage_running_polls=0, usage_fails=True)], indirect=True)
def test_sdk_deserialises_a_failed_usage_query(sdk_api) -> None:
    sdk, client, _ = sdk_api
    usage = sdk.UsageApi(client)
    started = usage.post_usage_query(_usage_query(sdk))
    failed = usage.get_usage_query_execution_id_results(started.execution_id)
    assert isinstance(failed, sdk.ApiUsageQueryResult) and failed.query_status == "Failed"
    assert failed.results is None
