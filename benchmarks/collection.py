"""Sections 1-3: live collection against the fake Platform API (in its own process).

1. gcaudit under a per-token rate limit vs the physical bound (API calls ÷ rate), with every
   collected entity checked against the source snapshot (none lost, none duplicated).
2. gcaudit vs a sequential script on the official SDK (`benchmarks/sdk_baseline.py`), no binding
   rate limit: wall-time ratio and calls made by each.
3. gcaudit with 1, 2, 4, 8, 16 workers, no rate limit.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import Stat, stat_of
from benchmarks.fakeserver import FakeServer

#: "No rate limit" for gcaudit's own limiter: far above anything the fake can serve.
UNLIMITED_RATE = 1_000_000.0


@dataclass(frozen=True)
class CollectionConfig:
    #: Section 1: the org, latency and per-token limit (requests/minute).
    bound_queues: int
    bound_latency: float
    bound_rate: int
    bound_workers: int
    #: Sections 2 and 3: a smaller org of the same shape (sequential SDK runs take minutes).
    compare_queues: int
    compare_latency: float
    scaling_workers: tuple[int, ...]
    repeat: int


def _key(entity: dict[str, Any]) -> str:
    """An entity's id; aggregates rows have none and are told apart by their group; usage rows and
    settings objects (no id, no group) by their whole content."""
    if "id" in entity:
        return str(entity["id"])
    return json.dumps(entity.get("group") if "group" in entity else entity, sort_keys=True)


def _ids(content: Any) -> Counter[str]:
    """Multiset of entity ids (per-parent datasets: of parent/entity pairs)."""
    if isinstance(content, dict):
        return Counter(f"{parent}/{_key(e)}" for parent, entities in content.items() for e in entities)
    return Counter(_key(e) for e in content)


def verify(source: Path, collected: Path) -> dict[str, Any]:
    """Compare every dataset of a collected snapshot with the source one, entity by entity."""
    manifest = json.loads((source / "manifest.json").read_text())
    lost = duplicated = extra = expected = found = 0
    per_dataset: dict[str, dict[str, int]] = {}
    for name in manifest["datasets"]:
        want = _ids(json.loads((source / f"{name}.json").read_text()))
        path = collected / f"{name}.json"
        got = _ids(json.loads(path.read_text())) if path.exists() else Counter()
        d_lost = sum((want - got).values())
        d_dup = sum(n - 1 for key, n in got.items() if n > 1)
        d_extra = sum(n for key, n in got.items() if key not in want)
        per_dataset[name] = {"expected": sum(want.values()), "collected": sum(got.values()),
                             "lost": d_lost, "duplicated": d_dup}
        lost, duplicated, extra = lost + d_lost, duplicated + d_dup, extra + d_extra
        expected, found = expected + sum(want.values()), found + sum(got.values())
    return {"expected": expected, "collected": found, "lost": lost, "duplicated": duplicated,
            "unexpected": extra, "datasets": per_dataset}


def gcaudit_collect(server: FakeServer, workers: int, rate: float, source: Path | None = None) -> dict[str, Any]:
    """One `gcaudit collect` (the library call behind the command) into a temporary directory."""
    from auditor.sources.collectors.auth import Credentials
    from auditor.sources.collectors.collect import CollectOptions, collect
    from auditor.sources.collectors.regions import resolve_region

    server.reset()
    workdir = Path(tempfile.mkdtemp(prefix="gcaudit-bench-collect-"))
    try:
        result = collect(
            workdir / "snapshot", resolve_region(server.url),
            Credentials(client_id=server.client_id, client_secret=server.client_secret),
            CollectOptions(workers=workers, rate_per_minute=rate, progress=False),
        )
        stats = server.stats()
        extra = result.manifest.extra
        row: dict[str, Any] = {
            "seconds": extra["seconds"],
            "calls": stats["ok_api_calls"],
            "requests": stats["api_calls"],
            "throttled": stats["throttled"],
            "retries": extra["retries"],
            "complete": result.complete,
        }
        if source is not None:
            check = verify(source, result.path)
            row.update(lost=check["lost"], duplicated=check["duplicated"], unexpected=check["unexpected"],
                       entities=check["collected"], expected_entities=check["expected"])
        return row
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def sdk_collect(server: FakeServer, source: Path) -> dict[str, Any]:
    from benchmarks import sdk_baseline

    server.reset()
    result = sdk_baseline.collect(server.url, server.client_id, server.client_secret)
    stats = server.stats()
    manifest = json.loads((source / "manifest.json").read_text())
    expected = {name: entry["entities"] for name, entry in manifest["datasets"].items()}
    return {
        "seconds": result["seconds"],
        "calls": stats["ok_api_calls"],
        "sdk_counted_calls": result["calls"],
        "throttled": stats["throttled"],
        "entities_match": result["entities"] == expected,
    }


def bound_section(source: Path, config: CollectionConfig, log: logging.Logger) -> dict[str, Any]:
    runs = []
    with FakeServer(source, latency=config.bound_latency, rate_limit=config.bound_rate, rate_window=60.0) as server:
        for index in range(config.repeat):
            row = gcaudit_collect(server, config.bound_workers, config.bound_rate, source)
            row["bound_seconds"] = row["calls"] / (config.bound_rate / 60.0)
            row["ratio"] = row["seconds"] / row["bound_seconds"]
            runs.append(row)
            log.info("  bound run %d/%d: %d calls in %.1f s (bound %.1f s, x%.3f), %d 429s, lost %d, dup %d",
                     index + 1, config.repeat, row["calls"], row["seconds"], row["bound_seconds"], row["ratio"],
                     row["throttled"], row["lost"], row["duplicated"])
    return {
        "org_queues": config.bound_queues,
        "latency_ms": config.bound_latency * 1000,
        "rate_per_minute": config.bound_rate,
        "workers": config.bound_workers,
        "calls": stat_of(runs, "calls").to_dict(),
        "seconds": stat_of(runs, "seconds").to_dict(),
        "bound_seconds": stat_of(runs, "bound_seconds").to_dict(),
        "ratio": stat_of(runs, "ratio").to_dict(),
        "throttled": stat_of(runs, "throttled").to_dict(),
        "retries": stat_of(runs, "retries").to_dict(),
        "lost": max(r["lost"] for r in runs),
        "duplicated": max(r["duplicated"] for r in runs),
        "unexpected": max(r["unexpected"] for r in runs),
        "entities": runs[0]["expected_entities"],
        "complete": all(r["complete"] for r in runs),
        "runs": runs,
    }


def sdk_section(source: Path, config: CollectionConfig, workers: int, log: logging.Logger) -> dict[str, Any]:
    gc_runs, sdk_runs = [], []
    with FakeServer(source, latency=config.compare_latency) as server:
        for index in range(config.repeat):
            # Alternate, so drift in the machine's load hits both sides alike.
            gc_runs.append(gcaudit_collect(server, workers, UNLIMITED_RATE, source))
            sdk_runs.append(sdk_collect(server, source))
            log.info("  vs SDK run %d/%d: gcaudit %.2f s (%d calls), SDK script %.2f s (%d calls)", index + 1,
                     config.repeat, gc_runs[-1]["seconds"], gc_runs[-1]["calls"], sdk_runs[-1]["seconds"],
                     sdk_runs[-1]["calls"])
    ratios = [s["seconds"] / g["seconds"] for g, s in zip(gc_runs, sdk_runs, strict=True)]
    return {
        "org_queues": config.compare_queues,
        "latency_ms": config.compare_latency * 1000,
        "gcaudit_workers": workers,
        "gcaudit_seconds": stat_of(gc_runs, "seconds").to_dict(),
        "sdk_seconds": stat_of(sdk_runs, "seconds").to_dict(),
        "speedup": Stat.of(ratios).to_dict(),
        "gcaudit_calls": stat_of(gc_runs, "calls").to_dict(),
        "sdk_calls": stat_of(sdk_runs, "calls").to_dict(),
        "gcaudit_lost": max(r["lost"] for r in gc_runs),
        "gcaudit_duplicated": max(r["duplicated"] for r in gc_runs),
        "sdk_entities_match": all(r["entities_match"] for r in sdk_runs),
        "runs": {"gcaudit": gc_runs, "sdk": sdk_runs},
    }


def scaling_section(source: Path, config: CollectionConfig, log: logging.Logger) -> dict[str, Any]:
    by_workers: dict[int, list[dict[str, Any]]] = {w: [] for w in config.scaling_workers}
    with FakeServer(source, latency=config.compare_latency) as server:
        for index in range(config.repeat):
            for workers in config.scaling_workers:
                by_workers[workers].append(gcaudit_collect(server, workers, UNLIMITED_RATE))
            log.info("  scaling run %d/%d: %s", index + 1, config.repeat,
                     ", ".join(f"{w}w {rows[-1]['seconds']:.2f}s" for w, rows in by_workers.items()))
    one = Stat.of([r["seconds"] for r in by_workers[config.scaling_workers[0]]]).median
    out = []
    for workers, rows in by_workers.items():
        seconds = stat_of(rows, "seconds")
        calls = stat_of(rows, "calls").median
        out.append({
            "workers": workers,
            "seconds": seconds.to_dict(),
            "calls": calls,
            "calls_per_second": calls / seconds.median,
            "speedup_vs_1": one / seconds.median,
        })
    return {"org_queues": config.compare_queues, "latency_ms": config.compare_latency * 1000, "rows": out}
