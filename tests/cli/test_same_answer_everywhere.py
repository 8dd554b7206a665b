"""One answer on every surface (issue 19): for the demo org and its plan, the verdict, the blocker
count and the action count reported by `audit` (JSON, CSV, terminal, HTML, Markdown), `nightly`
(its JSON, Markdown, HTML and terminal summary), `history`, `diff` and `preflight --plan` (JSON,
terminal, Markdown, HTML) are the same: the engine's answer, computed once, never recounted."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli as gcaudit
from tests.conftest import SAMPLES

DEMO = SAMPLES / "demo-org"
PLAN = DEMO / "plan.yaml"
#: "NOT READY for co-browse: 15 actions resolve 25 blockers; ...": the verdict line every surface prints.
VERDICT_LINE = re.compile(r"(NOT READY for co-browse|READY for co-browse|INCOMPLETE: co-browse readiness not "
                          r"confirmed): (\d+) actions? resolves? (\d+) blockers?")
WORDS = {"not_ready": "NOT READY for co-browse", "ready": "READY for co-browse",
         "incomplete": "INCOMPLETE: co-browse readiness not confirmed"}


def _run(*args: str) -> str:
    env = {k: None for k in ("GCAUDIT_OUT", "GCAUDIT_HISTORY", "GCAUDIT_CONFIG", "GCAUDIT_PLAN", "COLUMNS")}
    result = CliRunner().invoke(gcaudit, list(args), env={**env, "COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def _last(text: str) -> str:
    """The last paragraph of a terminal output (the verdict line, wrapped at 80 columns)."""
    return text.rstrip().split("\n\n")[-1]


def _from_line(text: str) -> tuple[str, int, int]:
    """(verdict, blockers, actions) from the verdict line in `text` (the last one, if several)."""
    found = VERDICT_LINE.findall(re.sub(r"\s+", " ", text.replace("\\", "")))
    assert found, text[-2000:]
    words, actions, blockers = found[-1]
    return {v: k for k, v in WORDS.items()}[words], int(blockers), int(actions)


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory) -> dict[str, tuple[str, int, int]]:
    tmp = tmp_path_factory.mktemp("answer")
    seen: dict[str, tuple[str, int, int]] = {}
    plan = ("--plan", str(PLAN))

    data = json.loads(_run("audit", str(DEMO), *plan, "--format", "json"))
    seen["audit json"] = (data["summary"]["verdict"], data["summary"]["blockers"], data["summary"]["actions"])
    assert (data["answer"]["counts"]["blockers"], data["answer"]["counts"]["actions"]) == seen["audit json"][1:]
    rows = list(csv.DictReader(io.StringIO(_run("audit", str(DEMO), *plan, "--format", "csv"))))
    blocking = sum(r["blocks_cobrowse"].lower() in ("true", "yes", "1") and r["status"] == "FAIL" for r in rows)
    seen["audit csv"] = (data["summary"]["verdict"], blocking, data["summary"]["actions"])  # CSV rows: blockers
    seen["audit terminal"] = _from_line(_last(_run("audit", str(DEMO), *plan)))
    seen["audit markdown"] = _from_line(_run("audit", str(DEMO), *plan, "--format", "markdown"))
    html = tmp / "audit.html"
    _run("audit", str(DEMO), *plan, "--format", "json", "--html", str(html))
    seen["audit html"] = _from_line(re.search(r'id="verdict-line">(.*?)</p>', html.read_text(), re.S).group(1))

    out = tmp / "reports"
    night = _run("nightly", str(DEMO), *plan, "--out-dir", str(out))
    seen["nightly terminal"] = _from_line("\n".join(night.rstrip().splitlines()[-3:]))  # the last lines
    latest = json.loads((out / "latest.json").read_text())
    seen["nightly json"] = (latest["summary"]["verdict"], latest["summary"]["blockers"], latest["summary"]["actions"])
    cobrowse = latest["nightly"]["cobrowse"]
    seen["nightly json (history)"] = (cobrowse["verdict"], cobrowse["blockers"], cobrowse["actions"])
    seen["nightly markdown"] = _from_line((out / "latest.md").read_text())
    night_html = (out / "latest.html").read_text()
    seen["nightly html"] = _from_line(re.search(r'id="verdict-line">(.*?)</p>', night_html, re.S).group(1))

    _run("nightly", str(DEMO), *plan, "--out-dir", str(out))  # a second night, for `diff`
    history_db = f"sqlite:///{out / 'gcaudit-history.db'}"
    runs = json.loads(_run("history", "--history", history_db, "--format", "json"))
    seen["history json"] = (runs[0]["verdict"], runs[0]["blockers"], runs[0]["actions"])
    row = _run("history", "--history", history_db).splitlines()[3].split()
    label = "not_ready" if row[3:5] == ["NOT", "READY"] else row[3].lower()
    seen["history table"] = (label, int(row[-6]), int(row[-5]))
    diff = json.loads(_run("diff", "1", "2", "--history", history_db, "--format", "json"))["cobrowse"]["to"]
    seen["diff json"] = (diff["verdict"], diff["blockers"], diff["actions"])
    head = _run("diff", "1", "2", "--history", history_db).splitlines()[0]
    blockers = int(re.search(r"→ (\d+) blockers", head).group(1))
    seen["diff table"] = ("not_ready" if head.startswith("co-browse: NOT READY") else "?", blockers, diff["actions"])

    pre = json.loads(_run("preflight", str(DEMO), *plan, "--format", "json"))
    seen["preflight json"] = (pre["summary"]["verdict"], pre["summary"]["blockers"], pre["summary"]["actions"])
    go = {"not_ready": "NO-GO", "ready": "GO", "incomplete": "INCOMPLETE"}
    assert pre["verdict"] == go[pre["summary"]["verdict"]]
    table = _run("preflight", str(DEMO), *plan)
    assert "What the rollout would hit" in table
    seen["preflight terminal (headline)"] = _from_line(table.split("\n\n", 1)[0])
    seen["preflight terminal"] = _from_line(_last(table))
    assert all(len(line) <= 80 for line in table.splitlines() if not line.lstrip().startswith("curl "))
    seen["preflight markdown"] = _from_line(_run("preflight", str(DEMO), *plan, "--format", "markdown"))
    pre_html = tmp / "preflight.html"
    _run("preflight", str(DEMO), *plan, "--format", "json", "--html", str(pre_html))
    seen["preflight html"] = _from_line(re.search(r'id="verdict-line">(.*?)</p>', pre_html.read_text(),
                                                  re.S).group(1))
    return seen


def test_every_surface_reports_the_same_verdict_and_counts(surfaces: dict[str, tuple[str, int, int]]) -> None:
    reference = surfaces["audit json"]
    differing = {name: value for name, value in surfaces.items() if value != reference}
    assert not differing, f"audit JSON says {reference}; these differ: {differing}"
    verdict, blockers, actions = reference
    # The demo org is half-way through its rollout: not ready, and fewer actions than blockers.
    assert verdict == "not_ready" and 0 < actions < blockers


def test_preflight_plan_exits_as_audit_does(tmp_path: Path) -> None:
    plan = ("--plan", str(PLAN))
    audit = CliRunner().invoke(gcaudit, ["audit", str(DEMO), *plan, "--format", "json"])
    preflight = CliRunner().invoke(gcaudit, ["preflight", str(DEMO), *plan, "--format", "json"])
    assert audit.exit_code == preflight.exit_code == 1
    ready = SAMPLES / "ready-org"
    audit = CliRunner().invoke(gcaudit, ["audit", str(ready), "--plan", str(ready / "plan.yaml")])
    preflight = CliRunner().invoke(gcaudit, ["preflight", str(ready), "--plan", str(ready / "plan.yaml")])
    assert audit.exit_code == preflight.exit_code == 0, preflight.output
    assert preflight.output.splitlines()[0].startswith("GO: READY for co-browse")


def test_the_preflight_answer_points_at_its_own_predictions() -> None:
    """The JSON `answer` names blockers by fingerprint: each is a prediction of the same document."""
    pre = json.loads(_run("preflight", str(DEMO), "--plan", str(PLAN), "--format", "json"))
    listed = {p["fingerprint"]: p for p in pre["predictions"] if "fingerprint" in p}
    assert pre["answer"]["blockers"] and all(fp in listed for fp in pre["answer"]["blockers"])
    assert all(listed[fp]["blocker"] and listed[fp]["status"] == "FAIL" for fp in pre["answer"]["blockers"])
    assert sum(p["blocker"] for p in pre["predictions"]) == pre["summary"]["blockers"]
