"""Nightly notifications: POST a short summary to webhooks, only when something got worse.

A notification goes out when there are NEW or REGRESSED findings at or above the threshold, when
the co-browse verdict changed since the previous run (either way: "co-browse: READY → NOT READY",
and back), or when the data is incomplete (a dataset failed to collect or a rule could not be
evaluated). The verdict change, when there is one, leads the headline.
Formats: `generic` (JSON), `slack` (incoming webhook: `text` + `blocks`) and `teams`
(an Adaptive Card in a `message` envelope, which is what Teams *Workflows* webhooks accept;
the older Office 365 connector MessageCard is being retired by Microsoft).

Sending never fails the run: each URL is retried (tenacity, exponential back-off) on connection
errors, 429 and 5xx, then the failure is logged. Webhook URLs carry their secret in the path, so
logs name only the host. Payloads carry counts, rule ids and resource names: never credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from auditor.errors import InputError
from auditor.history.compare import Change, FindingChange
from auditor.history.verdict import RunVerdict
from auditor.results import AuditReport, Severity
from auditor.safety import sanitise
from auditor.safety.fileio import shorten
from auditor.safety.redaction import host_only, register_url

log = logging.getLogger(__name__)

FORMATS = ("generic", "slack", "teams")
#: At most this many findings are listed in a message; the rest are counted ("and 12 more").
MAX_LISTED = 10
TIMEOUT_SECONDS = 15


@dataclass
class Summary:
    org_id: str
    org_name: str
    run_id: int | None
    threshold: str
    worse: list[FindingChange]
    resolved: int
    open_by_severity: dict[str, int]
    complete: bool
    failed_datasets: list[str]
    errored_rules: list[str]
    report_link: str | None = None
    #: The run's co-browse verdict (READY / NOT READY / INCOMPLETE) and blocker count, as recorded.
    verdict: str | None = None
    blockers: int | None = None
    #: `co-browse: READY → NOT READY` when the verdict changed since the previous run, else None.
    verdict_change: str | None = None
    #: fingerprint -> who changed it (auditor.nightly.attribution; raw trail text, escaped per format).
    who: dict[str, str] = field(default_factory=dict)

    def headline(self) -> str:
        org = self.org_name or self.org_id
        parts = []
        new = sum(1 for c in self.worse if c.change is Change.NEW)
        regressed = sum(1 for c in self.worse if c.change is Change.REGRESSED)
        if new:
            parts.append(f"{new} new")
        if regressed:
            parts.append(f"{regressed} regressed")
        text = f"gcaudit nightly, {sanitise.printable(org, 120)}: "
        if self.verdict_change:
            text += self.verdict_change + (f" ({self.blockers} blockers)" if self.blockers else "") + "; "
        text += (" and ".join(parts) + f" finding(s) at {self.threshold} or above") if parts else "no new findings"
        if not self.complete:
            text += "; DATA INCOMPLETE"
        return text

    def lines(self) -> list[str]:
        out = [f"{c.change.value} [{c.severity}] {c.rule_id} {sanitise.printable(c.resource_name, 200)}"
               + (f": {sanitise.printable(self.who[c.fingerprint], 300)}" if c.fingerprint in self.who else "")
               for c in self.worse[:MAX_LISTED]]
        if len(self.worse) > MAX_LISTED:
            out.append(f"... and {len(self.worse) - MAX_LISTED} more")
        if self.failed_datasets:
            out.append("Not collected: " + ", ".join(self.failed_datasets))
        if self.errored_rules:
            out.append("Could not evaluate: " + ", ".join(self.errored_rules[:MAX_LISTED]))
        return out


def build_summary(report: AuditReport, changes: Iterable[FindingChange], threshold: Severity,
                  run_id: int | None = None, report_link: str | None = None,
                  verdict: RunVerdict | None = None, verdict_change: str | None = None,
                  attribution: Any = None) -> Summary:
    worse = [c for c in changes if c.change in (Change.NEW, Change.REGRESSED) and _at_least(c.severity, threshold)]
    resolved = sum(1 for c in changes if c.change is Change.RESOLVED)
    errored = sorted({r.rule_id for r in report.results if r.status.value == "ERROR"})
    return Summary(
        org_id=report.org_id, org_name=report.org_name, run_id=run_id, threshold=threshold.value, worse=worse,
        resolved=resolved, open_by_severity=report.failures_by_severity(), complete=report.complete,
        failed_datasets=sorted(report.failed_datasets), errored_rules=errored, report_link=report_link,
        verdict=verdict.verdict if verdict else None, blockers=verdict.blockers if verdict else None,
        verdict_change=verdict_change,
        who=_who(report, worse, attribution),
    )


def _who(report: AuditReport, worse: list[FindingChange], attribution: Any) -> dict[str, str]:
    if attribution is None:
        return {}
    from auditor.history.compare import FindingComparison
    from auditor.nightly.attribution import finding_targets

    types = {r.fingerprint: r.resource_type for r in report.results}
    targets = finding_targets(FindingComparison(None, list(worse)), types)
    return {fp: attribution.for_target(target)["who"] for fp, target in targets.items()}


def _at_least(severity: str, threshold: Severity) -> bool:
    try:
        return Severity(severity).at_least(threshold)
    except ValueError:
        return False


def warranted(summary: Summary) -> bool:
    return bool(summary.worse) or bool(summary.verdict_change) or not summary.complete


# ---- payloads ----------------------------------------------------------------------------------

def generic_payload(s: Summary) -> dict[str, Any]:
    return {
        "event": "gcaudit.nightly",
        "summary": s.headline(),
        # Receivers show these texts: printable, like every other surface (auditor.safety.sanitise).
        "org": {"id": sanitise.printable(s.org_id, 200), "name": sanitise.printable(s.org_name, 200)},
        "run_id": s.run_id,
        "threshold": s.threshold,
        "cobrowse": {"verdict": s.verdict, "blockers": s.blockers, "change": s.verdict_change},
        "complete": s.complete,
        "failed_datasets": s.failed_datasets,
        "errored_rules": s.errored_rules,
        "open_by_severity": s.open_by_severity,
        "resolved": s.resolved,
        "findings": [
            {"change": c.change.value, "severity": c.severity, "rule_id": c.rule_id,
             "resource_id": sanitise.printable(c.resource_id, 200),
             "resource_name": sanitise.printable(c.resource_name, 200), "title": sanitise.printable(c.title, 200),
             **({"who": sanitise.printable(s.who[c.fingerprint], 300)} if c.fingerprint in s.who else {})}
            for c in s.worse[:MAX_LISTED]
        ],
        "more_findings": max(0, len(s.worse) - MAX_LISTED),
        "report": s.report_link,
    }


def _slack_escape(text: str) -> str:
    """Slack mrkdwn control characters; a resource name must not become a link or a mention."""
    return sanitise.slack(text)


def slack_payload(s: Summary) -> dict[str, Any]:
    body = "\n".join(f"• {_slack_escape(line)}" for line in s.lines()) or "No findings listed."
    if s.report_link:
        body += f"\nReport: {_slack_escape(s.report_link)}"
    return {
        "text": _slack_escape(s.headline()),  # the notification/fallback text
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": sanitise.printable(s.headline(), 150)}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body[:2900]}},
        ],
    }


def _teams_escape(text: str) -> str:
    """Adaptive Card TextBlocks render a Markdown subset: neutralise its control characters."""
    return sanitise.teams(text)


def teams_payload(s: Summary) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": _teams_escape(s.headline()), "weight": "Bolder", "size": "Medium",
         "wrap": True},
    ]
    body += [{"type": "TextBlock", "text": _teams_escape(line), "wrap": True, "spacing": "Small"}
             for line in s.lines()]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if s.report_link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open report", "url": s.report_link}]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card},
        ],
    }


PAYLOADS = {"generic": generic_payload, "slack": slack_payload, "teams": teams_payload}


# ---- sending -----------------------------------------------------------------------------------

def redact_url(url: str) -> str:
    """Webhook URLs hold their secret in the path or query: only the scheme and host are logged."""
    return host_only(url)


#: Where a webhook can be delivered: `requests` speaks only these.
WEBHOOK_SCHEMES = ("https", "http")
_NOTIFY_SOURCE = "--notify / GCAUDIT_NOTIFY"


def check_webhook_url(url: str) -> None:
    """Refuse, before any run, a webhook that could never be delivered (`ftp://`, `file://`, no host,
    a port that is no number): found only when something got worse, it would lose that night's
    notification. Quoted by scheme and host only: the path and query are the webhook's secret."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise InputError(_NOTIFY_SOURCE, f"not a valid URL: {host_only(url)!r}") from None
    if parts.scheme.lower() not in WEBHOOK_SCHEMES:
        raise InputError(_NOTIFY_SOURCE, f"unsupported scheme {shorten(parts.scheme, 20)!r} in {host_only(url)!r}: "
                                         "a webhook is an https:// (or http://) URL")
    if not host:
        raise InputError(_NOTIFY_SOURCE, "a webhook URL needs a host (https://HOST/...)")
    del port


