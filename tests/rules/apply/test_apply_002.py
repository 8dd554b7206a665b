from __future__ import annotations

from auditor.results import Status
from tests.rules.apply.helpers import demo, failures, overlay, results

AISHA = "b3ed67ff-5de4-5ada-993a-606b717a9f45"


def _roles() -> dict[str, str]:
    return {r["name"]: r["id"] for r in demo().raw("roles")}


def _user_roles(*names: str, divisions: str = '["*"]') -> str:
    roles = _roles()
    blocks = "".join(f'  roles {{\n    role_id      = "{roles[n]}"\n    division_ids = {divisions}\n  }}\n'
                     for n in names)
    return f'resource "genesyscloud_user_roles" "aisha" {{\n  user_id = "{AISHA}"\n{blocks}}}\n'


def test_user_roles_listing_fewer_roles_than_held_fails_naming_them(tmp_path):
    found = failures(overlay(tmp_path, _user_roles("Co-browse Agent")), "APPLY-002")
    assert [r.resource_id for r in found] == [AISHA]
    message = found[0].message
    assert "'employee'" in message and "'Contact Center Agent'" in message
    assert "keeps only 'Co-browse Agent'" in message.replace("It keeps", "keeps")


def test_losing_the_cobrowse_role_says_so(tmp_path):
    found = failures(overlay(tmp_path, _user_roles("employee", "Contact Center Agent")), "APPLY-002")
    assert "'Co-browse Agent'" in found[0].message and "conversation:cobrowse:add" in found[0].message
    assert found[0].blocks_cobrowse  # a joined member of a plan queue


def test_fewer_divisions_than_held_fail(tmp_path):
    home = next(d["id"] for d in demo().raw("divisions") if d["homeDivision"])
    hcl = _user_roles("employee", "Contact Center Agent", "Co-browse Agent", divisions=f'["{home}"]')
    found = failures(overlay(tmp_path, hcl), "APPLY-002")
    assert found and "in 1 division(s)" in found[0].message


def test_every_held_role_listed_is_quiet(tmp_path):
    after = overlay(tmp_path, _user_roles("employee", "Contact Center Agent", "Co-browse Agent"))
    assert [r.status for r in results(after, "APPLY-002")] == [Status.PASS]
