"""The call plan over real HTTP (the fake Platform API): a targeted collection gives the same
results as a full one for the rules that ran, records what it selected in the manifest, and a
rule it does not cover reports ERROR, never PASS."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from auditor.engine import run_audit
from auditor.inputs.plan import Plan, load_plan
from auditor.results import Status
from auditor.rules import catalog
from auditor.snapshot import load_snapshot
from auditor.sources.collectors.plan import estimate, make_plan, render_estimate
from tests.sources.collectors.conftest import DEMO_ORG, FAST, FAST_CLI, collect_from

QUEUE_RULES = ("QUE-002", "QUE-003", "AUTHZ-002", "AUTHZ-003")


def _rules(ids: tuple[str, ...] | None = None) -> list[Any]:
    return [r for r in catalog() if ids is None or r.id in ids]


def _results(snapshot_path: Path, plan: Plan | None, rules: list[Any]) -> list[dict[str, Any]]:
    report = run_audit(load_snapshot(snapshot_path, lean=True), plan, rules)
    return [r.to_dict() for r in report.results]


@pytest.fixture(scope="module")
def demo_plan() -> Plan:
    return load_plan(DEMO_ORG / "plan.yaml")


@pytest.mark.parametrize("with_plan", [True, False], ids=["plan", "traffic-scope"])
def test_targeted_collection_gives_the_full_collections_results(fake_api, tmp_path, demo_plan, with_plan):
    plan = demo_plan if with_plan else None
    api = fake_api()
    full = collect_from(api, tmp_path / "full")
    targeted = collect_from(api, tmp_path / "targeted",
                            dataclasses.replace(FAST, call_plan=make_plan(_rules(QUEUE_RULES), plan)))
    assert _results(targeted.path, plan, _rules(QUEUE_RULES)) == _results(full.path, plan, _rules(QUEUE_RULES))
    # ...with fewer calls: members only for the scope's queues, codes only where wrap-up is mandatory.
    assert targeted.manifest.extra["calls"] < full.manifest.extra["calls"]
    members = targeted.manifest.datasets["queue_members"]
    full_members = load_snapshot(full.path).data["queue_members"]
    assert members.scope == "ids" and members.covers == ["scope"]
    assert 0 < len(members.ids or []) < len(full_members)
    codes = targeted.manifest.datasets["queue_wrapupcodes"]
    assert codes.scope == "ids" and codes.covers == ["referenced"]
    # Datasets no rule of the plan reads are not collected, and say so.
    clients = targeted.manifest.datasets["oauth_clients"]
    assert clients.not_collected and clients.not_collected_reason == "not requested by this call plan"


def test_every_rule_targeted_equals_full(fake_api, tmp_path, demo_plan):
    api = fake_api()
    full = collect_from(api, tmp_path / "full")
    targeted = collect_from(api, tmp_path / "targeted",
                            dataclasses.replace(FAST, call_plan=make_plan(catalog(), demo_plan)))
    assert _results(targeted.path, demo_plan, _rules()) == _results(full.path, demo_plan, _rules())


def test_a_rule_the_targeted_snapshot_does_not_cover_is_error_never_pass(fake_api, tmp_path, demo_plan):
    api = fake_api()
    targeted = collect_from(api, tmp_path / "targeted",
                            dataclasses.replace(FAST, call_plan=make_plan(_rules(("QUE-002", "WRP-002")), demo_plan)))
    # WRP-001 needs every queue's wrap-up codes; only those of mandatory-wrap-up queues were collected.
    results = _results(targeted.path, demo_plan, _rules(("WRP-001",)))
    full = {r["resource_id"]: r for r in _results(DEMO_ORG, demo_plan, _rules(("WRP-001",)))}
    collected = set(targeted.manifest.datasets["queue_wrapupcodes"].ids or ())
    errors = [r for r in results if r["status"] == Status.ERROR.value]
    assert len(errors) == 1 and "queue(s) not judged: their queue_wrapupcodes" in errors[0]["message"]
    judged = [r for r in results if r["status"] != Status.ERROR.value]
    # Verdicts stand only for the queues whose codes were collected, and they are the full audit's.
    assert judged and {r["resource_id"] for r in judged} <= collected
    assert all(r == full[r["resource_id"]] for r in judged)


def test_an_audit_with_another_scope_than_the_collection_is_error(fake_api, tmp_path, demo_plan):
    api = fake_api()
    one_queue = dataclasses.replace(demo_plan, queues=demo_plan.queues[:1])
    targeted = collect_from(api, tmp_path / "targeted",
                            dataclasses.replace(FAST, call_plan=make_plan(_rules(("QUE-003",)), one_queue)))
    assert _results(targeted.path, one_queue, _rules(("QUE-003",)))[0]["status"] != Status.ERROR.value
    # Audited without the plan, the scope is the traffic's queues, which were not all collected.
    results = _results(targeted.path, None, _rules(("QUE-003",)))
    errors = [r for r in results if r["status"] == Status.ERROR.value]
    assert len(errors) == 1 and "were not among the queues a call plan selected" in errors[0]["message"]
    collected = set(targeted.manifest.datasets["queue_members"].ids or ())
    assert {r["resource_id"] for r in results if r["status"] != Status.ERROR.value} <= collected


def test_estimate_from_an_earlier_snapshot_makes_no_call(demo_plan):
    snapshot = load_snapshot(DEMO_ORG)
    rows = {r.name: r for r in estimate(make_plan(_rules(("QUE-003",)), demo_plan), snapshot)}
    scope_queues = len(demo_plan.queues)
    assert rows["queue_members"].calls >= 1 and "queues (scope)" in rows["queue_members"].what
    assert rows["queue_members"].calls <= scope_queues
    assert "queue_wrapupcodes" not in rows and "oauth_clients" not in rows
    full = {r.name: r for r in estimate(make_plan(catalog()), snapshot)}
    assert full["queue_wrapupcodes"].calls >= len(snapshot.data["queues"])
    assert "total" in render_estimate(list(rows.values()), 300)


def test_plan_only_prints_the_plan_and_makes_no_call(fake_api, cli, tmp_path):
    api = fake_api()
    done = cli("collect", "--plan-only", "--rules", "QUE-003", "--plan", str(DEMO_ORG / "plan.yaml"),
               "--counts-from", str(DEMO_ORG), *FAST_CLI, env=api.env())
    assert done.returncode == 0, done.stderr
    assert "queue_members" in done.stdout and "queues (scope)" in done.stdout and "total" in done.stdout
    assert "oauth_clients" not in done.stdout
    assert api.calls() == 0


def test_a_live_collection_prints_calls_made_against_planned(fake_api, cli, tmp_path):
    api = fake_api()
    out = tmp_path / "snap"
    done = cli("collect", "--out-dir", str(out), "--rules", "QUE-003,AUTHZ-002", "--plan", str(DEMO_ORG / "plan.yaml"),
               *FAST_CLI, env=api.env())
    assert done.returncode == 0, done.stderr  # datasets left out by the plan are not failures
    line = next(x for x in done.stderr.splitlines() if "calls made" in x)
    made = int(line.split("gcaudit: ")[1].split(" calls made")[0])
    assert made == api.calls("/api/v2/")
    manifest = load_snapshot(out).manifest
    assert manifest.extra["planned_calls"] <= made
    assert manifest.datasets["queue_members"].scope == "ids"


def _on(results: list[dict[str, Any]], queue_id: str) -> list[dict[str, Any]]:
    return [r for r in results if r["resource_id"] == queue_id]


def _grants(snapshot_path: Path, users: set[str]) -> set[tuple[str, str, str]]:
    from auditor.analysis.frames import Frames

    grants = Frames(load_snapshot(snapshot_path)).user_role_grants
    return {(u, r, d) for u, r, d in zip(grants["user_id"], grants["role_id"], grants["division_id"], strict=True)
            if u in users}


def test_role_grants_read_per_user_equal_the_per_role_listing_for_those_users(fake_api, tmp_path):
    # A synthetic org: 17 roles grant a co-browse permission and a group holds the web-messaging
    # agents' role, so some grants reach a member only through the group.
    from auditor.testing.synthetic import synthetic_org

    source = synthetic_org(300).write(tmp_path / "org")
    org = load_snapshot(source)
    members = org.raw("queue_members")
    queue_id = min((q for q, m in members.items() if m), key=lambda q: len(members[q]))
    group_members = [u["id"] for people in org.raw("group_individuals").values() for u in people][:3]
    api = fake_api(source)
    full = collect_from(api, tmp_path / "full")
    api.reset_counters()
    call_plan = make_plan(_rules(("AUTHZ-002", "AUTHZ-003")), Plan(queues=(queue_id,)), only_named=True,
                          users=group_members)
    targeted = collect_from(api, tmp_path / "targeted", dataclasses.replace(FAST, call_plan=call_plan))
    status = targeted.manifest.datasets["role_subjectgrants"]
    # The queue's joined members (the ones AUTHZ-002/003 judge) and the named users, not its
    # members who are not joined.
    listed = org.raw("queue_members")[queue_id]
    users = {m["id"] for m in listed if m.get("joined")} | set(group_members)
    assert any(not m.get("joined") and m["id"] not in users for m in listed)
    assert status.scope == "subjects" and set(status.ids or ()) == users
    # One call per user, none per role.
    assert api.calls("/api/v2/authorization/subjects/") == len(users)
    assert api.calls("/api/v2/authorization/roles/") == 0
    grants = _grants(targeted.path, users)
    assert grants == _grants(full.path, users)
    assert any(r[0] in group_members for r in grants)  # the group's grants reached its members
    plan = Plan(queues=(queue_id,))
    rules = _rules(("AUTHZ-002", "AUTHZ-003"))
    verdicts = _on(_results(targeted.path, plan, rules), queue_id)
    assert verdicts and verdicts == _on(_results(full.path, plan, rules), queue_id)
    # An audit of another queue with it cannot judge that queue's members: ERROR, never PASS.
    other = next(q for q, m in members.items() if m and q != queue_id)
    results = _results(targeted.path, Plan(queues=(other,)), rules)
    assert not _on(results, other) and any(r["status"] == Status.ERROR.value for r in results)


def test_grants_per_user_refused_fall_back_to_the_holders_of_each_role(fake_api, tmp_path):
    from auditor.testing.fake_api import ForbiddenPath

    org = load_snapshot(DEMO_ORG)
    queue_id = next(q for q, m in org.raw("queue_members").items() if len(m) == 1)
    api = fake_api(DEMO_ORG, faults=[ForbiddenPath("/api/v2/authorization/subjects/", "authorization:grant:view")])
    call_plan = make_plan(_rules(("AUTHZ-002", "AUTHZ-003")), Plan(queues=(queue_id,)), only_named=True)
    targeted = collect_from(api, tmp_path / "targeted", dataclasses.replace(FAST, call_plan=call_plan))
    status = targeted.manifest.datasets["role_subjectgrants"]
    assert api.calls("/api/v2/authorization/subjects/", 403) >= 1
    assert status.ok and status.scope == "ids" and status.covers == ["referenced"]
    plan = Plan(queues=(queue_id,))
    rules = _rules(("AUTHZ-002", "AUTHZ-003"))
    verdicts = _on(_results(targeted.path, plan, rules), queue_id)
    assert verdicts and verdicts == _on(_results(DEMO_ORG, plan, rules), queue_id)
