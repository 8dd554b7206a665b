"""Crash safety: `collect`, `audit -o` and `nightly` killed with SIGKILL at seeded random moments.

After every kill nothing half-written may pass for complete: a snapshot directory either is not
there or loads as a whole snapshot (a leftover `.partial` directory never loads as one); a report
is absent, the previous one, or complete; the history holds no half run. And the next run works
without anyone cleaning up (no stale lock or partial directory blocks it).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.snapshot import load_snapshot
from auditor.testing.fake_api import FakeConfig, FakePlatformApi
from auditor.testing.synthetic import OrgSpec, SyntheticOrg
from tests.conftest import ROOT, SAMPLES, run_cli

KILLS = 6
FAST = ("--rate", "100000", "--backoff-base", "0.01", "--workers", "2")


def _start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "auditor", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _timed(*args: str, env: dict[str, str] | None = None) -> float:
    """Seconds one uninterrupted run takes here and now (the kill moments are drawn within it)."""
    started = time.monotonic()
    done = run_cli(*args, env=env)
    assert done.returncode in (0, 1, 3), done.stderr
    return time.monotonic() - started


def _kill_after(proc: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL `proc` after `delay` s; False when it had already finished by then."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


class KillClock:
    """Draws kill moments within a run, adapting to how long runs take right now.

    The first, timed run is often the slowest (cold caches) and a shared machine speeds up and
    slows down, so a moment drawn from a fixed share of that one timing can fall after a later
    run has already finished. Each run that finishes before its kill shrinks the window, so the
    test keeps killing runs mid-way instead of failing on a noisy machine.
    """

    def __init__(self, duration: float, seed: int, low: float, high: float) -> None:
        self.rng = random.Random(seed)
        self.duration, self.low, self.high = duration, low, high
        self.killed = 0

    def kill(self, proc: subprocess.Popen[bytes]) -> bool:
        killed = _kill_after(proc, self.rng.uniform(self.low, self.high) * self.duration)
        if killed:
            self.killed += 1
        else:
            self.duration *= 0.6
        return killed


def _assert_whole_or_absent(snapshot_dir: Path) -> None:
    if snapshot_dir.exists():
        loaded = load_snapshot(snapshot_dir)
        assert loaded.manifest.complete


def _assert_partials_never_load(parent: Path) -> None:
    for partial in parent.glob(".*.partial"):
        try:
            loaded = load_snapshot(partial)
        except InputError:
            continue
        # Only possible in the instant between writing the manifest (last) and the rename: complete.
        assert loaded.manifest.complete and set(loaded.data) == set(loaded.manifest.datasets)


def test_collect_killed_at_random_points(tmp_path: Path) -> None:
    org = SyntheticOrg(OrgSpec.scaled(30, seed=8)).builder()
    with FakePlatformApi(org, FakeConfig(latency=0.02)) as api:
        duration = _timed("--quiet", "collect", "--out-dir", str(tmp_path / "timed"), *FAST, env=api.env())
        clock = KillClock(duration, seed=8, low=0.1, high=0.9)
        for attempt in range(KILLS):
            out = tmp_path / f"snap-{attempt}"
            clock.kill(_start("--quiet", "collect", "--out-dir", str(out), *FAST, env=api.env()))
            _assert_whole_or_absent(out)
            _assert_partials_never_load(tmp_path)
        # The next run into the same place works with every leftover still lying around.
        out = tmp_path / f"snap-{KILLS - 1}"
        target = out if not out.exists() else tmp_path / "snap-final"
        leftovers = list(tmp_path.glob(".*.partial"))
        done = run_cli("--quiet", "collect", "--out-dir", str(target), *FAST, env=api.env())
    assert done.returncode == 0, done.stderr
    assert load_snapshot(target).manifest.complete
    # ... and removes what the killed runs left beside it.
    assert not [p for p in leftovers if p.exists()]
    assert clock.killed >= KILLS // 2, "most runs should have been killed mid-way"


@pytest.fixture(scope="module")
def big_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Big enough that rendering and writing the reports takes a noticeable share of the run."""
    return SyntheticOrg(OrgSpec.scaled(600, seed=3)).write(tmp_path_factory.mktemp("big") / "snap")


def _complete_json_report(path: Path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))  # a cut-off file does not parse
    assert report["results"], "a complete report lists its results"
    return report


def test_audit_output_killed_at_random_points(tmp_path: Path, big_snapshot: Path) -> None:
    report, html = tmp_path / "report.json", tmp_path / "report.html"
    old_json, old_html = '{"old": true}\n', "<!doctype html><p>old</p>\n"
    args = ("audit", str(big_snapshot), "--format", "json", "-o", str(report), "--html", str(html))
    clock = KillClock(_timed(*args), seed=3, low=0.3, high=0.9)
    for _ in range(KILLS):
        report.write_text(old_json)
        html.write_text(old_html)
        clock.kill(_start(*args))
        if report.read_text() != old_json:
            _complete_json_report(report)
        text = html.read_text(encoding="utf-8")
        assert text == old_html or text.rstrip().endswith("</html>")
    assert clock.killed >= KILLS // 2
    done = run_cli(*args)
    assert done.returncode in (0, 1, 3), done.stderr
    _complete_json_report(report)


def _history_runs(db: Path) -> list[tuple[int, int, int]]:
    """(run id, results the run's summary announces, results rows stored) for every run."""
    from auditor.history import schema

    with sqlite3.connect(db) as conn:
        runs = conn.execute(f"SELECT id, summary FROM {schema.runs.name}").fetchall()
        out = []
        for run_id, summary in runs:
            stored = conn.execute(f"SELECT COUNT(*) FROM {schema.results.name} WHERE run_id = ?", (run_id,)).fetchone()
            out.append((run_id, json.loads(summary)["results"], stored[0]))
    return out


def test_nightly_killed_at_random_points(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    db = out / "gcaudit-history.db"
    args = ("--quiet", "nightly", str(SAMPLES / "demo-org"), "--plan",
            str(SAMPLES / "demo-org" / "plan.yaml"), "--out-dir", str(out), "--label", "demo")
    env = {"GCAUDIT_CONFIG": ""}
    clock = KillClock(_timed(*args, env=env), seed=5, low=0.3, high=0.9)
    for _ in range(KILLS):
        clock.kill(_start(*args, env=env))
        if db.exists():
            for run_id, announced, stored in _history_runs(db):
                assert announced == stored, f"run {run_id} is half recorded"
        recorded = {run_id for run_id, _, _ in (_history_runs(db) if db.exists() else [])}
        for path in out.glob("*.json"):
            report = _complete_json_report(path)
            if path.name != "latest.json":
                run_id = int(path.stem.rsplit("run", 1)[1])
                assert run_id in recorded, f"{path.name} reports a run the history does not hold"
                assert report
        for path in out.glob("*.html"):
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert clock.killed >= KILLS // 2
    before = len(_history_runs(db))
    done = run_cli(*args, env=env)  # no stale lock file or partial run stops the next night
    assert done.returncode in (0, 1, 3), done.stderr
    assert len(_history_runs(db)) == before + 1
