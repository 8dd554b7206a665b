"""The rule catalog, discovered from the modules under `auditor.rules.<category>`.

Adding a rule is adding one module in a category folder; nothing else lists rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from auditor.rules.base import Outcome, Rule, RuleContext, failed, not_applicable, passed, rule

__all__ = ["Outcome", "Rule", "RuleContext", "catalog", "failed", "get", "not_applicable", "passed", "rule"]


@cache
def catalog() -> tuple[Rule, ...]:
    """Every built-in rule, sorted by id. Importing rule modules has no side effects."""
    import auditor.rules as package

    found: dict[str, Rule] = {}
    for info in pkgutil.walk_packages(package.__path__, prefix="auditor.rules."):
        if info.name.endswith(".base"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Rule):
                other = found.get(value.id)
                if other is not None and other is not value:
                    raise RuntimeError(f"rule id {value.id} is defined twice ({info.name})")
                found[value.id] = value
    return tuple(sorted(found.values(), key=lambda r: r.id))


def get(rule_id: str) -> Rule:
    for candidate in catalog():
        if candidate.id == rule_id:
            return candidate
    raise KeyError(rule_id)
