"""Moved to `auditor.answer.chain` (the chain) and `auditor.answer` (the verdict); kept as an import
path. `verdict(report)` is the answer's, never recomputed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.answer.chain import BLOCKING, LINKS, Link, chain, is_blocker, link_of

if TYPE_CHECKING:
    from auditor.results import AuditReport

__all__ = ["BLOCKING", "LINKS", "Link", "Verdict", "chain", "is_blocker", "link_of", "verdict"]


_LABELS = {"ready": "Ready for co-browse", "not_ready": "Not ready for co-browse",
           "incomplete": "Incomplete: co-browse readiness not confirmed"}


@dataclass
class Verdict:
    ready: bool
    reasons: list[str]
    #: The answer's verdict: ready, not_ready or incomplete.
    state: str = "ready"
    #: The answer's one line with the counts.
    line: str = ""

    @property
    def label(self) -> str:
        return _LABELS.get(self.state, "Not ready for co-browse")


def verdict(report: AuditReport, links: list[Link] | None = None) -> Verdict:
    answer = report.answer
    return Verdict(answer.ready, list(answer.reasons), answer.verdict.value, answer.verdict_line())
