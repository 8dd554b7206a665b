"""GitHub code scanning's ingestion rules for a SARIF upload, beyond the OASIS schema.

From GitHub's "SARIF support for code scanning" reference (docs.github.com/en/code-security/
code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning) and the upload errors it
reports: the upload is rejected when a result has no physical location ("expected a physical
location"), when a location URI has a scheme other than `file` ("unrecognized SARIF location URI
scheme"), and past the documented limits (25,000 results and 25,000 rules per run, 20 runs, 1,000
locations per result, 20 tags per rule). A region needs `startLine` >= 1; `ruleId` must name a rule
of `tool.driver.rules` for the alert to have a title and help. Returns every problem as one line.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
LEVELS = {"none", "note", "warning", "error"}
#: RFC 3986: what may stand unencoded in a URI path (unreserved, sub-delims, ':', '@', '/', '%XX').
_URI_PATH = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")


def github_problems(log: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if log.get("version") != "2.1.0":
        problems.append("version must be 2.1.0")
    runs = log.get("runs")
    if not isinstance(runs, list):
        return [*problems, "runs must be an array"]
    if len(runs) > MAX_RUNS:
        problems.append(f"{len(runs)} runs (limit {MAX_RUNS})")
    for r, run in enumerate(runs):
        driver = (run.get("tool") or {}).get("driver") or {}
        if not driver.get("name"):
            problems.append(f"run {r}: tool.driver.name missing")
        rules = driver.get("rules") or []
        ids = [rule.get("id") for rule in rules]
        if len(rules) > MAX_RULES:
            problems.append(f"run {r}: {len(rules)} rules (limit {MAX_RULES})")
        if len(set(ids)) != len(ids) or not all(ids):
            problems.append(f"run {r}: rule ids missing or repeated")
        for rule in rules:
            tags = (rule.get("properties") or {}).get("tags") or []
            if len(tags) > MAX_TAGS:
                problems.append(f"run {r}: rule {rule.get('id')} has {len(tags)} tags (limit {MAX_TAGS})")
        results = run.get("results") or []
        if len(results) > MAX_RESULTS:
            problems.append(f"run {r}: {len(results)} results (limit {MAX_RESULTS})")
        for i, result in enumerate(results):
            problems += [f"run {r} result {i}: {p}" for p in _result_problems(result, ids)]
    return problems


def _result_problems(result: dict[str, Any], rule_ids: list[str]) -> list[str]:
    problems: list[str] = []
    rule_id = result.get("ruleId")
    if not rule_id or rule_id not in rule_ids:
        problems.append(f"ruleId {rule_id!r} is not in tool.driver.rules")
    index = result.get("ruleIndex")
    if index is not None and (not isinstance(index, int) or not 0 <= index < len(rule_ids)
                              or rule_ids[index] != rule_id):
        problems.append(f"ruleIndex {index!r} does not point at {rule_id!r}")
    if not (result.get("message") or {}).get("text"):
        problems.append("message.text missing")
    if result.get("level", "warning") not in LEVELS:
        problems.append(f"level {result.get('level')!r}")
    locations = result.get("locations") or []
    if len(locations) > MAX_LOCATIONS:
        problems.append(f"{len(locations)} locations (limit {MAX_LOCATIONS})")
    physical = [loc["physicalLocation"] for loc in locations if isinstance(loc.get("physicalLocation"), dict)]
    if not physical:
        problems.append("expected a physical location")
    for location in physical:
        problems += _physical_problems(location)
    for key, value in (result.get("partialFingerprints") or {}).items():
        if not isinstance(value, str):
            problems.append(f"partialFingerprints[{key}] is not a string")
    return problems


def _physical_problems(location: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    artifact = location.get("artifactLocation") or {}
    uri = artifact.get("uri")
    if not isinstance(uri, str) or not uri:
        return ["physicalLocation.artifactLocation.uri missing or empty"]
    parts = urlsplit(uri)
    if parts.scheme not in ("", "file"):
        problems.append(f"unrecognized SARIF location URI scheme {parts.scheme!r}")
    if not _URI_PATH.match(parts.path) or parts.query or parts.fragment:
        problems.append(f"uri {uri!r} is not a percent-encoded path")
    if parts.scheme == "" and (parts.path.startswith("/") or ".." in unquote(parts.path).split("/")):
        problems.append(f"relative uri {uri!r} leaves the source root")
    region = location.get("region")
    if region is not None:
        line = region.get("startLine")
        if not isinstance(line, int) or line < 1:
            problems.append(f"region.startLine {line!r} (must be >= 1)")
        column = region.get("startColumn", 1)
        if not isinstance(column, int) or column < 1:
            problems.append(f"region.startColumn {column!r} (must be >= 1)")
    return problems
