"""Property-based tests: arbitrary and mutated snapshot and plan files never crash gcaudit.

Either loading fails with a one-line InputError naming the file, or the audit completes and no
rule crashed on the data (a crash would surface as an ERROR "Rule failed to evaluate").
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.inputs.plan import load_plan
from auditor.snapshot import DATASETS, load_snapshot
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
HOSTILE_TEXT = st.sampled_from(
    ["<script>alert(1)</script>", "\x1b[2J\x00", "'\"; DROP TABLE runs;--", "ü" * 5000, "*", "", " ", "\u202e"]
)


def _base_org() -> OrgBuilder:
    org = OrgBuilder()
    agent = f.new_id("user:agent")
    code = f.wrapup_code("Resolved")
    org.wrapupcodes.append(code)
    org.add_role(f.role("Co-browse Agent", ["conversation:cobrowse:add"]), user_ids=[agent])
    org.add_queue(f.queue("Web Support", wrapup_prompt="MANDATORY_TIMEOUT", timeout_ms=30000), codes=[code],
                  members=[f.queue_member(agent, "Dana Agent")])
    org.oauth_clients.append(f.oauth_client("Launcher", "CODE", scopes=["conversations"],
                                            redirect_uris=["https://app.example.com/cb"]))
    config = f.configuration("Support", cobrowse_settings=f.cobrowse(channels=["Webmessaging", "Voice"]))
    inbound = f.flow("Support inbound")
    org.flows.append(inbound)
    org.deployments.append(f.deployment("Support Site", config, flow=f.flow_ref(inbound)))
    org.configurations.append(f.configuration("Support", version="draft", cobrowse_settings=f.cobrowse()))
    org.conversation_aggregates = [f.traffic(org.queues[0]["id"], "message", 9, message_type="webmessaging")]
    return org


BASE = _base_org()
#: Every dataset of snapshot format v2 the base org writes a file for.
DATASET_FILES = [d.name for d in DATASETS if BASE.dataset_content(d.name) is not None]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _set(doc: Any, path: tuple, value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


def _load_or_error(root: Path, *, lean: bool) -> Any:
    try:
        return load_snapshot(root, lean=lean)
    except InputError as exc:
        text = str(exc)
        assert "\n" not in text
        assert str(root) in text
        return text


def _assert_audits_or_input_error(root: Path) -> None:
    """Loads fully and lean, as the nightly and the audit do: the same error, or the same results."""
    full, lean = _load_or_error(root, lean=False), _load_or_error(root, lean=True)
    if isinstance(full, str) or isinstance(lean, str):
        assert full == lean, "the lean loader must fail exactly like the full one"
        return
    plan = load_plan(root / "plan.yaml") if (root / "plan.yaml").exists() else None
    report = run_audit(full, plan)
    crashed = [r for r in report.results if r.message.startswith("Rule failed to evaluate")]
    assert not crashed, crashed[0].message
    lean_report = run_audit(lean, plan)
    assert [r.to_dict() for r in lean_report.results] == [r.to_dict() for r in report.results]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), dataset=st.sampled_from(DATASET_FILES), delete=st.booleans(),
       replacement=JSON | HOSTILE_TEXT)
def test_mutated_snapshot_files_load_or_fail_cleanly(tmp_path_factory, data, dataset, delete, replacement):
    root = tmp_path_factory.mktemp("snap") / "s"
    BASE.write(root)
    doc = json.loads((root / f"{dataset}.json").read_text())
    path = data.draw(st.sampled_from(_paths(doc)))
    mutated = _set(copy.deepcopy(doc), path, replacement, delete)
    (root / f"{dataset}.json").write_text(json.dumps(mutated))
    _assert_audits_or_input_error(root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), delete=st.booleans(), replacement=JSON | HOSTILE_TEXT)
def test_mutated_manifest_loads_or_fails_cleanly(tmp_path_factory, data, delete, replacement):
    root = tmp_path_factory.mktemp("snap") / "s"
    BASE.write(root)
    doc = json.loads((root / "manifest.json").read_text())
    path = data.draw(st.sampled_from(_paths(doc)))
    (root / "manifest.json").write_text(json.dumps(_set(copy.deepcopy(doc), path, replacement, delete)))
    _assert_audits_or_input_error(root)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_as_a_snapshot_file(tmp_path_factory, raw):
    root = tmp_path_factory.mktemp("snap") / "s"
    BASE.write(root)
    (root / "queues.json").write_bytes(raw)
    _assert_audits_or_input_error(root)


PLAN_VALUES = JSON | HOSTILE_TEXT | st.lists(HOSTILE_TEXT | st.text(max_size=30), max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.dictionaries(
    st.sampled_from(["channels", "deployments", "queues", "sites", "integration_clients", "region", "other"]),
    PLAN_VALUES, max_size=5))
def test_arbitrary_plans_parse_or_fail_cleanly(tmp_path_factory, section):
    import yaml

    root = tmp_path_factory.mktemp("plan")
    path = root / "plan.yaml"
    path.write_text(yaml.safe_dump({"cobrowse": section}))
    try:
        plan = load_plan(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        assert str(path) in str(exc)
        return
    report = run_audit(BASE.snapshot(), plan)
    assert not [r for r in report.results if r.message.startswith("Rule failed to evaluate")]


@pytest.mark.parametrize("text", ["{{{{", "cobrowse: !!python/object:os.system ls", "\x00\x01", "a: [" * 2000])
def test_hostile_plan_text(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_plan(path)
    assert "\n" not in str(info.value)


def test_rules_are_deterministic_same_snapshot_same_fingerprints_and_order():
    first = run_audit(BASE.snapshot()).results
    second = run_audit(_base_org().snapshot()).results
    assert [(r.rule_id, r.fingerprint, r.status) for r in first] == [
        (r.rule_id, r.fingerprint, r.status) for r in second
    ]


def test_rules_are_deterministic_on_a_larger_synthetic_org(tmp_path):
    """Same org -> same results, fingerprints and order: generated twice, once through disk."""
    from auditor.testing.synthetic import OrgSpec, SyntheticOrg

    spec = OrgSpec.scaled(300, seed=11)
    in_memory = run_audit(SyntheticOrg(spec).builder().snapshot()).results
    from_disk = run_audit(load_snapshot(SyntheticOrg(spec).write(tmp_path / "s"))).results
    key = [(r.rule_id, r.fingerprint, r.status, r.resource_id, r.message) for r in in_memory]
    assert len(key) > 300
    assert key == [(r.rule_id, r.fingerprint, r.status, r.resource_id, r.message) for r in from_disk]
    assert len({r.fingerprint for r in in_memory}) == len(in_memory), "fingerprints are unique per result"


# --- truth of completeness (issue 15): the manifest's counts must match the files ------------------

def _count_in(content: Any) -> int:
    return sum(len(v) for v in content.values()) if isinstance(content, dict) else len(content)


def test_manifest_counting_clients_over_an_empty_file_is_an_input_error(tmp_path):
    """14 clients counted, `[]` in the file: taken as data, the OAuth rules would be NOT_APPLICABLE in
    a report marked complete. It is damage: exit 2, one line naming the manifest and the field."""
    from tests.conftest import run_cli

    root = BASE.write(tmp_path / "s")
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["datasets"]["oauth_clients"]["entities"] = 14
    (root / "manifest.json").write_text(json.dumps(manifest))
    (root / "oauth_clients.json").write_text("[]")
    for lean in (False, True):
        with pytest.raises(InputError) as caught:
            load_snapshot(root, lean=lean)
        assert str(caught.value).startswith(f"{root / 'manifest.json'}: datasets.oauth_clients.entities:")
        assert "oauth_clients.json holds 0" in str(caught.value)
    done = run_cli("audit", str(root))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines() == [line for line in done.stderr.strip().splitlines()
                                                if line.startswith("gcaudit: error:")]
    assert "datasets.oauth_clients.entities" in done.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=st.sampled_from(DATASET_FILES), delta=st.integers(min_value=-3, max_value=50).filter(bool))
def test_any_count_that_disagrees_with_its_file_is_refused(tmp_path_factory, dataset, delta):
    root = BASE.write(tmp_path_factory.mktemp("snap") / "s")
    manifest = json.loads((root / "manifest.json").read_text())
    real = _count_in(json.loads((root / f"{dataset}.json").read_text()))
    assert manifest["datasets"][dataset]["entities"] == real  # what the writer records, the loader checks
    manifest["datasets"][dataset]["entities"] = real + delta
    (root / "manifest.json").write_text(json.dumps(manifest))
    for lean in (False, True):
        with pytest.raises(InputError, match=f"datasets.{dataset}.entities"):
            load_snapshot(root, lean=lean)


def test_a_manifest_without_counts_still_loads(tmp_path):
    """Hand-written snapshots may leave `entities` out: nothing to compare, nothing refused."""
    root = BASE.write(tmp_path / "s")
    manifest = json.loads((root / "manifest.json").read_text())
    for status in manifest["datasets"].values():
        status.pop("entities", None)
    (root / "manifest.json").write_text(json.dumps(manifest))
    assert load_snapshot(root).available("oauth_clients")


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
def test_integers_beyond_64_bits_are_refused_at_load(value, tmp_path):
    """`timeoutMs` beyond 64 bits made six rules ERROR with OverflowError; now the load names the field."""
    root = BASE.write(tmp_path / "s")
    queues = json.loads((root / "queues.json").read_text())
    queues[0]["acwSettings"]["timeoutMs"] = value
    (root / "queues.json").write_text(json.dumps(queues))
    for lean in (False, True):
        with pytest.raises(InputError) as caught:
            load_snapshot(root, lean=lean)
        assert "queues.json: [0].acwSettings.timeoutMs" in str(caught.value)
    # The largest int64 still loads:
    queues[0]["acwSettings"]["timeoutMs"] = 2**63 - 1
    (root / "queues.json").write_text(json.dumps(queues))
    assert load_snapshot(root).raw("queues")[0]["acwSettings"]["timeoutMs"] == 2**63 - 1
