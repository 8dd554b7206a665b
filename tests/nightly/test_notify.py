"""Notifications: sent only when warranted, in three formats, retried on 5xx, never failing the run."""

from __future__ import annotations

import logging
import socket

import pytest

from auditor.engine import run_audit
from auditor.history.compare import Change, FindingChange
from auditor.nightly.notify import Notifier, build_summary, warranted
from auditor.results import Severity
from tests.history.orgs import nightly_org
from tests.webhook_receiver import Receiver


def change(kind: Change, severity: str = "high", name: str = "Billing") -> FindingChange:
    return FindingChange(kind, f"fp-{name}", "QUE-002", severity, f"id-{name}", name, "Mandatory wrap-up")


def summary(changes: list[FindingChange], builder=None, threshold: Severity = Severity.HIGH):
    report = run_audit((builder or nightly_org()).snapshot())
    return build_summary(report, changes, threshold, run_id=7)


def notifier(url: str, fmt: str = "generic", attempts: int = 3) -> Notifier:
    return Notifier([url], fmt, attempts=attempts, backoff=0)


@pytest.mark.parametrize(("changes", "expected"), [
    ([], False),
    ([change(Change.UNCHANGED)], False),
    ([change(Change.RESOLVED)], False),
    ([change(Change.NEW, severity="medium")], False),  # below the threshold
    ([change(Change.NEW)], True),
    ([change(Change.REGRESSED, severity="critical")], True),
])
def test_only_new_or_regressed_at_threshold_warrants_a_message(changes, expected) -> None:
    assert warranted(summary(changes)) is expected


def test_incomplete_data_warrants_a_message() -> None:
    s = summary([], nightly_org().fail("roles"))
    assert warranted(s) and s.failed_datasets == ["roles"]
    assert "DATA INCOMPLETE" in s.headline()


def test_nothing_is_posted_when_not_warranted() -> None:
    with Receiver() as rx:
        assert notifier(rx.url).send(summary([change(Change.UNCHANGED)])) == []
    assert rx.requests == []


def test_generic_payload() -> None:
    with Receiver() as rx:
        deliveries = notifier(rx.url).send(summary([change(Change.NEW), change(Change.RESOLVED, name="Sales")]))
    assert [d.ok for d in deliveries] == [True]
    body = rx.bodies[0]
    assert body["event"] == "gcaudit.nightly" and body["run_id"] == 7 and body["complete"] is True
    assert body["findings"] == [{"change": "NEW", "severity": "high", "rule_id": "QUE-002", "resource_id": "id-Billing",
                                 "resource_name": "Billing", "title": "Mandatory wrap-up"}]
    assert body["resolved"] == 1
    assert rx.requests[0]["headers"]["Content-Type"] == "application/json"


def test_slack_payload_escapes_names() -> None:
    with Receiver() as rx:
        notifier(rx.url, "slack").send(summary([change(Change.NEW, name="<!channel> & <http://evil|x>")]))
    body = rx.bodies[0]
    assert body["text"].startswith("gcaudit nightly, Acme Support: 1 new finding(s) at high or above")
    assert [b["type"] for b in body["blocks"]] == ["header", "section"]
    section = body["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt; &amp; &lt;http://evil|x&gt;" in section and "<!channel>" not in section


def test_teams_payload_is_an_adaptive_card() -> None:
    with Receiver() as rx:
        notifier(rx.url, "teams").send(summary([change(Change.REGRESSED, name="[click](http://x)")]))
    body = rx.bodies[0]
    assert body["type"] == "message"
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [b["text"] for b in card["body"]]
    assert "1 regressed" in texts[0]
    assert any("\\[click\\]\\(http://x\\)" in t for t in texts)


def test_retried_on_500_then_delivered() -> None:
    with Receiver([500, 503, 200]) as rx:
        deliveries = notifier(rx.url, attempts=4).send(summary([change(Change.NEW)]))
    assert len(rx.requests) == 3
    assert deliveries[0].ok and deliveries[0].attempts == 3


def test_persistent_failure_is_logged_without_the_secret_path(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="auditor.nightly.notify")
    with Receiver([500]) as rx:
        deliveries = notifier(rx.url, attempts=3).send(summary([change(Change.NEW)]))
    assert len(rx.requests) == 3
    assert not deliveries[0].ok and deliveries[0].detail == "HTTP 500"
    assert "failed after 3 attempt(s): HTTP 500" in caplog.text
    assert "s3cretpath" not in caplog.text and "s3cretpath" not in deliveries[0].target


def test_4xx_is_not_retried() -> None:
    with Receiver([404]) as rx:
        deliveries = notifier(rx.url).send(summary([change(Change.NEW)]))
    assert len(rx.requests) == 1 and not deliveries[0].ok


def test_unreachable_receiver_does_not_raise() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    deliveries = notifier(f"http://127.0.0.1:{port}/x", attempts=2).send(summary([change(Change.NEW)]))
    assert not deliveries[0].ok and deliveries[0].attempts == 2


def test_payloads_carry_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "very-secret-value")
    with Receiver() as rx:
        for fmt in ("generic", "slack", "teams"):
            notifier(rx.url, fmt).send(summary([change(Change.NEW)], nightly_org().fail("roles")))
    assert len(rx.requests) == 3
    assert all("very-secret-value" not in str(b) for b in rx.bodies)


@pytest.mark.parametrize("fmt", ["slack", "teams", "generic"])
def test_webhook_text_is_sanitised(fmt: str) -> None:
    """Names reach chat clients: no terminal/bidi controls, no mention, link or Markdown."""
    import json
    import re

    name = "\x1b]0;x\x07<!channel> [x](https://evil.example) \u202eevil *bold*"
    s = summary([change(Change.NEW, name=name)], nightly_org())
    s.org_name = "Org \x1b[2J\u2066"
    with Receiver() as rx:
        notifier(rx.url, fmt).send(s)
    body = rx.bodies[0]
    texts = [body["summary"], body["org"]["name"], *(f["resource_name"] for f in body["findings"])] \
        if fmt == "generic" else []
    if fmt == "slack":
        texts = [body["text"], body["blocks"][0]["text"]["text"], body["blocks"][1]["text"]["text"]]
    if fmt == "teams":
        texts = [b["text"] for b in body["attachments"][0]["content"]["body"]]
    joined = "\n".join(texts)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", joined), joined
    if fmt == "slack":
        assert "<!channel>" not in joined and "&lt;!channel&gt;" in joined
    if fmt == "teams":
        assert "[x](https" not in joined and "\\[x\\]\\(https" in joined
    assert "evil" in json.dumps(body)
