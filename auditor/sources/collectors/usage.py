"""OAuth client usage: one org-wide usage query over the last N days, then its results, polled.

POST /api/v2/usage/query (UsageApi.post_usage_query, SDK 269) with an ApiUsageOrganizationQuery:
- `interval`: "YYYY-MM-DDThh:mm:ss/YYYY-MM-DDThh:mm:ss" (the model's documented format);
- `granularity`: `Day`, one of the model's allowed values (Day, Week, Month), so each row carries
  the day its requests were made (ApiUsageRow.date) and the last day a client was used is known;
- no `metrics` ("If omitted, all metrics that are available will be returned") and no `groupBy`:
  the SDK does not enumerate the groupBy dimensions (a free list[str]), so this tool does not
  guess a dimension name; the rows' own `clientId` (ApiUsageRow.client_id, "Client Id associated
  with this query result") tells the clients apart, and OAUTH-013 reports ERROR when no row names one.
The answer is a UsageExecutionResult {executionId, resultsUri}; GET /api/v2/usage/query/
{executionId}/results answers an ApiUsageQueryResult {results, queryStatus: Complete | Failed |
Running, cursors}. It is polled through the collector's client (so through its rate limiter and
retries), at most MAX_POLLS times with a growing pause, then given up as an error.

What the usage API counts: the Resource Center's API Usage report (help.mypurecloud.com/?p=264255)
"does not include data about API requests that Genesys Cloud makes to support the function of its
browser, web, and mobile apps" nor requests made by Genesys Cloud Embedded Clients, and has no data
for the current day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

#: Days of usage to query (`--usage-days`). Our own choice: the usage query's largest interval is
#: not documented for ApiUsageOrganizationQuery; 90 days is the longest span the SDK documents for
#: the organization usage API (OrganizationPublicApiUsageQueryRequest.interval: "End date cannot
#: be more than 90 days after the start").
DEFAULT_USAGE_DAYS = 90
GRANULARITY = "Day"
#: ApiUsageQueryResult.query_status allowed values (SDK models/api_usage_query_result.py).
COMPLETE, FAILED, RUNNING = "Complete", "Failed", "Running"
#: Polls of the results before giving up, and the pauses between them (seconds, growing to the last).
MAX_POLLS = 20
PAUSES = (0.5, 1.0, 2.0, 5.0)


def interval(end: datetime, days: int) -> str:
    start = end - timedelta(days=days)
    return f"{start:%Y-%m-%dT%H:%M:%S}/{end:%Y-%m-%dT%H:%M:%S}"


def query(window: str) -> dict[str, Any]:
    """The ApiUsageOrganizationQuery body for one window."""
    return {"interval": window, "granularity": GRANULARITY}


def execution_id(body: Any) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("executionId"), str) or not body["executionId"]:
        raise ValueError("response is not a UsageExecutionResult with an executionId")
    return str(body["executionId"])


def poll(get: Callable[[], Any], sleep: Callable[[float], None] = time.sleep) -> tuple[list[dict[str, Any]], int, bool]:
    """Poll `get` (one GET of the results) until the query is Complete: (rows, polls, more), where
    `more` says the answer carried a cursor to further rows (the results endpoint takes no cursor
    parameter in the SDK, so they cannot be read). Raises ValueError when the query Failed, the
    answer is not an ApiUsageQueryResult, or it is still Running after MAX_POLLS polls."""
    for n in range(1, MAX_POLLS + 1):
        body = get()
        if not isinstance(body, dict):
            raise ValueError("response is not an ApiUsageQueryResult")
        status = body.get("queryStatus")
        if status == FAILED:
            raise ValueError("the usage query failed (queryStatus Failed)")
        if status == COMPLETE:
            rows = body.get("results") or []
            if not isinstance(rows, list):
                raise ValueError("`results` is not a list")
            cursors = body.get("cursors")
            more = isinstance(cursors, dict) and bool(cursors.get("after"))
            return [r for r in rows if isinstance(r, dict)], n, more
        if status != RUNNING:
            raise ValueError(f"unexpected queryStatus {str(status)[:40]!r}")
        if n < MAX_POLLS:
            sleep(PAUSES[min(n - 1, len(PAUSES) - 1)])
    raise ValueError(f"the usage query was still Running after {MAX_POLLS} polls")
