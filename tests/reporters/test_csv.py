from __future__ import annotations

import csv
import io
import json

from auditor.reporters import csv_report
from auditor.reporters.table import clean
from tests.reporters.hostile import FORMULA_QUEUE, hostile_report


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_result_round_trips_the_json_fields() -> None:
    report = hostile_report(fail_dataset="role_subjectgrants")
    text = csv_report.render(report)
    rows = _rows(text)
    assert list(rows[0]) == list(csv_report.FIELDS)
    assert len(rows) == len(report.results)
    for row, result in zip(rows, report.results, strict=True):
        expected = result.to_dict()
        for field in csv_report.FIELDS:
            value = csv_report.decode_cell(row[field])
            if field in ("waiver", "location"):
                assert (json.loads(value) if value else None) == expected.get(field)
            elif field == "blocks_cobrowse":  # the answer's blockers, not the engine's scope mark
                assert value == ("true" if any(r is result for r in report.answer.blockers) else "false")
            else:
                assert value == clean(str(expected.get(field) or ""), 1_000_000), field
    # every record is one physical line: control characters (incl. newlines) became spaces
    assert len(text.rstrip("\r\n").split("\r\n")) == len(report.results) + 1


def test_formula_cells_are_neutralised() -> None:
    rows = _rows(csv_report.render(hostile_report()))
    names = [row["resource_name"] for row in rows]
    assert "'" + FORMULA_QUEUE in names
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r"


def test_encode_decode_are_inverse_for_tricky_starts() -> None:
    for value in ("=1+1", "+x", "-2", "@SUM(1)", "'quoted", "'=x", "''", "'", "plain", "", "＝1"):
        assert csv_report.decode_cell(csv_report.encode_cell(value)) == value
    assert csv_report.encode_cell("=1+1") == "'=1+1"
    assert csv_report.encode_cell("plain") == "plain"


def test_blocks_cobrowse_column_counts_the_answers_blockers() -> None:
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    report = run_audit(load_snapshot(SAMPLES / "demo-org"), load_plan(SAMPLES / "demo-org" / "plan.yaml"))
    rows = _rows(csv_report.render(report))
    blocking = [r for r in rows if r["blocks_cobrowse"] == "true"]
    assert len(blocking) == len(report.answer.blockers) == 25
    assert {r["status"] for r in blocking} == {"FAIL"}
    assert {r["blocks_cobrowse"] for r in rows} == {"true", "false"}
