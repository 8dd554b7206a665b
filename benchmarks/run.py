"""Run every benchmark side by side and write `<date>.md` and `.json` to --out (by default
$XDG_CACHE_HOME/gcaudit/benchmarks: a run leaves nothing in the checkout).

    python -m benchmarks            # full run (about 20 minutes on 2 cores)
    python benchmarks/run.py --quick
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python benchmarks/run.py`: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine
from benchmarks.output import render_markdown, render_table, write_results

SECTIONS = ("bound", "sdk", "scaling", "engine", "reports", "startup", "plan")

FULL: dict[str, Any] = {
    "bound_queues": 2000, "bound_latency": 0.08, "bound_rate": 1200, "bound_workers": 8,
    "compare_queues": 250, "compare_latency": 0.08, "scaling_workers": (1, 2, 4, 8, 16),
    "engine_sizes": (1000, 10_000, 50_000), "report_results": 20_000, "repeat": 3, "startup_repeat": 10,
    "plan_queues": 2000, "plan_rate": 300,
}
QUICK: dict[str, Any] = {
    "bound_queues": 30, "bound_latency": 0.02, "bound_rate": 1200, "bound_workers": 8,
    "compare_queues": 20, "compare_latency": 0.02, "scaling_workers": (1, 2, 4, 8, 16),
    "engine_sizes": (200, 1000, 2000), "report_results": 2000, "repeat": 1, "startup_repeat": 3,
    "plan_queues": 200, "plan_rate": 300,
}

log = logging.getLogger("benchmarks")


def default_out() -> Path:
    """Where a run writes its results unless told: outside the checkout, so that a run leaves no
    untracked file in it ($XDG_CACHE_HOME, else ~/.cache)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "gcaudit" / "benchmarks"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small orgs, one repetition (a minute or so)")
    parser.add_argument("--repeat", type=int, help="repetitions per figure (default 3, 1 with --quick)")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only this section (repeatable)")
    parser.add_argument("--out", type=Path, default=default_out(),
                        help="directory for <date>.md and <date>.json (default: $XDG_CACHE_HOME/gcaudit/benchmarks, "
                             "outside the checkout; results quoted in the docs are copied to benchmarks/results)")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium render")
    parser.add_argument("--tag", default="", help="suffix for the result file names")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.collection import CollectionConfig, bound_section, scaling_section, sdk_section
    from benchmarks.engine import engine_section
    from benchmarks.reports import reports_section
    from benchmarks.startup import startup_section

    settings = dict(QUICK if args.quick else FULL)
    if args.repeat:
        settings["repeat"] = args.repeat
    sections = args.only or list(SECTIONS)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "command": " ".join(["python -m benchmarks", *args.argv]),
        "machine": machine(),
        "settings": {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()},
        "sections": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="gcaudit-bench-"))
    try:
        config = CollectionConfig(
            bound_queues=settings["bound_queues"], bound_latency=settings["bound_latency"],
            bound_rate=settings["bound_rate"], bound_workers=settings["bound_workers"],
            compare_queues=settings["compare_queues"], compare_latency=settings["compare_latency"],
            scaling_workers=tuple(settings["scaling_workers"]), repeat=settings["repeat"],
        )
        if {"bound", "sdk", "scaling"} & set(sections):
            from auditor.testing.synthetic import synthetic_org

            bound_org = synthetic_org(config.bound_queues).write(workdir / "bound-org")
            compare_org = synthetic_org(config.compare_queues).write(workdir / "compare-org")
        if "bound" in sections:
            log.info("1. collection vs the rate-limit bound (%d queues, %g ms, %d/min)", config.bound_queues,
                     config.bound_latency * 1000, config.bound_rate)
            results["sections"]["bound"] = bound_section(bound_org, config, log)
        if "sdk" in sections:
            log.info("2. gcaudit vs a sequential script on the official SDK (%d queues)", config.compare_queues)
            results["sections"]["sdk"] = sdk_section(compare_org, config, 8, log)
        if "scaling" in sections:
            log.info("3. concurrency scaling (%d queues)", config.compare_queues)
            results["sections"]["scaling"] = scaling_section(compare_org, config, log)
        if "engine" in sections:
            log.info("4. rules engine (%s queues)", ", ".join(map(str, settings["engine_sizes"])))
            results["sections"]["engine"] = engine_section(tuple(settings["engine_sizes"]), workdir,
                                                           settings["repeat"], log)
        if "reports" in sections:
            log.info("5. reports (%d results)", settings["report_results"])
            results["sections"]["reports"] = reports_section(settings["report_results"], settings["repeat"], log,
                                                             browser=not args.no_browser)
        if "startup" in sections:
            log.info("6. start-up")
            results["sections"]["startup"] = startup_section(settings["startup_repeat"])
        if "plan" in sections:
            from auditor.testing.synthetic import synthetic_org
            from benchmarks.callplan import callplan_section

            log.info("7. call plan (%d queues)", settings["plan_queues"])
            plan_org = synthetic_org(settings["plan_queues"]).write(workdir / "plan-org")
            results["sections"]["plan"] = callplan_section(plan_org, settings["plan_queues"], settings["plan_rate"],
                                                           log)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["seconds"] = time.perf_counter() - started
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv  # recorded with the results
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in ("auditor", "urllib3"):  # the collector's per-dataset lines would drown the progress
        logging.getLogger(noisy).setLevel(logging.WARNING)
    results = run(args)
    args.out.mkdir(mode=0o700, parents=True, exist_ok=True)
    md_path, json_path = write_results(results, args.out, render_markdown(results), args.tag)
    print(render_table(results))
    print(f"\nwritten: {md_path}\n         {json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
