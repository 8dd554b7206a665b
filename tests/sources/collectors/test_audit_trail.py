"""The audit-trail queries: one per service and window whatever the number of objects, pages
followed, entries matched to the objects by id, and the call plan's count kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auditor.cli.live_options import LiveSettings
from auditor.sources.collectors.audit_trail import interval, query_trail
from auditor.testing.fake_api import FakePlatformApi
from auditor.testing.fake_audit import Actor
from tests.history.orgs import nightly_org


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch):
    org = nightly_org(extra_queue=True)
    with FakePlatformApi(org) as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server


def _client(api: FakePlatformApi):
    return LiveSettings(region=api.url, workers=1, rate=6000, retries=0, retry_budget=30, backoff_base=0).api_client()


def test_one_query_per_service_for_many_objects_and_pages_followed(api: FakePlatformApi) -> None:
    queues = api.data["queues"]
    deployment = api.data["deployments"][0]
    actor = Actor(user_name="Ana")
    for i in range(30):  # more than one page (the fake's realtime page is 25 entries)
        api.plant_change("queues", queues[i % len(queues)]["id"], {"description": f"v{i}"}, actor)
    api.plant_change("deployments", deployment["id"], {"status": "Inactive"}, actor)
    unrelated = api.plant_change("roles", api.data["roles"][0]["id"], {"description": "x"}, actor)
    start, end = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(seconds=5)
    wanted = {"Queue": {q["id"] for q in queues}, "Deployment": {deployment["id"]}, "Configuration": {"nope"}}
    with _client(api) as client:
        trail = query_trail(client, wanted, start, end)
    posts = [(q[2]["serviceName"], q[2].get("pageNumber")) for q in api.audit.queries if q[0] == "POST"]
    assert posts == [("Routing", 1), ("Routing", 2), ("WebDeployments", 1)]
    assert trail.services == ["Routing", "WebDeployments"] and trail.method == "realtime"
    assert sum(len(v) for k, v in trail.entries.items() if k != deployment["id"]) == 30
    assert [e.changes for e in trail.entries[deployment["id"]]] == [(("status", "Active", "Inactive"),)]
    assert unrelated["entity"]["id"] not in trail.entries  # a role nobody asked about
    # WebDeployments records two of the wanted types: no EntityType filter; Routing one: filtered.
    bodies = {q[2]["serviceName"]: q[2] for q in api.audit.queries if q[0] == "POST"}
    assert bodies["Routing"]["filters"] == [{"property": "EntityType", "value": "Queue"}]
    assert "filters" not in bodies["WebDeployments"]
    assert trail.calls == 4 and trail.planned_calls == 3  # planned: at least 1 + 2 (a second page is extra)


def test_entity_types_no_service_records_are_reported(api: FakePlatformApi) -> None:
    with _client(api) as client:
        trail = query_trail(client, {"Flow": {"x"}}, datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC))
    assert trail.unmapped == ["Flow"] and trail.services == [] and trail.calls == 1


def test_interval_keeps_the_window_edges() -> None:
    start = datetime(2026, 12, 5, 14, 2, 7, 900000, tzinfo=UTC)
    end = datetime(2026, 12, 6, 2, 15, 0, 1, tzinfo=UTC)
    assert interval(start, end) == "2026-12-05T14:02:07Z/2026-12-06T02:15:01Z"
