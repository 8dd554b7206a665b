"""`gcaudit preflight --live`: collect from the (fake) Platform API first, then predict."""

from __future__ import annotations

import json

from auditor.testing.fake_api import FakeConfig, FakePlatformApi
from tests.conftest import SAMPLES, run_cli
from tests.preflight.helpers import write_json

READY = SAMPLES / "ready-org"
FAST_CLI = ["--rate", "60000", "--backoff-base", "0.01", "--workers", "4"]


def test_live_preflight_collects_then_predicts(tmp_path):
    request = write_json(tmp_path / "r.json", {
        "method": "POST",
        "path": "/api/v2/conversations/{conversationId}/cobrowse",
        "token": {"grant": "code", "client": "Cobrowse Launcher", "user": "5417ee3f-c245-588d-885b-6c329e03311b"},
    })
    api = FakePlatformApi(READY, FakeConfig(latency=0.0)).start()
    try:
        saved = tmp_path / "kept"
        result = run_cli("preflight", str(request), "--live", "--save-snapshot", str(saved), "--format", "json",
                         *FAST_CLI, env=api.env())
    finally:
        api.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "GO" and data["org"]["name"] == "Lakeside Outfitters"
    assert (saved / "manifest.json").is_file()
    assert run_cli("preflight", str(request), "--live", str(READY)).returncode == 2
