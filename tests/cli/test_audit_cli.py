"""`gcaudit audit` and `gcaudit rules` through the CLI, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.conftest import run_cli

JSON_RESULT_KEYS = {
    "rule_id",
    "title",
    "severity",
    "status",
    "resource_type",
    "resource_id",
    "resource_name",
    "message",
    "remediation",
    "fingerprint",
}


def _snapshot(tmp_path, mandatory=True):
    org = OrgBuilder()
    config = f.configuration("Support", cobrowse_settings=f.cobrowse())
    org.deployments.append(f.deployment("Support Site", config))
    agent = f.new_id("user:agent")
    org.add_role(f.role("Co-browse Agent", ["conversation:cobrowse:add"]), user_ids=[agent])
    org.add_queue(
        f.queue("Web <b>Support</b>\x1b[2J", wrapup_prompt="MANDATORY" if mandatory else "OPTIONAL"),
        members=[f.queue_member(agent, "Dana Agent")],
    )
    return org.write(tmp_path / "snap")


def test_json_output_written_atomically_with_documented_fields(tmp_path):
    out = tmp_path / "findings.json"
    proc = run_cli("audit", str(_snapshot(tmp_path)), "--format", "json", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    data = json.loads(out.read_text())
    assert {"schema_version", "tool", "org", "snapshot", "summary", "results"} <= set(data)
    assert all(set(r) >= JSON_RESULT_KEYS for r in data["results"])
    assert any(r["rule_id"] == "QUE-002" and r["status"] == "FAIL" for r in data["results"])
    assert proc.stdout == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".findings")] == []


def test_table_output_has_no_ansi_when_not_a_terminal_and_strips_hostile_control_chars(tmp_path):
    proc = run_cli("audit", str(_snapshot(tmp_path)))
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout
    assert "QUE-002 [high]" in proc.stdout
    assert "Web <b>Support</b>" in proc.stdout


def test_fail_on_threshold_drives_exit_status(tmp_path):
    snap = str(_snapshot(tmp_path))
    assert run_cli("audit", snap, "--fail-on", "critical", "--format", "json").returncode == 0
    assert run_cli("audit", snap, "--fail-on", "high", "--format", "json").returncode == 1


def test_incomplete_snapshot_exits_3_when_nothing_fails(tmp_path):
    org = OrgBuilder().fail("oauth_clients", 403, "missing.permissions")
    proc = run_cli("audit", str(org.write(tmp_path / "snap")), "--fail-on", "critical", "--format", "json")
    data = json.loads(proc.stdout)
    assert "oauth_clients" in data["summary"]["failed_datasets"]
    if not any(r["status"] == "FAIL" and r["severity"] == "critical" for r in data["results"]):
        assert proc.returncode == 3


def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path):
    snap = _snapshot(tmp_path)
    (snap / "queues.json").write_text('[{"id": 5, "name": "x"}]')
    proc = run_cli("audit", str(snap))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "queues.json: [0].id: expected string" in proc.stderr
    assert "Traceback" not in proc.stderr

    plan = tmp_path / "plan.yaml"
    plan.write_text("cobrowse:\n  channels: [Chat]\n")
    proc = run_cli("audit", str(_snapshot(tmp_path / "other")), "--plan", str(plan))
    assert proc.returncode == 2
    assert "plan.yaml: cobrowse.channels[0]" in proc.stderr

    assert run_cli("audit", str(tmp_path / "missing")).returncode == 2
    assert run_cli("audit", str(snap), "--format", "yaml").returncode == 2


def test_rules_catalog_table_and_json():
    table = run_cli("rules")
    assert table.returncode == 0
    assert "COB-001" in table.stdout and "critical" in table.stdout
    data = json.loads(run_cli("rules", "--format", "json").stdout)
    ids = [r["id"] for r in data]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert all(r["rationale"] and r["remediation"] for r in data)


def test_help_and_rules_do_not_import_pandas():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom auditor.cli import cli\n"
        "r = CliRunner().invoke(cli, ['rules']); assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0, r.output\n"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
