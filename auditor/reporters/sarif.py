"""`--format sarif`: SARIF 2.1.0 for code-scanning dashboards and security tooling.

One `reportingDescriptor` per rule id that produced a result (help text = rationale, remediation
and references; helpUri = the first http(s) reference), one `result` per FAIL with its level from
the severity. WAIVED results that were FAILs are emitted with an accepted external `suppression`,
as SARIF intends. ERROR results become tool execution notifications, and the invocation is marked
unsuccessful when the audit is incomplete. Findings are about org objects, not files, so each
result has a logical location (kind "resource", fully qualified `<org>/<type>/<id>`) and no
physical one. `partialFingerprints` carries gcaudit's stable fingerprint so viewers match findings
across runs. `tests/reporters/sarif-schema-2.1.0.json` validates the output.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

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


#: What stays as it is in an artifact URI: RFC 3986 unreserved characters, `/` and the sub-delimiters
#: and `@` a path segment may hold. Not `:` (a first segment `c:` or `a:b` would read as a scheme),
#: `%`, `#`, `?`, spaces or anything non-ASCII: those are percent-encoded (UTF-8).
_URI_SAFE = "/-._~!$&'()*+,;=@"


def artifact_uri(path: str, limit: int = 2000) -> str:
    """A source file's path as the relative URI SARIF's `artifactLocation.uri` must be (SARIF 2.1.0
    §3.4.3: a URI reference, RFC 3986): `modules/web site/main#1.tf` -> `modules/web%20site/main%231.tf`,
    so that code scanning finds the file instead of cutting it at `#` or `?`. Backslashes become `/`."""
    encoded = quote(path.replace("\\", "/"), safe=_URI_SAFE)
    if len(encoded) > limit:  # bounded, without cutting a %XX escape in two
        encoded = encoded[:limit].rsplit("%", 1)[0] if "%" in encoded[limit - 2:limit] else encoded[:limit]
    return encoded


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


def _location(report: AuditReport, result: Result) -> dict[str, Any]:
    resource_type = _s(result.resource_type, 100)
    resource_id = _s(result.resource_id, 500)
    physical: dict[str, Any] = {}
    if result.location and result.location.get("file"):
        # Terraform source: the file relative to the repository root (where gcaudit ran), so
        # code scanning annotates the pull request's line.
        line = result.location.get("line")
        physical = {"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(str(result.location["file"])), "uriBaseId": "%SRCROOT%"},
            **({"region": {"startLine": line}} if isinstance(line, int) and line > 0 else {}),
        }}
    return {
        **physical,
        "logicalLocations": [{
            "name": _s(result.resource_name or result.resource_id, 500),
            "fullyQualifiedName": f"{_s(report.org_id, 100)}/{resource_type}/{resource_id}",
            "kind": "resource",
            "properties": {"resourceType": resource_type, "resourceId": resource_id},
        }]
    }


def _result(report: AuditReport, result: Result, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": result.rule_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": LEVELS[result.severity],
        "message": {"text": _s(result.message) or _s(result.title)},
        "locations": [_location(report, result)],
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


def render(report: AuditReport, **_: Any) -> str:
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
        "results": [_result(report, r, index_of[r.rule_id]) for r in reported],
        "properties": {
            "org": {"id": _s(report.org_id, 100), "name": _s(report.org_name, 300),
                    "region": _s(report.region, 60) if report.region else None},
            "collectedAt": _s(report.collected_at, 60),
            "summary": report.summary(),
        },
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
