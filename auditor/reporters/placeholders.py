"""Placeholder values copied from documentation or forum posts: never "fine", never linked.

A placeholder is a value someone was meant to replace: hosts of the reserved example domains
(RFC 2606 / RFC 6761: example.com/.net/.org, *.example, *.test, *.invalid), values starting
`your-`/`your_`/`<`/`{`, ids made of one repeated digit or letter (`00000000-0000-...`,
`11111111-...`, `xxxxxxxx-...`) and the textbook UUID `12345678-1234-...`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_RESERVED_HOST = re.compile(r"(^|\.)(example\.(com|net|org)|example|test|invalid)$", re.IGNORECASE)
_PLACEHOLDER_TEXT = re.compile(r"^\s*(your[-_ ]|my[-_]|<|\{|\$\{|x{4,}|changeme|placeholder|todo)", re.IGNORECASE)
_SEQUENTIAL_UUID = re.compile(r"^12345678-1234-", re.IGNORECASE)


def _one_repeated_character(value: str) -> bool:
    compact = value.replace("-", "")
    return len(compact) >= 8 and len(set(compact.lower())) == 1


def is_placeholder_host(host: str) -> bool:
    host = host.strip().rstrip(".").lower()
    return bool(_RESERVED_HOST.search(host)) or bool(_PLACEHOLDER_TEXT.match(host))


def is_placeholder(value: str | None) -> bool:
    """True for an id, host or URL that is evidently a placeholder."""
    if not value:
        return False
    text = str(value).strip()
    if _PLACEHOLDER_TEXT.match(text) or _SEQUENTIAL_UUID.match(text) or _one_repeated_character(text):
        return True
    if "://" in text:
        host = urlsplit(text).hostname or ""
        return is_placeholder_host(host) or _PLACEHOLDER_TEXT.match(host) is not None
    return "." in text and " " not in text and is_placeholder_host(text.split("/", 1)[0].split(":", 1)[0])
