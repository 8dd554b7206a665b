"""Columnar sidecars: written with every snapshot, read only when they still match their JSON, and
an audit over them gives byte-identical results to one over the JSON."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from auditor.analysis.frames import Frames
from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.inputs.plan import Plan
from auditor.snapshot import columnar, load_snapshot
from auditor.snapshot.columnar import LAYOUTS, sidecar_path
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.synthetic import synthetic_org
from tests.conftest import SAMPLES

COLUMNAR = sorted(LAYOUTS)


def _odd_org(tmp_path: Path) -> Path:
    """Members, codes and grants in every shape the frames read: a member without `user` or
    `joined`, one listed through a group, names only on the user, a grant without divisions, a
    group grant, an OAuth client holding a role, and a queue without members or codes."""
    org = OrgBuilder()
    home = f.HOME_DIVISION
    web = f.queue("Web Support", wrapup_prompt="MANDATORY")  # in the home division
    org.add_queue(web, codes=[f.wrapup_code("Resolved", id="c-1"), f.wrapup_code("Gone", id="c-x")],
                  members=[f.queue_member("u-1", "Ana", joined=True),
                           f.queue_member("u-2", "Bo", joined=False, member_by="group"),
                           {"id": "u-3"},  # no user, no name, no joined
                           {"id": "u-4", "user": {"id": "u-4", "name": "Di"}, "joined": True}])
    org.add_queue(f.queue("Empty"))
    org.add_role(f.role("Agents", ["conversation:cobrowse:add"], id="r-1"))
    org.grant("r-1", "u-1", [home])
    org.grant("r-1", f.subject_grant("u-4", "Di", []))  # no divisions
    org.add_group("g-1", ["u-3", "u-4"])
    org.grant("r-1", f.subject_grant("g-1", "Seniors", ["*"], type="PC_GROUP"))
    org.grant("r-1", f.subject_grant("client-1", "Bot", ["*"], type="PC_OAUTH_CLIENT"))
    org.wrapupcodes.append(f.wrapup_code("Resolved", id="c-1"))
    return org.write(tmp_path / "snap")


@pytest.fixture()
def odd_org(tmp_path: Path) -> Path:
    return _odd_org(tmp_path)


def _results(snapshot: object, plan: Plan | None = None) -> list[dict[str, object]]:
    return [r.to_dict() for r in run_audit(snapshot, plan).results]  # type: ignore[arg-type]


def test_every_snapshot_writer_leaves_a_sidecar_per_big_dataset(odd_org: Path) -> None:
    for name in COLUMNAR:
        assert sidecar_path(odd_org / f"{name}.json").is_file(), name
        assert (sidecar_path(odd_org / f"{name}.json").stat().st_mode & 0o777) == 0o600
    snapshot = load_snapshot(odd_org, lean=True)
    assert sorted(snapshot.columns) == COLUMNAR
    assert not set(snapshot.data) & set(COLUMNAR)  # the JSON was not decoded


def test_frames_from_columns_equal_frames_from_json(odd_org: Path) -> None:
    by_columns = Frames(load_snapshot(odd_org, lean=True))
    by_json = Frames(load_snapshot(odd_org, lean=True, columns=False))
    assert by_columns.snapshot.columns and not by_json.snapshot.columns
    assert by_columns.queue_member_lists == by_json.queue_member_lists
    assert by_columns.queue_member_lists  # not two empty dicts
    for frame in ("queue_members", "queue_wrapupcodes", "role_users", "user_role_grants"):
        assert getattr(by_columns, frame).to_dict("list") == getattr(by_json, frame).to_dict("list"), frame
    assert list(by_columns.subject_grant_rows()) == list(by_json.subject_grant_rows())
    # The shapes the frames derive survive the trip: the fallbacks for a member without user/name.
    members = by_columns.queue_members
    row = members[members["user_id"] == "u-3"].iloc[0]
    assert (row["name"], bool(row["joined"])) == ("u-3", False)


def test_raw_decodes_the_json_on_first_use_and_equals_a_json_load(odd_org: Path) -> None:
    snapshot = load_snapshot(odd_org, lean=True)
    plain = load_snapshot(odd_org, lean=True, columns=False)
    for name in COLUMNAR:
        assert name not in snapshot.data
        assert snapshot.raw(name) == plain.raw(name)
        assert name in snapshot.data


@pytest.mark.parametrize("sample", ["demo-org", "demo-org-partial", "ready-org"])
def test_audit_over_columns_is_identical_to_audit_over_json(tmp_path: Path, sample: str) -> None:
    root = tmp_path / sample
    shutil.copytree(SAMPLES / sample, root)
    for name in COLUMNAR:  # the bundled samples carry JSON only
        if (root / f"{name}.json").exists():
            columnar.write(name, root / f"{name}.json", 0o600)
    with_columns = load_snapshot(root, lean=True)
    assert with_columns.columns
    assert _results(with_columns) == _results(load_snapshot(root, lean=True, columns=False))


def test_synthetic_org_audits_identically_with_and_without_columns_and_a_plan(tmp_path: Path) -> None:
    root = synthetic_org(300).write(tmp_path / "s300")
    ids = [q["id"] for q in json.loads((root / "queues.json").read_text())]
    for plan in (None, Plan(queues=tuple(ids[:30]))):
        with_columns = load_snapshot(root, lean=True)
        assert sorted(with_columns.columns) == COLUMNAR
        results = _results(with_columns, plan)
        assert any(r["rule_id"] == "AUTHZ-003" and r["status"] == "FAIL" for r in results)  # members judged
        assert results == _results(load_snapshot(root, lean=True, columns=False), plan)


def test_an_edited_json_is_read_not_its_stale_sidecar(odd_org: Path) -> None:
    path = odd_org / "queue_members.json"
    text = path.read_text()
    edited = text.replace('"Ana"', '"Eva"')  # same size: only the CRC tells
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    snapshot = load_snapshot(odd_org, lean=True)
    assert "queue_members" not in snapshot.columns
    names = Frames(snapshot).queue_members["name"].tolist()
    assert "Eva" in names and "Ana" not in names


def test_a_manifest_count_disagreeing_with_the_sidecar_is_still_an_input_error(odd_org: Path) -> None:
    manifest = json.loads((odd_org / "manifest.json").read_text())
    manifest["datasets"]["queue_members"]["entities"] += 1
    (odd_org / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="queue_members"):
        load_snapshot(odd_org, lean=True)


def _damage(kind: str, path: Path) -> None:
    data = path.read_bytes()
    path.unlink()
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "garbage":
        path.write_bytes(b"\xc1" * 64)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    elif kind == "symlink":
        target = path.with_name("elsewhere")
        target.write_bytes(data)
        path.symlink_to(target)
    elif kind == "dangling":
        path.symlink_to(path.with_name("nowhere"))


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty", "directory", "fifo", "socket", "symlink",
                                  "dangling"])
def test_a_sidecar_unfit_to_use_is_ignored_and_the_json_read(odd_org: Path, kind: str) -> None:
    expected = _results(load_snapshot(odd_org, lean=True, columns=False))
    _damage(kind, sidecar_path(odd_org / "queue_members.json"))
    snapshot = load_snapshot(odd_org, lean=True)
    assert "queue_members" not in snapshot.columns
    assert "queue_wrapupcodes" in snapshot.columns
    assert _results(snapshot) == expected


def _rewrite(path: Path, change: object) -> None:
    import msgspec

    sidecar = msgspec.msgpack.decode(path.read_bytes())
    change(sidecar)  # type: ignore[operator]
    path.write_bytes(msgspec.msgpack.encode(sidecar))


@pytest.mark.parametrize("change", [
    lambda s: s.update(format=99),
    lambda s: s.update(dataset="queue_wrapupcodes"),
    lambda s: s.update(strings=s["strings"][:1]),  # indexes beyond the table
    lambda s: s["columns"].pop("joined"),
    lambda s: s["columns"].update(joined=s["columns"]["joined"][:-4]),  # one row short
    lambda s: s["columns"].update(joined=(7).to_bytes(4, "little") * (len(s["columns"]["joined"]) // 4)),
    lambda s: s["columns"].update(id=(-1).to_bytes(4, "little", signed=True) * (len(s["columns"]["id"]) // 4)),
    lambda s: s.update(counts=s["counts"][:-4]),
    lambda s: s.update(extra="field"),
], ids=["format", "dataset", "strings", "column-missing", "row-short", "boolean-7", "required-absent",
        "parents-counts", "unknown-field"])
def test_a_sidecar_that_does_not_hold_together_is_ignored(odd_org: Path, change: object) -> None:
    path = sidecar_path(odd_org / "queue_members.json")
    _rewrite(path, change)
    snapshot = load_snapshot(odd_org, lean=True)
    assert "queue_members" not in snapshot.columns
    assert Frames(snapshot).queue_member_lists == Frames(load_snapshot(odd_org, lean=True,
                                                                         columns=False)).queue_member_lists


def test_a_full_load_never_reads_sidecars(odd_org: Path) -> None:
    snapshot = load_snapshot(odd_org)
    assert not snapshot.columns
    assert "selfUri" in snapshot.raw("queue_members")[next(iter(snapshot.raw("queue_members")))][0]


def test_no_sidecar_for_a_file_the_lean_decoder_refuses(tmp_path: Path) -> None:
    path = tmp_path / "queue_members.json"
    path.write_text(json.dumps({"q": [{"id": "u", "joined": "yes"}]}))
    columnar.write("queue_members", path, 0o600)
    assert not sidecar_path(path).exists()
    columnar.write("queues", path, 0o600)  # no layout: nothing to write
    assert not sidecar_path(path).exists()


def test_unknown_values_in_a_columnar_dataset_are_filled_from_its_entities(odd_org: Path) -> None:
    """A dataset with values known only after apply is evaluated on filled copies of its entities:
    those copies, not the columns of the original, must reach the rules."""
    def marked(columns: bool) -> list[dict[str, object]]:
        snapshot = load_snapshot(odd_org, lean=True, columns=columns)
        queue_id = next(iter(snapshot.raw("queue_members")))
        snapshot.manifest.datasets["queue_members"].unknown = {queue_id: {"*.joined": "var.joined"}}
        return _results(snapshot)

    results = marked(True)
    assert results == marked(False)
    assert any(r["rule_id"] == "QUE-003" and r["status"] == "ERROR" for r in results)


# --- issue 23: the sidecar is bound to its JSON by a cryptographic digest and to its rows ----------


def _crc_patch(data: bytes, start: int, target: int) -> bytes:
    """`data` with the 32 characters at `start` (each 'a' or 'c') chosen so that its CRC-32 is `target`:
    CRC-32 is affine over GF(2), so 32 independent one-bit flips reach any value (what an attacker
    does to keep a non-cryptographic checksum over an edited file)."""
    import zlib

    base = bytearray(data)
    base[start:start + 32] = b"a" * 32
    crc0 = zlib.crc32(bytes(base))
    deltas = []
    for i in range(32):
        flipped = bytearray(base)
        flipped[start + i] = ord("c")
        deltas.append(zlib.crc32(bytes(flipped)) ^ crc0)
    # Gaussian elimination over GF(2): which flips give crc0 ^ target.
    rows = [(deltas[i], 1 << i) for i in range(32)]
    want, chosen = crc0 ^ target, 0
    basis: list[tuple[int, int]] = []
    for value, mask in rows:
        for b_value, b_mask in basis:
            if value ^ b_value < value:
                value, mask = value ^ b_value, mask ^ b_mask
        if value:
            basis.append((value, mask))
    basis.sort(reverse=True)
    for b_value, b_mask in basis:
        if want ^ b_value < want:
            want, chosen = want ^ b_value, chosen ^ b_mask
    assert want == 0, "flips not independent"
    for i in range(32):
        if chosen >> i & 1:
            base[start + i] = ord("c")
    return bytes(base)


def test_an_edit_keeping_size_and_crc32_is_not_believed(tmp_path: Path) -> None:
    """A member renamed, with 32 bytes of another name chosen so that size and CRC-32 stay: the old
    sidecar (format 1 trusted exactly these two) must not be used."""
    import zlib

    org = OrgBuilder()
    org.add_queue(f.queue("Web"), members=[f.queue_member("u-1", "Ana"), f.queue_member("u-2", "x" * 40)])
    root = org.write(tmp_path / "snap")
    path = root / "queue_members.json"
    data = path.read_bytes()
    edited = data.replace(b'"Ana"', b'"Eva"')
    edited = _crc_patch(edited, edited.index(b"x" * 40), zlib.crc32(data))
    assert len(edited) == len(data) and zlib.crc32(edited) == zlib.crc32(data) and edited != data
    path.write_bytes(edited)
    snapshot = load_snapshot(root, lean=True)
    assert "queue_members" not in snapshot.columns
    names = Frames(snapshot).queue_members["name"].tolist()
    assert "Eva" in names and "Ana" not in names


def test_a_sidecar_rebuilt_from_other_rows_is_not_believed(odd_org: Path) -> None:
    """A sidecar built from other rows and stamped with the old binding fields of this JSON (size and a
    checksum copied from the genuine sidecar): the rows differ from what the JSON holds."""
    import msgspec

    path = sidecar_path(odd_org / "queue_members.json")
    genuine = msgspec.msgpack.decode(path.read_bytes())
    other = {"q-x": [{"id": "u-9", "name": "Zed", "user": {"id": "u-9", "name": "Zed"}, "joined": True}]}
    forged = msgspec.msgpack.decode(columnar.build("queue_members", other, 0, b""))
    for key, value in genuine.items():
        if key.startswith("source_"):
            forged[key] = value
    path.write_bytes(msgspec.msgpack.encode(forged))
    snapshot = load_snapshot(odd_org, lean=True)
    assert "queue_members" not in snapshot.columns
    assert "Zed" not in Frames(snapshot).queue_members["name"].tolist()


def test_a_sidecar_whose_row_count_disagrees_with_its_counts_is_ignored(odd_org: Path) -> None:
    path = sidecar_path(odd_org / "queue_members.json")
    _rewrite(path, lambda s: s.update(rows=s["rows"] + 1))
    assert "queue_members" not in load_snapshot(odd_org, lean=True).columns


def test_the_sidecar_records_a_sha256_of_its_json(odd_org: Path) -> None:
    import hashlib

    import msgspec

    for name in COLUMNAR:
        sidecar = msgspec.msgpack.decode(sidecar_path(odd_org / f"{name}.json").read_bytes())
        assert sidecar["source_sha256"] == hashlib.sha256((odd_org / f"{name}.json").read_bytes()).digest()
        assert sidecar["dataset"] == name and sidecar["rows"] == load_snapshot(odd_org).manifest.datasets[
            name].entities
