"""Message helpers shared by rule modules: bounded, printable lists of org-controlled names."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.safety.fileio import shorten

#: How many names a message lists before "and N more", so a message stays one readable sentence.
NAME_LIMIT = 8


def text_or_none(value: object) -> str | None:
    """A frame cell as text, or None: pandas string columns hold NaN where the API had no value."""
    return value if isinstance(value, str) and value else None


def name_list(names: Iterable[object], limit: int = NAME_LIMIT) -> str:
    """`'A', 'B'` or `'A', ..., 'H' and 5 more`; each name quoted, shortened and made printable."""
    names = names if isinstance(names, list | tuple) else list(names)
    rest = len(names) - limit
    text = ", ".join(repr(shorten(str(n), 60)) for n in names[:limit])
    return f"{text} and {rest} more" if rest > 0 else text
