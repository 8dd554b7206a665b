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


def test_fix_first_lists_blockers_in_chain_order_then_hygiene(demo_report) -> None:
    text = table.render(demo_report, width=200)
    fix, also = text.split("FIX FIRST:", 1)[1].split("ALSO IN THIS ORG:", 1)
    assert "Activate deployment 'Northwind Store Checkout' (now Inactive)  [COB-003]" in fix
    labels = [label for label in ("Web deployment", "Messenger configuration", "Queue\n", "Queue members",
                                  "Permissions", "OAuth client") if f"  {label}" in fix]
    assert [fix.index(f"  {label}") for label in labels] == sorted(fix.index(f"  {label}") for label in labels)
    assert len(labels) == 6
    # org-wide OAuth hygiene is not a blocker
    assert "OAUTH-003" not in fix and "[OAUTH-003/high]" in also
    assert "OAuth clients (" in also


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
