"""A fast yes/no pre-check of snapshot data against a dataset schema.

fastjsonschema builds a key set and formats nothing until an error, yet it still costs ~2 µs per
entity: 3 s of a 50,000-queue load (1.5 M member and wrap-up code entities). This module compiles
the small schema subset the dataset schemas use (`type`, `required`, `properties`, `items`,
`additionalProperties`, integer `minimum`/`maximum`) into one flat Python function that only answers "valid or not".

It is never the judge of an error: `validate.check` trusts a True, and on False runs fastjsonschema
over the same data, which produces the error message (or accepts the data: the pre-check may be
stricter than the schema, e.g. it wants exact `int`, not an integral float). A schema using any
other keyword gets no pre-check at all. So the errors are exactly fastjsonschema's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_TYPES = {"string": "str", "boolean": "bool", "object": "dict", "array": "list", "integer": "int", "null": "NoneType"}
_OBJECT_KEYWORDS = {"required", "properties", "additionalProperties"}
_BOUNDS = {"minimum", "maximum"}
_KNOWN = {"type", "items", *_OBJECT_KEYWORDS, *_BOUNDS}


class _Unsupported(Exception):
    pass


class _Compiler:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def var(self) -> str:
        self.depth += 1
        return f"v{self.depth}"

    def schema(self, schema: Any, value: str, indent: int) -> None:
        if not isinstance(schema, dict) or set(schema) - _KNOWN or "type" not in schema:
            raise _Unsupported
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if any(k not in _TYPES for k in kinds):
            raise _Unsupported
        names = [_TYPES[k] for k in kinds]
        # Exact type() checks: stricter than the schema (no subclasses, no integral floats), which
        # is safe because a False only sends the data on to fastjsonschema.
        if len(names) == 1:
            self.emit(indent, f"if type({value}) is not {names[0]}: return False")
        else:
            self.emit(indent, f"if type({value}) not in ({', '.join(names)},): return False")
        bounds = _BOUNDS & set(schema)
        if bounds:
            # Integer ranges only (the 64-bit bound of every integer field); the value is an int here.
            if kinds != ["integer"] or any(type(schema[b]) is not int for b in bounds):
                raise _Unsupported
            if "minimum" in bounds:
                self.emit(indent, f"if {value} < {schema['minimum']!r}: return False")
            if "maximum" in bounds:
                self.emit(indent, f"if {value} > {schema['maximum']!r}: return False")
        has_object = bool(_OBJECT_KEYWORDS & set(schema))
        if (has_object and kinds != ["object"]) or ("items" in schema and kinds != ["array"]):
            raise _Unsupported
        if "items" in schema:
            item = self.var()
            self.emit(indent, f"for {item} in {value}:")
            self.schema(schema["items"], item, indent + 1)
        for key in schema.get("required", ()):
            self.emit(indent, f"if {key!r} not in {value}: return False")
        properties = schema.get("properties", {})
        for key, sub in properties.items():
            prop = self.var()
            self.emit(indent, f"{prop} = {value}.get({key!r}, _MISSING)")
            self.emit(indent, f"if {prop} is not _MISSING:")
            self.schema(sub, prop, indent + 1)
        extra = schema.get("additionalProperties", True)
        if extra is not True:
            if properties or not isinstance(extra, dict):
                raise _Unsupported
            item = self.var()
            self.emit(indent, f"for {item} in {value}.values():")
            self.schema(extra, item, indent + 1)


def compile_precheck(schema: dict[str, Any]) -> Callable[[Any], bool] | None:
    """A function answering True only for data `schema` accepts; None if the schema is out of reach."""
    compiler = _Compiler()
    try:
        compiler.schema(schema, "v0", 1)
    except _Unsupported:
        return None
    source = "\n".join(["def precheck(v0):", *compiler.lines, "    return True"])
    namespace: dict[str, Any] = {"_MISSING": object(), "NoneType": type(None)}
    # The source is built above from this package's own schemas: names are repr()-quoted.
    exec(compile(source, "<snapshot precheck>", "exec"), namespace)
    return namespace["precheck"]  # type: ignore[no-any-return]
