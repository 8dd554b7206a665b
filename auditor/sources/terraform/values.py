"""Values a Terraform configuration cannot know before apply, and values that must not be echoed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unknown:
    """A value known only after apply: a data source, a server-computed attribute, an expression
    the reader cannot resolve, or `after_unknown` in a plan. `expression` is the source text that
    produced it (never a value), so a message can name it."""

    expression: str
    why: str = "known only after apply"

    def __str__(self) -> str:
        return self.expression


@dataclass(frozen=True)
class Computed(Unknown):
    """A read-only attribute of a managed resource (`.id`, `.version`): unknown before apply, but
    the reader knows which resource it belongs to, so `configuration.version = x.version` pins
    what resource `x` describes."""

    address: str = ""
    attribute: str = ""


class Tainted(str):
    """A string that came from a tfvars or -var-file value: it may be a secret (issue #13), so
    display fields show the expression that produced it instead of the value."""

    __slots__ = ()


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


def first_unknown(value: object) -> Unknown | None:
    """The first Unknown anywhere inside `value` (lists and dicts included)."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        for item in value.values():
            found = first_unknown(item)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for item in value:
            found = first_unknown(item)
            if found is not None:
                return found
    return None


def tainted(value: object) -> bool:
    if isinstance(value, Tainted):
        return True
    if isinstance(value, dict):
        return any(tainted(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(tainted(v) for v in value)
    return False


def taint(value: object) -> object:
    """Mark every string inside a tfvars value."""
    if isinstance(value, str):
        return Tainted(value)
    if isinstance(value, dict):
        return {Tainted(k) if isinstance(k, str) else k: taint(v) for k, v in value.items()}
    if isinstance(value, list):
        return [taint(v) for v in value]
    return value
