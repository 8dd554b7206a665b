"""A run's co-browse answer as the history keeps it: the verdict, the blocker and action counts.

Recorded with every run (schema version 3) from the engine's answer, never recomputed from the
stored results, so `history`, `diff` and the notifications say what the run's reports said.
Stored as the JSON reports spell it (`ready`, `not_ready`, `incomplete`: `summary.verdict`); people
read READY, NOT READY, INCOMPLETE. Runs recorded before version 3 have none: they read as unknown
("?"), never as READY.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.results import AuditReport

#: The stored (JSON) value -> what people read.
LABELS = {"ready": "READY", "not_ready": "NOT READY", "incomplete": "INCOMPLETE"}
UNKNOWN = "?"


@dataclass(frozen=True)
class RunVerdict:
    verdict: str | None  # a key of LABELS; None for a run recorded before schema version 3
    blockers: int | None
    actions: int | None

    @classmethod
    def of_report(cls, report: AuditReport) -> RunVerdict:
        """The engine's answer of the report (after waivers): what its reports show."""
        answer = report.answer
        return cls(answer.verdict.value, len(answer.blockers), len(answer.actions))

    @classmethod
    def of_run(cls, run: dict[str, Any]) -> RunVerdict:
        """From a stored run row (`HistoryStore.run`/`runs`); unknown values stay None."""
        verdict = run.get("verdict")
        return cls(verdict if verdict in LABELS else None, run.get("blockers"), run.get("actions"))

    @property
    def label(self) -> str:
        """READY, NOT READY, INCOMPLETE, or ? (not recorded)."""
        return LABELS.get(self.verdict or "", UNKNOWN)

    def columns(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "blockers": self.blockers, "actions": self.actions}


def transition(before: RunVerdict | None, after: RunVerdict) -> str | None:
    """`co-browse: READY → NOT READY` when the verdict changed between two runs (either way);
    None when it did not, or when either run has no recorded verdict (nothing to compare)."""
    if before is None or before.verdict is None or after.verdict is None or before.verdict == after.verdict:
        return None
    return f"co-browse: {before.label} → {after.label}"
