"""Issue 23, class 5: malformed or hostile input ends in one line and exit 2, never "internal error";
settings that could only fail later (a webhook nobody can deliver to) are refused before the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.nightly.notify import Notifier, check_webhook_url
from tests.conftest import SAMPLES, run_cli

SNAPSHOT = str(SAMPLES / "demo-org")
HUGE = "99999999999999999999999"


def _one_line_exit_2(result) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def history_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nightly")
    result = run_cli("nightly", SNAPSHOT, "--out-dir", str(out))
    assert result.returncode in (0, 1), result.stderr
    return out


@pytest.mark.parametrize("args", [
    ["diff", HUGE, "1"], ["diff", "1", HUGE], ["diff", "1", str(2**63)], ["diff", "1", "-" + HUGE],
    ["history", "--limit", HUGE], ["history", "--limit", str(2**63)],
])
def test_huge_run_ids_and_limits(history_out: Path, args: list[str]) -> None:
    _one_line_exit_2(run_cli(*args[:1], "--out", str(history_out), *args[1:]))


@pytest.mark.parametrize("url", [
    "postgresql://user:pw-secret-99@db.example:abc/gcaudit",  # a port that is no number
    "postgresql://[::1/gcaudit",  # an unclosed IPv6 bracket
    "postgresql://db.example/gcaudit?connect_timeout=abc",
    "sqlite:///{out}/h.db?timeout=abc",
])
@pytest.mark.parametrize("command", ["history", "nightly"])
def test_malformed_history_urls(tmp_path: Path, url: str, command: str) -> None:
    url = url.format(out=tmp_path)
    args = [command, "--history", url, "--out", str(tmp_path / "out")]
    if command == "nightly":
        args.insert(1, SNAPSHOT)
    result = run_cli(*args)
    _one_line_exit_2(result)
    assert "pw-secret-99" not in result.stdout + result.stderr
    assert "--history" in result.stderr


@pytest.mark.parametrize("url", ["ftp://hooks.example/secret-path-123", "file:///etc/secret-path-123",
                                 "javascript:alert(1)", "https://", "http://hooks.example:99999/secret-path-123",
                                 "https://[::1/secret-path-123", "hooks.example/secret-path-123"])
def test_unsupported_webhooks_are_refused_before_the_run(tmp_path: Path, url: str) -> None:
    out = tmp_path / "out"
    result = run_cli("nightly", SNAPSHOT, "--out", str(out), "--notify", url)
    _one_line_exit_2(result)
    assert "secret-path-123" not in result.stdout + result.stderr
    assert not out.exists() or not any(out.iterdir()), "the run went ahead"


def test_unsupported_webhook_from_the_environment_with_orgs(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text(f"orgs:\n  - name: demo\n    snapshot: {SNAPSHOT}\n")
    out = tmp_path / "out"
    result = run_cli("nightly", "--orgs", str(orgs), "--out", str(out),
                     env={"GCAUDIT_NOTIFY": "https://hooks.example/ok smtp://mail.example/secret-path-123"})
    _one_line_exit_2(result)
    assert "secret-path-123" not in result.stderr
    assert not (out / "demo").exists()


def test_notifier_refuses_what_it_cannot_deliver() -> None:
    with pytest.raises(InputError):
        Notifier(["gopher://x/secret-path-123"])
    check_webhook_url("https://hooks.slack.com/services/T/B/x")
    check_webhook_url("http://127.0.0.1:8080/hook")


# --- paths the system refuses to look up (found by fuzzing the CLI, beyond the examples) ---

LONG = "x" * 5000


@pytest.mark.parametrize("args", [
    ["audit", LONG], ["export-terraform", LONG, "--out-dir", "{tmp}/export"], ["history", "--out", LONG],
    ["diff", "1", "1", "--out", LONG], ["history-prune", "--older-than-days", "1", "--out", LONG],
    ["preflight", SNAPSHOT, "--terraform", LONG], ["audit", "{loop}"], ["audit", SNAPSHOT, "-o", "{loop}/x.json"],
    ["history", "--out", "{loop}"],
])
def test_names_too_long_and_link_loops_are_one_line_exit_2(tmp_path: Path, args: list[str]) -> None:
    loop_a, loop_b = tmp_path / "loop-a", tmp_path / "loop-b"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    result = run_cli(*[a.format(tmp=tmp_path, loop=loop_a) for a in args], cwd=tmp_path)
    _one_line_exit_2(result)
    # One error line; an old spelling (`history --out`) adds its one-line deprecation note before it.
    errors = [line for line in result.stderr.strip().splitlines() if not line.startswith("gcaudit: note:")]
    assert len(errors) == 1, result.stderr


# --- hypothesis over the CLI's options and arguments -----------------------------------------------

from click.testing import CliRunner  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from auditor.cli import cli as gcaudit  # noqa: E402

HOSTILE_VALUES = st.sampled_from([
    "", " ", "-", "--", "0", "-1", HUGE, "1e999", "nan", "inf", "\x00", "\u202e", "x" * 5000, "../" * 50,
    "/dev/zero", "/proc/self/mem", "%00", "a:b@c", "https://u:p@h", "{{x}}", "$(id)", "'\"", "\\", "~",
]) | st.text(max_size=30)
COMMANDS = [
    ["audit", SNAPSHOT, "--format"], ["audit", SNAPSHOT, "--fail-on"], ["audit", SNAPSHOT, "--plan"],
    ["audit", SNAPSHOT, "--waivers"], ["audit", SNAPSHOT, "--waiver-max-days"], ["audit"],
    ["preflight", SNAPSHOT, "--curl"], ["preflight", SNAPSHOT], ["preflight", SNAPSHOT, "--plan"],
    ["rules", "--format"], ["permissions", "--format"], ["history", "--limit"], ["history", "--org"],
    ["history", "--history"], ["diff", "1"], ["diff"], ["history-prune", "--older-than-days"],
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(COMMANDS), value=HOSTILE_VALUES, extra=HOSTILE_VALUES)
def test_hostile_option_values_never_crash(tmp_path_factory, command: list[str], value: str, extra: str) -> None:
    out = tmp_path_factory.mktemp("cli")
    args = [*command, value]
    if command[0] in ("history", "diff", "history-prune"):
        args += ["--out", str(out)]
    if command == ["diff"]:
        args.append(extra)
    result = CliRunner().invoke(gcaudit, args, catch_exceptions=True)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.output[-500:])
    assert "internal error" not in result.output, (args, result.output[-500:])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        args, repr(result.exception))
