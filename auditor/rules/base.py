"""What a rule is: metadata beside a pure evaluation over the snapshot frames.

A rule module defines one function decorated with `@rule(...)`; the decorator turns it into a
`Rule` carrying its metadata, and the catalog discovers every `Rule` in `auditor.rules.*`.
Rule modules must not import pandas at module level, so `gcaudit rules` and `--help` start fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.analysis.frames import Frames
    from auditor.analysis.scope import Scope
    from auditor.inputs.plan import Plan

RULE_ID = re.compile(r"^[A-Z]+-\d{3}$")

#: The links of the co-browse readiness chain, in the order a session depends on them.
CHAIN_LINKS = ("deployment", "configuration", "queue", "members", "permissions", "client")

#: Which objects of a dataset a rule reads (`@rule(needs={"queue_members": SCOPE})`); a dataset the
#: rule lists in `datasets` but not in `needs` is needed for EVERY object. The call planner
#: (auditor.sources.collectors.plan) collects the union over the rules that will run, and the engine turns a
#: rule whose need a targeted snapshot does not cover into ERROR (auditor.analysis.coverage).
#: - every: every object of the org (hygiene lens, org-wide listings).
#: - scope: the objects of the co-browse scope (plan queues, else traffic-inferred queues).
#: - plan: only the objects the rollout plan or the preflight request names.
#: - referenced: only the objects other collected data points at, as the planner defines per dataset
#:   (flows of deployments; holders of roles granting a permission a rule asks about and their groups;
#:   wrap-up codes of queues whose ACW settings require a code).
EVERY, SCOPE, PLAN, REFERENCED = "every", "scope", "plan", "referenced"
NEEDS = (EVERY, SCOPE, PLAN, REFERENCED)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule's verdict on one resource; the engine adds metadata and the fingerprint."""

    status: Status
    resource_id: str
    resource_name: str
    message: str
    resource_type: str | None = None
    #: Structured values behind the message (a permission, a channel, a configuration id...), for
    #: the answer's actions (auditor.answer): what to change is read from here, never parsed from text.
    facts: dict[str, Any] | None = None


def passed(resource_id: str, resource_name: str, message: str, resource_type: str | None = None) -> Outcome:
    return Outcome(Status.PASS, resource_id, resource_name, message, resource_type)


def failed(resource_id: str, resource_name: str, message: str, resource_type: str | None = None,
           facts: dict[str, Any] | None = None) -> Outcome:
    return Outcome(Status.FAIL, resource_id, resource_name, message, resource_type, facts)


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
    #: Dataset -> which of its objects the rule reads (see NEEDS); `need()` fills in EVERY.
    needs: tuple[tuple[str, str], ...] = ()

    def need(self, dataset: str) -> str:
        """Which objects of `dataset` this rule reads: every, scope, plan or referenced."""
        return dict(self.needs).get(dataset, EVERY)

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
    needs: Mapping[str, str] | None = None,
) -> Callable[[Evaluate], Rule]:
    """Declare a rule: `@rule(id="COB-001", ...)` above `def evaluate(ctx): yield ...`."""
    if not RULE_ID.match(id):
        raise ValueError(f"rule id {id!r} must look like ABC-001")
    if chain_link is not None and chain_link not in CHAIN_LINKS:
        raise ValueError(f"chain_link {chain_link!r} must be one of {', '.join(CHAIN_LINKS)} or None")
    datasets = tuple(datasets)
    for dataset, need in (needs or {}).items():
        if dataset not in datasets:
            raise ValueError(f"{id}: needs names {dataset!r}, which is not among its datasets")
        if need not in NEEDS:
            raise ValueError(f"{id}: need {need!r} of {dataset!r} must be one of {', '.join(NEEDS)}")

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
            datasets=datasets,
            evaluate=fn,
            category=category,
            plan_requires=tuple(plan_requires),
            chain_link=chain_link,
            needs=tuple(sorted((needs or {}).items())),
        )

    return wrap
