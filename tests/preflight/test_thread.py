"""The forum thread's three payloads (cobrowse-400-thread.txt), and the corrected request, on the
bundled ready-org: each payload gets the errors it would really get, the correction gets GO."""

from __future__ import annotations

import json
import re

import pytest

from auditor.preflight.request import SMART_QUOTES_NOTE, parse_request_file
from auditor.preflight.verdict import run_preflight
from auditor.safety import sanitise
from auditor.snapshot import load_snapshot
from tests.conftest import SAMPLES, run_cli
from tests.preflight.helpers import fired

READY = SAMPLES / "ready-org"
CO_BROWSE_AGENT = "5417ee3f-c245-588d-885b-6c329e03311b"  # holds the "Co-browse Agent" role in ready-org

# Copied from the thread as posted (the first one with the forum's typographic quotes).
PAYLOAD_1 = """{
“cobrowseType”: “WEB”,
“routingData”: {
“queueId”: “12345678-1234-1234-1234-123456789012”
}
}"""
PAYLOAD_2 = """{
 "cobrowseType": "WEB",
 "cobrowseTarget": "https://example.com",
 "routingData": {
 "queueId": "12345678-1234-1234-1234-123456789012"
 }
}"""
PAYLOAD_3 = """{
 "cobrowseType": "WEB",
 "cobrowseTarget": "https://your-target-app.com/session-page",
 "routingData": {
 "queueId": "12345678-1234-1234-1234-123456789012",
 "wrapUpCode": "COBROWSE_INITIATED"
 },
 "participants": [
 {
 "id": "agent-user-id-123",
 "role": "AGENT"
 }
 ]
}"""
FORUM_QUEUE = "12345678-1234-1234-1234-123456789012"


@pytest.fixture(scope="module")
def ready():
    return load_snapshot(READY)


def _run(ready, tmp_path, text):
    path = tmp_path / "payload.json"
    path.write_text(text, encoding="utf-8")
    return run_preflight(ready, request=parse_request_file(path))


def _body_fields(report):
    return {p.resource_name for p in fired(report, "PRE-003")}


def _common(report):
    """What every payload of the thread gets: the invented path and the unknown queue."""
    assert report.verdict == "NO-GO"
    [path] = fired(report, "PRE-001")
    assert (path.http_status, path.error_code) == (404, "not.found")
    assert "POST /api/v2/conversations/{conversationId}/cobrowse" in path.fix
    [queue] = fired(report, "PRE-005")
    assert (queue.http_status, queue.error_code, queue.resource_id) == (404, "not.found", FORUM_QUEUE)
    assert all((p.http_status, p.error_code) == (400, "bad.request") for p in fired(report, "PRE-003"))


def test_payload_1_with_forum_quotes(ready, tmp_path):
    report = _run(ready, tmp_path, PAYLOAD_1)
    _common(report)
    assert _body_fields(report) == {"cobrowseType", "routingData"}
    assert SMART_QUOTES_NOTE in report.notes
    assert report.request.path == "/api/v2/conversations/cobrowse"


def test_payload_2_adds_the_target(ready, tmp_path):
    report = _run(ready, tmp_path, PAYLOAD_2)
    _common(report)
    assert _body_fields(report) == {"cobrowseType", "cobrowseTarget", "routingData"}
    # example.com is not allowed by the ready org's co-browse deployment.
    [site] = fired(report, "COB-005")
    assert site.resource_id == "https://example.com"


def test_payload_3_the_supervisor_version(ready, tmp_path):
    report = _run(ready, tmp_path, PAYLOAD_3)
    _common(report)
    assert _body_fields(report) == {"cobrowseType", "cobrowseTarget", "routingData", "participants"}
    routing = next(p for p in fired(report, "PRE-003") if p.resource_name == "routingData")
    assert "`wrapUpCode`" in routing.cause and "`queueId`" in routing.cause
    [code] = fired(report, "PRE-006")
    assert (code.http_status, code.error_code) == (400, "invalid.value")
    assert "COBROWSE_INITIATED" in code.cause and "ININ-*" in code.cause
    [user] = fired(report, "PRE-007")
    assert (user.http_status, user.error_code, user.resource_id) == (404, "not.found", "agent-user-id-123")
    assert "UUIDs" in user.cause
    [site] = fired(report, "COB-005")
    assert "your-target-app.com" in site.cause
    # No token was described: said, not guessed.
    assert any(p.rule_id == "PRE-013" for p in report.predictions)


def test_corrected_request_is_go_on_ready_org(tmp_path):
    request = {
        "method": "POST",
        "url": "https://api.usw2.pure.cloud/api/v2/conversations/{conversationId}/cobrowse",
        "token": {"grant": "code", "client": "Cobrowse Launcher", "user": CO_BROWSE_AGENT},
    }
    path = tmp_path / "fixed.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    result = run_cli("preflight", str(path), str(READY), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "GO"
    assert not [p for p in data["predictions"] if p["status"] == "FAIL"]
    checked = {p["rule_id"] for p in data["predictions"] if p["status"] == "PASS"}
    assert {"PRE-001", "PRE-003", "PRE-004", "PRE-008", "OAUTH-001", "OAUTH-002", "AUTHZ-001", "COB-001"} <= checked
    works = data["request_that_works"]
    assert works["url"] == "https://api.usw2.pure.cloud/api/v2/conversations/{conversationId}/cobrowse"
    assert works["body"] is None and "Cobrowse Launcher" in works["token"]
    assert works["permissions_any_of"] == ["conversation:cobrowse:add", "conversation:cobrowseVoice:add"]


