"""`export-terraform` writes configuration that is safe to apply: provider-accepted enums only,
`genesyscloud_user_roles` only from a complete org-wide listing of direct grants, nothing invented;
and its overlay back on its own org changes no result."""

from __future__ import annotations

import copy
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import cli
from auditor.engine import run_audit
from auditor.results import Status
from auditor.snapshot import load_snapshot
from auditor.snapshot.store import Snapshot
from auditor.sources.terraform import load_terraform
from auditor.sources.terraform.config import read_configuration
from auditor.sources.terraform.export import export_terraform
from auditor.sources.terraform.mappers import WANTED
from auditor.sources.terraform.provider_enums import ENUMS

DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"


def _values(values: dict, path: list[str]):
    head, rest = path[0], path[1:]
    value = values.get(head)
    items = value if isinstance(value, list) else [value]
    for item in items:
        if rest and isinstance(item, dict):
            yield from _values(item, rest)
        elif not rest and item is not None:
            yield item


def test_every_exported_enum_is_one_the_provider_accepts(tmp_path):
    export_terraform(load_snapshot(DEMO), tmp_path / "out")
    config = read_configuration(tmp_path / "out", None, wanted=WANTED, base=tmp_path)
    checked = 0
    for instance in config.instances:
        for (rtype, attribute), accepted in ENUMS.items():
            if instance.type != rtype:
                continue
            for value in _values(instance.values, attribute.split(".")):
                assert accepted.accepts(value), (instance.address, attribute, value, accepted.source)
                checked += 1
    assert checked > 60
    readme = (tmp_path / "out" / "README.txt").read_text()
    # The demo org's PKCE client and disabled client: no accepted value says the same, so left out.
    assert "'Store Associate Mobile App': left out, authorized_grant_type 'PKCE'" in readme
    assert "'Old IVR Connector': left out, state 'disabled'" in readme


def _with(snapshot: Snapshot, **changes) -> Snapshot:
    manifest = copy.deepcopy(snapshot.manifest)
    for name, fields in changes.items():
        for key, value in fields.items():
            setattr(manifest.datasets[name], key, value)
    return Snapshot(path=None, manifest=manifest, data=copy.deepcopy(snapshot.data), lean=snapshot.lean)


def test_a_call_plan_snapshot_exports_no_user_roles(tmp_path):
    targeted = _with(load_snapshot(DEMO), role_subjectgrants={"scope": "ids", "ids": ["x"]})
    export_terraform(targeted, tmp_path / "out")
    assert "genesyscloud_user_roles" not in (tmp_path / "out" / "genesyscloud.tf").read_text()
    readme = (tmp_path / "out" / "README.txt").read_text()
    assert "genesyscloud_user_roles: left out, role_subjectgrants was collected for a call plan" in readme


def test_user_roles_list_every_direct_grant_and_no_group_held_grant(tmp_path):
    demo = load_snapshot(DEMO)
    grants = copy.deepcopy(demo.raw("role_subjectgrants"))
    subjects = next(iter(grants.values()))
    # A grant the per-user path read through a group: the group's (subjectId), not the user's.
    subjects.append({"id": "held-through-group", "name": "Via Group", "type": "PC_USER",
                     "divisions": [{"id": "*"}], "subjectId": "some-group"})
    demo.data["role_subjectgrants"] = grants
    export_terraform(demo, tmp_path / "out")
    text = (tmp_path / "out" / "genesyscloud.tf").read_text()
    assert "held-through-group" not in text
    again = load_terraform(tmp_path / "out")
    held, exported = {}, {}
    for source, into in ((load_snapshot(DEMO).raw("role_subjectgrants"), held),
                         (again.raw("role_subjectgrants"), exported)):
        for role, rows in source.items():
            for row in rows:
                if row.get("type") == "PC_USER":
                    into.setdefault(row["id"], set()).add(role)
    for user, roles in held.items():
        # Role ids of exported roles are Terraform addresses: compare counts per user.
        assert len(exported.get(user, ())) == len(roles), user


def test_configuration_without_languages_is_left_out_not_invented(tmp_path):
    demo = load_snapshot(DEMO)
    configs = copy.deepcopy(demo.raw("configurations"))
    configs[0].pop("languages")
    demo.data["configurations"] = configs
    export_terraform(demo, tmp_path / "out")
    text = (tmp_path / "out" / "genesyscloud.tf").read_text()
    assert '"en-us"' in text  # the other configurations' own languages
    assert f'name             = "{configs[0]["name"]}"' not in text
    assert f"configuration {configs[0]['name']!r}: left out" in (tmp_path / "out" / "README.txt").read_text()


def _key(result):
    return result.rule_id, result.resource_id


def test_the_export_overlaid_on_its_own_org_changes_no_result(tmp_path):
    out = tmp_path / "exported"
    assert CliRunner().invoke(cli, ["export-terraform", str(DEMO), str(out)]).exit_code == 0
    before = {_key(r): (r.status, r.message) for r in run_audit(load_snapshot(DEMO)).results}
    after_snapshot = load_terraform(out, base=load_snapshot(DEMO))
    after = {_key(r): (r.status, r.message) for r in run_audit(after_snapshot).results}
    # The APPLY rules judge the apply itself: not applicable to the snapshot alone, PASS here.
    applied = {k: v for k, v in after.items() if k[0].startswith("APPLY-")}
    assert len(applied) == 4 and {status for status, _ in applied.values()} == {Status.PASS}
    assert {k: v for k, v in before.items() if not k[0].startswith("APPLY-")} == \
        {k: v for k, v in after.items() if not k[0].startswith("APPLY-")}
    assert after_snapshot.manifest.extra["terraform"]["apply"] == []


def test_preflight_of_the_export_on_its_own_org_says_no_change_and_exits_0(tmp_path):
    out = tmp_path / "exported"
    CliRunner().invoke(cli, ["export-terraform", str(DEMO), str(out)])
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["preflight", str(DEMO), "--terraform", str(out)])
    assert result.exit_code == 0, result.output
    assert "fixed by the apply" not in result.output.lower()
    assert max(len(line) for line in result.output.splitlines()) <= 80
