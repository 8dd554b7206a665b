"""`--format json`: the full results model, stable field names."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from auditor.safety.sanitise import json_document

if TYPE_CHECKING:
    from auditor.results import AuditReport


def render(report: AuditReport, **_: Any) -> str:
    # json_document: a lone surrogate in a name becomes its \\u escape, so the file is valid UTF-8.
    return json_document(json.dumps(report.to_dict(), indent=2, ensure_ascii=False)) + "\n"
