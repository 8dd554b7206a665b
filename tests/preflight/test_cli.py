"""`gcaudit preflight` end to end: exit codes, formats, HTML, and the curl token never shown."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES, run_cli
from tests.preflight.helpers import good_request, ready_org, write_json

READY = str(SAMPLES / "ready-org")
TOKEN = "eyJ0eXAiOiJKV1Q.PREFLIGHT-SECRET-TOKEN.c2lnbmF0dXJl"
CURL = (f"curl -X POST 'https://api.mypurecloud.com/api/v2/conversations/cobrowse' \\\n"
        f"  -H 'Authorization: Bearer {TOKEN}' -H 'Content-Type: application/json' \\\n"
        "  -d '{\"cobrowseType\": \"WEB\", \"routingData\": {\"queueId\": \"12345678-1234-1234-1234-123456789012\"}}'")


def _one_line_error(result, *needles):
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcaudit: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.stderr


def test_malformed_request_file_is_exit_2(tmp_path):
    bad = tmp_path / "request.json"
    bad.write_text('{"method": "POST", "path": ')
    _one_line_error(run_cli("preflight", str(bad), READY), "request.json", "not valid JSON")
    wrong = write_json(tmp_path / "typed.json", {"method": "POST", "path": ["/api/v2"]})
    _one_line_error(run_cli("preflight", str(wrong), READY), "typed.json: path", "expected a string")
    _one_line_error(run_cli("preflight", str(tmp_path / "nope.json"), READY), "no such file")


def test_malformed_curl_is_exit_2_and_does_not_echo_the_token():
    result = run_cli("preflight", "--curl", f"curl -X POST 'https://api.mypurecloud.com/x -H 'Bearer {TOKEN}'",
                     READY)
    _one_line_error(result, "--curl", "not a valid shell command")
    assert TOKEN not in result.stderr


def test_usage_errors_are_exit_2(tmp_path):
    assert run_cli("preflight", READY).returncode == 2  # nothing to check
    request = write_json(tmp_path / "r.json", good_request())
    assert run_cli("preflight", str(request), "--curl", CURL, READY).returncode == 2
    assert run_cli("preflight", str(request)).returncode == 2  # no snapshot, no --live


def test_curl_token_never_appears_in_any_output(tmp_path):
    outputs = []
    for fmt in ("table", "json", "markdown"):
        html = tmp_path / f"report-{fmt}.html"
        result = run_cli("--debug", "preflight", "--curl", CURL, READY, "--format", fmt,
                         "--html", str(html))
        assert result.returncode == 1, result.stderr
        outputs += [result.stdout, result.stderr, html.read_text(encoding="utf-8")]
    assert all(TOKEN not in text for text in outputs)
    assert "PREFLIGHT-SECRET" not in "".join(outputs)
    data = json.loads(outputs[3])
    assert data["request"]["credentials_dropped"] is True
    assert {p["rule_id"] for p in data["predictions"] if p["status"] == "FAIL"} >= {"PRE-001", "PRE-003", "PRE-004",
                                                                                  "PRE-005"}


def test_curl_from_stdin_keeps_the_token_off_the_command_line():
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run([sys.executable, "-m", "auditor", "preflight", "--curl", "-", READY,
                             "--format", "json"], input=CURL, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["verdict"] == "NO-GO"
    assert TOKEN not in result.stdout + result.stderr


def test_html_report_shows_the_verdict_and_escapes_the_request(tmp_path):
    doc = good_request(body={"cobrowseType": "<script>alert(1)</script>"})
    doc["url"] = "https://api.usw2.pure.cloud/api/v2/conversations/{conversationId}/cobrowse"
    doc["token"] = {"grant": "code", "client": "Cobrowse Launcher"}
    request = write_json(tmp_path / "r.json", doc)
    html = tmp_path / "preflight.html"
    result = run_cli("preflight", str(request), READY, "--html", str(html), "--format", "markdown")
    assert result.returncode == 1
    page = html.read_text(encoding="utf-8")
    assert "<strong>NO-GO: " in page and "The request that would work" in page
    assert "<script>alert(1)</script>" not in page
    assert result.stdout.startswith("## NO-GO: ")


def test_incomplete_snapshot_is_exit_3(tmp_path, org):
    ready_org(org).fail("role_subjectgrants").write(tmp_path / "snap")
    request = write_json(tmp_path / "r.json", good_request(url="/api/v2/conversations/{conversationId}/cobrowse"))
    result = run_cli("preflight", str(request), str(tmp_path / "snap"), "-o", str(tmp_path / "o.txt"))
    assert result.returncode == 3, result.stdout + result.stderr
    text = (tmp_path / "o.txt").read_text(encoding="utf-8")
    assert "INCOMPLETE" in text and "role_subjectgrants" in text


@pytest.mark.parametrize("fail_on,code", [("high", 1), ("critical", 0)])
def test_fail_on(tmp_path, org, fail_on, code):
    ready_org(org).write(tmp_path / "snap")
    request = write_json(tmp_path / "r.json", good_request(body={"participants": []}))  # one high body field
    result = run_cli("preflight", str(request), str(tmp_path / "snap"), "--fail-on", fail_on)
    assert result.returncode == code, result.stdout + result.stderr


def test_plan_gate_exits_by_the_verdict_as_audit_does(tmp_path):
    """`preflight --plan` (default `--fail-on blockers`) and `audit --plan` exit alike: 0 on the ready
    org plus an unrelated PASSWORD-grant client (hygiene), 1 with `--fail-on high`, 1 on the demo org."""
    from tests.cli.test_fail_on_blockers import _ready_with_password_client

    org = _ready_with_password_client(tmp_path)
    plan = str(SAMPLES / "ready-org" / "plan.yaml")
    for command in ("preflight", "audit"):
        assert run_cli(command, str(org), "--plan", plan).returncode == 0, command
        assert run_cli(command, str(org), "--plan", plan, "--fail-on", "high").returncode == 1, command
    gate = run_cli("preflight", str(org), "--plan", plan, "--fail-on", "high")
    # A NO-GO by severity says why, although co-browse itself is READY.
    assert gate.stdout.startswith("NO-GO: 1 problem(s) at or above high (--fail-on high); READY for co-browse")
    demo = SAMPLES / "demo-org"
    assert run_cli("preflight", str(demo), "--plan", str(demo / "plan.yaml")).returncode == 1
