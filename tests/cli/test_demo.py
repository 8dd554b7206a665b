"""`gcaudit demo DIR` writes the sample orgs, and they audit as documented."""

from __future__ import annotations

from tests.conftest import run_cli


def test_demo_writes_samples_that_audit(tmp_path) -> None:
    done = run_cli("demo", str(tmp_path / "samples"))
    assert done.returncode == 0, done.stderr
    demo = tmp_path / "samples" / "demo-org"
    assert (demo / "manifest.json").is_file() and (demo / "plan.yaml").is_file()
    audit = run_cli("audit", str(demo), "--plan", str(demo / "plan.yaml"))
    assert audit.returncode == 1 and "NOT READY for co-browse" in audit.stdout.splitlines()[-1]
    assert run_cli("audit", str(tmp_path / "samples" / "ready-org")).returncode == 0


def test_demo_refuses_to_replace_anything(tmp_path) -> None:
    (tmp_path / "demo-org").mkdir()
    (tmp_path / "demo-org" / "keep.txt").write_text("mine")
    done = run_cli("demo", str(tmp_path))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "already exists" in done.stderr
    assert (tmp_path / "demo-org" / "keep.txt").read_text() == "mine"
