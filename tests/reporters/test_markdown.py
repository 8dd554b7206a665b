from __future__ import annotations

import re

from auditor.reporters import markdown
from auditor.results import Status
from tests.reporters.hostile import hostile_report

UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")


def _cells(line: str) -> int:
    """Table separators in a row: pipes not escaped by an odd run of backslashes."""
    return len(UNESCAPED_PIPE.findall(line))


def test_summary_and_one_row_per_failure() -> None:
    report = hostile_report(fail_dataset="role_subjectgrants")
    text = markdown.render(report)
    assert "**Verdict:** ❌ Not ready for co-browse" in text
    assert "**Incomplete data:** not collected: role\\_subjectgrants" in text
    start = text.index("| Severity | Rule |")
    rows = text[start:].splitlines()[2:]
    expected = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    assert len(rows) == len(expected)
    assert all(_cells(row) == 7 for row in rows)  # 6 columns: no name added or removed one


def test_cells_escape_pipes_newlines_and_markup() -> None:
    text = markdown.render(hostile_report())
    row = next(line for line in text.splitlines() if "new line" in line)
    assert "a \\| b new line \\`code\\` \\[x\\]\\(javascript:alert\\(4\\)\\)" in row
    assert "<script>" not in text and "\\<script\\>alert\\(1\\)\\</script\\>" in text
    assert "\x00" not in text and "\x1b" not in text


def test_cell_escapes_backslash_before_pipe() -> None:
    assert markdown.cell("a\\|b") == "a\\\\\\|b"
    assert _cells("| " + markdown.cell("x\\|y") + " |") == 2


def test_fix_first_comes_before_the_tables_and_hygiene_is_apart() -> None:
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.reporters import markdown
    from auditor.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    demo = SAMPLES / "demo-org"
    text = markdown.render(run_audit(load_snapshot(demo), load_plan(demo / "plan.yaml")))
    fix = text.index("### Fix first")
    also = text.index("### Also in this org")
    assert fix < also < text.index("| Status |") < text.index("### All failures")
    assert "1. Deployment 'Loyalty Portal': activate it \\(now Pending\\)" in text[fix:also]
    assert "Activate one of the 3" not in text  # COB-001 is resolved by the first activation, not repeated
    assert "OAUTH-003" not in text[fix:also] and "OAUTH-003" in text[also:]
    assert "<details><summary>OAuth clients (" in text
    assert "messenger\\_configuration" not in text and "| Messenger configuration |" in text
