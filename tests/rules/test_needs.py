"""Rule needs (`@rule(needs=...)`): validated at declaration, defaulting to every object."""

from __future__ import annotations

import pytest

from auditor.rules import catalog
from auditor.rules.base import EVERY, NEEDS, rule


def _declare(**needs: str) -> object:
    return rule(id="TST-001", title="t", severity="low", resource_type="queue", rationale="r",
                remediation="r", datasets=("queues", "queue_members"), needs=needs)(lambda ctx: iter(()))


def test_a_need_names_one_of_the_rules_datasets_and_a_known_value():
    with pytest.raises(ValueError, match="not among its datasets"):
        _declare(roles="scope")
    with pytest.raises(ValueError, match="must be one of"):
        _declare(queue_members="some")
    declared = _declare(queue_members="scope")
    assert declared.need("queue_members") == "scope" and declared.need("queues") == EVERY


def test_every_catalog_need_is_valid_and_the_scope_rules_ask_only_for_the_scope():
    rules = {r.id: r for r in catalog()}
    for r in rules.values():
        assert all(d in r.datasets and n in NEEDS for d, n in r.needs)
    assert rules["QUE-003"].need("queue_members") == "scope"
    assert rules["WRP-001"].need("queue_wrapupcodes") == EVERY
