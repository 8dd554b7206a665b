"""The one sanitiser: terminal, HTML, Markdown, chat and JSON surfaces."""

from __future__ import annotations

import json

import pytest

from auditor.safety import redaction, sanitise

HOSTILE = [
    "\x1b]0;title\x07", "\x1b[2J", "\u202eevil\u202c", "\u2066iso\u2069", "zero\u200bwidth", "bad\ud800", "a\x00b",
    "line\nbreak\r", "\x9bC1", "tab\there",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_printable_leaves_no_control_bidi_or_surrogate(text: str) -> None:
    out = sanitise.printable(text)
    assert out.isprintable(), repr(out)
    out.encode("utf-8")


def test_printable_bounds_length_and_keeps_ordinary_text() -> None:
    assert sanitise.printable("Zürich 🧨 queue") == "Zürich 🧨 queue"
    assert sanitise.printable("x" * 500, 10) == "x" * 9 + "…"
    assert sanitise.printable(None) == ""


def test_printable_scrubs_registered_credentials() -> None:
    redaction.register("S3cret-token-value")
    try:
        assert sanitise.printable("echo S3cret-token-value") == f"echo {redaction.REDACTED}"
    finally:
        redaction._reset_for_tests()


@pytest.mark.parametrize("name", ["![t](https://evil.example/b.png)", "[x](javascript:alert(1))",
                                  "<img src=x>", "a | b", "`code`", "<https://evil.example>"])
def test_markdown_renders_as_text(name: str) -> None:
    import markdown

    html = markdown.markdown(f"| c |\n|---|\n| {sanitise.markdown(name)} |", extensions=["tables"])
    assert "<img" not in html and "<a " not in html and "<code>" not in html
    assert html.count("<td>") == 1


def test_chat_escapes() -> None:
    assert sanitise.slack("<!channel> & <https://x|y>") == "&lt;!channel&gt; &amp; &lt;https://x|y&gt;"
    assert "\\[x\\]\\(" in sanitise.teams("[x](https://evil.example)")


def test_json_document_round_trips_lone_surrogates() -> None:
    value = {"name": "a\ud800b\udfff", "ok": "ü 🧨", "bidi": "\u202eevil\u2066", "tag": "\U000e0001", "c1": "\x9b"}
    text = sanitise.json_document(json.dumps(value, ensure_ascii=False, indent=2))
    text.encode("utf-8")
    assert json.loads(text) == value
    assert text.replace("\n", "").isprintable(), "no raw bidi, C1 or surrogate"
    assert "ü 🧨" in text, "printable text stays as it is"
