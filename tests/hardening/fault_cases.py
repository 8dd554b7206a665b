"""The fault-injection matrix: one case per way the Platform API (or what sits in front of it) misbehaves.

`test_fault_matrix.py` runs every case; the README's fault table is rendered from this list
(`python -m tests.hardening.fault_cases`), and a test checks that the README part shows exactly
that table, so documentation and tests cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_api import (
    PROXY_ERROR_PAGE,
    PROXY_LOGIN_PAGE,
    ConnectionReset,
    DripBody,
    DripHeaders,
    ErrorBurst,
    ExpireTokens,
    Fault,
    Forbidden,
    GoneParent,
    GzipBomb,
    ListingDrift,
    RawBody,
    Redirect,
    SlowAnswer,
    Throttle,
    Truncate,
    WrongTotal,
)
from auditor.testing.synthetic import OrgSpec, SyntheticOrg

FOREVER = 10**9
#: Small pages, so that six queues still take three pages and every paging path is exercised.
PAGE_CAPS = {"queues": 2, "wrapupcodes": 8, "roles": 2, "role_subjectgrants": 10, "queue_wrapupcodes": 4,
             "queue_members": 8, "deployments": 1, "configurations": 1}
#: Collect options for every case: no pacing (the fake has no 300/min limit unless a case sets
#: one), millisecond backoff so that retries cost nothing, a short read timeout.
COLLECT_ARGS = ("--rate", "100000", "--backoff-base", "0.01", "--retries", "6", "--workers", "4",
                "--timeout", "1")


def source_org() -> OrgBuilder:
    """Six queues, six roles, six OAuth clients, two deployments: every dataset, several pages each."""
    return SyntheticOrg(OrgSpec.scaled(6, seed=8)).builder()


@dataclass(frozen=True)
class Case:
    id: str
    #: What the fake API does (README column).
    fault: str
    #: What gcaudit does about it (README column).
    outcome: str
    faults: Callable[[OrgBuilder], list[Fault]] = lambda org: []
    config: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    collect_exit: int = 0
    #: Datasets the manifest must mark `error` (parents' children included).
    failed: frozenset[str] = frozenset()
    #: Text the failure must show (stderr of collect, and the failed datasets' manifest messages).
    error_text: str | None = None
    #: False: collection cannot start at all and no snapshot directory may appear.
    snapshot: bool = True
    #: The manifest must count retries / 429s (the fault was really met and survived).
    retried: bool = False
    throttled: bool = False


def _queue_id(org: OrgBuilder, index: int) -> str:
    return org.queues[index]["id"]


_QUEUES_AND_CHILDREN = frozenset({"queues", "queue_wrapupcodes", "queue_members"})

CASES: tuple[Case, ...] = (
    Case("baseline", "no fault", "complete snapshot, audit identical to the source org's"),
    Case("429-retry-after-0", "6 calls answered 429 with `Retry-After: 0`",
         "retried at once; complete", lambda o: [Throttle(start=3, length=6, retry_after=0)],
         retried=True, throttled=True),
    Case("429-retry-after-1", "8 calls answered 429 with `Retry-After: 1`",
         "every worker pauses 1 s, then retries; complete",
         lambda o: [Throttle(start=5, length=8, retry_after=1)], retried=True, throttled=True),
    Case("429-retry-after-5", "one call answered 429 with `Retry-After: 5`",
         "every worker pauses 5 s, then retries; complete",
         lambda o: [Throttle(start=4, length=1, retry_after=5)], retried=True, throttled=True),
    Case("429-no-retry-after", "6 calls answered 429 without `Retry-After`",
         "jittered exponential backoff; complete", lambda o: [Throttle(start=3, length=6, retry_after=None)],
         retried=True, throttled=True),
    Case("429-rate-limit-window", "the fake's per-token limit: 30 requests per 1 s window, 429 + `Retry-After`",
         "paced by Retry-After; complete", config={"rate_limit": 30, "rate_window": 1.0},
         retried=True, throttled=True),
    Case("429-storm-outlasts-retries", "every `roles` call answered 429 without `Retry-After`",
         "`roles` (and `role_subjectgrants`, `group_individuals`) marked error after 6 retries; exit 3; "
         "rules needing them ERROR",
         lambda o: [Throttle(dataset="roles", length=FOREVER, retry_after=None)],
         collect_exit=3, failed=frozenset({"roles", "role_subjectgrants", "group_individuals"}), error_text="HTTP 429"),
    *(
        Case(f"{status}-burst", f"4 consecutive calls answered {status}", "retried with backoff; complete",
             lambda o, status=status: [ErrorBurst(start=3, length=4, status=status)], retried=True)
        for status in (500, 502, 503, 504)
    ),
    Case("connection-reset", "3 connections reset before any byte of the answer", "retried; complete",
         lambda o: [ConnectionReset(start=2, length=3)], retried=True),
    Case("slower-than-timeout", "one answer 3 s late (client read timeout 1 s)", "timed out, retried; complete",
         lambda o: [SlowAnswer(start=4, length=1, delay=3.0)], retried=True),
    Case("body-dripped-slowly", "one answer's body sent a byte every 50 ms (each byte within the 1 s read timeout)",
         "`--timeout` bounds the whole answer: abandoned after 1 s, retried; complete",
         lambda o: [DripBody(start=4, length=1, interval=0.05)], retried=True),
    Case("headers-dripped-slowly", "one answer's status line and 3 KB of headers sent a byte every 50 ms",
         "`--timeout` bounds the headers too: cut after 1 s, retried; complete",
         lambda o: [DripHeaders(start=5, length=1, interval=0.05)], retried=True),
    Case("gzip-bomb", "every `oauth_clients` call answered `200` with 256 KB of gzip expanding to 256 MB",
         "decoding stops at the 128 MB cap: `oauth_clients` marked error (`response.too.large`); exit 3",
         lambda o: [GzipBomb(dataset="oauth_clients", length=FOREVER, decoded_bytes=256 * 1024**2)],
         collect_exit=3, failed=frozenset({"oauth_clients"}), error_text="larger than"),
    Case("cross-host-redirect", "every `oauth_clients` call answered `302` to the same path on another host",
         "not followed (the other host's answer is not the org's data): `oauth_clients` marked error "
         "(`redirect.refused`); exit 3",
         lambda o: [Redirect(dataset="oauth_clients", length=FOREVER, target="http://foreign.invalid:8080")],
         collect_exit=3, failed=frozenset({"oauth_clients"}), error_text="another host"),
    Case("truncated-body", "every 4th body cut in half, connection closed", "retried; complete",
         lambda o: [Truncate(every=4)], retried=True),
    Case("non-json-body", "3 answers `200` with half a JSON document", "retried; complete",
         lambda o: [RawBody(start=3, length=3, body=b'{"entities": [{"id": ', content_type="application/json")],
         retried=True),
    Case("html-proxy-502", "4 answers from a proxy: `502` with an nginx HTML page", "retried; complete",
         lambda o: [RawBody(start=2, length=4, status=502, body=PROXY_ERROR_PAGE)], retried=True),
    Case("html-proxy-login-page", "every `deployments` call answered `200` with a proxy's HTML sign-in page",
         "`deployments` marked error (`response body is not valid JSON`); exit 3",
         lambda o: [RawBody(dataset="deployments", length=FOREVER, body=PROXY_LOGIN_PAGE)],
         collect_exit=3, failed=frozenset({"deployments", "flows"}), error_text="not valid JSON"),
    Case("401-every-7th-call", "each token refused (401 `bad.credentials`) after 7 calls",
         "logs in again once per expired token; complete", lambda o: [ExpireTokens(after_calls=7)]),
    Case("403-one-dataset", "`oauth_clients` answered 403 `missing.permissions`",
         "`oauth_clients` marked error with the missing permission; exit 3; OAuth rules ERROR",
         lambda o: [Forbidden(dataset="oauth_clients")],
         collect_exit=3, failed=frozenset({"oauth_clients"}), error_text="missing.permissions"),
    Case("404-queue-deleted", "a listed queue answers 404 on its wrap-up codes and members",
         "the queue is dropped everywhere, with a note in the manifest; complete",
         lambda o: [GoneParent(parent_id=_queue_id(o, 2))]),
    Case("page-drift-added", "a queue is added at the front of the listing between pages 1 and 2",
         "totals disagree across pages: re-paged; complete, no duplicate, the new queue present",
         lambda o: [ListingDrift(action="add")]),
    Case("page-drift-removed", "the first queue is deleted between pages 1 and 2",
         "totals disagree across pages: re-paged; complete, no gap",
         lambda o: [ListingDrift(action="remove")]),
    Case("total-disagrees", "every `queues` envelope claims 2 more in `total` than it serves",
         "`queues` (and its per-queue datasets) marked error (`inconsistent.paging`); exit 3",
         lambda o: [WrongTotal(dataset="queues", delta=2)],
         collect_exit=3, failed=_QUEUES_AND_CHILDREN, error_text="total"),
    Case("bad-credentials", "the token endpoint refuses the client secret (401 `invalid_client`)",
         "one-line error naming the region; exit 2; no snapshot directory",
         env={"GENESYSCLOUD_OAUTHCLIENT_SECRET": "wrong-secret"}, collect_exit=2, snapshot=False,
         error_text="login to"),
    Case("organization-unreachable", "every API call answered 503",
         "one-line error after the retries; exit 3; no snapshot directory",
         lambda o: [ErrorBurst(start=1, length=FOREVER, status=503)], collect_exit=3, snapshot=False,
         error_text="cannot read the organization"),
)


def render_table() -> str:
    """The README's fault table."""
    lines = ["| Case | Fault injected | gcaudit's behaviour | `collect` exit |", "|---|---|---|---|"]
    for case in CASES:
        lines.append(f"| `{case.id}` | {case.fault} | {case.outcome} | {case.collect_exit} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_table(), end="")
