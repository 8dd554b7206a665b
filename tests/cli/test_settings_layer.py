"""One settings layer for every command (auditor/cli/config.py): flags, then GCAUDIT_* variables, then
gcaudit.yaml, then defaults; and the global -v / --color."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from auditor.cli import COMMANDS, LazyGroup
from auditor.cli import cli as gcaudit
from auditor.cli.config import KNOWN_KEYS, OTHER_VARIABLE, key_of
from tests.conftest import SAMPLES

DEMO = SAMPLES / "demo-org"
READY = SAMPLES / "ready-org"
CLEAN = {k: None for k in ("GCAUDIT_CONFIG", "GCAUDIT_PLAN", "GCAUDIT_FAIL_ON", "GCAUDIT_OUT", "GCAUDIT_HISTORY",
                           "COLUMNS")}


def invoke(*args: str, env: dict[str, str] | None = None) -> click.testing.Result:
    return CliRunner().invoke(gcaudit, list(args), env={**CLEAN, **(env or {})}, catch_exceptions=False)


def _plan_of(result: click.testing.Result) -> Path:
    return Path(json.loads(result.stdout)["snapshot"]["plan"]).resolve()


def _commands() -> dict[str, click.Command]:
    group = LazyGroup()
    ctx = click.Context(gcaudit)
    out: dict[str, click.Command] = {}
    for name in COMMANDS:
        command = group.get_command(ctx, name)
        assert command is not None
        out[name] = command
        for sub_name, sub in getattr(command, "commands", {}).items():
            out[f"{name} {sub_name}"] = sub
    return out


def test_audit_reads_the_plan_from_flag_then_environment_then_file(tmp_path: Path, monkeypatch) -> None:
    plans = {}
    for source in ("flag", "env", "file"):
        plans[source] = tmp_path / f"{source}-plan.yaml"
        shutil.copy(DEMO / "plan.yaml", plans[source])
    (tmp_path / "gcaudit.yaml").write_text("plan: file-plan.yaml\n")  # relative to the file
    monkeypatch.chdir(tmp_path)
    # Before: `audit` ignored gcaudit.yaml and GCAUDIT_PLAN, which `nightly` read.
    assert _plan_of(invoke("audit", str(DEMO), "--format", "json")) == plans["file"]
    env = {"GCAUDIT_PLAN": str(plans["env"])}
    assert _plan_of(invoke("audit", str(DEMO), "--format", "json", env=env)) == plans["env"]
    flagged = invoke("audit", str(DEMO), "--format", "json", "--plan", str(plans["flag"]), env=env)
    assert _plan_of(flagged) == plans["flag"]


def _ready_with_a_password_client(tmp_path: Path) -> Path:
    """The ready org plus one high hygiene FAIL (OAUTH-003: a PASSWORD grant client), no critical."""
    snapshot = tmp_path / "ready-plus"
    shutil.copytree(READY, snapshot)
    clients = json.loads((snapshot / "oauth_clients.json").read_text())
    next(c for c in clients if c["name"] == "Okta SSO")["authorizedGrantType"] = "PASSWORD"
    (snapshot / "oauth_clients.json").write_text(json.dumps(clients))
    return snapshot


def test_fail_on_from_the_file_and_the_environment_sets_audits_exit_status(tmp_path: Path) -> None:
    snapshot = _ready_with_a_password_client(tmp_path)
    config = tmp_path / "settings.yaml"
    config.write_text("fail-on: critical\n")
    assert invoke("audit", str(snapshot)).exit_code == 1  # the default counts the high FAIL
    assert invoke("audit", str(snapshot), "--config", str(config)).exit_code == 0  # the file: critical
    env = {"GCAUDIT_FAIL_ON": "high"}
    assert invoke("audit", str(snapshot), "--config", str(config), env=env).exit_code == 1  # env beats file
    flag = invoke("audit", str(snapshot), "--config", str(config), "--fail-on", "critical", env=env)
    assert flag.exit_code == 0  # the flag beats env


def test_one_bad_settings_file_is_a_one_line_error_for_any_command(tmp_path: Path) -> None:
    config = tmp_path / "gcaudit.yaml"
    config.write_text("fail-on: sometimes\n")
    for args in (["audit", str(READY)], ["preflight", str(READY), "--plan", str(READY / "plan.yaml")]):
        result = invoke(*args, "--config", str(config))
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "fail-on" in result.stderr, result.stderr


def test_nightly_reads_plan_from_the_settings_file(tmp_path: Path) -> None:
    """`plan:` was silently dropped for nightly (its option is named plan_path)."""
    shutil.copy(DEMO / "plan.yaml", tmp_path / "plan.yaml")
    (tmp_path / "gcaudit.yaml").write_text("plan: plan.yaml\nout: reports\n")
    result = invoke("nightly", str(DEMO), "--config", str(tmp_path / "gcaudit.yaml"))
    assert result.exit_code == 1, result.output
    latest = json.loads((tmp_path / "reports" / "latest.json").read_text())
    assert latest["snapshot"]["plan"] == str(tmp_path / "plan.yaml")


def test_the_reports_directory_setting_is_not_collects_output(tmp_path: Path) -> None:
    (tmp_path / "gcaudit.yaml").write_text("out: reports\n")
    result = invoke("collect", "--config", str(tmp_path / "gcaudit.yaml"), "--region", "eu-west-1",
                    env={"GCAUDIT_OUT": str(tmp_path / "elsewhere")})
    assert result.exit_code == 2 and "give --out-dir DIR" in result.output


def test_every_setting_key_is_an_option_with_its_variable() -> None:
    """The file's keys and the variables are one layer: each key is an option of some command, and
    each option of a key shows its variable in --help."""
    seen: set[str] = set()
    for name, command in _commands().items():
        for param in command.params:
            if not isinstance(param, click.Option) or param.name is None:
                continue
            key = key_of(param.name)
            if isinstance(param.envvar, str) and param.envvar.startswith("GCAUDIT_") \
                    and param.envvar != "GCAUDIT_CONFIG":
                assert key in KNOWN_KEYS, (name, param.envvar)  # a variable is also a settings-file key
            if key in KNOWN_KEYS and param.envvar:
                seen.add(key)
                assert param.envvar == OTHER_VARIABLE.get(key, f"GCAUDIT_{key.upper()}"), (name, key)
                assert param.show_envvar or param.hidden, (name, key)
        assert any(p.name == "config_file" for p in command.params), name
    assert seen == KNOWN_KEYS


@pytest.mark.parametrize("flag,position", [("-v", "before"), ("-v", "after"), ("--color", "before"),
                                           ("--color", "after")])
def test_verbose_and_color_are_global(flag: str, position: str) -> None:
    args = [flag, "audit", str(READY)] if position == "before" else ["audit", str(READY), flag]
    plain = invoke("audit", str(READY))
    result = invoke(*args)
    assert result.exit_code == plain.exit_code == 0
    if flag == "--color":
        assert "\x1b[" in result.stdout and "\x1b[" not in plain.stdout
    else:
        assert len(result.stdout) > len(plain.stdout)  # -v lists more


@pytest.mark.parametrize("command", ["rules", "permissions", "demo"])
def test_commands_with_nothing_to_colour_accept_the_global_flags(command: str, tmp_path: Path) -> None:
    args = [str(tmp_path / "s")] if command == "demo" else []
    for flags in (["-v", "--no-color"], ["--color"]):
        assert invoke(command, *args, *flags).exit_code == 0
        shutil.rmtree(tmp_path / "s", ignore_errors=True)
        assert invoke(*flags, command, *args).exit_code == 0
        shutil.rmtree(tmp_path / "s", ignore_errors=True)
