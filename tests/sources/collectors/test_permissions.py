"""`gcaudit permissions` lists every permission, including analytics and flows, and says each is
needed in every division and how to grant it."""

from __future__ import annotations

import json

from auditor.sources.collectors.permissions import requirements


def test_every_permission_with_analytics_and_flows_in_every_division(cli) -> None:
    req = requirements()
    assert req["permissions"] == [
        "analytics:conversationAggregate:view", "architect:flow:view", "authorization:role:view",
        "oauth:client:view", "routing:queue:view", "routing:wrapupCode:view",
        "webDeployments:configuration:view", "webDeployments:deployment:view",
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
