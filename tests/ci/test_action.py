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
from dataclasses import dataclass, field
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


def _condition(expr: str | None, inputs: dict[str, str], outputs: dict[str, str], failed: bool,
               workspace: Path) -> bool:
    """A step's `if:` as the runner evaluates it, for the forms action.yml uses: `&&` of status
    functions and `==` / `!=` comparisons of inputs, audit-step outputs and `hashFiles(inputs.x)`
    (non-empty when the file exists in the workspace) with string literals. Without a status
    function, `success()` is implied (GitHub's rule)."""
    if not expr:
        return not failed
    terms = [term.strip() for term in expr.split("&&")]
    status_functions = {"success()": not failed, "always()": True, "failure()": failed}
    result = True if any(term in status_functions for term in terms) else not failed
    for term in terms:
        if term in status_functions:
            result = result and status_functions[term]
            continue
        match = re.fullmatch(r"(inputs|steps\.audit\.outputs|hashFiles\(inputs)\.([\w-]+)\)? (==|!=) '([^']*)'",
                             term)
        assert match, f"the test does not understand the condition {term!r}"
        if match.group(1) == "hashFiles(inputs":
            actual = "hash" if (workspace / inputs[match.group(2)]).is_file() else ""
        else:
            source = inputs if match.group(1) == "inputs" else outputs
            actual = source.get(match.group(2), "")
        result = result and ((actual == match.group(4)) == (match.group(3) == "=="))
    return result


@dataclass
class ActionRun:
    status: int
    outputs: dict[str, str]
    sarif: Path
    #: The `sarif_file` of every upload step whose condition held, as the runner would render it.
    uploads: list[str] = field(default_factory=list)
    stderr: str = ""


def _shim(bin_dir: Path, script: str | None) -> None:
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "gcaudit"  # gcaudit from this tree, as `pip install` would provide it
    shim.write_text(script or f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)


def run_action(tmp_path: Path, gcaudit: str | None = None, **overrides: str) -> ActionRun:
    """Every step of the action in order, as the runner runs a composite action: `run:` steps with
    `bash --noprofile --norc -eo pipefail`, `uses:` steps recorded (not run), each step's `if:`
    evaluated against the steps before it. `gcaudit` replaces the installed command by a script."""
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(overrides)
    bin_dir = tmp_path / "bin"
    _shim(bin_dir, gcaudit)
    runner_temp = tmp_path / "runner_temp"
    runner_temp.mkdir(exist_ok=True)
    output_file = tmp_path / "github_output"
    output_file.touch()
    outputs: dict[str, str] = {}
    run = ActionRun(0, outputs, tmp_path / inputs["sarif"])
    for step in ACTION["runs"]["steps"]:
        if not _condition(step.get("if"), inputs, outputs, failed=run.status != 0, workspace=tmp_path):
            continue
        if "uses" in step:
            if step["uses"].startswith("github/codeql-action/upload-sarif@"):
                run.uploads.append(_render(str(step["with"]["sarif_file"]), inputs, outputs))
            continue
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(output_file),
               "PYTHONPATH": str(ROOT), "RUNNER_TEMP": str(runner_temp)}
        env.update({k: _render(str(v), inputs, outputs) for k, v in (step.get("env") or {}).items()})
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               _render(step["run"], inputs, outputs)],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        run.stderr += proc.stderr + proc.stdout
        for line in output_file.read_text().splitlines():
            key, _, val = line.partition("=")
            outputs[key] = val
        run.status = run.status or proc.returncode
    return run


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
    run = run_action(workspace, install="false", terraform="infra",
                     **{"var-files": "infra/envs/dev/dev.tfvars", "fail-on": "low"})
    assert run.outputs["exit-code"] == "1"
    assert run.status == 1
    assert run.uploads == [run.outputs["sarif-file"]]
    assert Path(run.uploads[0]).read_bytes() == run.sarif.read_bytes()
    log = json.loads(run.sarif.read_text())
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
            for loc in r["locations"] if "physicalLocation" in loc}
    assert uris and all(uri.startswith("infra/") for uri in uris)


def test_action_passes_when_nothing_reaches_the_threshold(workspace):
    run = run_action(workspace, install="false", terraform="infra",
                     **{"var-files": "infra/envs/prod/prod.tfvars", "fail-on": "critical"})
    assert run.outputs["exit-code"] in ("0", "3")
    assert run.status == 0
    assert run.sarif.is_file()
    assert run.uploads == [run.outputs["sarif-file"]]


def test_action_stops_on_bad_input(workspace):
    (workspace / "infra" / "broken.tf").write_text('resource "genesyscloud_routing_queue" "q" {\n')
    run = run_action(workspace, install="false", terraform="infra")
    assert run.outputs["exit-code"] == "2"
    assert run.status == 2
    assert run.uploads == []


