"""Waivers in preflight: the same waiver file as `audit`, matched on rule id and resource."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.results import Status

if TYPE_CHECKING:
    from auditor.preflight.verdict import PreflightReport


def apply_waivers_to(report: PreflightReport, path: Path, max_days: int) -> list[str]:
    """Waive matching FAIL predictions in place; returns the waiver file's warnings (expired, unused)."""
    from auditor.inputs.waivers import apply_waivers, load_waivers
    from auditor.preflight.render import as_audit_report

    audit = as_audit_report(report)
    outcome = apply_waivers(audit, load_waivers(path, max_days=max_days), source=str(path))
    waived = {(r.rule_id, r.resource_id) for r in audit.results if r.status is Status.WAIVED}
    report.predictions = [
        dataclasses.replace(p, status=Status.WAIVED) if p.status is Status.FAIL and (p.rule_id, p.resource_id) in waived
        else p
        for p in report.predictions
    ]
    return outcome.warnings()
