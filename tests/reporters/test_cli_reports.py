"""`gcaudit audit --format ... --html FILE` as a user runs it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.conftest import run_cli


def test_html_alongside_any_format(tmp_path) -> None:
    org = OrgBuilder()
    org.add_queue(f.queue("<script>alert(1)</script>", wrapup_prompt="MANDATORY"))
    snapshot = org.write(tmp_path / "snap")
    html, xml = tmp_path / "out" / "report.html", tmp_path / "gcaudit.xml"
    done = run_cli("audit", str(snapshot), "--format", "junit", "-o", str(xml), "--html", str(html))
    assert done.returncode == 1, done.stderr  # high FAILs
    assert ET.parse(xml).getroot().tag == "testsuites"
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)</script>" not in text
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in text  # the name, as JSON data
    markdown = run_cli("audit", str(snapshot), "--format", "markdown", "--html", str(tmp_path / "again.html"))
    assert markdown.returncode == 1 and markdown.stdout.startswith("## gcaudit:")
    assert (tmp_path / "again.html").stat().st_size > 10_000


def test_json_results_carry_blocks_cobrowse() -> None:
    from tests.conftest import SAMPLES, run_cli

    demo = SAMPLES / "demo-org"
    done = run_cli("audit", str(demo), "--plan", str(demo / "plan.yaml"), "--format", "json")
    results = json.loads(done.stdout)["results"]
    assert all(isinstance(r["blocks_cobrowse"], bool) for r in results)
    by_rule = {r["rule_id"]: r["blocks_cobrowse"] for r in results if r["status"] == "FAIL"}
    assert by_rule["COB-003"] is True and by_rule["OAUTH-003"] is False
