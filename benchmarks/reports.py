"""Section 5: HTML, JSON and JUnit reports of a 20,000-result audit, and the HTML in headless Chromium."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Stat, chromium_version

FORMATS = ("html", "json", "junit")
#: Records when report.js marks the page ready (it sets data-ready on <html> after the first
#: render). Injected through DevTools, which the page's Content-Security-Policy does not cover.
READY_PROBE = """
new MutationObserver(function (records, observer) {
  if (document.documentElement && document.documentElement.dataset.ready === "1") {
    window.__gcauditReady = performance.now();
    observer.disconnect();
  }
}).observe(document, {attributes: true, attributeFilter: ["data-ready"], subtree: true});
"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _write(report: Any, fmt: str, path: Path) -> float:
    from auditor.reporters import render
    from auditor.safety.fileio import atomic_write_text

    started = time.perf_counter()
    atomic_write_text(path, render(report, fmt))
    return time.perf_counter() - started


def _browser_runs(html: Path, repeat: int, log: logging.Logger) -> dict[str, Any] | None:
    executable = find_chromium()
    if executable is None:
        log.warning("  chromium not found: skipping the render measurement (apt-get install -y chromium)")
        return None
    from tests.reporters.cdp import Browser  # the DevTools-over-pipe helper the browser tests use

    fcp, ready, rows = [], [], []
    with Browser(executable) as browser:
        browser.add_init_script(READY_PROBE)
        for _ in range(repeat + 1):  # the first load warms the browser's caches and is dropped
            browser.page("Page.navigate", {"url": "about:blank"})
            browser.wait_for("document.readyState === 'complete'")
            browser.page("Page.navigate", {"url": html.as_uri()})
            browser.wait_for("window.__gcauditReady !== undefined", timeout=120)
            # The paint entry is queued a frame after the paint itself.
            fcp.append(browser.wait_for(
                "(performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')"
                " || {}).startTime", timeout=30))
            ready.append(browser.evaluate("window.__gcauditReady"))
            rows.append(browser.evaluate("document.querySelectorAll('[data-role=rows] > *').length"))
    fcp, ready = fcp[1:], ready[1:]
    return {
        "chromium": chromium_version(executable),
        "first_contentful_paint_ms": Stat.of(fcp).to_dict(),
        "ready_ms": Stat.of(ready).to_dict(),
        "rows_in_dom": rows[-1],
    }


def reports_section(results: int, repeat: int, log: logging.Logger, browser: bool = True) -> dict[str, Any]:
    from auditor.testing.synthetic_report import synthetic_report

    report = synthetic_report(results)
    workdir = Path(tempfile.mkdtemp(prefix="gcaudit-bench-reports-"))
    try:
        out: dict[str, Any] = {"results": len(report.results), "formats": {}}
        for fmt in FORMATS:
            path = workdir / f"report.{ 'xml' if fmt == 'junit' else fmt}"
            times = []
            for _ in range(repeat):
                path.unlink(missing_ok=True)
                times.append(_write(report, fmt, path))
            out["formats"][fmt] = {"seconds": Stat.of(times).to_dict(), "mb": path.stat().st_size / 1024**2}
            log.info("  %s: %s, %.1f MB", fmt, Stat.of(times).fmt(), path.stat().st_size / 1024**2)
        out["browser"] = _browser_runs(workdir / "report.html", repeat, log) if browser else None
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
