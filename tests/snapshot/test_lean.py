"""Lean loading keeps the declared fields only, fails exactly like the full load and audits the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.engine import run_audit
from auditor.history.objects import extract_objects
from auditor.inputs.plan import load_plan
from auditor.snapshot import DATASETS, load_snapshot, schemas
from auditor.snapshot.datasets import BY_NAME
from auditor.snapshot.lean import decode_lean, lean_decoder
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.synthetic import synthetic_org
from tests.conftest import SAMPLES


@pytest.mark.parametrize("dataset", [d.name for d in DATASETS])
def test_every_dataset_schema_gets_a_lean_decoder(dataset: str) -> None:
    assert lean_decoder(BY_NAME[dataset].file_schema) is not None


def test_schemas_outside_the_subset_get_none() -> None:
    assert lean_decoder(schemas.MANIFEST) is None  # uses `enum`
    assert decode_lean(b"{}", schemas.MANIFEST) == (False, None)


def test_keeps_declared_fields_and_drops_the_rest(tmp_path: Path) -> None:
    org = OrgBuilder()
    org.add_queue(f.queue("Web Support", wrapup_prompt="MANDATORY"))
    root = org.write(tmp_path / "snap")
    full = load_snapshot(root).raw("queues")[0]
    lean = load_snapshot(root, lean=True).raw("queues")[0]
    assert "selfUri" in full and "selfUri" not in lean
    assert lean["acwSettings"] == {"wrapupPrompt": "MANDATORY"}
    # mediaSettings.<media> is declared as any object: kept whole, as collected.
    assert lean["mediaSettings"] == full["mediaSettings"]
    assert set(lean) <= set(schemas.QUEUE["properties"])


def test_a_value_msgspec_is_stricter_about_falls_back_to_the_full_parse(tmp_path: Path) -> None:
    org = OrgBuilder()
    org.add_queue({**f.queue("Web Support"), "joinedMemberCount": 3.0})
    root = org.write(tmp_path / "snap")
    assert decode_lean((root / "queues.json").read_bytes(), BY_NAME["queues"].file_schema) == (False, None)
    lean = load_snapshot(root, lean=True)  # the JSON Schema accepts an integral float: so does the loader
    assert lean.raw("queues") == load_snapshot(root).raw("queues")


@pytest.mark.parametrize("sample", ["demo-org", "ready-org"])
def test_sample_orgs_audit_the_same_lean_and_full(sample: str) -> None:
    root = SAMPLES / sample
    plan = load_plan(root / "plan.yaml")
    full = run_audit(load_snapshot(root), plan)
    lean = run_audit(load_snapshot(root, lean=True), plan)
    assert full.results and [r.to_dict() for r in lean.results] == [r.to_dict() for r in full.results]


def test_a_synthetic_org_audits_the_same_lean_and_full(tmp_path: Path) -> None:
    org = synthetic_org(120, seed=4)
    root = org.write(tmp_path / "snap")
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(json.dumps(org.plan()))  # JSON is YAML
    plan = load_plan(plan_path)
    full = run_audit(load_snapshot(root), plan)
    lean = run_audit(load_snapshot(root, lean=True), plan)
    assert any(r.status.value == "FAIL" for r in full.results)
    assert [r.to_dict() for r in lean.results] == [r.to_dict() for r in full.results]


def test_drift_refuses_a_lean_snapshot() -> None:
    # Hashes of lean entities would differ from those of the full ones stored by earlier nights.
    with pytest.raises(ValueError, match="lean"):
        list(extract_objects(load_snapshot(SAMPLES / "demo-org", lean=True)))
    assert list(extract_objects(load_snapshot(SAMPLES / "demo-org")))
