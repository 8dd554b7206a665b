"""Every surface renders the one answer: the same verdict and counts from the same snapshot and plan,
and the partial demo org names the invisible division and the fix everywhere (issue 19).

The "surfaces" work extends `SURFACES` with nightly, history, diff and preflight --plan."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from auditor.engine import run_audit
from auditor.inputs.plan import load_plan
from auditor.reporters import render
from auditor.snapshot import load_snapshot
from tests.conftest import SAMPLES

ORGS = ("demo-org", "demo-org-partial", "ready-org")


def _report(name: str):
    folder = SAMPLES / name
    return run_audit(load_snapshot(folder), load_plan(folder / "plan.yaml"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _json(report) -> tuple[str, int, int]:
    summary = json.loads(render(report, "json"))["summary"]
    return summary["verdict"], summary["blockers"], summary["actions"]


def _csv(report) -> tuple[str, int, int]:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"), newline="")))
    blockers = sum(r["blocks_cobrowse"] == "true" for r in rows)
    return report.answer.verdict.value, blockers, len(report.answer.actions)  # CSV has rows, not a verdict


def _line(text: str) -> tuple[str, int, int]:
    """The verdict and counts out of a rendered verdict line."""
    match = re.search(r"(NOT READY|READY|INCOMPLETE)[^:]*: "
                      r"(?:(\d+) actions? resolves? (\d+) blockers?|0 blockers)", text)
    assert match, text[:300]
    verdict = {"NOT READY": "not_ready", "READY": "ready", "INCOMPLETE": "incomplete"}[match.group(1)]
    actions, blockers = (int(match.group(2)), int(match.group(3))) if match.group(2) else (0, 0)
    return verdict, blockers, actions


def _table(report) -> tuple[str, int, int]:
    lines = render(report, "table", width=200).rstrip("\n").split("\n\n")[-1]
    return _line(_flat(lines))


def _html(report) -> tuple[str, int, int]:
    page = render(report, "html")
    return _line(re.search(r'id="verdict-line">([^<]*)<', page).group(1))


def _markdown(report) -> tuple[str, int, int]:
    bold = re.findall(r"^\*\*((?:NOT READY|READY|INCOMPLETE)[^*]*)\*\*$", render(report, "markdown"), re.M)
    return _line(bold[0].replace("\\", ""))


def _junit(report) -> tuple[str, int, int]:
    root = ET.fromstring(render(report, "junit").encode())
    props = {p.get("name"): p.get("value") for p in root.find("testsuite").iter("property")}
    return props["verdict"], int(props["blockers"]), int(props["actions"])


SURFACES = {"json": _json, "csv": _csv, "table": _table, "html": _html, "markdown": _markdown, "junit": _junit}


@pytest.mark.parametrize("name", ORGS)
def test_every_surface_reports_the_same_verdict_and_counts(name: str) -> None:
    report = _report(name)
    expected = (report.answer.verdict.value, len(report.answer.blockers), len(report.answer.actions))
    seen = {surface: read(report) for surface, read in SURFACES.items()}
    assert seen == dict.fromkeys(SURFACES, expected)
    if name == "demo-org":
        assert expected == ("not_ready", 25, 17)
    if name == "ready-org":
        assert expected == ("ready", 0, 0)


def test_partial_org_names_the_invisible_division_and_the_fix_everywhere() -> None:
    report = _report("demo-org-partial")
    division = "collected without division 'Stores'"
    fix = "grant the auditing client's role in all divisions; `gcaudit permissions`"
    table = render(report, "table", width=120)
    head = _flat("\n".join(table.splitlines()[:8]))
    assert division in head and fix in head  # in the header, with the action in the same line
    assert "not collected" not in head
    data = json.loads(render(report, "json"))
    assert data["summary"]["partial_divisions"] == ["Stores"]
    [partial] = data["answer"]["partial"]
    assert partial["name"] == "Stores" and partial["fix"] == fix and division in partial["text"]
    assert "queues" in partial["datasets"] and data["snapshot"]["datasets"]["queues"]["status"] == "partial"
    page = render(report, "html")
    banner = page[page.index('id="partial"'):]
    banner = banner[:banner.index("</section>")]
    assert "collected without division &#39;Stores&#39;" in banner and "<code>gcaudit permissions</code>" in banner
    verdict_box = page[page.index('id="verdict"'):page.index("</header>")]
    assert "collected without division &#39;Stores&#39;" in verdict_box and "gcaudit permissions" in verdict_box
    assert "These datasets were not collected" not in page
    markdown = render(report, "markdown").replace("\\", "")
    assert f"**Partial data:** {division}" in markdown and fix in markdown
