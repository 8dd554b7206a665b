"""Lean loading: decode a dataset file straight into the fields its schema declares, checked as it parses.

The rules read only what the dataset schemas declare. Parsing a whole raw file with `json` and
then validating it builds every field of every entity (a 50,000-queue org is 770 MB of JSON and
tens of millions of objects) only to throw most of them away. msgspec decodes into types derived
from the same schemas: undeclared fields are skipped in C, declared ones are type-checked on the
way, so the result is the raw entities minus the fields no rule reads, at a third of the time
and memory.

msgspec is never the judge of an error: when it rejects a file, the loader parses and validates
that file the normal way, which either raises the usual one-line error naming file and field or,
if the schema does accept it (msgspec is stricter in corners, e.g. `1.0` for an integer), keeps
the fully parsed file. Schemas outside the small subset below get no lean decoder at all.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Annotated, Any, Required, TypedDict

import msgspec

_SCALARS: dict[str, Any] = {"string": str, "integer": int, "boolean": bool, "null": type(None)}
_BOUNDS = {"minimum": "ge", "maximum": "le"}
_KNOWN = {"type", "items", "required", "properties", "additionalProperties", *_BOUNDS}
_names = itertools.count()


class _Unsupported(Exception):
    pass


def _union(types: list[Any]) -> Any:
    out = types[0]
    for extra in types[1:]:
        out = out | extra
    return out


def _type_of(schema: Any) -> Any:
    if not isinstance(schema, dict) or set(schema) - _KNOWN or "type" not in schema:
        raise _Unsupported
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return _union([_kind(kind, schema) for kind in kinds])


def _kind(kind: str, schema: dict[str, Any]) -> Any:
    bounds = {meta: schema[key] for key, meta in _BOUNDS.items() if key in schema}
    if bounds:
        # Integer ranges only (the 64-bit bound of every integer field), checked by msgspec as it parses.
        if kind != "integer" or any(type(v) is not int for v in bounds.values()):
            raise _Unsupported
        return Annotated[int, msgspec.Meta(**bounds)]
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind == "array":
        return list[_type_of(schema["items"])] if "items" in schema else list[Any]
    if kind != "object":
        raise _Unsupported
    properties = schema.get("properties")
    extra = schema.get("additionalProperties", True)
    if properties:
        if extra is not True:
            raise _Unsupported
        required = set(schema.get("required", ()))
        fields = {
            key: Required[_type_of(sub)] if key in required else _type_of(sub) for key, sub in properties.items()
        }
        if required - set(fields):
            raise _Unsupported
        # total=False: undeclared keys are dropped, declared ones optional unless Required.
        return TypedDict(f"Entity{next(_names)}", fields, total=False)  # type: ignore[operator]
    if schema.get("required"):
        raise _Unsupported
    if isinstance(extra, dict):
        return dict[str, _type_of(extra)]
    if extra is True:
        return dict[str, Any]
    raise _Unsupported


@cache
def _decoder(schema_json: str) -> msgspec.json.Decoder[Any] | None:
    try:
        return msgspec.json.Decoder(_type_of(json.loads(schema_json)))
    except _Unsupported:
        return None


def lean_decoder(schema: dict[str, Any]) -> msgspec.json.Decoder[Any] | None:
    """A decoder keeping only the fields `schema` declares, or None if the schema is out of reach."""
    return _decoder(json.dumps(schema, sort_keys=True))


def decode_lean(data: bytes, schema: dict[str, Any]) -> tuple[bool, Any]:
    """(True, entities) when msgspec accepts `data` for `schema`; (False, None) to fall back."""
    decoder = lean_decoder(schema)
    if decoder is None:
        return False, None
    try:
        return True, decoder.decode(data)
    except (msgspec.MsgspecError, ValueError, RecursionError):
        # ValueError: msgspec raises UnicodeDecodeError itself for bytes that are not UTF-8.
        return False, None
