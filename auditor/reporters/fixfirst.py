"""The fix-first answer every surface shows: will co-browse work, what to fix first, what else is wrong.

- `blockers`: FAILs that stop co-browse (`readiness.is_blocker`), in chain order (deployment ->
  configuration -> queue -> members -> permissions -> client), then most severe first, then by name;
- `unchecked`: ERROR results (data missing), which the verdict cannot vouch for;
- `also`: every other FAIL ("Also in this org": org hygiene and low-severity chain findings), grouped by
  the kind of object, most severe first.

Strings here are raw org text: each renderer sanitises them for its medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.reporters import readiness
from auditor.reporters.words import action, finding_title, resource_group
from auditor.results import Status

if TYPE_CHECKING:
    from auditor.results import AuditReport, Result

_LINK_ORDER = {key: index for index, (key, _) in enumerate(readiness.LINKS)}
LINK_LABELS = dict(readiness.LINKS)


@dataclass
class Item:
    action: str
    rule_id: str
    severity: str
    title: str
    link: str | None
    result: Result


@dataclass
class Group:
    label: str
    items: list[Item] = field(default_factory=list)


@dataclass
class FixFirst:
    verdict: readiness.Verdict
    blockers: list[Item]
    unchecked: list[Item]
    also: list[Group]
    counts: dict[str, int]

    @property
    def also_count(self) -> int:
        return sum(len(g.items) for g in self.also)

    def verdict_line(self) -> str:
        """One line: the answer and the counts, e.g. `NOT READY for co-browse: 20 blockers, ...`."""
        head = "READY for co-browse" if self.verdict.ready else "NOT READY for co-browse"
        parts = [
            _plural(len(self.blockers), "blocker"),
            _plural(self.also_count, "other finding"),
            _plural(len(self.unchecked), "check", "checks") + " not run" if self.unchecked else "",
        ]
        tail = f"{self.counts['PASS']} passed"
        if self.counts["WAIVED"]:
            tail += f", {self.counts['WAIVED']} waived"
        if self.counts["NOT_APPLICABLE"]:
            tail += f", {self.counts['NOT_APPLICABLE']} n/a"
        return f"{head}: {', '.join(p for p in parts if p)}; {tail}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _item(result: Result) -> Item:
    return Item(action(result), result.rule_id, result.severity.value, finding_title(result),
                readiness.link_of(result), result)


def build(report: AuditReport) -> FixFirst:
    blockers, unchecked, others = [], [], []
    for result in report.results:
        if result.status is Status.ERROR:
            unchecked.append(_item(result))
        elif readiness.is_blocker(result):
            blockers.append(_item(result))
        elif result.status is Status.FAIL:
            others.append(_item(result))
    blockers.sort(key=lambda i: (_LINK_ORDER.get(i.link or "", 99), i.result.severity.rank, i.rule_id,
                                 i.result.resource_name.casefold()))
    groups: dict[str, Group] = {}
    for item in sorted(others, key=lambda i: (i.result.severity.rank, i.rule_id, i.result.resource_name.casefold())):
        label = resource_group(item.result.resource_type)
        groups.setdefault(label, Group(label)).items.append(item)
    also = sorted(groups.values(), key=lambda g: (g.items[0].result.severity.rank, -len(g.items), g.label))
    return FixFirst(readiness.verdict(report), blockers, unchecked, also, report.counts_by_status())
