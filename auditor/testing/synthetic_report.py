"""A synthetic `AuditReport` of any size, for reporter tests and the benchmark suite.

Results reuse the real catalog's rule metadata (ids, titles, severities, categories, remediation)
so reports look like real ones; statuses, resource names and failed datasets are drawn from a
seeded RNG, so the same arguments always give the same report. With `hostile=True` some names are
HTML/CSV/Markdown/XML attacks, to prove that every reporter escapes them at scale.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from auditor import __version__
from auditor.results import AuditReport, Result, Status, fingerprint
from auditor.testing.builder import DEFAULT_ORG_ID
from auditor.testing.factories import new_id

#: Names that attack one output format or another; every reporter must render them inertly.
HOSTILE_NAMES = (
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<!--<img src=x onerror=alert(3)>",
    "\"><svg onload=alert(4)>",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "pipe | in | name",
    "line\nbreak\rand\ttab",
    "ctrl\x00\x07\x1b[31mchars\x7f",
    "bidi \u202eevil\u202c and \u2028 sep",
    "[link](javascript:alert(5)) *bold* `code`",
    "ampersand & <b>bold</b> 'quote' \"dq\"",
    "]]><x>&amp;</x>",
)

_RESOURCE_TYPES = {
    "delivery": "web_deployment",
    "queues": "queue",
    "authorization": "queue",
    "oauth": "oauth_client",
    "plan": "plan_reference",
}

# Weighted status mix: mostly PASS, a realistic share of FAIL, a few of the rest.
_STATUS_WEIGHTS = (
    (Status.PASS, 70),
    (Status.FAIL, 20),
    (Status.NOT_APPLICABLE, 5),
    (Status.ERROR, 3),
    (Status.WAIVED, 2),
)


def synthetic_report(
    results: int = 20_000,
    *,
    seed: int = 0,
    hostile: bool = True,
    failed_datasets: tuple[str, ...] = ("role_subjectgrants",),
    region: str | None = "eu-west-1",
) -> AuditReport:
    """An `AuditReport` with `results` results spread over every catalog rule."""
    from auditor.rules import catalog

    rng = random.Random(seed)
    rules = catalog()
    statuses = [s for s, _ in _STATUS_WEIGHTS]
    weights = [w for _, w in _STATUS_WEIGHTS]
    out: list[Result] = []
    for n in range(results):
        rule = rules[n % len(rules)]
        status = rng.choices(statuses, weights)[0]
        resource_type = _RESOURCE_TYPES.get(rule.category, rule.resource_type)
        resource_id = new_id(f"synthetic:{seed}:{n}")
        if hostile and n % 97 == 0:
            name = HOSTILE_NAMES[(n // 97) % len(HOSTILE_NAMES)]
        else:
            name = f"{resource_type.replace('_', ' ').title()} {n:05d}"
        verb = {"PASS": "meets", "FAIL": "violates", "ERROR": "could not be checked against",
                "NOT_APPLICABLE": "is out of scope for", "WAIVED": "is waived from"}[status.value]
        waiver = None
        original = None
        if status is Status.WAIVED:
            original = Status.FAIL
            waiver = {"reason": "Accepted until the Q3 rollout", "expires": "2027-01-31", "by": "change CR-1042"}
        out.append(
            Result(
                rule_id=rule.id,
                title=rule.title,
                severity=rule.severity,
                status=status,
                resource_type=resource_type,
                resource_id=resource_id,
                resource_name=name,
                message=f"{resource_type.replace('_', ' ').capitalize()} {name!r} {verb} {rule.id}.",
                remediation=rule.remediation,
                fingerprint=fingerprint(rule.id, DEFAULT_ORG_ID, resource_id),
                category=rule.category,
                original_status=original,
                waiver=waiver,
            )
        )
    out.sort(key=Result.sort_key)
    datasets = {
        name: (
            {"status": "error", "entities": 0, "calls": 1, "retries": 0, "throttled": 0, "seconds": 0.2,
             "http_status": 403, "error_code": "missing.permissions",
             "message": "Unable to perform the requested action."}
            if name in failed_datasets
            else {"status": "ok", "entities": 100, "calls": 1, "retries": 0, "throttled": 0, "seconds": 0.5,
                  "http_status": None, "error_code": None, "message": None}
        )
        for name in ("queues", "queue_wrapupcodes", "queue_members", "wrapupcodes", "roles", "role_subjectgrants",
                     "oauth_clients", "deployments", "configurations")
    }
    return AuditReport(
        org_id=DEFAULT_ORG_ID,
        org_name="Synthetic <b>Org</b> & Co",
        region=region,
        collected_at="2026-11-24T02:00:00Z",
        tool_version=__version__,
        snapshot_path="/tmp/synthetic-snapshot",
        plan_path=None,
        datasets=datasets,
        results=out,
        generated_at=datetime(2026, 11, 24, 2, 5, tzinfo=UTC).isoformat(timespec="seconds"),
    )
