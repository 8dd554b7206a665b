"""Columnar sidecars: the three biggest per-parent datasets, as the columns the rules read.

At 50,000 queues `queue_members.json` (450 MB, a million members), `queue_wrapupcodes.json`
(230 MB) and `role_subjectgrants.json` (110 MB) are nine tenths of a snapshot. Decoding them
builds millions of dicts only for the frames to copy a few fields of each into per-queue lists
(2 s and 1.3 GB of the 8.7 s, 2.5 GB audit).
A sidecar holds just those fields, each string stored once (dictionary-encoded), so loading is
one msgpack decode of integers and distinct strings.

- The JSON stays the truth. The sidecar is written beside it, from a lean decode of the very
  bytes written (so it holds what a lean load would), and records the JSON's size and SHA-256,
  its dataset and how many rows it was built from. A loader uses it only when the JSON's size and
  SHA-256 still match (an edited, truncated or replaced JSON falls back to decoding the JSON: a
  CRC-32, as before format 2, can be kept by an edit of the same size), when its rows agree with
  its own counts and the manifest's, and when it decodes into the declared types; anything else
  about it (missing, a link, a device, damaged, of another format) is ignored the same way. It is
  a cache, so a bad one costs time, never a wrong answer or an exit. The digest is not keyed: a
  sidecar forged together with its JSON is out of scope (whoever writes both controls the data
  anyway); see docs/security.md, "Snapshot integrity".
- `raw()` of a dataset loaded this way decodes its JSON on first use (a nightly's drift, a
  preflight's per-user check); the audit's frames read the columns.
- msgpack through msgspec, already the lean loader's decoder: pyarrow (suggested in issue 14)
  would add a 40 MB wheel for what two integer columns and a string table do here; see
  docs/performance.md for the side-by-side figures.
"""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from auditor.errors import InputError
from auditor.safety.fileio import atomic_write_bytes, read_bytes
from auditor.snapshot.datasets import BY_NAME
from auditor.snapshot.lean import decode_lean

log = logging.getLogger(__name__)

#: Bump when a column's derivation (below) changes: older sidecars are then ignored.
#: 2: the JSON is bound by SHA-256 (1 had a CRC-32) and the sidecar states its row count.
FORMAT = 2
SUFFIX = ".columns"
NONE = -1


def member_columns(member: dict[str, Any]) -> tuple[Any, Any, Any, Any, Any]:
    """(member id, user id, name, joined, memberBy) of one QueueMember, as the frames read them
    (SDK 269 models/queue_member.py: id, name, user: User, joined: bool, memberBy: str): the user's
    id and name come from `user` when the listing carries it, the name falls back to the id, and
    `joined` defaults to False."""
    user = member.get("user") or {}
    return (member["id"], user.get("id") or member["id"], member.get("name") or user.get("name") or member["id"],
            bool(member.get("joined", False)), member.get("memberBy"))


def code_columns(code: dict[str, Any]) -> tuple[Any, Any]:
    """(id, name) of one wrap-up code assigned to a queue."""
    return code["id"], code["name"]


def grant_columns(subject: dict[str, Any]) -> tuple[Any, Any, Any, list[str]]:
    """(id, name, type, division ids) of one SubjectDivisionGrants entry of a role (SDK 269)."""
    return (subject["id"], subject.get("name"), subject.get("type"),
            [division["id"] for division in subject.get("divisions") or ()])


@dataclass(frozen=True)
class Layout:
    #: Per-row columns: strings (stored as indexes into the string table) unless in `booleans`.
    columns: tuple[str, ...]
    #: An entity -> its row: one value per column, then the `nested` list if there is one.
    row: Callable[[dict[str, Any]], tuple[Any, ...]]
    booleans: frozenset[str] = frozenset()
    #: A per-row list of strings, stored flat with a per-row count column `<nested>.count`.
    nested: str | None = None
    #: Columns that are never absent.
    required: frozenset[str] = frozenset({"id"})

    def stored(self) -> set[str]:
        return {*self.columns, *((self.nested, f"{self.nested}.count") if self.nested else ())}


LAYOUTS: dict[str, Layout] = {
    "queue_members": Layout(("id", "user_id", "name", "joined", "member_by"), member_columns,
                            booleans=frozenset({"joined"}), required=frozenset({"id", "user_id", "name"})),
    "queue_wrapupcodes": Layout(("id", "name"), code_columns, required=frozenset({"id", "name"})),
    "role_subjectgrants": Layout(("id", "name", "type"), grant_columns, nested="division_ids"),
}


