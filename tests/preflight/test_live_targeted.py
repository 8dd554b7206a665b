"""`preflight --live` collects only what the request needs, and predicts what a full collection would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditor.snapshot import load_snapshot
from auditor.testing.fake_api import FakeConfig, FakePlatformApi
from tests.conftest import SAMPLES, run_cli
from tests.preflight.helpers import write_json

FAST_CLI = ["--rate", "60000", "--backoff-base", "0.01", "--workers", "4"]


def _request(org: Path, smallest: bool = False) -> dict[str, Any]:
    members = json.loads((org / "queue_members.json").read_text(encoding="utf-8"))
    queue_id, users = next((q, m) for q, m in members.items() if m)
    if smallest:  # one member: reading grants per user is fewer calls than per co-browse role
        queue_id, users = min(((q, m) for q, m in members.items() if m), key=lambda qm: len(qm[1]))
    codes = json.loads((org / "queue_wrapupcodes.json").read_text(encoding="utf-8"))
    code = next(iter(codes.get(queue_id) or [{"id": "ININ-WRAP-UP-TIMEOUT"}]))["id"]
    return {
        "method": "POST",
        "path": "/api/v2/conversations/{conversationId}/cobrowse",
        "token": {"grant": "code", "client": "Cobrowse Launcher", "user": users[0]["id"]},
        "body": {"queueId": queue_id, "userId": users[-1]["id"], "wrapupCode": code},
    }


def _predictions(stdout: str) -> dict[str, Any]:
    data = json.loads(stdout)
    data.pop("snapshot", None)
    data.pop("generated_at", None)
    return {k: v for k, v in data.items() if k in ("verdict", "exit_status", "predictions", "summary",
                                                  "request_that_works")}


@pytest.mark.parametrize(("org", "smallest", "grants_by"), [("demo-org", False, "ids"), ("ready-org", False, "ids"),
                                                            ("demo-org", True, "subjects")])
def test_live_preflight_targets_its_calls_and_predicts_as_a_full_collection(tmp_path, org, smallest, grants_by):
    source = SAMPLES / org
    request = write_json(tmp_path / "r.json", _request(source, smallest))
    api = FakePlatformApi(source, FakeConfig(latency=0.0)).start()
    try:
        full = run_cli("collect", "--out-dir", str(tmp_path / "full"), *FAST_CLI, env=api.env())
        assert full.returncode in (0, 3), full.stderr
        full_calls = api.calls("/api/v2/")
        api.reset_counters()
        live = run_cli("preflight", str(request), "--live", "--save-snapshot", str(tmp_path / "kept"),
                       "--format", "json", *FAST_CLI, env=api.env())
        live_calls = api.calls("/api/v2/")
    finally:
        api.stop()
    offline = run_cli("preflight", str(request), str(tmp_path / "full"), "--format", "json")
    assert live.returncode == offline.returncode, live.stderr
    assert _predictions(live.stdout) == _predictions(offline.stdout)
    assert live_calls < full_calls
    assert f"{live_calls} calls made" in live.stderr
    kept = load_snapshot(tmp_path / "kept").manifest.datasets
    assert kept["queue_members"].scope == "ids" and kept["queue_members"].ids == [
        _request(source, smallest)["body"]["queueId"]]
    # Role grants: per co-browse role, or per user when the named users are fewer.
    assert kept["role_subjectgrants"].scope == grants_by