#: A stand-in for gcaudit: writes a SARIF log to its `-o` path (when WRITE is set) and ends with
#: the given status, or is killed by the given signal, as the runner would see a real one end.
FAKE = """#!/bin/bash
out=""
while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out=$2; shift; fi; shift; done
if [ -n "$WRITE" ] && [ -n "$out" ]; then printf '%s' '{"version": "2.1.0", "runs": [], "fresh": true}' > "$out"; fi
if [ -n "$SIGNAL" ]; then kill -s "$SIGNAL" $$; fi
exit "${STATUS:-0}"
"""

STALE = '{"version": "2.1.0", "runs": [], "stale": "committed in the pull request"}'


def _fake(status: int | None = None, signal: str | None = None, write: bool = False) -> str:
    lines = [f"STATUS={status}" if status is not None else "", f"SIGNAL={signal}" if signal else "",
             "WRITE=1" if write else ""]
    return FAKE.replace("#!/bin/bash\n", "#!/bin/bash\n" + "\n".join(x for x in lines if x) + "\n", 1)


@pytest.mark.parametrize(("status", "signal", "write"), [
    (None, "KILL", False),   # the kernel's OOM killer: 137
    (None, "SEGV", False),   # a crash: 139
    (None, "INT", True),     # interrupted after writing part of its report: 130
    (None, "TERM", False),   # cancelled: 143
    (124, None, False),      # `timeout` ran out
    (4, None, True),         # gcaudit's own internal error
    (2, None, False),        # bad input
    (5, None, True),         # a status gcaudit never documents
    (255, None, False),
    (127, None, False),      # not installed
])
def test_action_fails_closed_when_gcaudit_does_not_finish(tmp_path, status, signal, write):
    """Every status but "ran and judged" (0, 1, 3) fails the job, and the `gcaudit.sarif` a pull
    request commits is never uploaded in place of a report."""
    (tmp_path / "gcaudit.sarif").write_text(STALE)
    run = run_action(tmp_path, gcaudit=_fake(status, signal, write), install="false", terraform="infra")
    expected = {"KILL": 137, "SEGV": 139, "INT": 130, "TERM": 143}.get(signal or "", status)
    assert run.outputs["exit-code"] == str(expected)
    assert run.status != 0, run.stderr
    assert run.uploads == []
    assert "sarif-file" not in run.outputs


@pytest.mark.parametrize("status", [0, 1, 3])
def test_action_fails_closed_when_a_judged_run_wrote_no_report(tmp_path, status):
    (tmp_path / "gcaudit.sarif").write_text(STALE)
    run = run_action(tmp_path, gcaudit=_fake(status), install="false", terraform="infra")
    assert run.status != 0
    assert run.uploads == []
    assert "wrote no SARIF report" in run.stderr


@pytest.mark.parametrize("status", [0, 1, 3])
def test_action_uploads_only_the_report_this_run_wrote(tmp_path, status):
    (tmp_path / "gcaudit.sarif").write_text(STALE)
    elsewhere = tmp_path / "elsewhere.sarif"
    elsewhere.write_text("not touched")
    run = run_action(tmp_path, gcaudit=_fake(status, write=True), install="false", terraform="infra")
    assert run.status == (1 if status == 1 else 0)
    assert len(run.uploads) == 1
    uploaded = Path(run.uploads[0])
    assert uploaded.is_relative_to(tmp_path / "runner_temp")
    assert json.loads(uploaded.read_text())["fresh"] is True
    # The copy at the `sarif` input replaced the committed file (and did not write through a link).
    assert json.loads(run.sarif.read_text())["fresh"] is True
    assert elsewhere.read_text() == "not touched"


def test_action_replaces_a_committed_link_instead_of_writing_through_it(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("not touched")
    (tmp_path / "gcaudit.sarif").symlink_to(target)
    run = run_action(tmp_path, gcaudit=_fake(0, write=True), install="false", terraform="infra")
    assert run.status == 0
    assert target.read_text() == "not touched"
    assert not run.sarif.is_symlink() and json.loads(run.sarif.read_text())["fresh"] is True


def test_action_fail_step_fails_closed_on_any_other_status(tmp_path):
    """The last step on its own: a status it does not know (or none) fails the job too."""
    step = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Fail on findings")
    for status, expected in (("0", 0), ("1", 1), ("3", 0), ("", 1), ("137", 1), ("4", 1), ("2", 1)):
        env = {**os.environ, "GCAUDIT_STATUS": status, "GCAUDIT_FAIL_INCOMPLETE": "false"}
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env=env, capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == expected, (status, proc.stdout)


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
