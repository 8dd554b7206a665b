"""Section 4: the rules engine on synthetic snapshots of growing size, each in a fresh process."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import PYTHON, Stat, run_json, stat_of


def prepare(sizes: tuple[int, ...], workdir: Path, log: logging.Logger) -> dict[int, tuple[Path, Path, dict[str, Any]]]:
    """Write one snapshot (and rollout plan) per size; setup, not measured."""
    from auditor.testing.synthetic import synthetic_org

    out = {}
    for size in sizes:
        started = time.perf_counter()
        org = synthetic_org(size)
        snapshot = org.write(workdir / f"engine-{size}")
        plan = workdir / f"engine-{size}-plan.yaml"
        plan.write_text(yaml.safe_dump(org.plan(), sort_keys=False))
        # The JSON only: the sidecars beside it are a cache (about 8 % more on disk).
        size_mb = sum(f.stat().st_size for f in snapshot.glob("*.json")) / 1024**2
        import json

        manifest = json.loads((snapshot / "manifest.json").read_text())
        counts = {k: v["entities"] for k, v in manifest["datasets"].items()}
        log.info("  wrote %d-queue snapshot (%.0f MB) in %.1f s", size, size_mb, time.perf_counter() - started)
        out[size] = (snapshot, plan, {"snapshot_mb": size_mb, "entities": counts})
    return out


def _row(size: int, info: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "queues": size,
        "snapshot_mb": info["snapshot_mb"],
        "entities": info["entities"],
        "load_seconds": stat_of(runs, "load_seconds").to_dict(),
        "parse_seconds": stat_of(runs, "parse_seconds").to_dict(),
        "validate_seconds": stat_of(runs, "validate_seconds").to_dict(),
        "evaluate_seconds": stat_of(runs, "evaluate_seconds").to_dict(),
        "total_seconds": stat_of(runs, "total_seconds").to_dict(),
        "peak_rss_mb": stat_of(runs, "peak_rss_mb").to_dict(),
        "results": runs[0]["results"],
        "results_sha256": sorted({r["results_sha256"] for r in runs}),
        "columns": runs[0]["columns"],
        "slowest_rules": runs[len(runs) // 2]["slowest_rules"],
    }


def engine_section(sizes: tuple[int, ...], workdir: Path, repeat: int, log: logging.Logger) -> dict[str, Any]:
    """Per size, the audit with the columnar sidecars and with the JSON alone (today's loader before
    them), the two probes alternating so that both see the same machine load."""
    snapshots = prepare(sizes, workdir, log)
    rows, json_rows = [], []
    for size, (snapshot, plan, info) in snapshots.items():
        runs: list[dict[str, Any]] = []
        json_runs: list[dict[str, Any]] = []
        for _ in range(repeat):
            probe = [PYTHON, "-m", "benchmarks.engine_probe", str(snapshot), str(plan)]
            runs.append(run_json(probe, timeout=1800))
            json_runs.append(run_json([*probe, "--no-columns"], timeout=1800))
        row, json_row = _row(size, info, runs), _row(size, info, json_runs)
        row["identical_to_json"] = row["results_sha256"] == json_row["results_sha256"] and len(
            row["results_sha256"]) == 1
        log.info("  %d queues: load+evaluate %s, peak RSS %.0f MB (JSON only: %s, %.0f MB; identical results: %s)",
                 size, stat_of(runs, "total_seconds").fmt(), max(r["peak_rss_mb"] for r in runs),
                 stat_of(json_runs, "total_seconds").fmt(), max(r["peak_rss_mb"] for r in json_runs),
                 row["identical_to_json"])
        rows.append(row)
        json_rows.append(json_row)
    largest, previous = rows[-1], rows[-2] if len(rows) > 1 else rows[-1]
    ratio = largest["total_seconds"]["median"] / previous["total_seconds"]["median"]
    return {
        "rows": rows,
        "json_rows": json_rows,
        "scaling": {
            "from_queues": previous["queues"],
            "to_queues": largest["queues"],
            "size_ratio": largest["queues"] / previous["queues"],
            "time_ratio": ratio,
        },
        "largest": {"queues": largest["queues"], "total_seconds": largest["total_seconds"]["median"],
                    "peak_rss_mb": Stat.of([largest["peak_rss_mb"]["max"]]).median},
    }
