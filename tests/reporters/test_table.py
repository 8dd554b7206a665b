"""The terminal report: fix-first list, one-line verdict last, usable at 80 and 120 columns."""

from __future__ import annotations

import re

import pytest

from auditor.engine import run_audit
from auditor.inputs.plan import load_plan
from auditor.reporters import table
from auditor.snapshot import load_snapshot
from tests.conftest import SAMPLES, run_cli

DEMO = SAMPLES / "demo-org"


@pytest.fixture(scope="module")
def demo_report():
    return run_audit(load_snapshot(DEMO), load_plan(DEMO / "plan.yaml"))


@pytest.mark.parametrize("width", [80, 120])
def test_lines_fit_the_width_and_only_unbreakable_tokens_overflow(demo_report, width: int) -> None:
    text = table.render(demo_report, width=width)
    for line in text.splitlines():
        if len(line) > width:
            assert " " not in line.strip(), f"wrappable line overflows {width}: {line!r}"


@pytest.mark.parametrize("width", [80, 120])
def test_no_token_is_split_across_lines(demo_report, width: int) -> None:
    tokens = set(table.render(demo_report, width=width).split())
    for result in demo_report.results:
        if result.status.value in ("FAIL", "ERROR"):
            for token in table.clean(result.message, 600).split():
                assert token in tokens, f"{token!r} of {result.rule_id} was broken"
    assert "conversation:cobrowseVoice:add" in tokens


def test_ends_with_the_verdict_and_counts(demo_report) -> None:
    text = table.render(demo_report, width=80).rstrip("\n")
    verdict = text.rsplit("\n\n", 1)[1]
    assert re.fullmatch(r"NOT READY for co-browse: \d+ actions resolve \d+ blockers; \d+ other findings; \d+ passed, "
                        r"\d+ n/a", " ".join(verdict.split()))
    assert all(len(line) <= 80 for line in verdict.splitlines())
    assert verdict == "\n".join(table.wrap(demo_report.answer.verdict_line(), 80, "    ", first=""))


def test_hygiene_collapsed_then_the_actions_in_order(demo_report) -> None:
    text = table.render(demo_report, width=200)
    also, fix = text.split("ALSO IN THIS ORG:", 1)[1].split("FIX FIRST:", 1)
    assert "Deployment 'Northwind Store Checkout': activate it (now Inactive)  [COB-003]" in fix
    numbered = [line for line in fix.splitlines() if re.match(r"\s*\d+\. ", line)]
    assert len(numbered) == len(demo_report.answer.actions)
    flat = " ".join(fix.split())
    at = [flat.index(f"{n}. {table.clean(act.text, 400)}") for n, act in enumerate(demo_report.answer.actions, 1)]
    assert at == sorted(at)
    # org-wide OAuth hygiene is not a blocker; "Also in this org" is one line per group without -v
    assert "OAUTH-003" not in fix and "OAuth clients (13): OAUTH-003" in also
    assert "[OAUTH-003/high]" in table.render(demo_report, width=200, verbose=True)


def test_last_screen_at_80x50_holds_the_actions_and_the_verdict() -> None:
    proc = run_cli("audit", str(DEMO), "--plan", str(DEMO / "plan.yaml"), env={"COLUMNS": "80", "LINES": "50"})
    assert proc.returncode == 1, proc.stderr
    last = proc.stdout.rstrip("\n").splitlines()[-50:]
    screen = "\n".join(last)
    assert any(line.startswith("FIX FIRST: 17 actions resolve 25 blockers") for line in last)
    assert " ".join(screen.split()).endswith("NOT READY for co-browse: 17 actions resolve 25 blockers; 40 other "
                                             "findings; 364 passed, 36 n/a")  # 4: APPLY-* without an apply
    flat = " ".join(screen.split())
    report = run_audit(load_snapshot(DEMO), load_plan(DEMO / "plan.yaml"))
    for act in report.answer.actions:
        assert " ".join(table.clean(act.text, 400).split()) in flat
    assert all(len(line) <= 80 for line in last if " " in line.strip())
    # the verdict is in the header too
    assert any(line.startswith("NOT READY for co-browse: 17 actions") for line in proc.stdout.splitlines()[:6])


def test_brief_and_filters(demo_report) -> None:
    brief = table.render(demo_report, width=80, brief=True)
    assert "how to fix:" not in brief and "ALSO IN THIS ORG" not in brief and "FIX FIRST:" in brief
    critical = table.render(demo_report, width=120, severity=("critical",))
    assert "AUTHZ-001 [critical]" in critical and "COB-003 [high]" not in critical
    assert "FIX FIRST: 17 actions" in critical  # the answer is the whole report's
    passes = table.render(demo_report, width=120, status=("PASS",))
    assert "  PASS " in passes and "  FAIL " not in passes


def test_cli_severity_and_status_options() -> None:
    proc = run_cli("audit", str(DEMO), "--plan", str(DEMO / "plan.yaml"), "--severity", "critical,HIGH",
                   "--status", "fail", env={"COLUMNS": "120"})
    assert proc.returncode == 1, proc.stderr
    assert "COB-003 [high]" in proc.stdout and "[medium]" not in proc.stdout.split("ALSO IN THIS ORG")[0]
    bad = run_cli("audit", str(DEMO), "--severity", "urgent")
    assert bad.returncode == 2 and "'urgent' is not one of" in bad.stderr


def test_ready_org_says_so_last() -> None:
    report = run_audit(load_snapshot(SAMPLES / "ready-org"))
    lines = table.render(report, width=80).rstrip().splitlines()
    assert lines[-1].strip().startswith("READY for co-browse: 0 blockers")
    assert "FIX FIRST: nothing blocks co-browse." in lines


def test_verbose_lists_pass_results(demo_report) -> None:
    quiet = table.render(demo_report, width=120)
    verbose = table.render(demo_report, width=120, verbose=True)
    assert "  PASS " not in quiet and "  PASS " in verbose


def test_cli_verbose_flag_and_columns(tmp_path) -> None:
    proc = run_cli("audit", str(DEMO), "--plan", str(DEMO / "plan.yaml"), "--verbose", env={"COLUMNS": "80"})
    assert proc.returncode == 1, proc.stderr
    assert "  PASS " in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-1].strip().endswith("n/a")