def test_ready_org_rollout_plan_is_go():
    result = run_cli("preflight", str(READY), "--plan", str(READY / "plan.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("GO: READY for co-browse: 0 blockers")


def test_payload_3_through_the_cli(tmp_path):
    path = tmp_path / "payload.json"
    path.write_text(PAYLOAD_3, encoding="utf-8")
    result = run_cli("preflight", str(path), str(READY))
    assert result.returncode == 1
    out = result.stdout
    assert "NO-GO" in out and "404 not.found" in out and "400 invalid.value" in out
    assert "The request that would work:" in out
    assert "POST https://api.usw2.pure.cloud/api/v2/conversations/{conversationId}/cobrowse" in out
    assert result.stderr == ""


# --- Lead first (issue 12): what a person reads ----------------------------------------------

MISSING = "NO-GO: POST /api/v2/conversations/cobrowse does not exist (404 not.found)"
INSTEAD = "Use instead: POST https://api.usw2.pure.cloud/api/v2/conversations/{conversationId}/cobrowse (no body)"


def _table(tmp_path, text, *extra, columns="80"):
    path = tmp_path / "payload.json"
    path.write_text(text, encoding="utf-8")
    result = run_cli("preflight", str(READY), str(path), *extra, env={"COLUMNS": columns})
    assert result.returncode == 1, result.stderr
    return result.stdout


@pytest.mark.parametrize("payload", [PAYLOAD_1, PAYLOAD_2, PAYLOAD_3])
def test_the_missing_endpoint_is_the_first_line_and_the_working_request_the_next(tmp_path, payload):
    lines = _table(tmp_path, payload, columns="200").splitlines()
    assert lines[0] == MISSING
    assert json.loads(_table(tmp_path, payload, "--format", "json"))["headline"] == MISSING
    assert lines[1].strip() == INSTEAD


def test_body_fields_are_one_problem_and_each_fix_is_given_once(tmp_path):
    out = _table(tmp_path, PAYLOAD_3, columns="200")
    problems = out.split("Problems (", 1)[1].split("\nNotes:", 1)[0]
    assert "The body has 4 field(s) the API does not take" in problems
    assert problems.count("Send no body") == 1
    # The request's own problems, not "9 problems": the site the catalog's COB-005 rejects is an
    # action of the answer ("What the call would hit"), after them.
    assert re.search(r"^Problems \(4\):", out, re.M)
    assert re.search(r"^What the call would hit: 1 action resolves 1 blocker:\n.*COB-005", out, re.M)
    for field in ("cobrowseType", "cobrowseTarget", "routingData", "participants"):
        assert re.search(rf"^\s+- {field}: ", problems, re.M), field


def test_placeholders_are_never_fine_and_info_checks_are_notes(tmp_path):
    out = _table(tmp_path, PAYLOAD_2, columns="200")
    fine = next((line for line in out.splitlines() if line.startswith("Checked and fine")), "")
    assert "example.com" not in fine and FORUM_QUEUE not in fine
    placeholders = out.split("Placeholders", 1)[1].split("\n\n", 1)[0]
    assert "https://example.com" in placeholders and FORUM_QUEUE in placeholders
    notes = out.split("\nNotes:", 1)[1].split("\n\n", 1)[0]
    assert "PRE-013" in notes and "PRE-013" not in out.split("\nNotes:", 1)[0]


def test_lines_fit_80_columns_without_breaking_tokens(tmp_path):
    out = _table(tmp_path, PAYLOAD_3)
    for line in out.splitlines():
        if line.strip().startswith("curl "):
            continue  # a command to copy and paste stays on one line
        assert len(line) <= 80 or " " not in line.strip(), line
    assert "/api/v2/conversations/{conversationId}/cobrowse" in out.split()  # never split


def test_markdown_and_html_lead_with_the_missing_endpoint(tmp_path):
    md = _table(tmp_path, PAYLOAD_3, "--format", "markdown")
    # The one sanitiser backslash-escapes Markdown-active characters (parentheses too): a reader
    # sees the headline itself, and the source holds exactly its escaped form.
    assert md.splitlines()[0] == "## " + sanitise.markdown(MISSING, 400)
    assert re.sub(r"\\(.)", r"\1", md.splitlines()[0]) == "## " + MISSING
    html_path = tmp_path / "preflight.html"
    _table(tmp_path, PAYLOAD_3, "--html", str(html_path))
    page = html_path.read_text()
    assert page.index("does not exist (404 not.found)") < page.index("Use instead:") < page.index("Problems") \
        if "Problems" in page else True
    data = json.loads(re.search(r'id="gcaudit-data">(.*?)</script>', page, re.S).group(1))
    linked = {row[3] for row in data["rows"] if row[7]}
    assert FORUM_QUEUE not in linked and "agent-user-id-123" not in linked
    assert "PRE-013" not in {g["id"] for g in data["groups"]}  # a note, not a FAIL
    assert "PRE-013" in page.split('id="preflight"', 1)[1]
