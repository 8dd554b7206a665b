"""Each envelope paged as the real API pages it: page caps, cursors, nextUri-only, drift."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.snapshot import load_snapshot
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_api import FakePlatformApi, FakeRequest, Fault, Reply
from tests.sources.collectors.conftest import collect_from


def _big_org() -> OrgBuilder:
    org = OrgBuilder()
    members = [f.queue_member(f.new_id(f"user:{i}"), f"Agent {i}") for i in range(250)]
    org.add_queue(f.queue("Big"), [f.wrapup_code(f"Code {i}") for i in range(130)], members)
    for i in range(11):
        org.add_queue(f.queue(f"Queue {i:02d}"), [f.wrapup_code("Resolved")])
    org.wrapupcodes = [f.wrapup_code(f"Code {i}") for i in range(130)]
    org.add_role(f.role("Agent", ["conversation:cobrowse:add"]), [f.new_id(f"user:{i}") for i in range(7)])
    org.oauth_clients = [f.oauth_client(f"Client {i}") for i in range(3)]
    config = f.configuration("Web", cobrowse_settings=f.cobrowse())
    org.configurations = [f.configuration(f"Draft {i}") for i in range(5)]
    org.deployments = [f.deployment(f"Site {i}", config) for i in range(5)]
    return org


def test_every_envelope_is_paged_to_the_end(fake_api, tmp_path: Path) -> None:
    org = _big_org()
    caps = {"queues": 5, "queue_members": 100, "queue_wrapupcodes": 100, "wrapupcodes": 50,
            "roles": 100, "role_subjectgrants": 3, "deployments": 2, "configurations": 2}
    api = fake_api(org, page_caps=caps)
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    snapshot = load_snapshot(result.path)
    for name in ("queues", "wrapupcodes", "roles", "oauth_clients", "deployments", "configurations"):
        assert snapshot.data[name] == getattr(org, name), name
    big = org.queues[0]["id"]
    assert snapshot.data["queue_members"][big] == org.queue_members[big]
    assert snapshot.data["queue_wrapupcodes"][big] == org.queue_wrapupcodes[big]
    assert snapshot.data["role_subjectgrants"] == org.role_subjectgrants
    status = result.manifest.datasets
    assert status["queues"].calls == 3  # 12 queues, 5 per page
    assert status["wrapupcodes"].calls == 3  # 130 codes, capped at 50 per page
    assert status["deployments"].calls == 3  # cursor, 2 per page
    # Members: the API caps pageSize at 100 silently; 250 members take 3 pages, the others 1 each.
    assert status["queue_members"].calls == 3 + 11
    assert status["role_subjectgrants"].calls == 3  # 7 subjects, 3 per page, paged by pageCount
    assert api.calls("/api/v2/oauth/clients") == 1
    assert not result.manifest.extra["notes"]


def test_expand_configuration_survives_every_cursor_page(fake_api, tmp_path: Path) -> None:
    api = fake_api(_big_org(), page_caps={"deployments": 1})
    snapshot = load_snapshot(collect_from(api, tmp_path / "snap").path)
    assert len(snapshot.data["deployments"]) == 5
    assert all(d["configuration"]["cobrowse"]["enabled"] for d in snapshot.data["deployments"])


@dataclass
class PageDrift(Fault):
    """A queue created while paging pushes the last queue of page 1 onto page 2 as well."""

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if request.path == "/api/v2/routing/queues" and request.param("pageNumber") == "2":
            previous = api.data["queues"][reply.body["pageSize"] - 1]
            reply.body["entities"] = [previous, *reply.body["entities"]]
        return reply


@dataclass
class WrongTotal(Fault):
    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if request.path == "/api/v2/routing/wrapupcodes" and isinstance(reply.body, dict):
            reply.body["total"] = reply.body["total"] + 2
        return reply


def test_duplicates_from_page_drift_are_dropped_and_noted(fake_api, tmp_path: Path) -> None:
    org = _big_org()
    api = fake_api(org, page_caps={"queues": 5}, faults=[PageDrift()])
    result = collect_from(api, tmp_path / "snap")
    assert result.complete
    snapshot = load_snapshot(result.path)
    assert snapshot.data["queues"] == org.queues  # no duplicate, order kept
    notes: dict[str, Any] = result.manifest.extra["notes"]
    # Paged again (duplicates hint at drift), then the persistent duplicates were dropped and noted.
    assert any("paged again" in n for n in notes["queues"])
    assert any("duplicate" in n for n in notes["queues"])


def test_a_total_that_never_matches_fails_the_dataset_instead_of_leaving_a_gap(fake_api, tmp_path: Path) -> None:
    api = fake_api(_big_org(), faults=[WrongTotal()])
    result = collect_from(api, tmp_path / "snap")
    status = result.manifest.datasets["wrapupcodes"]
    assert status.status == "error"
    assert status.error_code == "inconsistent.paging"
    assert "total says 132 but 130 were served" in (status.message or "")
    assert result.manifest.datasets["queues"].ok
