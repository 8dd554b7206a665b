"""`gcaudit nightly`, `history` and `diff` end to end: offline snapshots, live collection from the fake
API, notifications to a local receiver, multi-org with a broken org, retention, settings precedence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auditor.cli import cli as gcaudit
from auditor.history.lock import lock_file_path
from tests.conftest import run_cli
from tests.history.orgs import nightly_org
from tests.webhook_receiver import Receiver


def nightly(*args: str, env: dict[str, str] | None = None) -> Result:
    """In-process: fast. GCAUDIT_* from the test environment must not leak in."""
    clean = {k: None for k in ("GCAUDIT_OUT", "GCAUDIT_HISTORY", "GCAUDIT_CONFIG", "GCAUDIT_ORGS")}
    return CliRunner().invoke(gcaudit, ["nightly", *args], env={**clean, **(env or {})}, catch_exceptions=False)


def snap(tmp_path: Path, name: str, **kwargs) -> str:
    return str(nightly_org(**kwargs).write(tmp_path / name))


def _db(out: Path) -> str:
    return f"sqlite:///{out / 'gcaudit-history.db'}"


def latest(out: Path) -> dict:
    return json.loads((out / "latest.json").read_text())


def test_two_nights_compare_report_and_exit(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    first = nightly(snap(tmp_path, "n1"), "--out-dir", str(out))
    assert first.exit_code == 1, first.output  # Billing: high FAIL
    assert "first run for this org: 1 new" in first.output
    second = nightly(snap(tmp_path, "n2", billing_codes=True, sales_codes=False, extra_queue=True),
                     "--out-dir", str(out))
    assert second.exit_code == 1
    assert "compared with run 1: 1 new, 0 regressed, 1 resolved, 0 unchanged" in second.output
    data = latest(out)
    assert data["nightly"]["run_id"] == 2 and data["nightly"]["previous_run_id"] == 1
    assert {(c["change"], c["resource_name"]) for c in data["nightly"]["findings"]["changes"]} == {
        ("NEW", "Sales"), ("RESOLVED", "Billing")}
    assert {(c["kind"], c["change"], c["name"]) for c in data["nightly"]["drift"]["changes"]} == {
        ("queue", "added", "Returns"), ("wrapup_assignment", "added", "Billing / Resolved"),
        ("wrapup_assignment", "removed", "Sales / Resolved")}
    sales = next(r for r in data["results"] if r["rule_id"] == "QUE-002" and r["resource_name"] == "Sales")
    assert sales["change"] == "NEW"
    stems = sorted(p.name for p in out.glob("gcaudit-*-run2.*"))
    assert [s.rsplit(".", 1)[1] for s in stems] == ["html", "json", "md"]
    assert re.match(r"gcaudit-\d{8}T\d{6}Z-run2\.html", stems[0])
    html = (out / "latest.html").read_text()
    assert 'id="changes"' in html and "Changed since the last run" in html and 'id="trend"' in html
    assert 'class="band ' in html and '"badges":{"' in html and '"NEW"' in html
    assert "Wrap-up code assignments" in html
    md = (out / "latest.md").read_text()
    assert "| NEW | high | QUE-002 | A queue with mandatory wrap-up has no wrap-up codes | Sales |" in md
    assert "| added | Queues | Returns |  |" in md


def test_fail_on_new_only(tmp_path: Path) -> None:
    out = tmp_path / "r"
    assert nightly(snap(tmp_path, "a"), "--out-dir", str(out), "--fail-on-new-only").exit_code == 1
    again = nightly(snap(tmp_path, "b"), "--out-dir", str(out), "--fail-on-new-only")
    assert again.exit_code == 0, again.output  # Billing still fails, but it is not new
    assert nightly(snap(tmp_path, "c"), "--out-dir", str(out)).exit_code == 1


def test_incomplete_data_exits_3(tmp_path: Path) -> None:
    broken = nightly_org(billing_codes=True).fail("roles").write(tmp_path / "broken")
    result = nightly(str(broken), "--out-dir", str(tmp_path / "r"), "--fail-on", "critical")
    assert result.exit_code == 3 and "DATA INCOMPLETE: roles" in result.output


def test_notifications_only_when_worse_and_never_fatal(tmp_path: Path) -> None:
    out = tmp_path / "r"
    with Receiver([500]) as rx:  # the webhook is down all night
        first = nightly(snap(tmp_path, "a"), "--out-dir", str(out), "--notify", rx.url,
                        "--notify-format", "slack", "--notify-backoff", "0")
    assert first.exit_code == 1  # the audit's status, not the notification's
    assert len(rx.requests) == 4  # retried, then given up
    assert latest(out)["nightly"]["notifications"][0]["ok"] is False
    with Receiver() as rx:
        second = nightly(snap(tmp_path, "b"), "--out-dir", str(out), "--notify", rx.url,
                         "--notify", rx.url + "/2")
        third = nightly(snap(tmp_path, "c", sales_codes=False), "--out-dir", str(out), "--notify", rx.url)
    assert second.exit_code == third.exit_code == 1
    assert [r["path"].rsplit("/", 1)[1] for r in rx.requests] == ["s3cretpath"]  # only the third night posted
    assert rx.bodies[0]["findings"][0]["resource_name"] == "Sales"
    runs = json.loads(CliRunner().invoke(gcaudit, ["history", "--history", _db(out), "--format", "json"]).output)
    assert [r["id"] for r in runs] == [3, 2, 1]  # every run stored despite the failed webhook


def test_retention_keeps_the_newest_n(tmp_path: Path) -> None:
    out = tmp_path / "r"
    for night in range(3):
        assert nightly(snap(tmp_path, f"n{night}"), "--out-dir", str(out), "--keep", "2").exit_code == 1
    assert sorted(p.name.split("-run")[1] for p in out.glob("gcaudit-*.json")) == ["2.json", "3.json"]
    assert len(list(out.glob("gcaudit-*.html"))) == 2 and (out / "latest.html").exists()
    (out / "notes.txt").write_text("mine")
    nightly(snap(tmp_path, "n9"), "--out-dir", str(out), "--keep", "1")
    assert (out / "notes.txt").exists() and len(list(out.glob("gcaudit-*.md"))) == 1


def test_waivers_in_nightly(tmp_path: Path) -> None:
    from datetime import date, timedelta

    waivers = tmp_path / "w.yaml"
    waivers.write_text(f"waivers:\n  - {{rule: QUE-002, resource: Bill*, reason: r, owner: o, "
                       f"expires: {(date.today() + timedelta(days=5)).isoformat()}}}\n")
    out = tmp_path / "r"
    result = nightly(snap(tmp_path, "a"), "--out-dir", str(out), "--waivers", str(waivers))
    assert result.exit_code == 0, result.output
    data = latest(out)
    assert data["nightly"]["findings"]["counts"]["NEW"] == 0
    assert data["waivers"]["waived_results"] == 1
    html = (out / "latest.html").read_text()
    assert 'id="waivers"' in html and "WAIVED" in html


def test_settings_precedence_flags_env_config(tmp_path: Path) -> None:
    config = tmp_path / "gcaudit.yaml"
    config.write_text("out: from-config\nfail-on: critical\nkeep: 5\n")
    snapshot = snap(tmp_path, "a")
    result = nightly("--config", str(config), snapshot)
    assert result.exit_code == 0, result.output  # fail-on critical from the file: the high FAIL does not count
    assert (tmp_path / "from-config" / "latest.json").exists()  # relative to the config file
    result = nightly("--config", str(config), snapshot, env={"GCAUDIT_FAIL_ON": "high"})
    assert result.exit_code == 1  # env beats the file
    result = nightly("--config", str(config), snapshot, "--fail-on", "critical",
                     env={"GCAUDIT_FAIL_ON": "high"})
    assert result.exit_code == 0  # the flag beats env


@pytest.mark.parametrize(("text", "message"), [
    ("colour: blue\n", "gcaudit.yaml: colour: unknown setting"),
    ("keep: lots\n", "gcaudit.yaml: keep: 'lots' is not a valid integer"),
])
def test_bad_config_file_is_a_one_line_input_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "gcaudit.yaml"
    config.write_text(text)
    result = run_cli("nightly", "--config", str(config), snap(tmp_path, "a"))
    assert result.returncode == 2 and message in result.stderr and result.stderr.count("\n") == 1


def test_second_run_for_the_same_org_exits_75(tmp_path: Path) -> None:
    from filelock import FileLock

    out = tmp_path / "r"
    db = (out / "gcaudit-history.db").resolve()
    out.mkdir()
    with FileLock(str(lock_file_path(db, "acme"))):
        result = run_cli("nightly", snap(tmp_path, "a"), "--out-dir", str(out), "--label", "acme")
    assert result.returncode == 75
    assert "another gcaudit nightly run for org 'acme' is still running" in result.stderr
    assert not list(out.glob("gcaudit-*.json"))


def test_history_and_diff_commands(tmp_path: Path) -> None:
    out = tmp_path / "r"
    nightly(snap(tmp_path, "a"), "--out-dir", str(out))
    nightly(snap(tmp_path, "b", billing_codes=True, channels=("Webmessaging", "Voice")),
            "--out-dir", str(out))
    table = CliRunner().invoke(gcaudit, ["history", "--history", _db(out)])
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].startswith("Acme Support (")  # one table per org, under its name
    assert lines[1].split()[:6] == ["run", "started", "(UTC)", "co-browse", "blockers", "actions"]
    # Billing fixed; enabling Voice co-browse without a Voice permission is one new critical finding
    # (a blocker: still NOT READY); open, new, regressed, fixed.
    assert re.match(r"\s*2\s+\S+ \S+\s+NOT READY\s+1\s+\S+\s+1\s+1\s+0\s+1$", lines[3]), lines[3]
    assert all(len(line) <= 80 for line in lines)
    diff = CliRunner().invoke(gcaudit, ["diff", "1", "2", "--history", _db(out)])
    assert diff.exit_code == 0
    assert diff.output.startswith("co-browse: NOT READY, unchanged (1 → 1 blockers)\n")
    assert "run 1 -> run 2: 1 new, 0 regressed, 1 resolved" in diff.output
    assert re.search(r"changed\s+Web deployments\s+Web\s+configuration\.cobrowse\.channels", diff.output)
    as_json = json.loads(CliRunner().invoke(gcaudit, ["diff", "1", "2", "--history", _db(out),
                                                      "--format", "json"]).output)
    assert as_json["findings"]["counts"]["RESOLVED"] == 1
    missing = run_cli("history", "--history", _db(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no history at" in missing.stderr


def test_multi_org_with_one_broken_org(tmp_path: Path) -> None:
    good = nightly_org().write(tmp_path / "good")
    other = nightly_org(billing_codes=True)
    other.org_id, other.org_name = "9d2f4c1e-0000-4000-8000-000000000002", "Globex"
    other.write(tmp_path / "globex")
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text(
        "orgs:\n"
        f"  - {{name: acme, snapshot: {good}}}\n"
        "  - {name: broken, snapshot: does-not-exist}\n"
        f"  - {{name: globex, snapshot: {tmp_path / 'globex'}}}\n"
    )
    out = tmp_path / "all"
    result = run_cli("nightly", "--orgs", str(orgs), "--out-dir", str(out), "--parallel", "3")
    assert result.returncode == 1, result.stdout + result.stderr  # acme has a high FAIL
    assert "broken: exit 2 (bad input or credentials)" in result.stdout
    assert (out / "acme" / "latest.html").exists() and (out / "globex" / "latest.json").exists()
    assert "no such snapshot directory" in (out / "broken" / "nightly.log").read_text()
    index = json.loads((out / "index.json").read_text())
    assert [(o["name"], o["exit_code"]) for o in index["orgs"]] == [("acme", 1), ("broken", 2), ("globex", 0)]
    html = (out / "index.html").read_text()
    assert 'href="acme/latest.html"' in html and "Globex" in html
    runs = json.loads(CliRunner().invoke(gcaudit, ["history", "--history", _db(out), "--format", "json"]).output)
    assert sorted(r["label"] for r in runs) == ["acme", "globex"]  # one shared history


def test_live_collection_from_the_fake_api(tmp_path: Path) -> None:
    from auditor.testing.fake_api import FakePlatformApi

    out = tmp_path / "r"
    with FakePlatformApi(nightly_org()) as api:
        result = run_cli("nightly", "--out-dir", str(out), "--label", "acme", env=api.env())
        assert result.returncode == 1, result.stderr
    snapshots = list((out / "snapshots").iterdir())
    assert len(snapshots) == 1 and (snapshots[0] / "manifest.json").exists()
    assert latest(out)["nightly"]["findings"]["counts"]["NEW"] == 1
    secret = api.config.client_secret
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".html", ".md", ".db"):
            assert secret.encode() not in path.read_bytes(), path


def test_a_run_under_another_label_for_the_same_org_exits_75(tmp_path: Path) -> None:
    # A live run locks on its client id before it knows the org; an offline run of the same org
    # under another label must still not record alongside it.
    from filelock import FileLock

    from auditor.nightly.run import org_lock_label

    out = tmp_path / "r"
    db = (out / "gcaudit-history.db").resolve()
    out.mkdir()
    org_id = nightly_org().org_id
    with FileLock(str(lock_file_path(db, org_lock_label(org_id)))):
        result = run_cli("nightly", snap(tmp_path, "a"), "--out-dir", str(out), "--label", "other-name")
    assert result.returncode == 75
    assert f"another gcaudit nightly run for org 'org:{org_id}' is still running" in result.stderr
    assert not list(out.glob("gcaudit-*.json"))
    again = run_cli("nightly", snap(tmp_path, "b"), "--out-dir", str(out), "--label", "other-name")
    assert again.returncode == 1, again.stderr  # released with the holder: the run records normally


def test_the_cobrowse_verdict_change_is_said_by_nightly_diff_and_notifications(tmp_path: Path) -> None:
    """NOT READY (Billing's mandatory wrap-up has no codes) -> READY (fixed) -> NOT READY (broken
    again): every surface names the change, in both directions; an unchanged verdict is not news."""
    out = tmp_path / "r"
    with Receiver() as rx:
        nights = [nightly(snap(tmp_path, name, **kw), "--out-dir", str(out), "--notify", rx.url)
                  for name, kw in (("n1", {}), ("n2", {"billing_codes": True}), ("n3", {"billing_codes": True}),
                                   ("n4", {}))]
    assert [n.exit_code for n in nights] == [1, 0, 0, 1]
    assert "co-browse: NOT READY → READY since run 1" in nights[1].output
    assert "co-browse:" not in nights[2].output.replace("READY for co-browse", "")  # unchanged: not said
    assert "co-browse: READY → NOT READY since run 3" in nights[3].output
    # The webhook hears of the first night (new finding), both verdict changes, and not of night 3.
    heard = [body["cobrowse"] for body in rx.bodies]
    assert [c["change"] for c in heard] == [None, "co-browse: NOT READY → READY", "co-browse: READY → NOT READY"]
    assert rx.bodies[1]["findings"] == [] and rx.bodies[1]["summary"].startswith(
        "gcaudit nightly, Acme Support: co-browse: NOT READY → READY; ")
    assert heard[2] == {"verdict": "not_ready", "blockers": 1, "change": "co-browse: READY → NOT READY"}
    data = latest(out)["nightly"]["cobrowse"]
    assert (data["verdict"], data["blockers"], data["previous"]["verdict"]) == ("not_ready", 1, "ready")
    assert "**co-browse: READY → NOT READY** since run 3." in (out / "latest.md").read_text()
    assert '<strong>co-browse: READY → NOT READY</strong> since run 3.' in (out / "latest.html").read_text()
    for a, b, first in (("1", "2", "co-browse: NOT READY → READY (1 → 0 blockers)"),
                        ("3", "4", "co-browse: READY → NOT READY (0 → 1 blockers)"),
                        ("2", "3", "co-browse: READY, unchanged (0 → 0 blockers)")):
        diff = CliRunner().invoke(gcaudit, ["diff", a, b, "--history", _db(out)])
        assert diff.output.splitlines()[0] == first, diff.output
    as_json = json.loads(CliRunner().invoke(gcaudit, ["diff", "1", "2", "--history", _db(out),
                                                      "--format", "json"]).output)
    assert as_json["cobrowse"]["change"] == "co-browse: NOT READY → READY"
    assert (as_json["cobrowse"]["from"]["verdict"], as_json["cobrowse"]["to"]["verdict"]) == ("not_ready", "ready")


def test_fail_on_blockers_exits_by_the_verdict(tmp_path: Path) -> None:
    """`--fail-on blockers`: 1 while co-browse is NOT READY, 0 when READY; with --fail-on-new-only,
    1 only on the night it became NOT READY (the first run has nothing before it: it counts)."""
    plain, gated = tmp_path / "plain", tmp_path / "gated"
    orgs = [("n1", {}), ("n2", {}), ("n3", {"billing_codes": True}), ("n4", {})]
    codes = [nightly(snap(tmp_path, name, **kw), "--out", str(plain), "--fail-on", "blockers").exit_code
             for name, kw in orgs]
    assert codes == [1, 1, 0, 1]
    codes = [nightly(snap(tmp_path, name + "g", **kw), "--out", str(gated), "--fail-on", "blockers",
                     "--fail-on-new-only").exit_code for name, kw in orgs]
    assert codes == [1, 0, 0, 1]