class _Sidecar(msgspec.Struct, forbid_unknown_fields=True):
    format: int
    dataset: str
    source_size: int
    #: SHA-256 of the JSON's bytes: no edit that keeps the size keeps this (a CRC-32 it could).
    source_sha256: bytes
    #: Rows the sidecar was built from: must equal the sum of `counts` and the manifest's count.
    rows: int
    parents: list[str]
    #: Rows per parent, then every column: little-endian int32 arrays (string-table indexes, 0/1
    #: for booleans, counts for `.count` columns), so checking and reading them is numpy's work.
    counts: bytes
    strings: list[str]
    columns: dict[str, bytes]


_INT32 = np.dtype("<i4")


def _pack(values: list[int]) -> bytes:
    return np.asarray(values, dtype=_INT32).tobytes()


def _unpack(data: bytes) -> np.ndarray[Any, Any]:
    if len(data) % _INT32.itemsize:
        raise ValueError("truncated column")
    return np.frombuffer(data, dtype=_INT32)


class Columns:
    """A per-parent dataset as columns: `parents` in file order, `counts` rows each, then one list
    per column over all rows (strings, booleans, or None where the field was absent). A column
    is turned into Python values on first use: an audit reads three of the five member columns."""

    def __init__(self, dataset: str, parents: list[str], counts: list[int], strings: list[str],
                 encoded: dict[str, np.ndarray[Any, Any]]) -> None:
        self.dataset = dataset
        self.parents = parents
        self.counts = counts
        self._table: list[str | None] = [*strings, None]  # index -1 (NONE): the field was absent
        self._encoded = encoded
        self._decoded: dict[str, list[Any]] = {}

    @property
    def rows(self) -> int:
        return sum(self.counts)

    def column(self, name: str) -> list[Any]:
        if name not in self._decoded:
            values = self._encoded.pop(name)
            if name in LAYOUTS[self.dataset].booleans:
                self._decoded[name] = (values == 1).tolist()
            elif name.endswith(".count"):
                self._decoded[name] = values.tolist()
            else:
                # map() over the table's __getitem__: the loop runs in C (a comprehension costs 2x).
                self._decoded[name] = list(map(self._table.__getitem__, values.tolist()))
        return self._decoded[name]

    def by_parent(self, *names: str) -> dict[str, tuple[list[Any], ...]]:
        """{parent id: (column slice, ...)} for `names`, parents in file order."""
        out: dict[str, tuple[list[Any], ...]] = {}
        start = 0
        wanted = [self.column(n) for n in names]
        for parent, count in zip(self.parents, self.counts, strict=True):
            end = start + count
            out[parent] = tuple(column[start:end] for column in wanted)
            start = end
        return out

    def parent_column(self) -> list[str]:
        """The parent id of every row."""
        out: list[str] = []
        for parent, count in zip(self.parents, self.counts, strict=True):
            out.extend([parent] * count)
        return out


def sidecar_path(json_path: Path) -> Path:
    return json_path.with_name(json_path.name + SUFFIX)


def digest(data: bytes | mmap.mmap) -> bytes:
    """The SHA-256 binding a sidecar to its JSON. SHA-256 rather than BLAKE2: hashlib's SHA-256 uses
    the CPU's SHA extensions where there are some (2.5x BLAKE2b's speed on the benchmark machine)."""
    return hashlib.sha256(data).digest()


def _size_and_digest(path: Path) -> tuple[int, bytes]:
    """(size, SHA-256) of a regular file, over a read-only memory map: no copy of a 450 MB file in
    memory."""
    # Following a link, as the loader does for the JSON itself.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError("not a regular file")
        if info.st_size == 0:
            return 0, digest(b"")
        with mmap.mmap(fd, info.st_size, access=mmap.ACCESS_READ) as mapped:
            return info.st_size, digest(mapped)
    finally:
        os.close(fd)


