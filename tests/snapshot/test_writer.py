from __future__ import annotations

import stat

import pytest

from auditor.errors import InputError
from auditor.snapshot import SnapshotWriter
from auditor.testing.builder import OrgBuilder


def test_snapshot_appears_only_on_commit_and_is_owner_only(tmp_path):
    target = tmp_path / "snap"
    org = OrgBuilder()
    with SnapshotWriter(target) as writer:
        writer.write_dataset("queues", [])
        assert not target.exists()  # nothing that looks like a snapshot before the manifest
        writer.commit(org.manifest())
    assert (target / "manifest.json").exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE((target / "queues.json").stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".snap.*"))


def test_aborted_write_leaves_nothing(tmp_path):
    target = tmp_path / "snap"
    with pytest.raises(RuntimeError), SnapshotWriter(target) as writer:
        writer.write_dataset("queues", [])
        raise RuntimeError("killed")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_a_non_empty_directory(tmp_path):
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="already exists and is not empty"):
        SnapshotWriter(tmp_path / "snap")
    assert (tmp_path / "snap" / "keep.txt").read_text() == "mine"


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_new_writer_sweeps_what_killed_collections_left(tmp_path):
    import os

    from auditor.snapshot.store import _host

    host = _host()
    dead = tmp_path / f".snap-1.{host}~{_dead_pid()}.abc123.partial"
    live = tmp_path / f".snap-2.{host}~{os.getpid()}.def456.partial"
    other_host = tmp_path / f".snap-3.elsewhere~{_dead_pid()}.ghi789.partial"
    old_format = tmp_path / ".snap-4.jkl012.partial"
    for leftover in (dead, live, other_host, old_format):
        leftover.mkdir()
        (leftover / "queues.json").write_text("[]")
    with SnapshotWriter(tmp_path / "snap-5") as writer:
        own = list(tmp_path.glob(".snap-5.*.partial"))
        writer.commit(OrgBuilder().manifest())
    assert not dead.exists()
    assert live.exists() and other_host.exists() and old_format.exists()
    # The writer's own temporary directory carries host and pid, so a later writer could sweep it.
    assert len(own) == 1 and f".{host}~{os.getpid()}." in own[0].name
