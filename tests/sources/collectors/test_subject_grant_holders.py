"""The per-user grant path (GET /api/v2/authorization/subjects/{id}) keeps who each grant was made to
(AuthzGrant.subjectId): a grant held through a group stays the group's, so an export never writes it
as the user's own role (genesyscloud_user_roles replaces the user's direct grants)."""

from __future__ import annotations

import dataclasses

from auditor.inputs.plan import Plan
from auditor.rules import catalog
from auditor.snapshot import load_snapshot
from auditor.sources.collectors.plan import make_plan
from auditor.sources.terraform.export import direct_grants
from tests.sources.collectors.conftest import FAST, collect_from


def test_group_held_grants_keep_their_subject_id(fake_api, tmp_path):
    from auditor.testing.synthetic import synthetic_org

    # Large enough that reading grants per user is cheaper than listing each role's holders.
    source = synthetic_org(300).write(tmp_path / "org")
    org = load_snapshot(source)
    group_id, people = next(iter(org.raw("group_individuals").items()))
    users = [p["id"] for p in people][:3]
    members = org.raw("queue_members")
    queue_id = min((q for q, m in members.items() if m), key=lambda q: len(members[q]))
    rules = [r for r in catalog() if r.id in ("AUTHZ-002", "AUTHZ-003")]
    call_plan = make_plan(rules, Plan(queues=(queue_id,)), only_named=True, users=users)
    targeted = load_snapshot(collect_from(fake_api(source), tmp_path / "t",
                                          dataclasses.replace(FAST, call_plan=call_plan)).path)
    assert targeted.manifest.datasets["role_subjectgrants"].scope == "subjects"
    rows = [(role, row) for role, subjects in targeted.raw("role_subjectgrants").items() for row in subjects
            if row["id"] in users]
    via_group = [row for _, row in rows if row.get("subjectId") == group_id]
    assert via_group, "the group's grant reached its members, marked with the group's id"
    # The user's own grants carry no other subject id; the group-held ones are not direct grants.
    direct = direct_grants(targeted)
    for user in users:
        own = {role for role, row in rows if row["id"] == user and "subjectId" not in row}
        assert {role for role, _ in direct.get(user, [])} == own
