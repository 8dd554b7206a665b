"""What a rule is: metadata beside a pure evaluation over the snapshot frames.

A rule module defines one function decorated with `@rule(...)`; the decorator turns it into a
`Rule` carrying its metadata, and the catalog discovers every `Rule` in `auditor.rules.*`.
Rule modules must not import pandas at module level, so `gcaudit rules` and `--help` start fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.frames import Frames
    from auditor.plan import Plan
    from auditor.scope import Scope

RULE_ID = re.compile(r"^[A-Z]+-\d{3}$")

#: The links of the co-browse readiness chain, in the order a session depends on them.
CHAIN_LINKS = ("deployment", "configuration", "queue", "members", "permissions", "client")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule's verdict on one resource; the engine adds metadata and the fingerprint."""

    status: Status
    resource_id: str
    resource_name: str
    message: str
    resource_type: str | None = None


def passed(resource_id: str, resource_name: str, message: str, resource_type: str | None = None) -> Outcome:
    return Outcome(Status.PASS, resource_id, resource_name, message, resource_type)


def failed(resource_id: str, resource_name: str, message: str, resource_type: str | None = None) -> Outcome:
    return Outcome(Status.FAIL, resource_id, resource_name, message, resource_type)


def not_applicable(resource_id: str, resource_name: str, message: str, resource_type: str | None = None) -> Outcome:
    return Outcome(Status.NOT_APPLICABLE, resource_id, resource_name, message, resource_type)


T = TypeVar("T")


@dataclass
class RuleContext:
    frames: Frames
    scope: Scope
    plan: Plan | None
    org_id: str
    org_name: str
    #: Derived data several rules share (e.g. queue permission coverage), computed once per audit.
    _shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` on first use, the same value afterwards: for pure derivations of the frames
        and scope that more than one rule needs. A failing `compute` is not cached, so every rule
        that needs it reports the failure itself."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]  # type: ignore[no-any-return]


Evaluate = Callable[[RuleContext], Iterable[Outcome]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    resource_type: str
    rationale: str
    remediation: str
    references: tuple[str, ...]
    datasets: tuple[str, ...]
    evaluate: Evaluate = field(repr=False, compare=False)
    category: str = ""
    #: Plan elements the rule needs; without them it reports NOT_APPLICABLE.
    plan_requires: tuple[str, ...] = ()
    #: The link of the readiness chain the rule checks, or None for a pure hygiene rule. A result of
    #: a chain rule about a resource in the co-browse scope is a blocker (`Result.blocks_cobrowse`).
    chain_link: str | None = None

    def metadata(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity.value,
            "category": self.category,
            "resource_type": self.resource_type,
            "rationale": self.rationale,
            "remediation": self.remediation,
            "references": list(self.references),
            "datasets": list(self.datasets),
            "plan_requires": list(self.plan_requires),
            "chain_link": self.chain_link,
        }


def rule(
    *,
    id: str,
    title: str,
    severity: str,
    resource_type: str,
    rationale: str,
    remediation: str,
    references: Iterable[str] = (),
    datasets: Iterable[str],
    plan_requires: Iterable[str] = (),
    chain_link: str | None = None,
) -> Callable[[Evaluate], Rule]:
    """Declare a rule: `@rule(id="COB-001", ...)` above `def evaluate(ctx): yield ...`."""
    if not RULE_ID.match(id):
        raise ValueError(f"rule id {id!r} must look like ABC-001")
    if chain_link is not None and chain_link not in CHAIN_LINKS:
        raise ValueError(f"chain_link {chain_link!r} must be one of {', '.join(CHAIN_LINKS)} or None")

    def wrap(fn: Evaluate) -> Rule:
        # auditor.rules.<category>.<module>: the folder a rule lives in is its category.
        parts = fn.__module__.split(".")
        category = parts[2] if len(parts) > 3 and parts[:2] == ["auditor", "rules"] else "custom"
        return Rule(
            id=id,
            title=title,
            severity=Severity(severity),
            resource_type=resource_type,
            rationale=" ".join(rationale.split()),
            remediation=" ".join(remediation.split()),
            references=tuple(references),
            datasets=tuple(datasets),
            evaluate=fn,
            category=category,
            plan_requires=tuple(plan_requires),
            chain_link=chain_link,
        )

    return wrap
