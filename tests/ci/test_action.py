"""The composite GitHub Action (`action.yml`), its `run` steps executed as bash scripts the way a
runner would (inputs as the runner renders them, GITHUB_OUTPUT as a file); no network: the
install and the `uses:` steps (setup-python, upload-sarif) are checked but not run."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
FIXTURE = ROOT / "tests" / "sources" / "terraform" / "fixtures" / "cx"
EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def _render(text: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("inputs."):
            return inputs[name.removeprefix("inputs.")]
        if name == "github.action_path":
            return str(ROOT)
        if name.startswith("steps.audit.outputs."):
            return outputs.get(name.removeprefix("steps.audit.outputs."), "")
        raise AssertionError(f"unexpected expression {name}")
    return EXPR.sub(value, text)


def _condition(expr: str | None, inputs: dict[str, str]) -> bool:
    if not expr:
        return True
    if "hashFiles" in expr or "always()" in expr:
        return False  # only the upload step: needs GitHub
    match = re.fullmatch(r"inputs\.([\w-]+) == '(\w+)'", expr.strip())
    assert match, expr
    return inputs[match.group(1)] == match.group(2)


def run_action(tmp_path: Path, **overrides: str) -> tuple[int, dict[str, str], Path]:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(overrides)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "gcaudit"  # gcaudit from this tree, as `pip install` would provide it
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    output_file = tmp_path / "github_output"
    output_file.touch()
    outputs: dict[str, str] = {}
    status = 0
    for step in ACTION["runs"]["steps"]:
        if "uses" in step or not _condition(step.get("if"), inputs):
            continue
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(output_file),
               "PYTHONPATH": str(ROOT)}
        env.update({k: _render(str(v), inputs, outputs) for k, v in (step.get("env") or {}).items()})
        proc = subprocess.run(["bash", "-e", "-c", _render(step["run"], inputs, outputs)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        for line in output_file.read_text().splitlines():
            key, _, val = line.partition("=")
            outputs[key] = val
        status = proc.returncode
        if status:
            break
    return status, outputs, tmp_path / inputs["sarif"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "infra")
    return tmp_path


def test_action_declares_install_sarif_upload_and_fail_on():
    uses = [step.get("uses", "") for step in ACTION["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert ACTION["runs"]["using"] == "composite"
    assert {"terraform", "fail-on", "sarif", "var-files"} <= set(ACTION["inputs"])


def test_action_fails_on_findings_and_writes_sarif_with_locations(workspace):
    status, outputs, sarif = run_action(workspace, install="false", terraform="infra",
                                        **{"var-files": "infra/envs/dev/dev.tfvars", "fail-on": "low"})
    assert outputs["exit-code"] == "1"
    assert status == 1
    log = json.loads(sarif.read_text())
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
            for loc in r["locations"] if "physicalLocation" in loc}
    assert uris and all(uri.startswith("infra/") for uri in uris)


def test_action_passes_when_nothing_reaches_the_threshold(workspace):
    status, outputs, sarif = run_action(workspace, install="false", terraform="infra",
                                        **{"var-files": "infra/envs/prod/prod.tfvars", "fail-on": "critical"})
    assert outputs["exit-code"] in ("0", "3")
    assert status == 0
    assert sarif.is_file()


def test_action_stops_on_bad_input(workspace):
    (workspace / "infra" / "broken.tf").write_text('resource "genesyscloud_routing_queue" "q" {\n')
    status, outputs, _ = run_action(workspace, install="false", terraform="infra")
    assert outputs["exit-code"] == "2"
    assert status == 2


def test_gitlab_recipe_script_runs(tmp_path):
    """The GitLab CI recipe of the docs: its YAML parses and its script lines (all but the install)
    run against the fixtures, failing on findings as documented."""
    doc = (ROOT / "docs" / "cx-as-code.md").read_text()
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b.startswith("gcaudit:"))
    job = yaml.safe_load(block)["gcaudit"]
    shutil.copytree(FIXTURE, tmp_path / "infra" / "genesys")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "gcaudit"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    script = "\n".join(line for line in job["script"] if not line.startswith("pip install"))
    env = {**os.environ, **{k: str(v) for k, v in job["variables"].items()},
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    clean = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env={**env, "GCAUDIT_FAIL_ON": "critical"},
                           capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stderr
    assert (tmp_path / "gcaudit-junit.xml").is_file() and (tmp_path / "gcaudit.md").is_file()
    dev = {**env, "GCAUDIT_FAIL_ON": "low", "GCAUDIT_VAR_FILES": "infra/genesys/envs/dev/dev.tfvars"}
    failing = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=dev,
                             capture_output=True, text=True, timeout=300)
    assert failing.returncode != 0
