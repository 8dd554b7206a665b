"""CX as Code: configurations and plans audited with the same rules, findings on file and line."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import cli
from auditor.engine import run_audit
from auditor.results import Status
from auditor.sources.terraform import load_terraform

FIXTURES = Path(__file__).parent / "fixtures"
CX = FIXTURES / "cx"
PLAN = FIXTURES / "plans" / "plan-breaks.json"
DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"
#: Values only the prod tfvars hold: secrets, and ordinary values (a domain, a queue map key).
SECRETS = ("s3cr3t-PROD-value-never-echo", "0f6a2d5e-prod-client-id", "help.example.com", "Web Support")


def _audit_cx():
    snapshot = load_terraform(CX, var_files=[CX / "envs" / "prod" / "prod.tfvars"])
    return snapshot, run_audit(snapshot)


def test_configuration_results_carry_file_and_line():
    _, report = _audit_cx()
    located = [r for r in report.results if r.location]
    assert located
    grant = next(r for r in report.results if r.rule_id == "OAUTH-007" and r.status is Status.ERROR
                 and "reporting" in r.resource_id)
    # The client's admin role comes from a data source: never PASS, never a guessed FAIL.
    assert "data.genesyscloud_auth_role.admin.id" in grant.message
    # The role behind the data source may be an admin role the files do not declare.
    admin = next(r for r in report.results if r.rule_id == "OAUTH-006" and "reporting" in r.resource_id)
    assert admin.status is Status.ERROR
    masks = next(r for r in report.results if r.rule_id == "COB-007" and "support" in r.resource_id)
    assert masks.status is Status.PASS
    assert masks.location["file"].endswith("modules/messenger/main.tf")
    text = (CX / "modules" / "messenger" / "main.tf").read_text().splitlines()
    assert "allow_agent_control" in text[masks.location["line"] - 1]


def test_unknown_values_never_pass():
    snapshot, report = _audit_cx()
    marked = {eid for status in snapshot.manifest.datasets.values() for eid in (status.unknown or {})}
    marketing = "module.messenger.genesyscloud_webdeployments_deployment.marketing"
    assert marketing in marked  # status unset (server-computed) and a literal pinned version
    for result in report.results:
        if result.resource_id == marketing and result.rule_id in ("COB-003", "COB-004"):
            assert result.status is Status.ERROR
            assert "version = \"3\"" in result.message or ".status" in result.message


def test_not_in_configuration_and_ignored_resources():
    snapshot, report = _audit_cx()
    # Snapshot v2: the subject grants need every queue member's roles managed here; group members,
    # traffic and the auditing client's division visibility are never in Terraform.
    for name in ("role_subjectgrants", "group_individuals", "conversation_aggregates", "divisions_permitted"):
        assert snapshot.manifest.datasets[name].status == "not_collected", name
        assert snapshot.manifest.datasets[name].not_collected_reason == "not in the Terraform configuration", name
    # Without traffic the co-browse queue scope falls back, and the report says why.
    assert report.scope["queues_from"] == "message_settings"
    assert "conversation_aggregates not collected: not in the Terraform configuration" in \
        report.scope["fallback_reason"]
    ignored = snapshot.manifest.extra["terraform"]["ignored"]
    assert ignored == {"aws_s3_bucket": 1, "genesyscloud_widget_deployment": 1, "null_resource": 1}
    authz = [r for r in report.results if r.rule_id == "AUTHZ-002"]
    assert authz and all(r.status is Status.ERROR for r in authz)


def test_secrets_from_tfvars_never_reach_any_output(tmp_path):
    runner = CliRunner()
    for fmt in ("table", "json", "sarif", "markdown", "junit"):
        result = runner.invoke(cli, ["audit", "--terraform", str(CX), "--var-file",
                                     str(CX / "envs" / "prod" / "prod.tfvars"), "--format", fmt])
        assert result.exit_code in (0, 1, 3), result.output
        for secret in SECRETS:
            assert secret not in result.output  # stdout and stderr (notes) together


def test_sarif_physical_location_relative_to_root():
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", "--terraform", str(CX), "--var-file", str(CX / "envs" / "dev" / "dev.tfvars"),
                                 "--format", "sarif", "--fail-on", "critical"])
    sarif = json.loads(result.stdout)
    physical = [loc["physicalLocation"] for r in sarif["runs"][0]["results"] for loc in r["locations"]
                if "physicalLocation" in loc]
    assert physical
    assert all(not p["artifactLocation"]["uri"].startswith("/") for p in physical)
    assert all(p["region"]["startLine"] >= 1 for p in physical)


def _live_base(tmp_path: Path) -> Path:
    """The demo org with co-browse live on its Active Support Site (pinned version 8)."""
    base = tmp_path / "org"
    shutil.copytree(DEMO, base)
    deployments = json.loads((base / "deployments.json").read_text())
    configs = {c["id"]: c for c in json.loads((base / "configurations.json").read_text())}
    for deployment in deployments:
        if deployment["id"] == "6174f694-48ba-5c9b-a531-0af2cc6c30ce":
            deployment["configuration"]["version"] = "8"
            served = configs[deployment["configuration"]["id"]]["cobrowse"]
            deployment["configuration"]["cobrowse"] = copy.deepcopy(served)
    (base / "deployments.json").write_text(json.dumps(deployments))
    return base


def _plan(tmp_path: Path, keep: list[str], edit=None) -> Path:
    plan = json.loads(PLAN.read_text())
    plan["resource_changes"] = [c for c in plan["resource_changes"] if c["address"] in keep]
    if edit:
        edit(plan)
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan))
    return path


def _preflight(tmp_path: Path, plan: Path):
    return CliRunner().invoke(cli, ["preflight", "--terraform", str(plan), "--snapshot", str(_live_base(tmp_path)),
                                    "--source-dir", str(CX)])


CONFIG = "module.messenger.genesyscloud_webdeployments_configuration.support"
DEPLOYMENT = "module.messenger.genesyscloud_webdeployments_deployment.support"
CLIENT = "genesyscloud_oauth_client.cobrowse_launcher"


def _active(plan):
    for change in plan["resource_changes"]:
        if change["address"] == DEPLOYMENT:
            change["change"]["after"]["status"] = "Active"


def test_plan_disabling_cobrowse_is_no_go_with_file_and_line(tmp_path):
    result = _preflight(tmp_path, _plan(tmp_path, [CONFIG, DEPLOYMENT], _active))
    assert result.exit_code == 1, result.output
    assert "NO-GO" in result.output
    assert "COB-001" in result.output
    assert "modules/messenger/main.tf:" in result.output


def _line(relative: str, needle: str) -> int:
    """The first line of CX/`relative` holding `needle` (1-based), where a finding must point."""
    return next(i for i, text in enumerate((CX / relative).read_text().splitlines(), 1) if needle in text)


def test_plan_deactivating_a_deployment_is_no_go_at_the_status_line(tmp_path):
    def keep_version(plan):
        for change in plan["resource_changes"]:
            if change["address"] == DEPLOYMENT:
                pinned = {"id": "98b68e82-9b1a-55bd-ba74-88b12cadd2d9", "version": "8"}
                change["change"]["after"]["configuration"] = [pinned]
                change["change"]["after_unknown"] = {}
    result = _preflight(tmp_path, _plan(tmp_path, [DEPLOYMENT], keep_version))
    assert result.exit_code == 1, result.output
    assert "COB-003" in result.output
    line = _line("modules/messenger/main.tf", 'status          = "Active"')
    assert f"modules/messenger/main.tf:{line}" in result.output


def test_plan_turning_a_client_into_password_is_no_go(tmp_path):
    result = _preflight(tmp_path, _plan(tmp_path, [CLIENT]))
    assert result.exit_code == 1, result.output
    assert "OAUTH-003" in result.output
    assert f"main.tf:{_line('main.tf', 'authorized_grant_type')}" in result.output


def test_harmless_plan_is_go(tmp_path):
    def harmless(plan):
        for change in plan["resource_changes"]:
            change["change"]["after"]["authorized_grant_type"] = "CODE"
    result = _preflight(tmp_path, _plan(tmp_path, [CLIENT], harmless))
    assert result.exit_code == 0, result.output
    assert "GO" in result.output


def test_bad_input_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "main.tf"
    bad.write_text('resource "genesyscloud_routing_queue" "q" {\n  name = \n')
    result = CliRunner().invoke(cli, ["audit", "--terraform", str(tmp_path)])
    assert result.exit_code == 2
    assert "main.tf" in result.output and "Traceback" not in result.output


def test_every_result_from_a_terraform_source_is_located():
    snapshot, report = _audit_cx()
    from auditor.rules import get

    def nothing_to_point_at(rule_id: str) -> bool:
        # A rule reading only data no Terraform resource holds (the org's auth setup, issue 21) has
        # no line of the configuration to point at: its ERROR stays unlocated.
        return all(snapshot.status(d).not_collected for d in get(rule_id).datasets)

    unlocated = [r for r in report.results if not r.location and not nothing_to_point_at(r.rule_id)]
    assert not unlocated, [(r.rule_id, r.resource_id) for r in unlocated]
    for result in (r for r in report.results if r.location):
        path = Path(__file__).parents[3] / result.location["file"]
        assert path.is_file(), result.location
        assert 1 <= result.location["line"] <= len(path.read_text().splitlines())


def test_csv_and_html_carry_the_location():
    from auditor.reporters import render

    _, report = _audit_cx()
    located = next(r for r in report.results if r.status.value == "FAIL")
    assert json.dumps(located.location, ensure_ascii=False, sort_keys=True).replace('"', '""') in render(report, "csv")
    assert located.where in render(report, "html")


def test_apply_preflight_refuses_what_it_would_ignore(tmp_path):
    plan, base = _plan(tmp_path, [CLIENT]), _live_base(tmp_path)
    for extra in (["--html", str(tmp_path / "p.html")], ["--curl", "curl https://api.mypurecloud.com/x"],
                  ["--waivers", str(tmp_path / "w.yaml")]):
        result = CliRunner().invoke(cli, ["preflight", "--terraform", str(plan), str(base),
                                          "--source-dir", str(CX), *extra])
        assert result.exit_code == 2, result.output
        assert f"{extra[0]}" in result.output and "cannot go with it" in result.output
    assert not (tmp_path / "p.html").exists()


def test_apply_preflight_is_judged_against_a_rollout_plan(tmp_path):
    # The apply disables the Cobrowse Launcher client (and leaves its grant type harmless): every
    # client's state is a medium finding (OAUTH-008, below the default threshold), but a client the
    # rollout plan relies on is a high one (OAUTH-011): GO without the plan, NO-GO with it.
    def disable(plan):
        for change in plan["resource_changes"]:
            change["change"]["after"]["authorized_grant_type"] = "CODE"
            change["change"]["after"]["state"] = "disabled"
    tf_plan, base = _plan(tmp_path, [CLIENT], disable), _live_base(tmp_path)
    rollout = tmp_path / "rollout.yaml"
    rollout.write_text((DEMO / "plan.yaml").read_text())
    args = ["preflight", "--terraform", str(tf_plan), str(base), "--source-dir", str(CX)]
    without = CliRunner().invoke(cli, args)
    assert without.exit_code == 0, without.output
    assert "OAUTH-011" not in without.output
    with_plan = CliRunner().invoke(cli, [*args, "--plan", str(rollout)])
    assert with_plan.exit_code == 1, with_plan.output
    assert "NO-GO" in with_plan.output and "OAUTH-011" in with_plan.output
    rollout.write_text("cobrowse: [")
    broken = CliRunner().invoke(cli, [*args, "--plan", str(rollout)])
    assert broken.exit_code == 2, broken.output
