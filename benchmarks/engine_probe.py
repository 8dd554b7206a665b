"""One rules-engine measurement in a fresh process: load + evaluate a snapshot, report JSON.

    python -m benchmarks.engine_probe SNAPSHOT [PLAN] [--no-columns]

Prints load and evaluate seconds, where load time went (JSON parsing vs schema validation, by
wrapping the loader's own helpers), the slowest rules, the result count and this process's peak
RSS (`ru_maxrss`), so each size is measured from a clean interpreter. `--no-columns` loads the
JSON of every dataset, ignoring the columnar sidecars (auditor.snapshot.columnar): today's loader
before them, for the side-by-side figure. `results_sha256` hashes every result, to show both
loaders give the same ones.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _timed(fn: Callable[..., Any], bucket: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            bucket[0] += time.perf_counter() - started
    return wrapper


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a
    probe started by a big parent would report the parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def results_digest(report: Any) -> str:
    import hashlib

    digest = hashlib.sha256()
    for result in report.results:
        digest.update(json.dumps(result.to_dict(), default=str).encode())
    digest.update(json.dumps(report.scope, default=str).encode())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    columns = "--no-columns" not in argv
    argv = [a for a in argv if a != "--no-columns"]
    started = time.perf_counter()
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.rules import catalog
    from auditor.snapshot import store

    imported = time.perf_counter()
    parse, validate = [0.0], [0.0]
    # Lean, as `gcaudit audit` loads: msgspec decodes and type-checks in one pass ("parse"); the
    # stdlib parse and the full schema check run only for a file msgspec refused.
    store.decode_lean = _timed(store.decode_lean, parse)  # type: ignore[assignment]
    store.parse_json = _timed(store.parse_json, parse)  # type: ignore[assignment]
    store.check = _timed(store.check, validate)  # type: ignore[assignment]

    snapshot = store.load_snapshot(argv[1], lean=True, columns=columns)
    plan = load_plan(argv[2]) if len(argv) > 2 else None
    loaded = time.perf_counter()

    per_rule: dict[str, float] = {}

    def timed_rule(rule: Any) -> Any:
        def evaluate(ctx: Any) -> Iterator[Any]:
            t0 = time.perf_counter()
            outcomes = list(rule.evaluate(ctx))  # frames a rule is first to use are built here
            per_rule[rule.id] = time.perf_counter() - t0
            yield from outcomes
        return dataclasses.replace(rule, evaluate=evaluate)

    report = run_audit(snapshot, plan, rules=[timed_rule(r) for r in catalog()])
    evaluated = time.perf_counter()
    slowest = sorted(per_rule.items(), key=lambda kv: -kv[1])[:5]
    print(json.dumps({
        "import_seconds": imported - started,
        "load_seconds": loaded - imported,
        "parse_seconds": parse[0],
        "validate_seconds": validate[0],
        "evaluate_seconds": evaluated - loaded,
        "total_seconds": evaluated - imported,
        "results": len(report.results),
        "failed_results": sum(1 for r in report.results if r.status.value == "FAIL"),
        "slowest_rules": [{"rule": k, "seconds": v} for k, v in slowest],
        "peak_rss_mb": peak_rss_mb(),
        "columns": sorted(snapshot.columns),
        "results_sha256": results_digest(report),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
