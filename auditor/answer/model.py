"""The Answer: verdict, blockers, actions, what could not be checked, what else is wrong.

Built once per report (`AuditReport.answer`) from its results after waivers; every surface renders it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from auditor.answer import actions as _actions
from auditor.answer.chain import LINKS, Link, chain, is_blocker, is_chain_error, link_of
from auditor.answer.words import resource_group
from auditor.results import Status

if TYPE_CHECKING:
    from auditor.answer.actions import Action
    from auditor.results import AuditReport, Result

_LINK_ORDER = {key: index for index, (key, _) in enumerate(LINKS)}
LINK_LABELS = dict(LINKS)

#: The one fix for data collected without some divisions (the `permissions` command lists what to grant).
PARTIAL_FIX = "grant the auditing client's role in all divisions; `gcaudit permissions`"


class Verdict(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"
    #: Nothing found blocks co-browse, but something the verdict needs was not seen (ERROR, data missing).
    INCOMPLETE = "incomplete"


HEADLINES = {
    Verdict.READY: "READY for co-browse",
    Verdict.NOT_READY: "NOT READY for co-browse",
    Verdict.INCOMPLETE: "INCOMPLETE: co-browse readiness not confirmed",
}


@dataclass(frozen=True)
class PartialDivision:
    """A division the auditing client could not see, and the datasets collected without it."""

    id: str
    name: str
    datasets: tuple[str, ...]

    @property
    def text(self) -> str:
        """`collected without division 'Stores' (queues, flows): grant ...; `gcaudit permissions``."""
        return f"collected without division '{self.name}' ({', '.join(self.datasets)}): {PARTIAL_FIX}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "datasets": list(self.datasets), "text": self.text,
                "fix": PARTIAL_FIX}


@dataclass
class Group:
    """Other FAILs about one kind of object ("Also in this org")."""

    label: str
    results: list[Result] = field(default_factory=list)


@dataclass
class Answer:
    verdict: Verdict
    #: Why the verdict is not READY, one line per chain link or data gap.
    reasons: list[str]
    #: FAILs that stop co-browse, in chain order, then most severe first, then by name.
    blockers: list[Result]
    #: What to do, in order (`auditor.answer.actions`).
    actions: list[Action]
    #: ERROR results: data missing, the verdict cannot vouch for them.
    unchecked: list[Result]
    #: Every other FAIL, grouped by kind of object, most severe group first.
    also: list[Group]
    #: Divisions the auditing client could not see, per dataset (manifest status `partial`).
    partial: list[PartialDivision]
    #: Datasets not collected at all: name -> reason.
    not_collected: dict[str, str]
    #: Results per status.
    counts: dict[str, int]
    links: list[Link]

    @property
    def ready(self) -> bool:
        return self.verdict is Verdict.READY

    @property
    def headline(self) -> str:
        return HEADLINES[self.verdict]

    @property
    def also_count(self) -> int:
        return sum(len(g.results) for g in self.also)

    def counts_line(self) -> str:
        """`18 actions resolve 25 blockers; 40 other findings; 364 passed, 36 n/a`."""
        if self.blockers:
            head = (f"{_plural(len(self.actions), 'action')} "
                    f"{'resolves' if len(self.actions) == 1 else 'resolve'} {_plural(len(self.blockers), 'blocker')}")
        else:
            head = "0 blockers"
        parts = [head]
        if self.unchecked:
            parts.append(_plural(len(self.unchecked), "check") + " not run")
        if self.partial:
            parts.append("collected without " + ", ".join(f"division '{d.name}'" for d in self.partial))
        parts.append(_plural(self.also_count, "other finding"))
        tail = f"{self.counts.get('PASS', 0)} passed"
        if self.counts.get("WAIVED"):
            tail += f", {self.counts['WAIVED']} waived"
        if self.counts.get("NOT_APPLICABLE"):
            tail += f", {self.counts['NOT_APPLICABLE']} n/a"
        return f"{'; '.join(parts)}; {tail}"

    def verdict_line(self) -> str:
        """The one line every surface ends (or starts) with: `NOT READY for co-browse: 17 actions resolve ...`."""
        return f"{self.headline}: {self.counts_line()}"

    def exit_status(self) -> int:
        """`--fail-on blockers`: 0 ready, 1 not ready, 3 incomplete (the convention for ERROR)."""
        return {Verdict.READY: 0, Verdict.NOT_READY: 1, Verdict.INCOMPLETE: 3}[self.verdict]

    def summary(self) -> dict[str, Any]:
        """What `summary` of the JSON report adds: the verdict and its counts."""
        return {
            "verdict": self.verdict.value,
            "verdict_line": self.verdict_line(),
            "blockers": len(self.blockers),
            "actions": len(self.actions),
            "other_findings": self.also_count,
            "not_checked": len(self.unchecked),
            "partial_divisions": [d.name for d in self.partial],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "headline": self.headline,
            "verdict_line": self.verdict_line(),
            "reasons": list(self.reasons),
            "counts": {"blockers": len(self.blockers), "actions": len(self.actions),
                       "other_findings": self.also_count, "not_checked": len(self.unchecked)},
            "actions": [a.to_dict() for a in self.actions],
            # Fingerprints, in order: each finding is in full in `results` (no second copy at 300,000 results).
            "blockers": [r.fingerprint for r in self.blockers],
            "not_checked": [r.fingerprint for r in self.unchecked],
            "partial": [d.to_dict() for d in self.partial],
            "not_collected": dict(self.not_collected),
            "chain": [{"key": link.key, "label": link.label, "state": link.state} for link in self.links],
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def partial_divisions(datasets: dict[str, dict[str, Any]]) -> list[PartialDivision]:
    """Per invisible division, the datasets collected without it (manifest `divisions_not_visible`)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for name, info in sorted(datasets.items()):
        if info.get("status") != "partial":
            continue
        for division in info.get("divisions_not_visible") or ():
            if isinstance(division, dict) and division.get("id"):
                entry = found.setdefault(str(division["id"]), (str(division.get("name") or division["id"]), []))
                entry[1].append(name)
    return [PartialDivision(i, n, tuple(ds)) for i, (n, ds) in sorted(found.items(), key=lambda x: x[1][0])]


