"""`history` and `diff` in a terminal: the co-browse answer per run, and every line within 80 columns."""

from __future__ import annotations

from auditor.history.compare import Change, Drift, FindingChange, FindingComparison, ObjectChange
from auditor.history.views import diff_lines, diff_verdict, history_lines


def _run(run_id: int, verdict: str | None, blockers: int | None, actions: int | None, **extra) -> dict:
    return {"id": run_id, "org_id": "2655a54c-e4fa-5e95-a73a-892ed77139ea", "org_name": "Northwind " * 20,
            "started_at": "2026-11-24T02:00:00Z", "verdict": verdict, "blockers": blockers, "actions": actions,
            "summary": {"failures_by_severity": {"critical": 2, "high": 29}, "failed_datasets": ["queues"] * 30},
            "new_count": 12345, "regressed_count": 3, "resolved_count": 1, "complete": True, **extra}


def test_history_rows_carry_the_answer_and_fit_80_columns() -> None:
    lines = history_lines([_run(99999, "not_ready", 25, 15), _run(99998, "incomplete", 3, 2, complete=False),
                           _run(7, None, None, None)], width=80)
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    head = next(i for i, line in enumerate(lines) if "co-browse" in line)  # under the (wrapped) org name
    lines = lines[head - 1:]
    # Five-digit run ids and counts: the day only, so the row still fits.
    assert lines[1].split() == ["run", "day", "(UTC)", "co-browse", "blockers", "actions", "open", "new",
                                "regr.", "fixed"]
    assert lines[3].split() == ["99999", "2026-11-24", "NOT", "READY", "25", "15", "31", "12345", "3", "1"]
    assert history_lines([_run(42, "ready", 0, 0)], width=80)[-1].split()[:3] == ["42", "2026-11-24", "02:00"]
    assert lines[4].split()[2:5] == ["INCOMPLETE", "3", "2"]
    assert lines[5].split()[2:5] == ["?", "?", "?"]  # recorded before verdicts were: unknown, not READY
    assert any(line.startswith("  run 99998: data incomplete (queues") for line in lines)


def test_diff_leads_with_the_verdict_change_and_fits_80_columns() -> None:
    long = "Returns & Exchanges " * 10
    findings = FindingComparison(1, [FindingChange(Change.NEW, "f" * 32, "AUTHZ-002", "high", "q1", long)])
    drift = Drift(1, 2)
    drift.changes.append(ObjectChange("deployment", "changed", "d1", long, tuple(f"field{i}" for i in range(40))))
    verdicts = diff_verdict(_run(1, "ready", 0, 0), _run(2, "not_ready", 25, 15))
    lines = diff_lines(1, 2, verdicts, findings, drift, width=80)
    assert lines[0] == "co-browse: READY → NOT READY (0 → 25 blockers)"
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    assert any("Returns & Exchanges" in line and line.endswith("…") for line in lines)
    unknown = diff_verdict(_run(1, None, None, None), _run(2, "ready", 0, 0))
    assert unknown["change"] is None
    assert diff_lines(1, 2, unknown, FindingComparison(1), Drift(1, 2), width=80)[0].startswith("co-browse: ? → READY")
