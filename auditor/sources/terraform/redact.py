"""Keeping tfvars values out of every output.

Display names from tfvars are already replaced by resource addresses in the snapshot
(`mappers.display_name`), but a rule's message may still quote a value (an allowed domain, a
grant type, a `for_each` key inside an address). Before any report is rendered, every string a
tfvars file or a `sensitive` variable supplied is replaced, wherever it appears, by a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from auditor.results import AuditReport

PLACEHOLDER = "(tfvars value)"
#: Shorter values ("on", "1") would blank out ordinary words; they are not secrets either.
MIN_LENGTH = 3


class Redactor:
    def __init__(self, values: set[str]) -> None:
        kept = sorted((v for v in values if len(v) >= MIN_LENGTH), key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(v) for v in kept)) if kept else None

    def __call__(self, text: Any) -> Any:
        if self.pattern is None or not isinstance(text, str):
            return text
        return self.pattern.sub(PLACEHOLDER, text)

    def lines(self, lines: list[str]) -> list[str]:
        return [self(line) for line in lines]


def redact_report(report: AuditReport, redactor: Redactor) -> None:
    """Redact results in place; the per-entity `unknown` / `locations` maps become counts."""
    for name, info in report.datasets.items():
        for key in ("unknown", "locations"):
            if isinstance(info.get(key), dict):
                report.datasets[name] = info = {**{k: v for k, v in info.items() if k != key},
                                                f"{key}_entities": len(info[key])}
    report.results = [
        replace(r, message=redactor(r.message), resource_name=redactor(r.resource_name),
                resource_id=redactor(r.resource_id),
                location={k: redactor(v) for k, v in r.location.items()} if r.location else None)
        for r in report.results
    ]
    if report.scope is not None:
        # The scope summary (snapshot v2) lists scope queues by id and name: both may carry a
        # tfvars value (a display name, a `for_each` key inside an address).
        report.scope = _redacted(report.scope, redactor)


def _redacted(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, dict):
        return {k: _redacted(v, redactor) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, redactor) for v in value]
    return redactor(value)
