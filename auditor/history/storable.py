"""Values as both history backends can store them: whatever `audit` accepts, `nightly` records.

A snapshot may hold text and numbers that JSON and Python accept but a database does not:

- a lone surrogate (`"\\ud800"` is valid JSON, but not UTF-8: neither SQLite's nor PostgreSQL's
  driver can encode it);
- NUL (PostgreSQL text cannot hold it);
- NaN and ±Infinity (Python's json reads them; PostgreSQL's `json` type refuses them).

Both backends get the same stored value, so a history moves between them unchanged: such
characters become U+FFFD and non-finite numbers become null. The reports keep the original text
(they escape it for their format); the history is for comparison and display, not a copy of the
snapshot.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
#: Longest indexed text kept as is (characters; at most 4 bytes each, well under PostgreSQL's
#: B-tree entry limit of about 2700 bytes).
KEY_LIMIT = 512
#: JSON columns hold our own shallow shapes (dataset statuses, summaries, flattened fields);
#: anything nested deeper came from hostile input and is cut here instead of recursing.
MAX_DEPTH = 32
TOO_DEEP = "<nested too deeply>"


def needs_fix(value: str) -> bool:
    """True when `text(value)` would change it (C-speed checks: this runs on every stored text)."""
    if "\x00" in value:
        return True
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text(value: str) -> str:
    """`value` with NUL and lone surrogates replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, value) if needs_fix(value) else value


def key(value: str) -> str:
    """`text(value)`, shortened when it is too long for a database index key.

    PostgreSQL refuses a B-tree index entry over about 2700 bytes; the org id (runs index, finding
    state key) and object ids (drift index) are indexed. A longer value keeps its first
    characters and gains the SHA-256 of the whole: the same value always gives the same key, so
    comparisons between runs still match, and distinct values stay distinct.
    """
    value = text(value)
    if len(value) <= KEY_LIMIT:
        return value
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return f"{value[:KEY_LIMIT - 80]}…sha256:{digest}"


def optional_text(value: str | None) -> str | None:
    return None if value is None else text(value)


def json_value(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON-like value that both backends store as given (see the module docstring)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= MAX_DEPTH:
        return TOO_DEEP
    if isinstance(value, dict):
        return {text(str(k)): json_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v, depth + 1) for v in value]
    return text(str(value))
