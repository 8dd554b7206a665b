"""One CLI grammar: the snapshot is an argument everywhere, file vs directory outputs are named
consistently (old spellings still work), -q/--debug follow the subcommand too, every --help names
its environment variables and shows an example, and `diff` refuses runs of two orgs."""

from __future__ import annotations

import json

import pytest

from auditor.cli import COMMANDS
from tests.conftest import SAMPLES, run_cli

DEMO = SAMPLES / "demo-org"
READY = SAMPLES / "ready-org"
CURL = "curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_help_names_its_environment_and_has_an_example(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Example" in proc.stdout, command
    assert "nvironment" in proc.stdout or "env var" in proc.stdout, command
    assert "-q, --quiet" in proc.stdout and "--debug" in proc.stdout


def test_preflight_takes_the_snapshot_as_an_argument_and_the_old_option_with_a_note() -> None:
    new = run_cli("preflight", str(DEMO), "--curl", CURL, "--format", "json")
    old = run_cli("preflight", "--snapshot", str(DEMO), "--curl", CURL, "--format", "json")
    assert new.returncode == old.returncode == 1, new.stderr
    assert json.loads(new.stdout)["verdict"] == json.loads(old.stdout)["verdict"]
    assert "deprecated" not in new.stderr
    assert "--snapshot DIR is deprecated" in old.stderr


def test_preflight_request_file_still_works_alone_after_the_snapshot(tmp_path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"method": "POST", "path": "/api/v2/conversations/cobrowse"}))
    proc = run_cli("preflight", str(DEMO), str(request))
    assert proc.returncode == 1, proc.stderr


def test_nightly_takes_the_snapshot_as_an_argument(tmp_path) -> None:
    proc = run_cli("nightly", str(READY), "--out-dir", str(tmp_path / "reports"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reports" / "latest.html").is_file()
    old = run_cli("nightly", "--snapshot", str(READY), "--out", str(tmp_path / "reports"))
    assert old.returncode == 0 and "--snapshot DIR is deprecated" in old.stderr


@pytest.mark.parametrize("flag", ["-q", "--debug"])
def test_global_flags_after_the_subcommand(flag: str) -> None:
    before = run_cli(flag, "audit", str(READY))
    after = run_cli("audit", str(READY), flag)
    assert before.returncode == after.returncode == 0, after.stderr
    assert before.stdout.splitlines()[-1] == after.stdout.splitlines()[-1]


def test_collect_accepts_out_dir_and_the_old_out() -> None:
    for flag in ("--out-dir", "--out"):
        proc = run_cli("collect", flag, "/nonexistent/snap", "--region", "eu-west-1",
                       env={"GENESYSCLOUD_OAUTHCLIENT_ID": "",
                                                                 "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
                                                                 "GENESYSCLOUD_ACCESS_TOKEN": ""})
        assert proc.returncode == 2 and "no credentials" in proc.stderr, proc.stderr


def test_diff_refuses_runs_of_two_different_orgs(tmp_path) -> None:
    out = tmp_path / "reports"
    assert run_cli("nightly", str(READY), "--out-dir", str(out)).returncode == 0
    assert run_cli("nightly", str(DEMO), "--out-dir", str(out)).returncode == 1
    same = run_cli("nightly", str(READY), "--out-dir", str(out))
    assert same.returncode == 0
    refused = run_cli("diff", "1", "2", "--out-dir", str(out))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "two different orgs" in refused.stderr
    assert run_cli("diff", "1", "3", "--out-dir", str(out)).returncode == 0
