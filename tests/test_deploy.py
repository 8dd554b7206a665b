"""The deployment files in deploy/ (Kubernetes CronJob, sharded GitHub Actions workflow, container
image): each parses, uses only options gcaudit has, and its gcaudit command runs (offline orgs)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from auditor.cli import cli as gcaudit
from auditor.nightly.shard import shard_of
from tests.conftest import ROOT, run_cli
from tests.history.orgs import nightly_org

DEPLOY = ROOT / "deploy"
DOCS = ROOT / "docs" / "nightly.md"


def _options(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")}


def _check_known(argv: list[str]) -> click.Command:
    """argv = [subcommand, ...]: every option exists in that gcaudit command (and its value parses)."""
    with click.Context(gcaudit) as ctx:
        command = gcaudit.get_command(ctx, argv[0])
    assert command is not None, argv[0]
    known = _options(command)
    used = {a.split("=", 1)[0] for a in argv[1:] if a.startswith("--")}
    assert used, argv
    assert used <= known, f"unknown gcaudit options: {sorted(used - known)}"
    return command


def _k8s() -> dict:
    return yaml.safe_load((DEPLOY / "kubernetes" / "cronjob.yaml").read_text())


def _workflow() -> dict:
    return yaml.safe_load((DEPLOY / "github-actions" / "gcaudit-shards.yml").read_text())


def _workflow_argv() -> list[str]:
    [step] = [s for s in _workflow()["jobs"]["audit"]["steps"] if "gcaudit nightly" in str(s.get("run", ""))]
    # Actions substitutes the expression before the shell sees the line.
    words = shlex.split(step["run"].replace("${{ matrix.shard }}", "MATRIX_SHARD"))
    assert words[0] == "gcaudit"
    return words[1:]


def test_cronjob_runs_an_indexed_job_with_one_shard_per_pod() -> None:
    doc = _k8s()
    assert (doc["apiVersion"], doc["kind"]) == ("batch/v1", "CronJob")
    job = doc["spec"]["jobTemplate"]["spec"]
    assert job["completionMode"] == "Indexed"
    [container] = job["template"]["spec"]["containers"]
    args = container["args"]
    shard = args[args.index("--shard") + 1]
    assert shard == f"$(JOB_COMPLETION_INDEX)/{job['completions']}"  # N equals the number of pods
    _check_known(args)
    # Credentials and the history URL come from Secrets, never from literal values.
    env = {e["name"]: e for e in container["env"]}
    assert "secretKeyRef" in env["GCAUDIT_HISTORY"]["valueFrom"]
    assert all("value" not in e for e in container["env"])
    assert any("secretRef" in e for e in container["envFrom"])
    security = job["template"]["spec"]["securityContext"]
    assert security["runAsNonRoot"] is True and security["runAsUser"] != 0


def test_workflow_has_a_matrix_over_shards_and_uploads_reports() -> None:
    doc = _workflow()
    job = doc["jobs"]["audit"]
    shards = job["strategy"]["matrix"]["shard"]
    argv = _workflow_argv()
    assert argv[argv.index("--shard") + 1] == f"MATRIX_SHARD/{len(shards)}"
    assert shards == list(range(len(shards)))
    assert job["strategy"]["fail-fast"] is False
    _check_known(argv)
    on = doc[True] if True in doc else doc["on"]  # YAML 1.1 reads the key `on` as True
    assert on["schedule"]
    [upload] = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert upload["if"] == "always()" and "matrix.shard" in upload["with"]["name"]
    [run] = [s for s in job["steps"] if "gcaudit nightly" in str(s.get("run", ""))]
    assert all(str(v).startswith("${{ secrets.") for v in run["env"].values())
    assert not (ROOT / ".github" / "workflows" / "gcaudit-shards.yml").exists()


def test_containerfile_is_slim_non_root_and_installs_the_wheel() -> None:
    text = (DEPLOY / "Containerfile").read_text()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    froms = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert froms and all(re.fullmatch(r"python:3\.\d+-slim", f) for f in froms)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert "pip wheel" in text and re.search(r"pip install [^\n]*gcaudit-\*\.whl", text)
    assert re.search(r'ENTRYPOINT \["gcaudit"\]', text)
    build = re.search(r"docker build -f deploy/Containerfile[^\n`]*", DOCS.read_text())
    assert build, "the build command is in docs/nightly.md"


def test_the_docs_reference_every_deploy_file() -> None:
    docs = DOCS.read_text()
    for path in ("deploy/kubernetes/cronjob.yaml", "deploy/github-actions/gcaudit-shards.yml", "deploy/Containerfile"):
        assert path in docs
        assert (ROOT / path).is_file()


def _orgs(tmp_path: Path, count: int) -> Path:
    lines = ["orgs:"]
    for i in range(count):
        org = nightly_org()
        org.org_id = f"9d2f4c1e-0000-4000-8000-{i:012d}"
        org.write(tmp_path / f"s{i}")
        lines.append(f"  - {{name: org-{i}, snapshot: {tmp_path / f's{i}'}}}")
    (tmp_path / "orgs.yaml").write_text("\n".join(lines) + "\n")
    return tmp_path / "orgs.yaml"


@pytest.mark.parametrize("source", ["kubernetes", "github-actions"])
def test_the_shipped_command_runs_its_shard(source: str, tmp_path: Path) -> None:
    """The command exactly as shipped (paths mapped into tmp_path, the index substituted) audits the
    orgs of its shard and no other."""
    orgs = _orgs(tmp_path, 5)
    if source == "kubernetes":
        argv = [a.replace("$(JOB_COMPLETION_INDEX)", "1") for a in _k8s()["spec"]["jobTemplate"]["spec"]["template"][
            "spec"]["containers"][0]["args"]]
        count = _k8s()["spec"]["jobTemplate"]["spec"]["completions"]
    else:
        argv = [a.replace("MATRIX_SHARD", "1") for a in _workflow_argv()]
        count = len(_workflow()["jobs"]["audit"]["strategy"]["matrix"]["shard"])
    mapping = {"/etc/gcaudit/orgs.yaml": str(orgs), "orgs.yaml": str(orgs), "/reports": str(tmp_path / "reports"),
               "reports": str(tmp_path / "reports")}
    argv = [mapping.get(a, a) for a in argv]
    done = run_cli(*argv, env={"GCAUDIT_HISTORY": f"sqlite:///{tmp_path / 'h.db'}", "GCAUDIT_NOTIFY": "",
                               "GCAUDIT_CONFIG": ""}, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    index = json.loads((tmp_path / "reports" / f"index-shard-1-of-{count}.json").read_text())
    assert [o["name"] for o in index["orgs"]] == [f"org-{i}" for i in range(5) if shard_of(f"org-{i}", count) == 1]
