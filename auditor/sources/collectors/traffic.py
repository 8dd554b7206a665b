"""The traffic window: one conversation aggregates query over the last N days, grouped by queue.

POST /api/v2/analytics/conversations/aggregates/query (AnalyticsApi.post_analytics_conversations_
aggregates_query, SDK 269; "Requires ANY permissions: analytics:conversationAggregate:view") with a
ConversationAggregationQuery body:
- `interval`: ISO-8601 `start/end` (ConversationAggregationQuery.interval);
- no `granularity`: one data point per group for the whole window;
- `groupBy`: queueId, mediaType, messageType: dimensions of the query predicate's dimension enum
  (ConversationAggregateQueryPredicate.dimension, SDK models/conversation_aggregate_query_predicate.py);
  mediaType values include `message`, `voice` and `cobrowse` (AnalyticsSession.mediaType), and a web
  messaging conversation is messageType `webmessaging` (the messenger type enum of SDK models/message.py);
- `metrics`: nConversations, nOffered, tHandle, nCobrowseSessions, all in the metric enum of
  ConversationAggregationView.target / ConversationAggregationSort.metric (SDK 269).
The answer (ConversationAggregateQueryResponse) is `{results: [{group: {...}, data: [{interval,
metrics: [{metric, stats: {count, ...}}]}]}]}`; the snapshot stores `results` as they come.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

#: `--traffic-days` default (issue 11); the option takes 1 to 31 (the API's largest interval for
#: one aggregates query is not in the SDK; a month is this tool's own bound).
DEFAULT_TRAFFIC_DAYS = 7
GROUP_BY = ("queueId", "mediaType", "messageType")
METRICS = ("nConversations", "nOffered", "tHandle", "nCobrowseSessions")


def interval(end: datetime, days: int) -> str:
    """`start/end` in UTC with milliseconds, e.g. 2026-11-17T02:00:00.000Z/2026-11-24T02:00:00.000Z."""
    start = end - timedelta(days=days)
    return f"{start:%Y-%m-%dT%H:%M:%S}.000Z/{end:%Y-%m-%dT%H:%M:%S}.000Z"


def query(window: str) -> dict[str, Any]:
    """The ConversationAggregationQuery body for one window."""
    return {"interval": window, "groupBy": list(GROUP_BY), "metrics": list(METRICS)}


def results(body: Any) -> list[dict[str, Any]]:
    """The `results` of a ConversationAggregateQueryResponse; an answer without results means no traffic."""
    if not isinstance(body, dict):
        raise ValueError("response is not a ConversationAggregateQueryResponse")
    found = body.get("results") or []
    if not isinstance(found, list):
        raise ValueError("`results` is not a list")
    return [r for r in found if isinstance(r, dict)]
