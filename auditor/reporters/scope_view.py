"""What the human reports say about the co-browse scope: where its queues came from (the plan, the
traffic of the window, or the fallback to every queue with `message` settings, with the reason) and,
per scope queue, the conversations and co-browse sessions of the window: the first evidence of
whether co-browse has ever worked there. Shared by the terminal, Markdown and HTML reports; the
JSON report carries the engine's `scope` block as it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.results import AuditReport

#: Queues listed by name in the terminal and Markdown before "and N more" (HTML lists them all).
SHOWN = 20


@dataclass(frozen=True)
class ScopeQueue:
    name: str
    visible: bool
    #: None when the traffic of the window is unknown (not collected).
    webmessaging: int | None
    voice: int | None
    cobrowse_sessions: int | None

    def traffic_text(self) -> str:
        if self.webmessaging is None:
            return "traffic not collected"
        return (f"{self.webmessaging} web messaging, {self.voice} voice, "
                f"{self.cobrowse_sessions} co-browse session(s)")


@dataclass(frozen=True)
class ScopeView:
    headline: str
    #: Set when the scope could not come from traffic: every surface says so.
    fallback: str | None
    queues: tuple[ScopeQueue, ...]
    has_traffic: bool


def _days(report: AuditReport) -> int | None:
    days = (report.datasets.get("conversation_aggregates") or {}).get("days")
    return days if isinstance(days, int) and not isinstance(days, bool) else None


def describe(report: AuditReport) -> ScopeView | None:
    """None for reports without the engine's scope block (preflight predictions, hand-built reports)."""
    scope: dict[str, Any] | None = report.scope
    if not scope:
        return None
    raw = [q for q in scope.get("queues") or () if isinstance(q, dict)]
    queues = tuple(
        ScopeQueue(
            name=str(q.get("name") or q.get("id") or "?"),
            visible=bool(q.get("visible", True)),
            webmessaging=q.get("webmessaging_conversations"),
            voice=q.get("voice_conversations"),
            cobrowse_sessions=q.get("cobrowse_sessions"),
        )
        for q in raw
    )
    source = scope.get("queues_from")
    days = _days(report)
    window = f"the last {days} days" if days else "the traffic window"
    if source == "plan":
        headline = f"Co-browse queues: the {len(queues)} the plan names"
    elif source == "traffic":
        headline = (f"Co-browse queues: the {len(queues)} that took web messaging (or voice, for Voice "
                    f"co-browse) in {window}")
    else:
        headline = f"Co-browse queues: every queue with message media settings ({len(queues)})"
    fallback = scope.get("fallback_reason") or None
    if fallback and source != "plan":
        headline += " (traffic data not available, so the scope is every queue with message settings)"
    return ScopeView(headline, fallback, queues, any(q.webmessaging is not None for q in queues))
