"""`--format json`: the full results model, stable field names."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.results import AuditReport


def render(report: AuditReport, **_: Any) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
