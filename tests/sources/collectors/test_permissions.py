"""`gcaudit permissions` lists every permission, including analytics and flows, and says each is
needed in every division and how to grant it."""

from __future__ import annotations

import json

from auditor.sources.collectors.permissions import requirements


def test_every_permission_with_analytics_and_flows_in_every_division(cli) -> None:
    req = requirements()
    assert req["permissions"] == [
        "analytics:conversationAggregate:view", "architect:flow:view", "authorization:orgTrustee:view",
        "authorization:role:view", "directory:organization:admin", "oauth:client:view", "routing:queue:view",
        "routing:wrapupCode:view", "sso:provider:view", "webDeployments:configuration:view",
        "webDeployments:deployment:view",
    ]
    calls = {(r["method"], r["endpoint"]) for r in req["endpoints"]}
    assert ("POST", "/api/v2/analytics/conversations/aggregates/query") in calls
    assert ("GET", "/api/v2/authorization/roles/{roleId}/subjectgrants") in calls
    assert ("GET", "/api/v2/authorization/divisionspermitted/paged/me") in calls
    assert ("GET", "/api/v2/authorization/roles/{roleId}/users") not in calls
    table = cli("permissions")
    assert table.returncode == 0
    assert "EVERY division" in table.stdout and '"All divisions"' in table.stdout
    assert "architect:flow:view" in table.stdout and "every division" in table.stdout
    markdown = cli("permissions", "--format", "markdown").stdout
    assert "| `analytics:conversationAggregate:view` | every division |" in markdown
    as_json = json.loads(cli("permissions", "--format", "json").stdout)
    assert as_json["every_division"] is True and "divisionId" in as_json["note"]


def test_the_auth_setup_endpoints_are_listed_and_the_admin_permission_is_called_admin(cli) -> None:
    req = requirements()
    calls = {(r["method"], r["endpoint"]): r["permission"] for r in req["endpoints"]}
    # Issue 21: every new endpoint with the permission the SDK docs name for it.
    assert calls[("GET", "/api/v2/organizations/authentication/settings")] == "directory:organization:admin"
    assert calls[("GET", "/api/v2/tokens/timeout")] is None
    assert calls[("GET", "/api/v2/organizations/embeddedintegration")] is None
    assert calls[("GET", "/api/v2/identityproviders/purecloud")] == "sso:provider:view"
    assert calls[("GET", "/api/v2/identityproviders")] == "sso:provider:view"
    assert calls[("GET", "/api/v2/orgauthorization/trustees")] == "authorization:orgTrustee:view"
    assert calls[("GET", "/api/v2/users")] is None
    assert calls[("POST", "/api/v2/usage/query")] == "oauth:client:view"
    assert calls[("GET", "/api/v2/usage/query/{executionId}/results")] == "oauth:client:view"
    assert req["admin_permissions"] == ["directory:organization:admin"]
    table = " ".join(cli("permissions").stdout.split())  # paragraphs are wrapped at 80 columns
    assert "directory:organization:admin (ADMIN)" in table
    assert "ADMIN permission, not a view-only one" in table and "--skip-auth-settings" in table
    markdown = cli("permissions", "--format", "markdown").stdout
    assert "| `directory:organization:admin` (admin) | every division | `auth_settings` |" in markdown


def test_the_audit_trail_permission_is_listed_as_optional_for_nightly(cli) -> None:
    """Issue 22: `audits:audit:view` (every audit endpoint, SDK AuditApi.md) is optional, for the
    nightly's "who changed it"; it is not among the permissions every collection needs."""
    req = requirements()
    assert "audits:audit:view" not in req["permissions"]
    assert req["optional_permissions"] == ["authorization:grant:view", "audits:audit:view"]
    table = " ".join(cli("permissions").stdout.split())
    assert "Optional for `gcaudit nightly`: `audits:audit:view`" in table
    assert "who: unknown (needs audits:audit:view)" in table
    markdown = cli("permissions", "--format", "markdown").stdout
    assert "`audits:audit:view` lets a live nightly run say who changed" in markdown
    as_json = json.loads(cli("permissions", "--format", "json").stdout)
    assert "audits:audit:view" in as_json["optional_permissions"]
