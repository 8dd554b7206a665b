"""The one scrubbing rule: registered credentials in every form, URLs in messages, log records."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from auditor.safety import redaction
from auditor.safety.redaction import REDACTED, register, register_basic, register_url, scrub, scrub_url


@pytest.fixture(autouse=True)
def _empty_registry() -> Iterator[None]:
    redaction._reset_for_tests()
    yield
    redaction._reset_for_tests()


def test_every_form_of_a_client_secret_is_scrubbed() -> None:
    register_basic("my-client-id", "p@ss w/rd+S3cret")
    pair = "my-client-id:p@ss w/rd+S3cret"
    forms = ["p@ss w/rd+S3cret", quote("p@ss w/rd+S3cret", safe=""), base64.b64encode(pair.encode()).decode(),
             pair, base64.b64encode(b"p@ss w/rd+S3cret").decode().rstrip("=")]
    for form in forms:
        assert scrub(f"before {form} after") == f"before {REDACTED} after", form
    assert scrub("my-client-id alone is not a secret") == "my-client-id alone is not a secret"


def test_short_values_are_not_registered() -> None:
    register("abc")
    assert scrub("abc abcdef") == "abc abcdef"


def test_scrub_with_nothing_registered_returns_the_text() -> None:
    assert scrub("anything") == "anything"


def test_webhook_and_database_urls() -> None:
    register_url("https://hooks.slack.example/services/T0/B0/XyZsecretPath", secret_path=True)
    register_url("https://x.logic.example/workflows/1/run?api-version=2016-06-01&sig=Sig-Secret-123",
                 secret_path=True)
    register_url("postgresql://gc:Db-Pa55word@db.example/gcaudit?sslmode=require")
    text = "posted to /services/T0/B0/XyZsecretPath with sig Sig-Secret-123 using Db-Pa55word"
    assert scrub(text) == f"posted to {REDACTED} with sig {REDACTED} using {REDACTED}"
    # What is not a secret stays readable: dates, modes, database names.
    assert scrub("2016-06-01 require gcaudit") == "2016-06-01 require gcaudit"


@pytest.mark.parametrize(("url", "shown"), [
    ("https://u:pw@h/p?access_token=abc&x=1", f"https://u:{REDACTED}@h/p?access_token={REDACTED}&x={REDACTED}"),
    ("https://[::1/?access_token=abc", f"https://[::1/?access_token={REDACTED}"),
    ("https://h/#access_token=abc", f"https://h/#access_token={REDACTED}"),
    ("https://api.mypurecloud.ie", "https://api.mypurecloud.ie"),
])
def test_scrub_url(url: str, shown: str) -> None:
    assert scrub_url(url) == shown


def test_log_records_are_scrubbed_message_arguments_and_traceback() -> None:
    register("tok-0123456789abcdef")
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    logger = logging.getLogger("test.redaction")
    handler = Collect()
    logger.addHandler(handler)
    logger.propagate = False
    redaction.install_log_filter(logger)
    try:
        logger.warning("server said %s", "bad token tok-0123456789abcdef")
        try:
            raise ValueError("tok-0123456789abcdef")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert records and all("tok-0123456789abcdef" not in r for r in records), records
    assert REDACTED in records[0] and REDACTED in records[1]
