"""The benchmark harness itself must not rot: run `--quick` on tiny orgs and check its outputs.

No timed assertion: only that every section ran and produced its figures, files and table rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("bound", "sdk", "scaling", "engine", "reports", "startup", "plan")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--out", str(out), "--tag", "smoke"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    return proc, out


def test_quick_run_succeeds_and_writes_both_files(quick_run) -> None:
    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".md"]
    assert all(p.stem.endswith("-quick-smoke") for p in out.iterdir())


def test_every_section_has_its_figures(quick_run) -> None:
    _, out = quick_run
    results = json.loads(next(out.glob("*.json")).read_text())
    assert results["mode"] == "quick"
    assert set(results["sections"]) == set(SECTIONS)
    assert results["machine"]["cores"] >= 1 and results["machine"]["python"]
    s = results["sections"]
    bound = s["bound"]
    assert bound["calls"]["median"] > 0 and bound["ratio"]["median"] > 0
    # The collection under a rate limit lost and duplicated nothing against the source org.
    assert bound["lost"] == 0 and bound["duplicated"] == 0 and bound["complete"]
    assert s["sdk"]["sdk_entities_match"] and s["sdk"]["sdk_calls"]["median"] > 0
    assert [row["workers"] for row in s["scaling"]["rows"]] == [1, 2, 4, 8, 16]
    assert [row["queues"] for row in s["engine"]["rows"]] == [200, 1000, 2000]
    assert all(row["results"] > 0 and row["peak_rss_mb"]["median"] > 0 for row in s["engine"]["rows"])
    # Side by side: the columnar sidecars were read, the JSON-only probe gave the same results.
    assert all(row["columns"] and row["identical_to_json"] for row in s["engine"]["rows"])
    assert [row["columns"] for row in s["engine"]["json_rows"]] == [[], [], []]
    assert set(s["reports"]["formats"]) == {"html", "json", "junit"}
    assert all(f["mb"] > 0 for f in s["reports"]["formats"].values())
    startup = {row["command"]: row for row in s["startup"]["rows"]}
    assert set(startup) == {"python -c pass", "gcaudit --help", "gcaudit rules"}
    # Start-up must not pull in pandas and friends (the lazy CLI's whole point).
    assert startup["gcaudit --help"]["heavy_modules_imported"] == []
    assert startup["gcaudit rules"]["heavy_modules_imported"] == []
    # The call plan: a targeted nightly gives the full collection's results with fewer calls.
    plan = s["plan"]
    assert plan["nightly_results_identical"] is True
    assert 0 < plan["preflight_calls"] < plan["nightly_calls"] < plan["full_calls"]
    assert plan["sdk_calls"] > 0 and plan["wall_vs_bound"] > 0


def test_table_and_markdown_name_every_section(quick_run) -> None:
    proc, out = quick_run
    markdown = next(out.glob("*.md")).read_text()
    for heading in ("1. collection", "2. vs official SDK script", "3. concurrency", "4. rules engine",
                    "5. reports", "6. start-up", "7. call plan"):
        assert heading in proc.stdout
        assert heading in markdown
    assert "Machine:" in markdown and "python -m benchmarks --quick" in markdown


def _checkout_files() -> str:
    """Untracked and modified files of the checkout (ignored ones included), as git reports them."""
    done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--ignored"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    # Bytecode caches come from importing the package at all, not from the benchmarks.
    return "\n".join(line for line in done.stdout.splitlines() if "__pycache__" not in line)


def test_a_run_with_the_default_output_leaves_nothing_in_the_checkout(tmp_path) -> None:
    before = _checkout_files()
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "startup", "--tag", "clean"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = sorted(p.name for p in (tmp_path / "gcaudit" / "benchmarks").iterdir())
    assert [n.rsplit("-", 1)[-1] for n in written] == ["clean.json", "clean.md"]
    assert _checkout_files() == before
