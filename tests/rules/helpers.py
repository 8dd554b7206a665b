"""Helpers for rule tests: evaluate one rule on an OrgBuilder and pick results."""

from __future__ import annotations

from auditor.engine import run_audit
from auditor.inputs.plan import Plan
from auditor.results import Result, Status
from auditor.rules import get
from auditor.testing.builder import OrgBuilder


def evaluate(org: OrgBuilder, rule_id: str, plan: Plan | None = None) -> list[Result]:
    return run_audit(org.snapshot(), plan, rules=[get(rule_id)]).results


def statuses(results: list[Result]) -> dict[str, Status]:
    """resource name -> status"""
    return {r.resource_name: r.status for r in results}


def only(results: list[Result], status: Status) -> list[Result]:
    return [r for r in results if r.status is status]
