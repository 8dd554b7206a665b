"""The scheduling recipes in docs/recipes/ (included verbatim in the README): each parses, and the
gcaudit command line it contains runs against the fake Platform API."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from auditor.testing.fake_api import FakePlatformApi
from tests.conftest import ROOT, run_cli
from tests.history.orgs import nightly_org
from tests.webhook_receiver import Receiver

RECIPES = ROOT / "docs" / "recipes"
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


def gcaudit_argv(command: str) -> list[str]:
    """The arguments after `gcaudit` in a shell command line (stopping at a redirection)."""
    words = shlex.split(command)
    start = next(i for i, w in enumerate(words) if w.endswith("gcaudit") and not w.startswith("/etc"))
    args = []
    for word in words[start + 1:]:
        if word.startswith((">", "2>")) or word in (";", "&&", "|"):
            break
        args.append(word)
    return args


def run_against_fake_api(args: list[str], tmp_path: Path, extra_env: dict[str, str] | None = None) -> Path:
    """Map the recipe's system paths into tmp_path, run it against the fake API, return the reports dir."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("cobrowse:\n  deployments: [Web]\n  queues: [Billing, Sales]\n")
    mapping = {"/etc/gcaudit/plan.yaml": str(plan), "plan.yaml": str(plan),
               "/var/lib/gcaudit/reports": str(tmp_path / "reports"), "reports": str(tmp_path / "reports")}
    args = [mapping.get(a, a) for a in args]
    assert args[0] == "nightly"
    with FakePlatformApi(nightly_org()) as api, Receiver() as rx:
        env = {**api.env(), "GCAUDIT_NOTIFY": rx.url, **(extra_env or {})}
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr  # 1: the org's high FAIL
        assert len(rx.requests) == 1  # first night: the finding is new -> one notification
        assert "blocks" in rx.bodies[0]  # --notify-format slack
    reports = tmp_path / "reports"
    assert json.loads((reports / "latest.json").read_text())["nightly"]["run_id"] == 1
    return reports


def test_cron_line(tmp_path: Path) -> None:
    lines = [line for line in (RECIPES / "gcaudit.crontab").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert all(CRON_FIELD.match(f) for f in fields[:5]), fields[:5]
    assert [int(fields[0]), int(fields[1])] == [15, 2]
    command = fields[5]
    # crontab runs the command with /bin/sh: it must at least parse there.
    assert subprocess.run(["sh", "-n", "-c", command], check=False).returncode == 0
    run_against_fake_api(gcaudit_argv(command), tmp_path)


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((RECIPES / name).read_text())
    return parser


def test_systemd_service_and_timer(tmp_path: Path) -> None:
    service, timer = _unit("gcaudit-nightly.service"), _unit("gcaudit-nightly.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["EnvironmentFile"].startswith("/etc/gcaudit/")
    assert "SECRET" not in service["Service"]["ExecStart"]
    assert timer["Timer"]["Persistent"] == "true"
    analyze = shutil.which("systemd-analyze")
    if analyze:
        calendar = subprocess.run([analyze, "calendar", timer["Timer"]["OnCalendar"]], capture_output=True,
                                  text=True, check=False)
        assert calendar.returncode == 0 and "02:15:00" in calendar.stdout, calendar.stderr
    run_against_fake_api(gcaudit_argv(service["Service"]["ExecStart"]), tmp_path)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    """Verify the units with the ExecStart binary pointed at this checkout's gcaudit."""
    gcaudit = shutil.which("gcaudit", path=str(Path(os.sys.executable).parent)) or "/bin/true"
    for name in ("gcaudit-nightly.service", "gcaudit-nightly.timer"):
        text = (RECIPES / name).read_text().replace("/opt/gcaudit/.venv/bin/gcaudit", gcaudit)
        text = text.replace("User=gcaudit\n", "").replace("Group=gcaudit\n", "")  # no such user here
        (tmp_path / name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(tmp_path / "gcaudit-nightly.timer"),
                             str(tmp_path / "gcaudit-nightly.service")], capture_output=True, text=True, check=False)
    problems = [line for line in result.stderr.splitlines()
                if "gcaudit-nightly" in line and "EnvironmentFile" not in line]
    if result.returncode != 0 and "System has not been booted with systemd" in result.stderr:
        pytest.skip("systemd-analyze verify needs systemd as PID 1")
    assert not problems, result.stderr


def test_github_actions_job(tmp_path: Path) -> None:
    workflow = yaml.safe_load((RECIPES / "github-actions-nightly.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"] == "15 2 * * *"
    steps = workflow["jobs"]["audit"]["steps"]
    run_step = next(s for s in steps if "gcaudit nightly" in s.get("run", ""))
    for name, value in run_step["env"].items():
        if "SECRET" in name or "CLIENT_ID" in name or name in ("GCAUDIT_HISTORY", "GCAUDIT_NOTIFY"):
            assert value.startswith("${{ secrets."), name
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "always()" and upload["with"]["path"] == "reports/"
    history = f"sqlite:///{tmp_path / 'history.db'}"  # the PostgreSQL secret's stand-in
    reports = run_against_fake_api(gcaudit_argv(run_step["run"]), tmp_path, {"GCAUDIT_HISTORY": history})
    assert (reports / "latest.html").exists() and (tmp_path / "history.db").exists()
