"""The Terraform built-in functions the reader evaluates (the ones CX-as-Code repos use on names,
ids and lists). Any other function call evaluates to Unknown; `file()`, `templatefile()` and the
like are deliberately absent: the reader opens no file a configuration names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditor.sources.terraform.limits import MAX_ELEMENTS, MAX_STRING, LimitError


def _room(length: int) -> None:
    """Refuse a string before building it when it would pass the bound (`join`, `replace`,
    `format` can make a string far larger than their arguments)."""
    if length > MAX_STRING:
        raise LimitError(f"a function builds a string of more than {MAX_STRING:,} characters")


def _items(count: int) -> None:
    if count > MAX_ELEMENTS:
        raise LimitError(f"a function builds a list of more than {MAX_ELEMENTS:,} elements")


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is not None:
            if not isinstance(m, dict):
                raise TypeError("merge() takes maps")
            out.update(m)
    return out


def _concat(*lists: Any) -> list[Any]:
    if not all(isinstance(lst, list) for lst in lists):
        raise TypeError("concat() takes lists")
    _items(sum(len(lst) for lst in lists))
    return [item for lst in lists for item in lst]


def _flatten(value: Any) -> list[Any]:
    # Iterative: the value's nesting is bounded, but a stack of Python frames is not needed.
    out: list[Any] = []
    stack = [iter(value)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            out.append(item)
            if len(out) > MAX_ELEMENTS:
                _items(len(out))
        else:
            stack.pop()
    return out


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    from auditor.sources.terraform.values import Unknown

    # Lazy (LAZY below): only the map and the key must be known; a default is taken only when the
    # key is missing, never because a value is known only after apply.
    for value in (mapping, key):
        if isinstance(value, Unknown):
            return value
    if not isinstance(mapping, dict):
        raise TypeError("lookup() takes a map")
    if str(key) in mapping:
        return mapping[str(key)]
    if default:
        return default[0]
    raise KeyError(key)


def _length(value: Any) -> int | Any:
    from auditor.sources.terraform.values import Unknown

    if isinstance(value, Unknown):
        return value  # the collection itself is unknown; unknown elements do not change its length
    if isinstance(value, bool | int | float) or value is None:
        raise TypeError("length() takes a collection or a string")
    return len(value)


def _keys(value: Any) -> list[str] | Any:
    from auditor.sources.terraform.values import Unknown

    if isinstance(value, Unknown):
        return value
    return sorted(value.keys())


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
    _room(len(spec) + sum(len(str(a)) for a in args) * max(spec.count("%"), 1))
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
                raise NotImplementedError(verb)  # widths, %q, %f...: Terraform has them, the reader does not
            i += 2
            continue
        out.append(spec[i])
        i += 1
    return "".join(out)


def _identity(value: Any) -> Any:
    """A hashable stand-in equal exactly when two values are equal in Terraform's sense, so that
    distinct() and toset() take linear time (a list scan per element was quadratic)."""
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(k), _identity(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(_identity(v) for v in value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if value is None:
        return ("null",)
    if isinstance(value, str):
        return ("string", str(value))
    return ("other", repr(value))


def _distinct(values: list[Any]) -> list[Any]:
    if not isinstance(values, list):
        raise TypeError("distinct() takes a list")
    seen: set[Any] = set()
    out: list[Any] = []
    for value in values:
        key = _identity(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _toset(values: Any) -> list[Any]:
    return sorted(_distinct(list(values)), key=lambda v: (str(type(v)), str(v)))


def _join(sep: str, items: Any) -> str:
    if not isinstance(sep, str) or not isinstance(items, list):
        raise TypeError("join() takes a separator and a list")
    parts = [str(i) for i in items]
    _room(sum(len(p) for p in parts) + len(sep) * max(len(parts) - 1, 0))
    return sep.join(parts)


def _replace(text: str, old: str, new: str) -> str:
    if not all(isinstance(v, str) for v in (text, old, new)):
        raise TypeError("replace() takes strings")
    # Regular-expression forms (`/.../`) are not evaluated: the result would be a guess.
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        raise NotImplementedError("regular expressions are not evaluated")
    matches = text.count(old) if old else len(text) + 1
    _room(len(text) + matches * len(new))
    return text.replace(old, new)


def _split(sep: str, text: str) -> list[str]:
    if not isinstance(sep, str) or not isinstance(text, str):
        raise TypeError("split() takes strings")
    if sep == "":
        return list(text)  # Terraform splits into characters; Python refuses an empty separator
    return text.split(sep)


def _element(items: Any, index: Any) -> Any:
    if not isinstance(items, list) or not items or isinstance(index, bool):
        raise TypeError("element() takes a non-empty list and a number")
    return items[int(index) % len(items)]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lookup": _lookup,
    "merge": _merge,
    "concat": _concat,
    "flatten": _flatten,
    "length": _length,
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "title": lambda s: s.title(),
    "trimspace": lambda s: s.strip(),
    "replace": _replace,
    "format": _format,
    "join": _join,
    "split": _split,
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
    "keys": _keys,
    "values": lambda m: [m[k] for k in sorted(m.keys())],
    "distinct": _distinct,
    "element": _element,
    "min": min,
    "max": max,
    "abs": abs,
}

#: Functions called even when an argument holds a value known only after apply; each returns
#: Unknown itself where the answer depends on it (try() and can() are the evaluator's own).
LAZY = frozenset({"coalesce", "length", "keys", "lookup"})
