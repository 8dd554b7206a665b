"""Loading validates snapshots: one-line errors naming file and field; unknown extras tolerated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.snapshot import load_snapshot
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder


def _written(tmp_path: Path) -> Path:
    org = OrgBuilder()
    code = f.wrapup_code("Resolved")
    org.wrapupcodes.append(code)
    org.add_queue(f.queue("Web Support", wrapup_prompt="MANDATORY"), codes=[code])
    org.oauth_clients.append(f.oauth_client("Nightly Export"))
    org.conversation_aggregates = []  # the traffic query was made and found none
    return org.write(tmp_path / "snap")


def _rewrite(path: Path, mutate) -> None:
    data = json.loads(path.read_text())
    mutate(data)
    path.write_text(json.dumps(data))


def test_round_trip_keeps_raw_entities(tmp_path):
    snap = load_snapshot(_written(tmp_path))
    assert snap.manifest.complete
    assert snap.raw("queues")[0]["acwSettings"]["wrapupPrompt"] == "MANDATORY"
    assert snap.raw("queues")[0]["selfUri"].startswith("/api/v2/routing/queues/")


def test_unknown_fields_and_enum_values_are_tolerated(tmp_path):
    root = _written(tmp_path)

    def mutate(queues):
        queues[0]["brandNewField"] = {"x": 1}
        queues[0]["acwSettings"]["wrapupPrompt"] = "outdated_sdk_version"

    _rewrite(root / "queues.json", mutate)
    _rewrite(root / "oauth_clients.json", lambda c: c[0].update(authorizedGrantType="PKCE"))
    snap = load_snapshot(root)
    assert snap.raw("queues")[0]["brandNewField"] == {"x": 1}


@pytest.mark.parametrize(
    ("file", "mutate", "expected"),
    [
        ("queues.json", lambda q: q[0].pop("name"), "queues.json: [0].name: required field is missing"),
        (
            "queues.json",
            lambda q: q[0]["acwSettings"].update(timeoutMs="30s"),
            "queues.json: [0].acwSettings.timeoutMs: expected integer",
        ),
        (
            "oauth_clients.json",
            lambda c: c[0].update(scope="conversations"),
            "oauth_clients.json: [0].scope: expected array",
        ),
        (
            "queue_wrapupcodes.json",
            lambda m: m.update(bad=[{"name": "x"}]),
            "queue_wrapupcodes.json: bad[0].id: required field is missing",
        ),
        (
            "manifest.json",
            lambda m: m["datasets"]["queues"].update(status="half-done"),
            "manifest.json: datasets.queues.status",
        ),
        ("manifest.json", lambda m: m.pop("collected_at"), "manifest.json: collected_at: required field is missing"),
    ],
)
@pytest.mark.parametrize("lean", [False, True], ids=["full", "lean"])
def test_invalid_content_names_file_and_field(tmp_path, file, mutate, expected, lean):
    root = _written(tmp_path)
    _rewrite(root / file, mutate)
    with pytest.raises(InputError) as info:
        load_snapshot(root, lean=lean)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("lean", [False, True], ids=["full", "lean"])
def test_malformed_json_and_missing_files(tmp_path, lean):
    root = _written(tmp_path)
    (root / "roles.json").write_text('[{"id": "a", ')
    with pytest.raises(InputError, match=r"roles.json: not valid JSON: .* line 1"):
        load_snapshot(root, lean=lean)
    (root / "roles.json").write_bytes(b'[{"id": "a", "name": "\xff"}]')
    with pytest.raises(InputError, match=r"roles.json: not valid JSON: the file is not UTF-8 text"):
        load_snapshot(root, lean=lean)
    (root / "roles.json").unlink()
    with pytest.raises(InputError, match=r"roles\.json: manifest says dataset 'roles' is ok but its file is missing"):
        load_snapshot(root, lean=lean)
    with pytest.raises(InputError, match="no such snapshot directory"):
        load_snapshot(tmp_path / "nope", lean=lean)


@pytest.mark.parametrize("lean", [False, True], ids=["full", "lean"])
def test_deeply_nested_json_is_an_input_error(tmp_path, lean):
    root = _written(tmp_path)
    (root / "roles.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match=r"roles\.json"):
        load_snapshot(root, lean=lean)
    # Nested deep inside a field the lean decoder keeps whole (mediaSettings.call is any object).
    queues = json.loads((root / "queues.json").read_text())
    queues[0]["mediaSettings"]["call"] = "@"
    text = json.dumps(queues).replace('"@"', '{"a":' * 100_000 + "1" + "}" * 100_000)
    (root / "queues.json").write_text(text)
    (root / "roles.json").write_text("[]")
    with pytest.raises(InputError, match=r"queues\.json: not valid JSON: nested too deeply"):
        load_snapshot(root, lean=lean)


def test_failed_dataset_needs_no_file_and_is_unavailable(tmp_path):
    org = OrgBuilder().fail("roles")
    snap = load_snapshot(org.write(tmp_path / "snap"))
    assert not snap.available("roles")
    assert not (tmp_path / "snap" / "roles.json").exists()
    assert snap.status("roles").reason() == "HTTP 403 missing.permissions"


def test_newer_schema_is_refused(tmp_path):
    root = _written(tmp_path)
    _rewrite(root / "manifest.json", lambda m: m.update(schema_version=99))
    with pytest.raises(InputError, match="upgrade gcaudit"):
        load_snapshot(root)


@pytest.mark.parametrize("lean", [False, True], ids=["full", "lean"])
def test_a_key_with_control_characters_is_named_on_one_line(tmp_path, lean):
    # Found by the hypothesis fuzzing of group_individuals: a parent key is part of the field path.
    root = _written(tmp_path)
    (root / "group_individuals.json").write_text(json.dumps({"g\n1": None}))
    with pytest.raises(InputError) as info:
        load_snapshot(root, lean=lean)
    assert "\n" not in str(info.value) and "g\\n1" in str(info.value)


# --- issue 23: a stated count is compared whatever JSON number type states it ---------------------


@pytest.mark.parametrize("stated", [14.0, 1.4e1, True, "14", 14.5, [14], {"n": 14}])
@pytest.mark.parametrize("lean", [False, True])
def test_a_stated_count_over_an_empty_file_is_always_caught(tmp_path, stated, lean):
    from tests.conftest import SAMPLES

    root = tmp_path / "snap"
    shutil.copytree(SAMPLES / "demo-org", root)
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["datasets"]["oauth_clients"]["entities"] = stated
    (root / "manifest.json").write_text(json.dumps(manifest))
    (root / "oauth_clients.json").write_text("[]")
    with pytest.raises(InputError, match="oauth_clients"):
        load_snapshot(root, lean=lean)
