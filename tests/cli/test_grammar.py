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
    history = f"sqlite:///{out / 'gcaudit-history.db'}"
    refused = run_cli("diff", "1", "2", "--history", history)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "two different orgs" in refused.stderr
    assert run_cli("diff", "1", "3", "--history", history).returncode == 0


# --- one option grammar (issue 19, item 9) --------------------------------------------------------

#: Deprecated spellings no --help may recommend (each still works, with a note on stderr).
DEPRECATED_FORMS = ("--snapshot DIR", "--out ", "--out=", "history-prune", "--out-dir DIR ...")


def _invoke(*args: str, env: dict[str, str] | None = None):
    from click.testing import CliRunner

    from auditor.cli import cli

    clean = {k: None for k in ("GCAUDIT_CONFIG", "GCAUDIT_OUT", "GCAUDIT_HISTORY", "GCAUDIT_PLAN")}
    return CliRunner().invoke(cli, list(args), env={**clean, "COLUMNS": "80", **(env or {})},
                              catch_exceptions=False)


@pytest.fixture(scope="module")
def history_db(tmp_path_factory) -> str:
    """Four nightly runs: ready (1), demo (2), ready (3), ready (4)."""
    out = tmp_path_factory.mktemp("h") / "reports"
    for org in (READY, DEMO, READY, READY):
        assert _invoke("nightly", str(org), "--out-dir", str(out)).exit_code in (0, 1)
    return f"sqlite:///{out / 'gcaudit-history.db'}"


def _diff_runs(result) -> tuple[int, int]:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["from_run"], data["to_run"]


@pytest.mark.parametrize("refs,expected", [
    ((), (3, 4)),                        # previous -> latest
    (("previous", "latest"), (3, 4)),
    (("-2", "-1"), (3, 4)),              # -1 is the newest run
    (("-3", "latest"), (1, 4)),          # counted through the newest run's org (run 2 is another org)
    (("1", "-1"), (1, 4)),
    (("1", "3"), (1, 3)),
])
def test_diff_takes_latest_previous_and_negative_counts(history_db: str, refs: tuple, expected: tuple) -> None:
    assert _diff_runs(_invoke("diff", *refs, "--history", history_db, "--format", "json")) == expected


def test_diff_counts_back_through_the_named_org(history_db: str) -> None:
    runs = _invoke("history", "--history", history_db, "--format", "json")
    demo_org = next(r["org_id"] for r in json.loads(runs.stdout) if r["id"] == 2)
    refused = _invoke("diff", "--org", demo_org, "--history", history_db)
    assert refused.exit_code == 2 and "holds 1 run(s)" in refused.stderr and refused.stderr.count("\n") == 1


@pytest.mark.parametrize("bad", ["latest-ish", "0x3", "--fromat"])
def test_diff_refuses_what_is_not_a_run(history_db: str, bad: str) -> None:
    result = _invoke("diff", "latest", bad, "--history", history_db)
    assert result.exit_code == 2 and (bad in result.stderr)


def test_history_prune_is_a_subcommand_and_the_old_spelling_still_works(history_db: str) -> None:
    new = _invoke("history", "prune", "--older-than-days", "30", "--dry-run", "--history", history_db)
    old = _invoke("history-prune", "--older-than-days", "30", "--dry-run", "--history", history_db)
    group_option = _invoke("history", "--history", history_db, "prune", "--older-than-days", "30", "--dry-run")
    assert new.exit_code == old.exit_code == group_option.exit_code == 0
    assert new.stdout == old.stdout == group_option.stdout and "would delete 0 run(s)" in new.stdout
    assert "deprecated" not in new.stderr
    assert old.stderr == "gcaudit: note: history-prune is deprecated; use `gcaudit history prune`\n"
    assert "history-prune" not in _invoke("--help").stdout


def test_out_dir_to_locate_the_history_is_deprecated(history_db: str) -> None:
    out = history_db[len("sqlite:///"):].rsplit("/", 1)[0]
    for command in (["history"], ["diff", "1", "3"]):
        old = _invoke(*command, "--out-dir", out)
        new = _invoke(*command, "--history", history_db)
        assert old.exit_code == new.exit_code == 0 and old.stdout == new.stdout
        assert old.stderr == "gcaudit: note: --out-dir here is deprecated; use --history URL\n"
        assert "deprecated" not in new.stderr


@pytest.mark.parametrize("command", [["rules"], ["permissions"], ["history"], ["diff"]])
def test_o_writes_the_report_to_a_file(history_db: str, tmp_path, command: list[str]) -> None:
    extra = ["--history", history_db] if command[0] in ("history", "diff") else []
    printed = _invoke(*command, *extra)
    target = tmp_path / "report.txt"
    written = _invoke(*command, *extra, "-o", str(target))
    assert printed.exit_code == written.exit_code == 0
    assert written.stdout == "" and target.read_text() == printed.stdout and printed.stdout


def test_every_table_and_note_fits_80_columns(history_db: str, tmp_path) -> None:
    outputs = {
        "rules": _invoke("rules"), "permissions": _invoke("permissions"),
        "history": _invoke("history", "--history", history_db),
        "diff": _invoke("diff", "1", "3", "--history", history_db),
        "notes": _invoke("diff", "1", "3", "--out-dir", history_db[len("sqlite:///"):].rsplit("/", 1)[0]),
        "export": _invoke("export-terraform", str(READY), str(tmp_path / "tf")),
    }
    terraform = _invoke("audit", "--terraform", str(tmp_path / "tf"))
    assert terraform.stderr.startswith("gcaudit: note: traffic")
    for name, result in outputs.items():
        # Tables on stdout; on stderr the notes (and their folded lines), not the `wrote PATH` lines.
        lines = result.stdout.splitlines() + [line for line in result.stderr.splitlines()
                                              if not line.startswith("wrote ")]
        lines += terraform.stderr.splitlines()
        for line in lines:
            assert len(line) <= 80, f"{name}: {line!r}"
    assert "gcaudit: note:" in outputs["notes"].stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_help_recommends_a_deprecated_form(command: str) -> None:
    result = _invoke(command, "--help")
    assert result.exit_code == 0
    text = result.stdout if command != "history-prune" else result.stdout.replace("history-prune [OPTIONS]", "")
    for form in DEPRECATED_FORMS:
        assert form not in text, (command, form)
    if command in ("history", "diff"):
        assert "--out-dir" not in text


def test_export_terraform_writes_to_out_dir_and_the_old_argument_still_works(tmp_path) -> None:
    new = _invoke("export-terraform", str(READY), "--out-dir", str(tmp_path / "new"))
    old = _invoke("export-terraform", str(READY), str(tmp_path / "old"))
    assert new.exit_code == old.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(p.name for p in (tmp_path / "old").iterdir())
    assert "deprecated" not in new.stderr
    assert "export-terraform SNAPSHOT DIR is deprecated; use --out-dir DIR" in old.stderr


def test_the_old_out_spelling_gets_a_note(tmp_path) -> None:
    new = _invoke("nightly", str(READY), "--out-dir", str(tmp_path / "a"))
    old = _invoke("nightly", str(READY), "--out", str(tmp_path / "b"))
    assert new.exit_code == old.exit_code == 0
    assert "--out is deprecated; use --out-dir" in old.stderr and "deprecated" not in new.stderr