def _reason(info: dict[str, Any]) -> str:
    parts = [f"HTTP {info['http_status']}" if info.get("http_status") else "", info.get("error_code") or ""]
    return " ".join(p for p in parts if p) or str(info.get("message") or info.get("not_collected_reason")
                                                  or "not collected")


def build(report: AuditReport) -> Answer:
    """The answer for `report`'s results as they are now (after waivers)."""
    blockers: list[Result] = []
    unchecked: list[Result] = []
    others: list[Result] = []
    for result in report.results:
        if result.status is Status.ERROR:
            unchecked.append(result)
        elif result.status is Status.FAIL:
            # A blocker sits on a chain link; a result marked without one (a hand-built report) is hygiene.
            (blockers if is_blocker(result, report) and link_of(result) is not None else others).append(result)
    blockers.sort(key=lambda r: (_LINK_ORDER.get(link_of(r) or "", 99), r.severity.rank, r.rule_id,
                                 r.resource_name.casefold()))
    groups: dict[str, Group] = {}
    for r in sorted(others, key=lambda r: (r.severity.rank, r.rule_id, r.resource_name.casefold())):
        label = resource_group(r.resource_type)
        groups.setdefault(label, Group(label)).results.append(r)
    also = sorted(groups.values(), key=lambda g: (g.results[0].severity.rank, -len(g.results), g.label))
    links = chain(report)
    partial = partial_divisions(report.datasets)
    not_collected = {name: _reason(info) for name, info in sorted(report.datasets.items())
                     if info.get("status") not in ("ok", "partial")}
    reasons = []
    for link in links:
        if link.state == "fail":
            mine = [r for r in blockers if link_of(r) == link.key]
            reasons.append(f"{link.label}: {len(mine)} blocker(s) ({', '.join(sorted({r.rule_id for r in mine}))})")
    errors = sorted({r.rule_id for r in unchecked if is_chain_error(r, report)})
    if errors:
        reasons.append(f"incomplete audit: {', '.join(errors)} could not be evaluated")
    reasons += [d.text for d in partial]
    if not_collected:
        reasons.append(f"data not collected: {', '.join(not_collected)}")
    if blockers:
        verdict = Verdict.NOT_READY
    elif errors or partial or not_collected:
        verdict = Verdict.INCOMPLETE
    else:
        verdict = Verdict.READY
    counts = Counter(r.status.value for r in report.results)
    return Answer(
        verdict=verdict, reasons=reasons, blockers=blockers, actions=_actions.build(report, blockers),
        unchecked=unchecked, also=also, partial=partial, not_collected=not_collected,
        counts={s.value: counts.get(s.value, 0) for s in Status}, links=links,
    )