def build(dataset: str, content: dict[str, list[dict[str, Any]]], size: int, sha256: bytes) -> bytes:
    """The sidecar bytes of a (lean-decoded, validated) per-parent dataset."""
    layout = LAYOUTS[dataset]
    index: dict[str, int] = {}
    columns: dict[str, list[int]] = {n: [] for n in layout.stored()}
    targets = [columns[n] for n in layout.columns]
    counts = []
    for rows in content.values():
        counts.append(len(rows))
        for row in rows:
            values = layout.row(row)
            for target, name, value in zip(targets, layout.columns, values, strict=False):
                if name in layout.booleans:
                    target.append(int(value))
                elif value is None:
                    target.append(NONE)
                else:
                    target.append(index.setdefault(value, len(index)))
            if layout.nested:
                nested = values[-1]
                columns[f"{layout.nested}.count"].append(len(nested))
                columns[layout.nested].extend(index.setdefault(v, len(index)) for v in nested)
    sidecar = _Sidecar(FORMAT, dataset, size, sha256, sum(counts), list(content), _pack(counts), list(index),
                       {name: _pack(values) for name, values in columns.items()})
    return msgspec.msgpack.encode(sidecar)


def write(dataset: str, json_path: Path, mode: int) -> None:
    """Write the sidecar of `json_path` (just written by us) if its dataset has a layout and the file
    lean-decodes; a file that does not is left without one (the loader then reports it as usual)."""
    if dataset not in LAYOUTS:
        return
    try:
        data = read_bytes(json_path)
    except InputError:  # past the loader's size limit: no loader will read this snapshot anyway
        return
    decoded, content = decode_lean(data, BY_NAME[dataset].file_schema)
    if not decoded or not isinstance(content, dict):
        return
    size, sha256 = len(data), digest(data)
    del data
    atomic_write_bytes(sidecar_path(json_path), build(dataset, content, size, sha256), mode=mode, streams=False)


def read(dataset: str, json_path: Path) -> Columns | None:
    """The columns of `json_path` from its sidecar, or None when there is none fit to use."""
    if dataset not in LAYOUTS:
        return None
    path = sidecar_path(json_path)
    if not path.exists() and not path.is_symlink():
        return None  # no sidecar (a hand-written or committed snapshot): nothing to hash
    # The JSON is hashed on another thread while the sidecar is read and decoded here: hashlib
    # releases the GIL, so on two cores the SHA-256 costs little more than the decode it overlaps.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sidecar-digest") as pool:
        hashed = pool.submit(_size_and_digest, json_path)
        try:
            # Never through a link: gcaudit writes sidecars itself, as regular files.
            raw = read_bytes(path, follow_links=False)
            sidecar = msgspec.msgpack.decode(raw, type=_Sidecar)
            del raw
            if (sidecar.format, sidecar.dataset) != (FORMAT, dataset):
                return None
            if (sidecar.source_size, sidecar.source_sha256) != hashed.result():
                log.debug("%s: stale (its JSON changed); decoding the JSON", path.name)
                return None
            return _columns(dataset, sidecar)
        except (InputError, OSError, ValueError, msgspec.MsgspecError) as exc:
            log.debug("%s: not used (%s); decoding the JSON", path.name, exc)
            return None


def _columns(dataset: str, sidecar: _Sidecar) -> Columns | None:
    """Columns over the sidecar, or None when it does not hold together (checked now, so that a
    damaged sidecar falls back to the JSON at load, not halfway through an audit)."""
    layout = LAYOUTS[dataset]
    counts = _unpack(sidecar.counts)
    columns = {name: _unpack(data) for name, data in sidecar.columns.items()}
    if set(columns) != layout.stored() or len(counts) != len(sidecar.parents) or (counts < 0).any():
        return None
    rows = int(counts.sum())
    if rows != sidecar.rows:
        return None  # not the rows it says it was built from
    lengths = dict.fromkeys(layout.columns, rows)
    if layout.nested:
        per_row = columns[f"{layout.nested}.count"]
        if (per_row < 0).any():
            return None
        lengths[f"{layout.nested}.count"] = rows
        lengths[layout.nested] = int(per_row.sum())
    for name, values in columns.items():
        if len(values) != lengths[name]:
            return None
        if not len(values) or name.endswith(".count"):
            continue
        low, high = int(values.min()), int(values.max())
        if name in layout.booleans:
            if low < 0 or high > 1:
                return None
        elif low < (0 if name in layout.required or name == layout.nested else NONE) or high >= len(sidecar.strings):
            return None
    return Columns(dataset, sidecar.parents, counts.tolist(), sidecar.strings, columns)
