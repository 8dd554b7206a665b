"""Division visibility, subject grants, flows and traffic, collected over real HTTP from the fake API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.snapshot import load_snapshot
from auditor.testing import factories as f
from auditor.testing.fake_api import Forbidden
from tests.conftest import SAMPLES
from tests.sources.collectors.conftest import DEMO_ORG, FAST_CLI, collect_from, normalised

HOME_ONLY = {f.HOME_DIVISION["id"]}
DIVISIONED = ("queues", "queue_wrapupcodes", "queue_members", "wrapupcodes", "flows", "conversation_aggregates")


def test_a_client_without_grants_in_stores_collects_a_partial_snapshot_and_exits_3(fake_api, cli,
                                                                                   tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, visible_divisions=HOME_ONLY)
    out = tmp_path / "snap"
    done = cli("collect", "--out-dir", str(out), *FAST_CLI, env=api.env())
    assert done.returncode == 3, done.stderr
    assert "gcaudit: dataset partial: queues:" in done.stderr and "Stores" in done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    stores = [{"id": d["id"], "name": "Stores"} for d in load_snapshot(DEMO_ORG).raw("divisions")
              if d["name"] == "Stores"]
    for name in DIVISIONED:
        assert manifest["datasets"][name]["status"] == "partial", name
        assert manifest["datasets"][name]["divisions_not_visible"] == stores, name
    for name in ("roles", "role_subjectgrants", "oauth_clients", "deployments", "divisions"):
        assert manifest["datasets"][name]["status"] == "ok", name
    collected = load_snapshot(out)
    assert collected.invisible_divisions("queues") == {stores[0]["id"]: "Stores"}
    # What it saw is exactly demo-org as the partial sample describes it.
    expected = load_snapshot(SAMPLES / "demo-org-partial")
    assert normalised(collected) == normalised(expected)
    assert api.calls(status=403) >= 1  # the Stores flow answered missing.division.permission


def test_a_client_with_every_division_collects_complete_with_grants_groups_flows_and_traffic(
        fake_api, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    before = datetime.now(UTC).replace(microsecond=0)
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    snap = load_snapshot(result.path)
    demo = load_snapshot(DEMO_ORG)
    assert snap.raw("role_subjectgrants") == demo.raw("role_subjectgrants")
    assert snap.raw("group_individuals") == demo.raw("group_individuals") and snap.raw("group_individuals")
    # Only referenced flows, in one lookup; only the id it did not return (a deleted flow) is
    # fetched alone, answers 404 and is left out with a note.
    assert [fl["name"] for fl in snap.raw("flows")] == ["Support Inbound Messaging", "Checkout Inbound Messaging",
                                                         "Partner Inbound Messaging"]
    assert any("answered 404 (it does not exist)" in n for n in result.manifest.extra["notes"]["flows"])
    assert api.calls("/api/v2/flows/lookup") == 1
    assert api.calls("/api/v2/flows/") - api.calls("/api/v2/flows/lookup") == api.calls("/api/v2/flows/", 404) == 1
    assert all("userCount" not in r for r in snap.raw("roles"))
    # One aggregates query over the default 7 days, grouped by queue, media and message type.
    [query] = api.queries
    assert query["groupBy"] == ["queueId", "mediaType", "messageType"]
    assert "nCobrowseSessions" in query["metrics"]
    start, end = (datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=UTC)
                  for t in query["interval"].split("/"))
    assert end - start == timedelta(days=7) and before <= end
    status = result.manifest.datasets["conversation_aggregates"]
    assert (status.interval, status.days) == (query["interval"], 7)
    assert snap.raw("conversation_aggregates") == demo.raw("conversation_aggregates")
    permitted = snap.raw("divisions_permitted")
    assert all(len(divs) == 2 for divs in permitted.values())  # allDivsPermitted: every division stored


def test_traffic_days_reaches_the_query(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(SAMPLES / "ready-org")
    done = cli("collect", "--out-dir", str(tmp_path / "snap"), "--traffic-days", "30", *FAST_CLI, env=api.env())
    assert done.returncode == 0, done.stderr
    start, end = (datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.000Z") for t in api.queries[0]["interval"].split("/"))
    assert end - start == timedelta(days=30)
    assert json.loads((tmp_path / "snap" / "manifest.json").read_text())["datasets"]["conversation_aggregates"][
        "days"] == 30


def test_forbidden_traffic_is_an_error_and_the_rest_is_collected(fake_api, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, faults=[Forbidden("conversation_aggregates")])
    result = collect_from(api, tmp_path / "snap")
    failed = result.manifest.failed()
    assert set(failed) == {"conversation_aggregates"}
    status = failed["conversation_aggregates"]
    assert (status.status, status.http_status, status.error_code) == ("error", 403, "missing.permissions")
    # The ErrorBody's messageWithParams survives into the manifest.
    assert status.message_with_params and "{permission}" in status.message_with_params
    assert "analytics:conversationAggregate:view" in status.message
    assert load_snapshot(result.path).available("queues")


def test_a_failed_subject_grant_listing_leaves_groups_uncollected_not_empty(fake_api, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, faults=[Forbidden("role_subjectgrants")])
    result = collect_from(api, tmp_path / "snap")
    statuses = result.manifest.datasets
    assert statuses["role_subjectgrants"].status == "error"
    assert statuses["group_individuals"].status == "error"
    assert "role_subjectgrants failed" in statuses["group_individuals"].message
    assert not load_snapshot(result.path).available("group_individuals")


def test_failed_visibility_lookup_makes_divisioned_datasets_partial_not_ok(fake_api, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG, faults=[Forbidden("divisions_permitted")])
    result = collect_from(api, tmp_path / "snap")
    statuses = result.manifest.datasets
    for name in DIVISIONED:
        assert statuses[name].status == "partial", name
        assert "could not be checked" in statuses[name].message, name
    assert statuses["roles"].ok and statuses["deployments"].ok


def test_the_flow_lookup_is_paged_with_every_id_on_every_page(fake_api, tmp_path: Path) -> None:
    # One flow per page: the next pages must still ask for every id (a multi parameter).
    api = fake_api(DEMO_ORG, page_caps={"flows": 1})
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    assert load_snapshot(result.path).raw("flows") == load_snapshot(DEMO_ORG).raw("flows")
    assert api.calls("/api/v2/flows/lookup") == 3  # three flows found, one per page
