"""Section 7: collect only what the answer needs (issue 14), on one synthetic org, side by side.

- `preflight --live` of the forum request (PAYLOAD_3 of the thread, with a queue of the org):
  calls made with its call plan (auditor.preflight.targeted) against a full collection;
- a nightly collection (the catalog's call plan, auditor.sources.collectors.plan) with a rollout plan
  naming 10 % of the queues: calls per queue, and the audit's results compared with those of a
  full collection of the same org (they must be identical);
- the same nightly collection's calls ÷ the calls of a sequential script on the official SDK
  (benchmarks/sdk_baseline.py) on the same org;
- wall ÷ (calls ÷ rate) of the live preflight at the rate a user runs it with (default 300/min).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.collection import UNLIMITED_RATE, sdk_collect
from benchmarks.fakeserver import FakeServer

#: The thread's third payload, with a queue and user of the org in place of its placeholders.
FORUM_BODY = {
    "cobrowseType": "WEB",
    "cobrowseTarget": "https://your-target-app.com/session-page",
    "routingData": {"queueId": "", "wrapUpCode": "COBROWSE_INITIATED"},
}


def _collect(server: FakeServer, out: Path, rate: float, call_plan: Any = None) -> dict[str, Any]:
    from auditor.sources.collectors.auth import Credentials
    from auditor.sources.collectors.collect import CollectOptions, collect
    from auditor.sources.collectors.regions import resolve_region

    server.reset()
    started = time.perf_counter()
    result = collect(out, resolve_region(server.url),
                     Credentials(client_id=server.client_id, client_secret=server.client_secret),
                     CollectOptions(workers=8, rate_per_minute=rate, progress=False, call_plan=call_plan))
    wall = time.perf_counter() - started
    return {"calls": server.stats()["ok_api_calls"], "seconds": wall, "path": result.path,
            "planned": result.manifest.extra.get("planned_calls")}


def _request(org: Path) -> Any:
    from auditor.preflight.request import from_document

    queues = json.loads((org / "queues.json").read_text())
    members = json.loads((org / "queue_members.json").read_text())
    queue_id = next(q["id"] for q in queues if members.get(q["id"]))
    body = json.loads(json.dumps(FORUM_BODY))
    body["routingData"]["queueId"] = queue_id
    user = members[queue_id][0]["id"]
    return from_document({"method": "POST", "path": "/api/v2/conversations/{conversationId}/cobrowse",
                          "token": {"grant": "code", "client": "Cobrowse Launcher", "user": user},
                          "body": body}, "forum-request.json")


def _results(path: Path, plan: Any) -> list[dict[str, Any]]:
    from auditor.engine import run_audit
    from auditor.snapshot import load_snapshot

    return [r.to_dict() for r in run_audit(load_snapshot(path, lean=True), plan).results]


def callplan_section(source: Path, queues: int, preflight_rate: float, log: logging.Logger) -> dict[str, Any]:
    from auditor.inputs.plan import Plan
    from auditor.preflight.targeted import call_plan as preflight_plan
    from auditor.rules import catalog
    from auditor.sources.collectors.plan import make_plan

    workdir = Path(tempfile.mkdtemp(prefix="gcaudit-bench-plan-"))
    try:
        queue_ids = [q["id"] for q in json.loads((source / "queues.json").read_text())]
        plan = Plan(queues=tuple(queue_ids[: max(1, len(queue_ids) // 10)]))
        with FakeServer(source, latency=0.0) as server:
            full = _collect(server, workdir / "full", UNLIMITED_RATE)
            nightly = _collect(server, workdir / "nightly", UNLIMITED_RATE, make_plan(catalog(), plan))
            identical = _results(nightly["path"], plan) == _results(full["path"], plan)
            request = _request(source)
            targeted = preflight_plan(request, None)
            preflight_fast = _collect(server, workdir / "preflight", UNLIMITED_RATE, targeted)
            sdk = sdk_collect(server, source)
        log.info("  full %d calls, nightly (10%% scope) %d calls (identical results: %s), preflight --live %d "
                 "calls, SDK script %d calls", full["calls"], nightly["calls"], identical, preflight_fast["calls"],
                 sdk["calls"])
        # The wall-time ratio at the user's rate, under the API's own limit (a fresh server: its
        # rate window starts empty, as an org's does for a preflight run by hand).
        with FakeServer(source, latency=0.0, rate_limit=int(preflight_rate), rate_window=60.0) as server:
            at_rate = _collect(server, workdir / "preflight-rate", preflight_rate, targeted)
        bound = at_rate["calls"] / (preflight_rate / 60.0)
        log.info("  preflight --live at %g/min: %d calls in %.1f s (bound %.1f s)", preflight_rate,
                 at_rate["calls"], at_rate["seconds"], bound)
        return {
            "org_queues": queues,
            "scope_queues": len(plan.queues),
            "full_calls": full["calls"],
            "full_calls_per_queue": full["calls"] / queues,
            "nightly_calls": nightly["calls"],
            "nightly_calls_per_queue": nightly["calls"] / queues,
            "nightly_planned": nightly["planned"],
            "nightly_results_identical": identical,
            "preflight_calls": preflight_fast["calls"],
            "preflight_planned": preflight_fast["planned"],
            "sdk_calls": sdk["calls"],
            "nightly_vs_sdk_calls": nightly["calls"] / sdk["calls"],
            "full_vs_sdk_calls": full["calls"] / sdk["calls"],
            "rate_per_minute": preflight_rate,
            "preflight_rate_calls": at_rate["calls"],
            "preflight_rate_seconds": at_rate["seconds"],
            "preflight_rate_bound_seconds": bound,
            "wall_vs_bound": at_rate["seconds"] / bound if bound else None,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

