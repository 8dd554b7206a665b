"""gcaudit.yaml `auth-thresholds` reach the auth-setup rules through `audit`; bad values are one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLES, run_cli

DEMO = SAMPLES / "demo-org"


def _user_001(proc) -> dict[str, str]:
    return {r["resource_name"]: r["status"] for r in json.loads(proc.stdout)["results"] if r["rule_id"] == "USER-001"}


def test_auth_thresholds_from_gcaudit_yaml_change_the_verdicts(tmp_path: Path) -> None:
    default = run_cli("audit", str(DEMO), "--format", "json", cwd=tmp_path)
    assert _user_001(default)["Ronan Fitzgerald"] == "FAIL"
    (tmp_path / "gcaudit.yaml").write_text("auth-thresholds:\n  stale-user-days: 400\n", encoding="utf-8")
    relaxed = run_cli("audit", str(DEMO), "--format", "json", cwd=tmp_path)
    assert _user_001(relaxed)["Ronan Fitzgerald"] == "PASS"
    other = tmp_path / "strict.yaml"
    other.write_text("auth_thresholds: {stale-user-days: 0}\n", encoding="utf-8")
    strict = run_cli("audit", str(DEMO), "--format", "json", env={"GCAUDIT_CONFIG": str(other)}, cwd=tmp_path)
    assert _user_001(strict)["Aisha Rahman"] == "FAIL"


def test_a_bad_threshold_is_one_line_naming_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "gcaudit.yaml").write_text("auth-thresholds:\n  stale-user-days: soon\n", encoding="utf-8")
    proc = run_cli("audit", str(DEMO), cwd=tmp_path)
    assert proc.returncode == 2
    assert "gcaudit.yaml" in proc.stderr and "auth-thresholds.stale-user-days" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
