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
