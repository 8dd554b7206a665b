"""Issue 23, class 5: no night is lost. A history locked past its wait, or a disk that fills while
recording, still gives the night's reports (saying the run was not recorded) or a one-line exit 2;
retention never deletes the report it just wrote, whatever dates other files carry."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from auditor.history import HistoryStore
from auditor.nightly import output
from auditor.nightly.run import NightlyOptions, run_nightly
from tests.conftest import SAMPLES, run_cli

SNAPSHOT = SAMPLES / "demo-org"


def _options(out: Path, **extra: object) -> NightlyOptions:
    return NightlyOptions(out=out, history_url=f"sqlite:///{out / 'gcaudit-history.db'}", snapshot=SNAPSHOT,
                          **extra)  # type: ignore[arg-type]


def test_a_history_locked_past_its_wait_still_writes_the_report(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    first = run_nightly(_options(out))
    assert first.not_recorded is None
    monkeypatch.setattr(HistoryStore, "busy_timeout", 0.2)
    holder = sqlite3.connect(out / "gcaudit-history.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing, for longer than the wait
    try:
        outcome = run_nightly(_options(out))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outcome.not_recorded and "locked" in outcome.not_recorded
    assert outcome.exit_code in (1, 3)
    data = json.loads(outcome.reports["json"].read_text())
    assert data["nightly"]["recorded"] is False and "locked" in data["nightly"]["not_recorded"]
    assert "NOT RECORDED" in outcome.reports["md"].read_text()
    assert "Not recorded in the history" in outcome.reports["html"].read_text()
    assert json.loads((out / "latest.json").read_text())["nightly"]["recorded"] is False
    assert any("NOT RECORDED" in line for line in outcome.summary_lines(200))
    with HistoryStore(_options(out).history_url) as store:
        assert len(store.runs(None, 10)) == 1  # the locked night is not in the history


def test_a_failure_while_recording_still_writes_the_report(tmp_path: Path, monkeypatch) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(HistoryStore, "record_run", full)
    outcome = run_nightly(_options(tmp_path / "out"))
    assert outcome.not_recorded and "disk is full" in outcome.not_recorded
    assert outcome.reports["json"].exists() and outcome.exit_code in (1, 3)


def test_not_recorded_and_otherwise_clean_is_not_exit_0(tmp_path: Path, monkeypatch) -> None:
    def locked(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(HistoryStore, "record_run", locked)
    from auditor.results import Severity

    outcome = run_nightly(_options(tmp_path / "out", fail_on=Severity.CRITICAL, fail_on_new_only=True))
    assert outcome.exit_code == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_full_disk_while_recording_is_one_line_and_exit_2(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(disk)],
                      capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        result = run_cli("nightly", str(SNAPSHOT), "--out", str(disk / "out"))
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "no space left" in result.stderr.lower() or "disk is full" in result.stderr.lower()


# --- retention ----------------------------------------------------------------------------------


def test_retention_never_deletes_the_report_it_just_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # Files dated in the future (a wrong clock, a copy from another machine, planted names).
    for ext in output.REPORT_EXTENSIONS:
        (out / f"gcaudit-29991231T235959Z-run999999.{ext}").write_text("future")
    (out / output.SNAPSHOTS_DIR / "29991231T235959Z-run999999").mkdir(parents=True)
    (out / output.SNAPSHOTS_DIR / "29991231T235959Z-run999999" / "manifest.json").write_text("{}")
    outcome = run_nightly(_options(out, keep=1))
    for path in outcome.reports.values():
        assert path.exists(), path
    assert not (out / "gcaudit-29991231T235959Z-run999999.json").exists()


def test_retention_protects_tonights_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "out"
    snapshots = out / output.SNAPSHOTS_DIR
    tonight = snapshots / "20261206T010000Z"
    future = snapshots / "29991231T235959Z"
    for path in (tonight, future):
        path.mkdir(parents=True)
        (path / "manifest.json").write_text("{}")
    output.prune(out, 1, protect=[tonight])
    assert tonight.exists() and not future.exists()


# --- --orgs: one org's unsafe file stops that org only ------------------------------------------


def _two_orgs(tmp_path: Path) -> Path:
    from tests.history.orgs import nightly_org

    orgs = tmp_path / "orgs.yaml"
    lines = ["orgs:"]
    for number, name in enumerate(("alpha", "beta")):
        org = nightly_org()
        org.org_id = f"9d2f4c1e-0000-4000-8000-00000000000{number}"
        snapshot = org.write(tmp_path / f"snap-{name}")
        lines += [f"  - name: {name}", f"    snapshot: {snapshot}"]
    orgs.write_text("\n".join(lines) + "\n")
    return orgs


@pytest.mark.parametrize("plant", ["log-symlink", "log-fifo", "folder-is-a-file"])
def test_one_orgs_unsafe_file_never_stops_the_others_nor_the_index(tmp_path: Path, plant: str) -> None:
    orgs = _two_orgs(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    if plant == "folder-is-a-file":
        (out / "alpha").write_text("not a folder")
    else:
        (out / "alpha").mkdir()
        if plant == "log-symlink":
            (out / "alpha" / "nightly.log").symlink_to(tmp_path / "elsewhere.log")
        else:
            os.mkfifo(out / "alpha" / "nightly.log")
    result = run_cli("nightly", "--orgs", str(orgs), "--out", str(out), timeout=300)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 3), result.stderr
    index = json.loads((out / "index.json").read_text())
    rows = {row["name"]: row for row in index["orgs"]}
    assert rows["alpha"]["exit_code"] == 2 and rows["alpha"]["outcome"].startswith("not run:")
    assert rows["beta"]["exit_code"] in (0, 1) and (out / "beta" / "latest.json").exists()
    assert (out / "index.html").exists()
    assert not (tmp_path / "elsewhere.log").exists()
