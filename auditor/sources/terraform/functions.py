"""The Terraform built-in functions the reader evaluates (the ones CX-as-Code repos use on names,
ids and lists). Any other function call evaluates to Unknown; `file()`, `templatefile()` and the
like are deliberately absent: the reader opens no file a configuration names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is not None:
            out.update(m)
    return out


def _concat(*lists: Any) -> list[Any]:
    return [item for lst in lists for item in lst]


def _flatten(value: Any) -> list[Any]:
    out: list[Any] = []
    for item in value:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _lookup(mapping: dict[str, Any], key: str, *default: Any) -> Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _coalesce(*values: Any) -> Any:
    from auditor.sources.terraform.values import Unknown

    for value in values:
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            return value
    raise ValueError("no non-null argument")


def _format(spec: str, *args: Any) -> str:
    # Terraform's %s/%d/%v verbs are Go's; those three cover names and ids.
    out, i, arg = [], 0, 0
    while i < len(spec):
        if spec[i] == "%" and i + 1 < len(spec):
            verb = spec[i + 1]
            if verb == "%":
                out.append("%")
            elif verb in "sdv":
                out.append(str(args[arg]))
                arg += 1
            else:
                raise ValueError(verb)
            i += 2
            continue
        out.append(spec[i])
        i += 1
    return "".join(out)


def _distinct(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def _toset(values: Any) -> list[Any]:
    return sorted(_distinct(list(values)), key=lambda v: (str(type(v)), str(v)))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lookup": _lookup,
    "merge": _merge,
    "concat": _concat,
    "flatten": _flatten,
    "length": len,
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "title": lambda s: s.title(),
    "trimspace": lambda s: s.strip(),
    "replace": lambda s, old, new: s.replace(old, new),
    "format": _format,
    "join": lambda sep, items: sep.join(str(i) for i in items),
    "split": lambda sep, s: s.split(sep),
    "tostring": lambda v: v if isinstance(v, str) else str(v),
    "tonumber": lambda v: float(v) if "." in str(v) else int(v),
    "tobool": lambda v: v if isinstance(v, bool) else {"true": True, "false": False}[v],
    "tolist": list,
    "toset": _toset,
    "tomap": dict,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next(lst for lst in lists if lst),
    "compact": lambda items: [i for i in items if i not in (None, "")],
    "contains": lambda items, v: v in items,
    "keys": lambda m: sorted(m.keys()),
    "values": lambda m: [m[k] for k in sorted(m.keys())],
    "distinct": _distinct,
    "element": lambda items, i: items[int(i) % len(items)],
    "min": min,
    "max": max,
    "abs": abs,
    "can": lambda value: True,
}
