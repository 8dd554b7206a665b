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
    from auditor.preflight.verdict import _order

    if report.request is None and report.audit is not None:
        # A rollout plan: waive the audit itself, as `audit --waivers` does, so the answer (rebuilt
        # from the waived results) stays the audit's; the predictions follow it.
        from auditor.preflight.chain import PLAN_STATUSES, predictions_of

        outcome = apply_waivers(report.audit, load_waivers(path, max_days=max_days), source=str(path))
        own = [p for p in report.predictions if p.source == "preflight"]
        report.predictions = _order([*own, *predictions_of(report.audit, PLAN_STATUSES)])
        return outcome.warnings()
    waivers = load_waivers(path, max_days=max_days)
    audit = as_audit_report(report)
    outcome = apply_waivers(audit, waivers, source=str(path))
    waived = {(r.rule_id, r.resource_id) for r in audit.results if r.status is Status.WAIVED}
    if report.audit is not None:
        # The chain's own report too, so its answer (the actions shown) no longer counts a waived
        # finding; its warnings are the same file's, already returned once.
        apply_waivers(report.audit, waivers, source=str(path))
    report.predictions = [
        dataclasses.replace(p, status=Status.WAIVED) if p.status is Status.FAIL and (p.rule_id, p.resource_id) in waived
        else p
        for p in report.predictions
    ]
    return outcome.warnings()
