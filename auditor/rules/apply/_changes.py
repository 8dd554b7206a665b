"""What the rules of this family read: the destructive changes an overlay recorded
(`manifest.extra.terraform.apply`, auditor/sources/terraform/effects.py), and the evidence the
snapshot holds about them (traffic in the window)."""

from __future__ import annotations

from typing import Any

from auditor.errors import DatasetUnavailable
from auditor.rules import Outcome, RuleContext
from auditor.rules.base import not_applicable

#: The provider's code the rules cite (MyPureCloud/terraform-provider-genesyscloud v1.84.1).
PROVIDER = "https://github.com/MyPureCloud/terraform-provider-genesyscloud/blob/v1.84.1/"


def changes(ctx: RuleContext, kind: str) -> list[dict[str, Any]] | None:
    """The recorded changes of `kind`, or None when the audit is not of an apply over a snapshot."""
    info = ctx.frames.snapshot.manifest.extra.get("terraform")
    if not isinstance(info, dict) or not isinstance(info.get("apply"), list):
        return None
    return [c for c in info["apply"] if isinstance(c, dict) and c.get("kind") == kind]


def not_an_apply(ctx: RuleContext) -> Outcome:
    return not_applicable(ctx.org_id, ctx.org_name or ctx.org_id,
                          "No apply to judge: run with a snapshot and --terraform (a configuration or plan).",
                          resource_type="organization")


def queue_traffic(ctx: RuleContext, queue_id: str) -> str:
    """The co-browse evidence of a queue in the traffic window, or "" when traffic is unknown."""
    try:
        if not ctx.frames.available("conversation_aggregates"):
            return ""
        traffic = ctx.scope.traffic.get(queue_id)
    except DatasetUnavailable:
        return ""
    sessions = traffic.cobrowse_sessions if traffic else 0
    web = (traffic.webmessaging + traffic.message_untyped) if traffic else 0
    days = ctx.frames.snapshot.manifest.datasets["conversation_aggregates"].days
    window = f"{days} days" if days else "the traffic window"
    return f"; in {window} it took {sessions} co-browse session(s) and {web} web messaging conversation(s)"


def queue_took(ctx: RuleContext, queue_id: str) -> tuple[int, int] | None:
    """(co-browse sessions, web messaging conversations) of a queue in the window, when any."""
    try:
        traffic = ctx.scope.traffic.get(queue_id)
    except DatasetUnavailable:
        return None
    if traffic is None or not (traffic.cobrowse_sessions or traffic.webmessaging + traffic.message_untyped):
        return None
    return traffic.cobrowse_sessions, traffic.webmessaging + traffic.message_untyped


def org_traffic(ctx: RuleContext) -> tuple[int, int] | None:
    """(co-browse sessions, web messaging conversations) of the whole org in the window, or None."""
    try:
        if not ctx.frames.available("conversation_aggregates"):
            return None
        values = list(ctx.scope.traffic.values())
    except DatasetUnavailable:
        return None
    return (sum(t.cobrowse_sessions for t in values), sum(t.webmessaging + t.message_untyped for t in values))


def where(change: dict[str, Any]) -> str:
    return f"{change.get('address')} ({change.get('file')}:{change.get('line')})"


def names(values: list[Any], limit: int = 5) -> str:
    shown = ", ".join(repr(str(v)) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
