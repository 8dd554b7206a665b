"""The results model shared by the engine, every reporter, preflight and the nightly history."""

from __future__ import annotations

import hashlib
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.answer import Answer


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical ... 4 for info: sorts most severe first."""
        return _SEVERITY_RANK[self]

    def at_least(self, threshold: Severity) -> bool:
        return self.rank <= threshold.rank


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}


#: `--fail-on blockers`: exit by the co-browse verdict, not by severity.
BLOCKERS = "blockers"


class Status(StrEnum):
    FAIL = "FAIL"
    ERROR = "ERROR"
    PASS = "PASS"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    WAIVED = "WAIVED"

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]


_STATUS_RANK = {status: rank for rank, status in enumerate(Status)}


def fingerprint(rule_id: str, org_id: str, resource_id: str) -> str:
    """Deterministic id of a finding across runs: same rule, org and resource -> same fingerprint."""
    # surrogatepass: an id holding a lone surrogate (hostile or broken JSON) still gets a fingerprint;
    # every valid string encodes exactly as before, so fingerprints do not change.
    return hashlib.sha256(f"{rule_id}\x1f{org_id}\x1f{resource_id}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which tripled the
# cost of building the 260,000 results of a 50k-queue org. Treat it as immutable all the same:
# change a result with dataclasses.replace, as the waivers do.
@dataclass(slots=True)
class Result:
    rule_id: str
    title: str
    severity: Severity
    status: Status
    resource_type: str
    resource_id: str
    resource_name: str
    message: str
    remediation: str
    fingerprint: str
    category: str = ""
    #: Set by the engine: the resource is in the co-browse scope and the rule is a link of the
    #: readiness chain, so this result speaks about whether co-browse works (the readiness lens);
    #: every other result is org hygiene. The fix-first list and the readiness verdict read only these.
    blocks_cobrowse: bool = False
    #: For WAIVED results: the status the rule gave before the waiver applied.
    original_status: Status | None = None
    waiver: dict[str, Any] | None = None
    #: Where a result from a Terraform source points: {"file", "line", "address"} (file relative
    #: to the working directory, i.e. the repository root in CI); None for API snapshots.
    location: dict[str, Any] | None = None
    #: Structured values behind the message (`Outcome.facts`), which the answer's actions read.
    facts: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        # Built field by field rather than with dataclasses.asdict, whose recursive deep copy of every
        # string was most of the JSON report's time at 300,000 results; the nested dicts (waiver,
        # location, facts) are still deep-copied so a caller cannot change the result through them.
        data: dict[str, Any] = {
            "rule_id": self.rule_id, "title": self.title, "severity": self.severity.value,
            "status": self.status.value, "resource_type": self.resource_type, "resource_id": self.resource_id,
            "resource_name": self.resource_name, "message": self.message, "remediation": self.remediation,
            "fingerprint": self.fingerprint, "category": self.category, "blocks_cobrowse": self.blocks_cobrowse,
        }
        if self.original_status is not None:
            data["original_status"] = self.original_status.value
        for name in ("waiver", "location", "facts"):
            value = getattr(self, name)
            if value is not None:
                data[name] = deepcopy(value)
        return data

    @property
    def where(self) -> str:
        """`file:line` for a located result, else ""."""
        if not self.location:
            return ""
        return f"{self.location.get('file')}:{self.location.get('line')}"

    def sort_key(self) -> tuple[int, str, int, str, str]:
        return (_SEVERITY_RANK[self.severity], self.rule_id, _STATUS_RANK[self.status],
                self.resource_name.casefold(), self.resource_id)


@dataclass
class AuditReport:
    """Everything one audit produced: where the data came from and every result."""

    org_id: str
    org_name: str
    region: str | None
    collected_at: str
    tool_version: str
    snapshot_path: str | None
    plan_path: str | None
    datasets: dict[str, dict[str, Any]]
    results: list[Result] = field(default_factory=list)
    generated_at: str = ""
    #: Set by `auditor.inputs.waivers.apply_waivers`: file, waived count, expired and unmatched waivers.
    waivers: dict[str, Any] | None = None
    #: Set by the engine: where the co-browse queue scope came from (`plan`, `traffic`, or
    #: `message_settings` when the traffic query is missing, with `fallback_reason`), and per scope
    #: queue its conversations and co-browse sessions in the traffic window.
    scope: dict[str, Any] | None = None
    #: `answer`'s cache: cleared whenever `results` is reassigned (waivers, redaction).
    _answer: Answer | None = field(default=None, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "results":
            object.__setattr__(self, "_answer", None)
        object.__setattr__(self, name, value)

    @property
    def answer(self) -> Answer:
        """The verdict, blockers and actions (`auditor.answer`), built once from the results as they are."""
        if self._answer is None:
            from auditor.answer import build

            self._answer = build(self)
        return self._answer

    def refresh_answer(self) -> Answer:
        """Rebuild the answer after changing results in place."""
        self._answer = None
        return self.answer

    @property
    def failed_datasets(self) -> dict[str, dict[str, Any]]:
        """Every dataset that is not complete: not collected, failed, or `partial`."""
        return {name: info for name, info in self.datasets.items() if info.get("status") != "ok"}

    @property
    def missing_datasets(self) -> dict[str, dict[str, Any]]:
        """Datasets not collected at all (a `partial` one is in `partial_datasets`: it is there, without
        some divisions, and reports say so rather than "not collected")."""
        return {name: info for name, info in self.datasets.items() if info.get("status") not in ("ok", "partial")}

    @property
    def partial_datasets(self) -> dict[str, dict[str, Any]]:
        """Datasets collected without some divisions (manifest `divisions_not_visible`)."""
        return {name: info for name, info in self.datasets.items() if info.get("status") == "partial"}

    @property
    def complete(self) -> bool:
        return not self.failed_datasets and not any(r.status is Status.ERROR for r in self.results)

    def counts_by_status(self) -> dict[str, int]:
        counts = Counter(r.status.value for r in self.results)
        return {status.value: counts.get(status.value, 0) for status in Status}

    def failures_by_severity(self) -> dict[str, int]:
        counts = Counter(r.severity.value for r in self.results if r.status is Status.FAIL)
        return {sev.value: counts.get(sev.value, 0) for sev in Severity}

    def failures_at_or_above(self, threshold: Severity) -> list[Result]:
        return [r for r in self.results if r.status is Status.FAIL and r.severity.at_least(threshold)]

    def rules_judged(self) -> tuple[int, int]:
        """(rules with at least one verdict that is not ERROR, rules run): how much of the catalog
        the data could judge (a Terraform configuration covers only part of an org)."""
        rules: dict[str, bool] = {}
        for r in self.results:
            rules[r.rule_id] = rules.get(r.rule_id, False) or r.status is not Status.ERROR
        return sum(rules.values()), len(rules)

    def summary(self) -> dict[str, Any]:
        judged, total = self.rules_judged()
        return {
            "results": len(self.results),
            "rules_judged": {"judged": judged, "total": total},
            "by_status": self.counts_by_status(),
            "failures_by_severity": self.failures_by_severity(),
            "complete": self.complete,
            "failed_datasets": sorted(self.failed_datasets),
            "partial_datasets": sorted(self.partial_datasets),
            **self.answer.summary(),
        }

    def exit_status(self, fail_on: Severity | str) -> int:
        """`fail_on` "blockers": the answer's (0 ready, 1 not ready, 3 incomplete). A severity: 0 clean,
        1 a FAIL at or above it, 3 no such FAIL but the audit is incomplete."""
        if fail_on == BLOCKERS:
            return self.answer.exit_status()
        fail_on = Severity(fail_on)
        if self.failures_at_or_above(fail_on):
            return 1
        if any(r.status is Status.ERROR for r in self.results):
            return 3
        return 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "gcaudit", "version": self.tool_version},
            "generated_at": self.generated_at,
            "org": {"id": self.org_id, "name": self.org_name, "region": self.region},
            "snapshot": {
                "path": self.snapshot_path,
                "collected_at": self.collected_at,
                "plan": self.plan_path,
                "datasets": self.datasets,
            },
            "summary": self.summary(),
            "answer": self.answer.to_dict(),
            "results": [r.to_dict() for r in self.results],
            **({"waivers": self.waivers} if self.waivers is not None else {}),
            **({"scope": self.scope} if self.scope is not None else {}),
        }
