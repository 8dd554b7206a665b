"""Physical locations for SARIF results of a snapshot audit: the file and line an admin (and GitHub
code scanning, which rejects a whole upload when any result has no physical location) can open.

- an object (queue, deployment, configuration, OAuth client, wrap-up code): its dataset file in the
  snapshot and the line and column where the object starts. Snapshots written by a collection
  are one JSON line per file (`SnapshotWriter`, indent None), so the column is what tells two
  objects apart there; the committed samples are indented, one object per line range.
- a plan entry (PLAN-001's references, a plan site): the plan file and the line of the entry;
- anything else (an org-wide verdict, a permission nobody grants): the snapshot's manifest, line 1
  (a Terraform-only audit: its source file; a live audit not saved: the plan, if any).

URIs are relative to the working directory (the repository root in CI) with uriBaseId %SRCROOT%
when the file lies inside it, else absolute `file:` URIs; both percent-encoded (RFC 3986).
"""

from __future__ import annotations

import bisect
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

from auditor.errors import GcauditError

log = logging.getLogger(__name__)

#: Result.resource_type -> the snapshot dataset file that holds such objects.
DATASET_FILE = {
    "queue": "queues.json",
    "web_deployment": "deployments.json",
    "messenger_configuration": "configurations.json",
    "oauth_client": "oauth_clients.json",
    "wrapup_code": "wrapupcodes.json",
    "role": "roles.json",
    "division": "divisions.json",
    "flow": "flows.json",
}
#: Result.resource_type -> it names an entry of the rollout plan (found by its text there).
PLAN_TYPES = frozenset({"plan_reference", "site"})
MANIFEST_FILE = "manifest.json"
SRCROOT = "%SRCROOT%"


#: What stays as it is in an artifact URI: RFC 3986 unreserved characters, `/` and the sub-delimiters
#: and `@` a path segment may hold. Not `:` (a first segment `c:` or `a:b` would read as a scheme),
#: `%`, `#`, `?`, spaces or anything non-ASCII: those are percent-encoded (UTF-8).
_URI_SAFE = "/-._~!$&'()*+,;=@"


def artifact_uri(path: str, limit: int = 2000) -> str:
    """A relative path as the URI SARIF's `artifactLocation.uri` must be (SARIF 2.1.0 §3.4.3: a URI
    reference, RFC 3986): `modules/web site/main#1.tf` -> `modules/web%20site/main%231.tf`, so that
    code scanning finds the file instead of cutting it at `#` or `?`. Backslashes become `/`."""
    encoded = quote(path.replace("\\", "/"), safe=_URI_SAFE)
    if len(encoded) > limit:  # bounded, without cutting a %XX escape in two
        encoded = encoded[:limit].rsplit("%", 1)[0] if "%" in encoded[limit - 2:limit] else encoded[:limit]
    return encoded


def artifact_location(path: str | Path, cwd: Path | None = None) -> dict[str, str]:
    """A SARIF artifactLocation: relative to `cwd` with %SRCROOT% when inside it, else a file: URI.
    A relative `path` (a Terraform source, already relative to the working directory) stays relative."""
    given = Path(path)
    if not given.is_absolute():
        return {"uri": artifact_uri(str(path)), "uriBaseId": SRCROOT}
    root = (cwd or Path.cwd()).resolve()
    target = given.resolve()
    try:
        relative = target.relative_to(root)
    except ValueError:
        return {"uri": target.as_uri()}  # as_uri percent-encodes
    return {"uri": artifact_uri(relative.as_posix()), "uriBaseId": SRCROOT}


