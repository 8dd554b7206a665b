"""The fix-first view of `report.answer` for the renderers that list blockers one per line.

Nothing is computed here: the verdict, blockers, unchecked and "also" lists are the answer's
(`auditor.answer`); this module only pairs each result with its one-line wording.
Strings here are raw org text: each renderer sanitises them for its medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.answer.chain import link_of
from auditor.answer.model import LINK_LABELS
from auditor.answer.words import action, finding_title

if TYPE_CHECKING:
    from auditor.answer import Answer
    from auditor.results import AuditReport, Result

__all__ = ["LINK_LABELS", "FixFirst", "Group", "Item", "build"]


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
    answer: Answer
    blockers: list[Item]
    unchecked: list[Item]
    also: list[Group]

    @property
    def verdict(self) -> Answer:
        return self.answer

    @property
    def also_count(self) -> int:
        return self.answer.also_count

    def verdict_line(self) -> str:
        return self.answer.verdict_line()


def _item(result: Result) -> Item:
    return Item(action(result), result.rule_id, result.severity.value, finding_title(result), link_of(result), result)


def build(report: AuditReport) -> FixFirst:
    answer = report.answer
    return FixFirst(answer, [_item(r) for r in answer.blockers], [_item(r) for r in answer.unchecked],
                    [Group(g.label, [_item(r) for r in g.results]) for g in answer.also])
