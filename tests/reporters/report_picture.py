"""Regenerate docs/report.png, the README's picture of the HTML report, in headless Chromium:

    python -m tests.reporters.report_picture docs/report.png

It renders the demo org's HTML report (with its plan) and captures the top of the page at
1200 x 1100 px: the verdict, the fix-first list and the start of the readiness chain. Beside the
picture it writes `docs/report.png.sha256`, the SHA-256 of the HTML the picture was taken from;
tests/reporters/test_report_picture.py renders that HTML again and fails when it changed (the
picture is stale), without depending on pixel-exact screenshots.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from auditor.engine import run_audit
from auditor.inputs.plan import load_plan
from auditor.reporters import html
from auditor.snapshot import load_snapshot
from tests.conftest import SAMPLES
from tests.reporters.cdp import Browser, find_chromium

REGENERATE = "python -m tests.reporters.report_picture docs/report.png"


def source_html() -> str:
    """The demo org's HTML report, byte for byte the same on every machine and day: generated "at"
    the snapshot's collection time, with the paths as seen from the checkout's root."""
    demo = SAMPLES / "demo-org"
    snapshot = load_snapshot(demo)
    report = run_audit(snapshot, load_plan(demo / "plan.yaml"),
                       now=datetime.fromisoformat(snapshot.manifest.collected_at.replace("Z", "+00:00")))
    report.snapshot_path = "sample_exports/demo-org"
    report.plan_path = "sample_exports/demo-org/plan.yaml"
    return html.render(report)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_file(picture: Path) -> Path:
    return picture.with_name(picture.name + ".sha256")


def main(target: Path) -> None:
    executable = find_chromium()
    if executable is None:
        sys.exit("report_picture: headless Chromium is not installed")
    page_html = source_html()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(page_html, encoding="utf-8")
        with Browser(executable, width=1200, height=1100) as browser:
            browser.goto(page.as_uri())
            browser.wait_for("document.documentElement.dataset.ready === '1'")
            browser.screenshot(target)
    digest_file(target).write_text(f"{digest(page_html)}  the HTML {target.name} shows ({REGENERATE})\n")
    print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report.png"))
