"""Output formats. Each reporter module has `render(report, **options) -> str`.

Reporters are imported by name on demand so that start-up stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.results import AuditReport

#: format name -> module under auditor.reporters
FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json_report",
    "markdown": "markdown",
    "csv": "csv_report",
    "junit": "junit",
    "sarif": "sarif",
    "html": "html",
}


def available_formats() -> list[str]:
    """Formats whose module is present (all of them in a release build)."""
    import importlib.util

    return sorted(f for f, m in FORMATS.items() if importlib.util.find_spec(f"auditor.reporters.{m}"))


def render(report: AuditReport, fmt: str, **options: Any) -> str:
    module = importlib.import_module(f"auditor.reporters.{FORMATS[fmt]}")
    return module.render(report, **options)
