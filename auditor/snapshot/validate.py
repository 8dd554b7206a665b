"""Validation of snapshot files against the dataset schemas, with one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema

from auditor.errors import InputError
from auditor.safety.fileio import shorten
from auditor.snapshot.fastcheck import compile_precheck


@cache
def _compiled(schema_json: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(json.loads(schema_json))


def validator(schema: dict[str, Any]) -> Callable[[Any], Any]:
    return _compiled(json.dumps(schema, sort_keys=True))


@cache
def _precheck(schema_json: str) -> Callable[[Any], bool] | None:
    return compile_precheck(json.loads(schema_json))


def _printable(part: Any) -> Any:
    """A key as it can go on one line of a terminal: control characters escaped (`\\n`)."""
    if isinstance(part, str) and not part.isprintable():
        return part.encode("unicode_escape").decode("ascii")
    return part


def _field_path(path: list[Any]) -> str:
    """['data', 3, 'acwSettings', 'timeoutMs'] -> '[3].acwSettings.timeoutMs'."""
    out = ""
    for part in map(_printable, path[1:]):
        # fastjsonschema gives array indexes as digit strings
        index = isinstance(part, int) or (isinstance(part, str) and part.isdigit())
        part = shorten(str(part), 60)  # a key can be any size (per-parent datasets are keyed by id)
        out += f"[{part}]" if index else (f".{part}" if out else part)
    return out or "(top level)"


def check(schema: dict[str, Any], data: Any, source: object) -> None:
    """Raise InputError naming `source` and the offending field when `data` does not fit `schema`."""
    # The pre-check only ever says "certainly valid"; anything else gets fastjsonschema's verdict.
    precheck = _precheck(json.dumps(schema, sort_keys=True))
    if precheck is not None and precheck(data):
        return
    try:
        validator(schema)(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        path = list(exc.path) if exc.path else ["data"]
        # fastjsonschema reports "data.x must contain ['id', 'name'] properties": name the missing one.
        if exc.rule == "required" and isinstance(exc.value, dict):
            missing = [key for key in exc.rule_definition if key not in exc.value]
            field = _field_path([*path, missing[0]]) if missing else _field_path(path)
            raise InputError(source, "required field is missing", field=field) from None
        problem = exc.message.replace(exc.name, "value", 1) if exc.name else exc.message
        if exc.rule == "type":
            problem = f"expected {exc.rule_definition}, got {type(exc.value).__name__} {shorten(exc.value, 40)!r}"
        raise InputError(source, problem, field=_field_path(path)) from None
