"""Regenerate docs/report.png, the README's picture of the HTML report, in headless Chromium:

    python -m tests.reporters.report_picture docs/report.png

It renders the demo org's HTML report (with its plan) and captures the top of the page at
1200 x 1100 px: the verdict, the fix-first list and the start of the readiness chain.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from auditor.engine import run_audit
from auditor.inputs.plan import load_plan
from auditor.reporters import html
from auditor.snapshot import load_snapshot
from tests.conftest import SAMPLES
from tests.reporters.cdp import Browser, find_chromium


def main(target: Path) -> None:
    executable = find_chromium()
    if executable is None:
        sys.exit("report_picture: headless Chromium is not installed")
    demo = SAMPLES / "demo-org"
    report = run_audit(load_snapshot(demo), load_plan(demo / "plan.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html.render(report), encoding="utf-8")
        with Browser(executable, width=1200, height=1100) as browser:
            browser.goto(page.as_uri())
            browser.wait_for("document.documentElement.dataset.ready === '1'")
            browser.screenshot(target)
    print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report.png"))
