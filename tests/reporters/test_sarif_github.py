"""SARIF that GitHub code scanning accepts: every result of a snapshot audit has a physical location
(the object's line in the snapshot file, the plan entry's line, or the manifest), with percent-encoded
URIs relative to the working directory, checked with GitHub's ingestion rules (github_sarif.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from auditor.reporters import sarif
from auditor.reporters.sarif_locations import object_offsets
from auditor.testing.synthetic_report import synthetic_report
from tests.conftest import SAMPLES, run_cli
from tests.reporters.github_sarif import github_problems

DEMO = SAMPLES / "demo-org"


def _audit_sarif(snapshot: Path, cwd: Path, *extra: str) -> dict:
    proc = run_cli("audit", str(snapshot), *extra, "--format", "sarif", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _file_of(location: dict, cwd: Path) -> Path:
    uri = location["artifactLocation"]["uri"]
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    return cwd / unquote(uri)


def _object_at(path: Path, region: dict) -> dict:
    """The JSON object that starts at the region's line and column."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = sum(len(line) + 1 for line in lines[:region["startLine"] - 1]) + region["startColumn"] - 1
    value, _ = json.JSONDecoder().raw_decode(path.read_text(encoding="utf-8"), start)
    return value


def _check_points_at_objects(log: dict, cwd: Path, snapshot: Path) -> set[str]:
    """Every result's physical location opens the object its logical location names; returns the
    files pointed at."""
    files = set()
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]
        physical = location["physicalLocation"]
        path = _file_of(physical, cwd)
        files.add(path.name)
        assert path.is_file(), physical
        resource_id = location["logicalLocations"][0]["properties"]["resourceId"]
        if path.suffix == ".json" and path.name != "manifest.json":
            assert path.parent.resolve() == snapshot.resolve()
            assert _object_at(path, physical["region"])["id"] == resource_id, result["ruleId"]
        elif path.name == "plan.yaml":
            line = path.read_text().splitlines()[physical["region"]["startLine"] - 1]
            assert line[physical["region"]["startColumn"] - 1:].startswith(location["logicalLocations"][0]["name"])
        else:
            assert path.name == "manifest.json" and physical["region"]["startLine"] == 1
    return files


def test_the_demo_audit_passes_githubs_ingestion_rules_and_points_at_each_object(tmp_path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DEMO, repo / "snapshots" / "demo-org")
    snapshot = repo / "snapshots" / "demo-org"
    log = _audit_sarif(Path("snapshots/demo-org"), repo, "--plan", "snapshots/demo-org/plan.yaml")
    assert github_problems(log) == []
    results = log["runs"][0]["results"]
    assert len(results) > 40
    files = _check_points_at_objects(log, repo, snapshot)
    # Objects in their dataset files, plan entries (PLAN-001, the sites) in the plan, the org-wide
    # verdicts (COB-001, AUTHZ-001: no object) at the manifest.
    assert {"queues.json", "deployments.json", "oauth_clients.json", "configurations.json", "wrapupcodes.json",
            "plan.yaml", "manifest.json"} <= files
    by_rule = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in results}
    assert by_rule["PLAN-001"]["artifactLocation"] == {"uri": "snapshots/demo-org/plan.yaml", "uriBaseId": "%SRCROOT%"}
    assert by_rule["COB-001"]["artifactLocation"]["uri"] == "snapshots/demo-org/manifest.json"


def test_a_collected_one_line_snapshot_is_told_apart_by_column(tmp_path) -> None:
    # Collections write each dataset file on one line (SnapshotWriter, indent None).
    snapshot = tmp_path / "one line"
    snapshot.mkdir()
    for file in DEMO.glob("*.json"):
        (snapshot / file.name).write_text(json.dumps(json.loads(file.read_text()), separators=(",", ":")))
    log = _audit_sarif(snapshot, tmp_path)
    assert github_problems(log) == []
    _check_points_at_objects(log, tmp_path, snapshot)
    queues = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]
              if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("queues.json")]
    assert {q["region"]["startLine"] for q in queues} == {1}
    assert len({q["region"]["startColumn"] for q in queues}) > 1
    # The space in the directory name is percent-encoded.
    assert queues[0]["artifactLocation"]["uri"] == "one%20line/queues.json"


def test_a_snapshot_outside_the_working_directory_gets_an_absolute_file_uri(tmp_path) -> None:
    snapshot = tmp_path / "snap é"
    shutil.copytree(DEMO, snapshot)
    work = tmp_path / "elsewhere"
    work.mkdir()
    log = _audit_sarif(snapshot, work)
    assert github_problems(log) == []
    physical = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    assert all(p["artifactLocation"]["uri"].startswith("file:///") and "uriBaseId" not in p["artifactLocation"]
               for p in physical)
    assert "snap%20%C3%A9/" in physical[0]["artifactLocation"]["uri"]
    _check_points_at_objects(log, work, snapshot)


def test_a_terraform_only_audit_points_every_result_at_a_file(tmp_path) -> None:
    exported = tmp_path / "infra"
    assert run_cli("export-terraform", str(DEMO), "--out-dir", str(exported)).returncode == 0
    proc = run_cli("audit", "--terraform", "infra", "--format", "sarif", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    log = json.loads(proc.stdout)
    assert log["runs"][0]["results"] and github_problems(log) == []
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("infra/")
               for r in log["runs"][0]["results"])


def test_the_rules_reject_what_github_rejects() -> None:
    """The checker is not vacuous: a log with only logical locations (what snapshot audits produced
    before) fails it, and so do the other upload errors."""
    log = json.loads(sarif.render(synthetic_report(20)))  # no snapshot on disk: logical locations only
    assert log["runs"][0]["results"]
    assert any("expected a physical location" in p for p in github_problems(log))
    result = log["runs"][0]["results"][0]
    result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": "https://example.com/x"},
                                                 "region": {"startLine": 0}}}]
    result["ruleId"] = "NOPE-001"
    problems = " | ".join(github_problems(log))
    for expected in ("unrecognized SARIF location URI scheme", "startLine 0", "not in tool.driver.rules",
                     "ruleIndex"):
        assert expected in problems


@pytest.mark.parametrize("text,expected", [
    ('[{"id": "a", "division": {"id": "b"}}, {"id": "b"}]', {"a": 1, "b": 39}),
    ('{"q1": [{"id": "x"}]}', {}),  # a keyed dataset: no top-level objects
    ('[]', {}),
])
def test_object_offsets_are_top_level_only(text: str, expected: dict) -> None:
    assert object_offsets(text) == expected
