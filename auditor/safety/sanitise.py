"""The one sanitiser for org-controlled text on every surface gcaudit writes to.

Object names, org names, messages and server-sent error texts are hostile input. Every surface
goes through this module:

- terminal (table, nightly, history, diff, preflight): `printable`: no control, bidi or format
  character, bounded length;
- HTML: `printable` before Jinja autoescaping (which handles `<`, `&` and quotes);
- Markdown (reports, nightly `latest.md`, preflight): `markdown`: printable, and no link, image,
  HTML, code span, emphasis or table break;
- CSV: `printable`, plus the formula guard in `auditor.reporters.csv_report`;
- Slack / Teams webhook text: `slack` / `teams`: printable, no mention, link or Markdown;
- JSON documents (reports, nightly JSON, the HTML data island, `history`/`diff --format json`):
  `json_document`: valid UTF-8 even with a lone surrogate, and no raw bidi or control character;
  lossless (`json.loads` gives back the original text).

Every function here starts from `printable`, which first applies the one scrubbing rule
(`auditor.safety.redaction.scrub`): no registered credential reaches a rendered surface either.
`printable` replaces every character Python does not call printable (categories Cc, Cf, Cs, Co,
Cn, Zl, Zp and every space but U+0020): ESC and the other C0/C1 controls (so no ANSI/OSC
sequence reaches a terminal), the bidi embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069, "Trojan Source"), zero-width characters, lone surrogates and line breaks.
"""

from __future__ import annotations

import logging
import re

from auditor.safety.redaction import attach_filter, scrub

#: Default bound for one cell or line of org text.
DEFAULT_LIMIT = 160

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# markup (emphasis, code, links, images, HTML, autolinks, the table cell separator, headings,
# lists, entities).
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def printable(text: object, limit: int = DEFAULT_LIMIT) -> str:
    """`text` with every registered credential scrubbed (`auditor.safety.redaction`) and every
    non-printable character replaced by a space, at most `limit` characters."""
    value = scrub("" if text is None else str(text))
    if not value.isprintable():
        value = "".join(ch if ch.isprintable() else " " for ch in value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def terminal_lines(text: str) -> str:
    """Multi-line text for a terminal (log records, tracebacks): each line `printable`, unbounded."""
    return "\n".join(printable(line, len(line) + 1) for line in text.split("\n"))


class PrintableLogFilter(logging.Filter):
    """Log records reach a terminal: their message (server texts, names) and traceback made
    printable line by line, after `redaction.ScrubbingFilter` (attach to handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.replace("\n", "").isprintable():
            record.msg, record.args = terminal_lines(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and not record.exc_text.replace("\n", "").isprintable():
            record.exc_text = terminal_lines(record.exc_text)
        return True


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Attach a `PrintableLogFilter` to every handler of `logger` (default: the root logger)."""
    attach_filter(PrintableLogFilter, logger)


def markdown(text: object, limit: int = 200) -> str:
    """Printable text with every Markdown-active character backslash-escaped: an org string can
    neither break a table (`|`) nor become a link, an image (`![t](https://...)`), an HTML tag or
    a code span."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", printable(text, limit))


def markdown_code(text: object, limit: int = 200, *, in_table: bool = True) -> str:
    """A whole Markdown code span showing `text` as it is (printable, bounded): inside a code span a
    backslash is no escape, so `markdown()`'s escapes would show (`main.tf\\:12`, `x\\[0\\]`). The
    fence is one backtick longer than the longest run of backticks in the text (CommonMark), with a
    space inside when the text starts or ends with one, so no backtick ends it early. In a table
    (GFM) a `|` would still end the cell, and `\\|` is the one escape a table takes out before the
    span is read."""
    body = printable(text, limit)
    if in_table:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.endswith(" ")
                                                                 and body.strip()) else ""
    return f"{fence}{pad}{body}{pad}{fence}" if body else "` `"


def slack(text: object, limit: int = 3000) -> str:
    """Slack mrkdwn: `&`, `<`, `>` escaped, so a name cannot become a link or a mention."""
    return printable(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams(text: object, limit: int = 3000) -> str:
    """Adaptive Card TextBlocks render a Markdown subset: its control characters escaped."""
    value = printable(text, limit)
    for ch in "\\*_[]()#>`~!<|":
        value = value.replace(ch, "\\" + ch)
    return value


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # outside the BMP: a JSON \u escape is a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_document(text: str) -> str:
    """Serialised JSON (`json.dumps(..., ensure_ascii=False)`) with every non-printable character
    written as its `\\uXXXX` escape: lone surrogates (valid JSON, not UTF-8, so writing the report
    failed), bidi controls, C1 controls, zero-width and line-separator characters.

    `json.loads` gives back exactly the original text, the file is valid UTF-8, and printed on a
    terminal it can neither reorder nor recolour the screen. Outside strings a serialised document
    holds only printable ASCII, newlines and spaces, so every replacement is inside a string.
    """
    lines = text.split("\n")
    changed = False
    for index, line in enumerate(lines):
        if not line.isprintable():
            lines[index] = _escape_nonprintable(line)
            changed = True
    return "\n".join(lines) if changed else text


def _escape_nonprintable(line: str, chunk: int = 4096) -> str:
    # A compact snapshot file is one line of hundreds of MB: only the chunks holding a
    # non-printable character take the per-character path.
    parts = []
    for start in range(0, len(line), chunk):
        piece = line[start:start + chunk]
        if not piece.isprintable():
            piece = "".join(ch if ch.isprintable() else _json_escape(ch) for ch in piece)
        parts.append(piece)
    return "".join(parts)