class _Retryable(Exception):
    pass


@dataclass
class Delivery:
    target: str  # redacted
    ok: bool
    attempts: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "ok": self.ok, "attempts": self.attempts, "detail": self.detail}


@dataclass
class Notifier:
    urls: list[str]
    fmt: str = "generic"
    attempts: int = 4
    #: Seconds for the first back-off; doubles each retry (capped at 30 s).
    backoff: float = 2.0
    deliveries: list[Delivery] = field(default_factory=list)

    def __post_init__(self) -> None:
        for url in self.urls:  # the path is the secret: scrubbed wherever a text quotes it
            register_url(url, secret_path=True)
        for url in self.urls:
            check_webhook_url(url)

    def send(self, summary: Summary) -> list[Delivery]:
        if not self.urls or not warranted(summary):
            return []
        payload = PAYLOADS[self.fmt](summary)
        self.deliveries = [self._post(url, payload) for url in self.urls]
        return self.deliveries

    def _post(self, url: str, payload: dict[str, Any]) -> Delivery:
        import requests
        from tenacity import RetryError, retry, retry_if_exception_type, stop_after_attempt, wait_exponential

        target = redact_url(url)
        count = 0

        @retry(stop=stop_after_attempt(self.attempts), reraise=False,
               wait=wait_exponential(multiplier=self.backoff, max=30),
               retry=retry_if_exception_type((_Retryable, requests.ConnectionError, requests.Timeout)))
        def attempt() -> int:
            nonlocal count
            count += 1
            response = requests.post(url, json=payload, timeout=TIMEOUT_SECONDS, allow_redirects=False)
            if response.status_code == 429 or response.status_code >= 500:
                raise _Retryable(f"HTTP {response.status_code}")
            return response.status_code

        try:
            status = attempt()
        except RetryError as exc:
            cause = exc.last_attempt.exception()
            detail = str(cause) if isinstance(cause, _Retryable) else type(cause).__name__
            log.warning("notification to %s failed after %d attempt(s): %s", target, count, detail)
            return Delivery(target, False, count, detail)
        except Exception as exc:  # a notification must never fail the run
            log.warning("notification to %s failed: %s", target, type(exc).__name__)
            return Delivery(target, False, count, type(exc).__name__)
        if status >= 300:
            log.warning("notification to %s was refused: HTTP %d", target, status)
            return Delivery(target, False, count, f"HTTP {status}")
        log.info("notification sent to %s", target)
        return Delivery(target, True, count, f"HTTP {status}")