class _Positions:
    """Offsets of a text's lines, to turn a character offset into (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        start = text.find("\n")
        while start != -1:
            self.starts.append(start + 1)
            start = text.find("\n", start + 1)

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def object_offsets(text: str) -> dict[str, int]:
    """{id: offset of the object's first character} for a listing file (a JSON array of objects).
    Top-level elements only: an id nested inside an object (a queue's division) is not the object.
    A file of another shape (a keyed dataset) gives {}."""
    decoder = json.JSONDecoder()
    out: dict[str, int] = {}
    index = _skip(text, 0)
    if index >= len(text) or text[index] != "[":
        return out
    index = _skip(text, index + 1)
    while index < len(text) and text[index] != "]":
        value, end = decoder.raw_decode(text, index)
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            out.setdefault(value["id"], index)
        index = _skip(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip(text, index + 1)
    return out


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def plan_lines(text: str) -> dict[str, tuple[int, int]]:
    """{scalar text: (line, column)} of every scalar in a YAML plan, first occurrence."""
    import yaml

    from auditor.safety.fileio import _yaml_loader

    out: dict[str, tuple[int, int]] = {}
    try:
        root = yaml.compose(text, Loader=_yaml_loader())
    except yaml.YAMLError:
        return out
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            mark = node.start_mark
            current = out.get(node.value)
            if current is None or (mark.line + 1, mark.column + 1) < current:
                out[node.value] = (mark.line + 1, mark.column + 1)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)
    return out


class SnapshotFiles:
    """Finds where a result's object lies in the snapshot (and plan) files; reads each file once,
    and only the files of the results asked about."""

    def __init__(self, snapshot_path: str | None, plan_path: str | None, cwd: Path | None = None,
                 fallback: str | Path | None = None) -> None:
        self.root = Path(snapshot_path) if snapshot_path else None
        self.plan = Path(plan_path) if plan_path else None
        #: Where a result with no object and no snapshot on disk points (line 1): the Terraform
        #: source of a configuration-only audit, else the plan.
        self.fallback = Path(fallback) if fallback else self.plan
        self.cwd = cwd
        self._offsets: dict[str, tuple[dict[str, int], _Positions] | None] = {}
        self._plan: dict[str, tuple[int, int]] | None = None

    @property
    def usable(self) -> bool:
        """The snapshot is on disk (a live audit without --save-snapshot leaves nothing to point at)."""
        return self.root is not None and (self.root / MANIFEST_FILE).is_file()

    def locate(self, resource_type: str, resource_id: str, resource_name: str) -> dict[str, Any] | None:
        """A SARIF physicalLocation, or None when there is no file to point at."""
        if resource_type in PLAN_TYPES and self.plan is not None:
            found = self._plan_entry(resource_id, resource_name)
            if found is not None:
                return self._physical(self.plan, *found)
        if self.usable:
            assert self.root is not None
            filename = DATASET_FILE.get(resource_type)
            if filename is not None:
                found = self._object(filename, resource_id)
                if found is not None:
                    return self._physical(self.root / filename, *found)
            return self._physical(self.root / MANIFEST_FILE, 1, 1)
        if self.fallback is not None:
            return self._physical(self.fallback, 1, 1)
        return None

    def _object(self, filename: str, resource_id: str) -> tuple[int, int] | None:
        if filename not in self._offsets:
            self._offsets[filename] = self._read(filename)
        cached = self._offsets[filename]
        if cached is None:
            return None
        offsets, positions = cached
        offset = offsets.get(resource_id)
        return None if offset is None else positions.at(offset)

    def _read(self, filename: str) -> tuple[dict[str, int], _Positions] | None:
        assert self.root is not None
        from auditor.safety.fileio import read_bytes

        try:
            text = read_bytes(self.root / filename).decode("utf-8")
            return object_offsets(text), _Positions(text)
        except (GcauditError, UnicodeDecodeError, ValueError) as exc:
            # The audit read this file already; if it changed since, point at the manifest instead.
            log.debug("no object lines from %s: %s", filename, exc)
            return None

    def _plan_entry(self, resource_id: str, resource_name: str) -> tuple[int, int] | None:
        if self._plan is None:
            from auditor.safety.fileio import MAX_YAML_BYTES, read_bytes

            assert self.plan is not None
            try:
                self._plan = plan_lines(read_bytes(self.plan, max_bytes=MAX_YAML_BYTES).decode("utf-8"))
            except (GcauditError, UnicodeDecodeError) as exc:
                log.debug("no plan lines from %s: %s", self.plan, exc)
                self._plan = {}
        # A plan reference's id is `kind:text as written`; a site's id is its URL.
        for text in (resource_name, resource_id, resource_id.partition(":")[2]):
            if text and text in self._plan:
                return self._plan[text]
        return None

    def _physical(self, path: Path, line: int, column: int) -> dict[str, Any]:
        return {"artifactLocation": artifact_location(path, self.cwd),
                "region": {"startLine": line, "startColumn": column}}
