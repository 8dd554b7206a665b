"""`--format csv`: one row per result with the fields of the JSON output, for spreadsheets.

Formula injection: a spreadsheet treats a cell starting with `=`, `+`, `-`, `@` (or tab/CR, or
their full-width forms) as a formula, so a queue named `=HYPERLINK(...)` would become a live link
or worse. Such cells get a leading `'` (the OWASP recommendation: the spreadsheet then shows text).
To stay reversible, a cell that already starts with `'` also gets one; `decode_cell` undoes it.
Control characters become spaces (`auditor.safety.sanitise.printable`), so every record is one line.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from auditor.safety.sanitise import printable as clean

if TYPE_CHECKING:
    from auditor.results import AuditReport

#: The JSON result fields, in order (waiver and location are JSON-encoded in one cell each);
#: `blocks_cobrowse` is `true` on the answer's blockers only (`report.answer.blockers`), else `false`.
FIELDS = (
    "rule_id", "title", "severity", "status", "category", "resource_type", "resource_id",
    "resource_name", "message", "remediation", "fingerprint", "original_status", "waiver", "location",
    "blocks_cobrowse",
)
_JSON_FIELDS = ("waiver", "location")

_FORMULA_START = frozenset("=+-@\t\r＝＋－＠")
_ESCAPE = "'"
#: No truncation: CSV is the complete machine-readable export.
_LIMIT = 1_000_000


# Titles, remediation and rule ids repeat on every row of a rule: clean each distinct value once.
@lru_cache(maxsize=8192)
def encode_cell(value: str | None) -> str:
    text = clean("" if value is None else str(value), _LIMIT)
    if text and (text[0] in _FORMULA_START or text[0] == _ESCAPE):
        return _ESCAPE + text
    return text


def decode_cell(text: str) -> str:
    """The original value of a cell written by `encode_cell` (after control-character cleaning)."""
    if len(text) > 1 and text[0] == _ESCAPE and (text[1] in _FORMULA_START or text[1] == _ESCAPE):
        return text[1:]
    return text


def render(report: AuditReport, **_: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    # The answer's blockers, not the engine's mark alone: a PASS in the scope blocks nothing.
    blockers = {id(r) for r in report.answer.blockers}
    for result in report.results:
        data = result.to_dict()
        data["blocks_cobrowse"] = "true" if id(result) in blockers else "false"
        for name in _JSON_FIELDS:
            value = data.get(name)
            data[name] = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        writer.writerow([encode_cell(data.get(name)) for name in FIELDS])
    return out.getvalue()
