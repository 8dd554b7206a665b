"""The co-browse readiness chain: which link each result speaks about, and which FAILs block co-browse.

A co-browse session needs every link of: web deployment -> Messenger configuration -> queue ->
queue members -> permissions -> OAuth client. Each result is placed on one link (or none) by its
rule id, resource type or category; a link is as bad as its worst result.

The verdict built on it (documented in docs/reports.md) is `auditor.answer.model.build`'s.

Two lenses: a report from the engine (it carries `scope`) marks each result `blocks_cobrowse`
when its rule is a chain link and its resource is in the co-browse scope. Reports without the
marks (preflight predictions, hand-built reports) are judged by rule id: every chain result counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from auditor.results import Severity, Status

if TYPE_CHECKING:
    from auditor.results import AuditReport, Result

#: A FAIL at or above this severity on a chain link blocks co-browse.
BLOCKING = Severity.HIGH

#: (key, label) in the order a co-browse session depends on them.
LINKS: tuple[tuple[str, str], ...] = (
    ("deployment", "Web deployment"),
    ("configuration", "Messenger configuration"),
    ("queue", "Queue"),
    ("members", "Queue members"),
    ("permissions", "Permissions"),
    ("client", "OAuth client"),
)

_KEYS = {key for key, _ in LINKS}

# Rules whose link is not the one their prefix suggests.
_BY_RULE = {
    "COB-002": "configuration",  # co-browse only in a configuration draft
    "COB-004": "configuration",  # cobrowse.channels lives in the Messenger configuration
    "COB-007": "configuration",  # masking settings live in the Messenger configuration
    "QUE-003": "members",
    "AUTHZ-002": "members",
    "AUTHZ-003": "members",
    # Only the OAuth rules about the clients the rollout uses sit on the chain; the org-wide
    # hygiene rules (PASSWORD grants, redirect URIs, token lifetime...) are findings, not blockers.
    "OAUTH-001": "client",
    "OAUTH-002": "client",
    "OAUTH-011": "client",
}
_BY_PREFIX = {"COB": "deployment", "QUE": "queue", "WRP": "queue", "AUTHZ": "permissions"}
_BY_CATEGORY = {"delivery": "deployment", "queues": "queue", "authorization": "permissions"}
_BY_RESOURCE_TYPE = {"messenger_configuration": "configuration", "configuration": "configuration"}
# PLAN-001 resource ids are "<kind>:<reference>".
_BY_PLAN_KIND = {
    "deployment": "deployment", "site": "deployment", "queue": "queue", "integration_client": "client",
}


def link_of(result: Result) -> str | None:
    """The chain link a result speaks about, or None for results outside the chain.

    The rule's own `chain_link` metadata (set by the engine's owner, see CONTRACT) wins; the tables
    below place results from rules that do not declare one (older catalogs, custom rules)."""
    if result.rule_id.startswith("PLAN-"):  # a plan reference sits on the link of the kind of object it names
        return _BY_PLAN_KIND.get(result.resource_id.split(":", 1)[0])
    return _link(result.rule_id, result.resource_type, result.category)


@lru_cache(maxsize=4096)  # once per (rule, type, category), not per result: 300,000 results at 50,000 queues
def _link(rule_id: str, resource_type: str, category: str) -> str | None:
    prefix = rule_id.split("-", 1)[0]
    declared = _declared_link(rule_id)
    if declared is not _UNDECLARED:
        return declared  # type: ignore[return-value]
    if rule_id in _BY_RULE:
        return _BY_RULE[rule_id]
    if prefix == "COB" and resource_type in _BY_RESOURCE_TYPE:
        return _BY_RESOURCE_TYPE[resource_type]
    return _BY_PREFIX.get(prefix) or _BY_CATEGORY.get(category)


_UNDECLARED = object()


def _declared_link(rule_id: str) -> object:
    from auditor.rules import get

    try:
        rule = get(rule_id)
    except KeyError:
        return _UNDECLARED
    if not hasattr(rule, "chain_link"):
        return _UNDECLARED
    link = rule.chain_link
    return link if link in _KEYS or link is None else _UNDECLARED


def is_blocker(result: Result, report: AuditReport | None = None) -> bool:
    """A FAIL that stops co-browse: at least BLOCKING and marked `blocks_cobrowse` by the engine (or,
    on a `report` without the engine's marks, any chain result: see the module docstring)."""
    if result.status is not Status.FAIL or not result.severity.at_least(BLOCKING):
        return False
    return result.blocks_cobrowse or (report is not None and not _lenses(report) and link_of(result) is not None)


@dataclass
class Link:
    key: str
    label: str
    #: "ok" green, "warn" FAILs below BLOCKING only, "fail" red, "unknown" ERROR (data missing),
    #: "none" no rule evaluated this link.
    state: str = "none"
    failing_rules: list[str] = field(default_factory=list)
    error_rules: list[str] = field(default_factory=list)
    evaluated: int = 0


def _lenses(report: AuditReport) -> bool:
    """Whether the engine marked blockers (`Result.blocks_cobrowse`) on this report."""
    return report.scope is not None


def _blocker(report: AuditReport, result: Result) -> bool:
    return result.blocks_cobrowse or not _lenses(report)


def chain(report: AuditReport) -> list[Link]:
    links = {key: Link(key, label) for key, label in LINKS}
    blocking: dict[str, set[str]] = {key: set() for key in links}
    for result in report.results:
        key = link_of(result)
        if key is None:
            continue
        link = links[key]
        link.evaluated += 1
        if result.status is Status.FAIL:
            if result.rule_id not in link.failing_rules:
                link.failing_rules.append(result.rule_id)
            if is_blocker(result, report):
                blocking[key].add(result.rule_id)
        elif result.status is Status.ERROR and _blocker(report, result) and result.rule_id not in link.error_rules:
            link.error_rules.append(result.rule_id)
    for key, link in links.items():
        link.failing_rules.sort()
        link.error_rules.sort()
        if blocking[key]:
            link.state = "fail"
        elif link.error_rules:
            link.state = "unknown"
        elif link.failing_rules:
            link.state = "warn"
        elif link.evaluated:
            link.state = "ok"
    return list(links.values())


def is_chain_error(result: Result, report: AuditReport) -> bool:
    """An ERROR on a chain link inside the lens: the verdict cannot vouch for that link."""
    return result.status is Status.ERROR and link_of(result) is not None and _blocker(report, result)
