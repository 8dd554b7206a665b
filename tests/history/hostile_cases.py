"""Snapshots that `audit` accepts but once made `nightly` exit 4 and record nothing (issue 15, class 3).

Each case edits a snapshot written by `nightly_org()` at the JSON level (a builder cannot write a
lone surrogate or NaN), the way a hand-edited export or a misbehaving API would.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from auditor.snapshot.store import entity_count
from tests.history.orgs import nightly_org


def _deep(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = {"x": value}
    return value


def _json_edit(name: str, change: Callable[[Any], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / f"{name}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        # ensure_ascii: a lone surrogate is written as its \u escape, as an API would send it.
        path.write_text(json.dumps(data), encoding="utf-8")
        if name != "manifest":  # keep the manifest's count true: a count mismatch is another case
            manifest_path = root / "manifest.json"
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            manifest["datasets"][name]["entities"] = entity_count(data)
            manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return apply


#: Not compressible to a short prefix: PostgreSQL compresses index entries before the size check.
_LONG = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(140))


def _dataset_seconds_nan(manifest: Any) -> None:
    manifest["datasets"]["queues"]["seconds"] = float("nan")


def _duplicate_queue(root: Path) -> None:
    queues = json.loads((root / "queues.json").read_text(encoding="utf-8"))
    queues.append(dict(queues[0], name=queues[0]["name"] + " (copy)"))
    (root / "queues.json").write_text(json.dumps(queues), encoding="utf-8")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest["datasets"]["queues"]["entities"] = len(queues)  # the manifest counts what the file holds
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


#: case -> edit of the written snapshot directory
CASES: dict[str, Callable[[Path], None]] = {
    "duplicated queue id": _duplicate_queue,
    "nesting 900 levels deep": _json_edit("queues", lambda q: q[0].__setitem__("extension", _deep(900))),
    "lone surrogate in a queue name": _json_edit("queues", lambda q: q[0].__setitem__("name", "Bill\ud800ing")),
    "lone surrogate in the org name": _json_edit(
        "manifest", lambda m: m["organization"].__setitem__("name", "Acme \udfff")),
    "NaN in a manifest JSON field": _json_edit("manifest", _dataset_seconds_nan),
    "Infinity in an entity": _json_edit("queues", lambda q: q[0].__setitem__("extension", float("inf"))),
    "org id over 64 characters": _json_edit("manifest", lambda m: m["organization"].__setitem__("id", "o" * 300)),
    # Over PostgreSQL's B-tree entry limit (about 2700 bytes): these ids are index keys.
    "org id of 9000 characters": _json_edit("manifest", lambda m: m["organization"].__setitem__("id", _LONG)),
    "queue id of 9000 characters": _json_edit("queues", lambda q: q[0].__setitem__("id", _LONG)),
    "wrap-up code id of 9000 characters": _json_edit(
        "queue_wrapupcodes", lambda codes: [v.append({"id": _LONG, "name": "Long"}) for v in codes.values()]),
    "region over 64 characters": _json_edit("manifest", lambda m: m["source"].__setitem__("region", "r" * 300)),
    "NUL in a queue name": _json_edit("queues", lambda q: q[0].__setitem__("name", "Bill\x00ing")),
    "NUL in the org name": _json_edit("manifest", lambda m: m["organization"].__setitem__("name", "Ac\x00me")),
}


def hostile_snapshot(case: str, root: Path) -> Path:
    snapshot = nightly_org().write(root)
    CASES[case](snapshot)
    return snapshot
