"""Overlays of the demo org (a configuration or plan applied on top), as the APPLY rules judge them."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.engine import run_audit
from auditor.inputs.plan import load_plan
from auditor.results import Result, Status
from auditor.rules import catalog
from auditor.snapshot import load_snapshot
from auditor.sources.terraform import load_terraform

DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"
WEB_SUPPORT = "83e71705-0440-553e-bd1b-4cdc29cc4d2a"


def demo():
    return load_snapshot(DEMO)


def overlay(tmp_path: Path, hcl: str):
    (tmp_path / "main.tf").write_text(hcl)
    return load_terraform(tmp_path, base=demo())


def plan_overlay(tmp_path: Path, changes: list[dict]):
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps({"format_version": "1.2", "resource_changes": changes}))
    return load_terraform(path, base=demo())


def results(snapshot, rule_id: str, plan: bool = True) -> list[Result]:
    rules = [r for r in catalog() if r.id == rule_id]
    return run_audit(snapshot, plan=load_plan(DEMO / "plan.yaml") if plan else None, rules=rules).results


def failures(snapshot, rule_id: str) -> list[Result]:
    return [r for r in results(snapshot, rule_id) if r.status is Status.FAIL]
