"""`--format sarif`: SARIF 2.1.0 for code-scanning dashboards and security tooling.

One `reportingDescriptor` per rule id that produced a result (help text = rationale, remediation
and references; helpUri = the first http(s) reference), one `result` per FAIL with its level from
the severity. WAIVED results that were FAILs are emitted with an accepted external `suppression`,
as SARIF intends. ERROR results become tool execution notifications, and the invocation is marked
unsuccessful when the audit is incomplete. Findings are about org objects, so each result has a
logical location (kind "resource", fully qualified `<org>/<type>/<id>`) and a physical one: the
Terraform file and line, or the object's line in the snapshot or plan file (sarif_locations.py),
because GitHub code scanning rejects an upload with a result that has none. `partialFingerprints`
carries gcaudit's stable fingerprint so viewers match findings across runs.
`tests/reporters/sarif-schema-2.1.0.json` validates the output, and tests/reporters/github_sarif.py
applies GitHub's ingestion rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.reporters.sarif_locations import SnapshotFiles, artifact_location, artifact_uri  # noqa: F401 (API)
from auditor.reporters.table import clean
from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.results import AuditReport, Result

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "gcaudit/v1"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

_LIMIT = 10_000


def _s(value: object, limit: int = _LIMIT) -> str:
    return clean("" if value is None else str(value), limit)


def _rule_metadata(result: Result) -> dict[str, Any]:
    from auditor.rules import get

    try:
        return get(result.rule_id).metadata()
    except KeyError:  # a rule outside this catalog: describe it from the result alone
        return {"title": result.title, "severity": result.severity.value, "category": result.category,
                "rationale": "", "remediation": result.remediation, "references": []}


def _descriptor(result: Result) -> dict[str, Any]:
    meta = _rule_metadata(result)
    references = [_s(r, 2000) for r in meta.get("references", [])]
    links = [r for r in references if r.startswith(("https://", "http://"))]
    rationale = _s(meta.get("rationale") or meta["title"])
    remediation = _s(meta.get("remediation") or result.remediation)
    help_text = f"{rationale}\n\nRemediation: {remediation}"
    help_markdown = f"{rationale}\n\n**Remediation:** {remediation}"
    if references:
        help_text += "\n\nReferences:\n" + "\n".join(f"- {r}" for r in references)
        help_markdown += "\n\n**References:**\n" + "\n".join(f"- <{r}>" if r in links else f"- {r}"
                                                           for r in references)
    descriptor: dict[str, Any] = {
        "id": result.rule_id,
        "name": result.rule_id.replace("-", ""),
        "shortDescription": {"text": _s(meta["title"], 1000)},
        "fullDescription": {"text": rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[result.severity]},
        "properties": {
            "tags": sorted({"genesys-cloud", _s(meta.get("category") or result.category or "uncategorized", 60)}),
            "severity": result.severity.value,
        },
    }
    if links:
        descriptor["helpUri"] = links[0]
    return descriptor


def _location(report: AuditReport, result: Result, files: SnapshotFiles) -> dict[str, Any]:
    resource_type = _s(result.resource_type, 100)
    resource_id = _s(result.resource_id, 500)
    physical: dict[str, Any] | None = None
    if result.location and result.location.get("file"):
        # Terraform source: the file relative to the repository root (where gcaudit ran), so
        # code scanning annotates the pull request's line.
        line = result.location.get("line")
        physical = {
            "artifactLocation": artifact_location(str(result.location["file"])),
            "region": {"startLine": line if isinstance(line, int) and line > 0 else 1},
        }
    else:
        # A snapshot object: its line in the snapshot (or plan) file. GitHub code scanning rejects
        # the whole upload when one result has only logical locations.
        physical = files.locate(result.resource_type, result.resource_id, result.resource_name)
    return {
        **({"physicalLocation": physical} if physical is not None else {}),
        "logicalLocations": [{
            "name": _s(result.resource_name or result.resource_id, 500),
            "fullyQualifiedName": f"{_s(report.org_id, 100)}/{resource_type}/{resource_id}",
            "kind": "resource",
            "properties": {"resourceType": resource_type, "resourceId": resource_id},
        }]
    }


def _result(report: AuditReport, result: Result, rule_index: int, files: SnapshotFiles) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": result.rule_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": LEVELS[result.severity],
        "message": {"text": _s(result.message) or _s(result.title)},
        "locations": [_location(report, result, files)],
        "partialFingerprints": {FINGERPRINT_KEY: result.fingerprint},
        "properties": {"severity": result.severity.value, "category": _s(result.category, 60)},
    }
    if result.status is Status.WAIVED:
        waiver = result.waiver or {}
        suppression: dict[str, Any] = {"kind": "external", "state": "accepted"}
        if waiver.get("reason"):
            suppression["justification"] = _s(waiver["reason"], 2000)
        out["suppressions"] = [suppression]
    return out


def _notifications(report: AuditReport, index_of: dict[str, int]) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for name, info in sorted(report.missing_datasets.items()):
        reason = " ".join(str(p) for p in (info.get("http_status"), info.get("error_code")) if p) \
            or info.get("reason") or info.get("message")
        notes.append({"level": "error",
                      "message": {"text": _s(f"Dataset {name} was not collected ({reason or 'no reason given'}).")}})
    for division in report.answer.partial:  # partial data is there, without a division: say which, and the fix
        notes.append({"level": "error", "message": {"text": _s(f"Data {division.text}.")}})
    for result in report.results:
        if result.status is Status.ERROR:
            notes.append({
                "level": "error",
                "message": {"text": _s(result.message)},
                "associatedRule": {"id": result.rule_id, "index": index_of[result.rule_id]},
            })
    return notes


def render(report: AuditReport, *, fallback_file: str | Path | None = None, **_: Any) -> str:
    """`fallback_file`: where results with no object point when there is no snapshot on disk (the
    Terraform source of a configuration-only audit)."""
    files = SnapshotFiles(report.snapshot_path, report.plan_path, fallback=fallback_file)
    reported = [r for r in report.results
                if r.status is Status.FAIL or (r.status is Status.WAIVED and r.original_status is Status.FAIL)]
    descriptors: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    for result in sorted(report.results, key=lambda r: r.rule_id):
        if result.rule_id not in index_of:
            index_of[result.rule_id] = len(descriptors)
            descriptors.append(_descriptor(result))
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "gcaudit",
            "fullName": f"gcaudit {_s(report.tool_version, 40)}",
            "version": _s(report.tool_version, 40),
            "semanticVersion": _s(report.tool_version, 40),
            "rules": descriptors,
        }},
        "invocations": [{
            "executionSuccessful": report.complete,
            "toolExecutionNotifications": _notifications(report, index_of),
        }],
        "automationDetails": {"id": f"gcaudit/{_s(report.org_id, 100)}/"},
        "columnKind": "unicodeCodePoints",
        "results": [_result(report, r, index_of[r.rule_id], files) for r in reported],
        "properties": {
            "org": {"id": _s(report.org_id, 100), "name": _s(report.org_name, 300),
                    "region": _s(report.region, 60) if report.region else None},
            "collectedAt": _s(report.collected_at, 60),
            "summary": report.summary(),
        },
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
