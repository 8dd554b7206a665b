"""Field checks shared by every user-written input (plan, waivers, request files, orgs, config).

Each raises an InputError naming the file and the field, so a bad value is always one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditor.errors import InputError
from auditor.safety.fileio import shorten

#: Longest single text value accepted from a user-written file.
MAX_TEXT = 2_048


def text_field(source: object, value: Any, where: str, max_chars: int = MAX_TEXT) -> str:
    """A non-empty string (or a number YAML read as one, such as an id), stripped."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(source, f"expected a string, got {type(value).__name__}", field=where)
    text = str(value).strip()
    if not text:
        raise InputError(source, "empty value", field=where)
    if len(text) > max_chars:
        raise InputError(source, f"value longer than {max_chars} characters", field=where)
    return text


def reject_unknown_keys(source: object, mapping: dict[Any, Any], allowed: Iterable[str], where: str = "") -> None:
    allowed = list(allowed)
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        field = f"{where}.{shorten(unknown[0])}" if where else shorten(unknown[0])
        raise InputError(source, f"unknown key (expected one of {', '.join(allowed)})", field=field)
