"""Unknown never yields a guess (issue 23, class 4): `try()`, `can()`, `coalesce()`, `lookup()`
and `length()` return unknown when an argument is unknown because it is computed (a data source, a
value known only after apply), and take a fallback only where Terraform would: on an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.engine import run_audit
from auditor.sources.terraform import load_terraform
from auditor.sources.terraform.config import read_configuration
from auditor.sources.terraform.mappers import WANTED
from auditor.sources.terraform.values import Unknown

CODE = "genesyscloud_routing_wrapupcode"


def _description(tmp_path: Path, expression: str):
    (tmp_path / "main.tf").write_text(f'''variable "required" {{}}
data "genesyscloud_auth_division" "home" {{
  name = "Home"
}}
resource "genesyscloud_auth_division" "d" {{
  name = "D"
}}
locals {{
  known    = {{ a = "A", list = ["x", "y"] }}
  computed = {{ a = data.genesyscloud_auth_division.home.id }}
}}
resource "genesyscloud_routing_queue" "q" {{
  name        = "Q"
  description = {expression}
}}
''')
    config = read_configuration(tmp_path, wanted=WANTED, base=tmp_path)
    return next(i for i in config.instances if i.address == "genesyscloud_routing_queue.q").values["description"]


@pytest.mark.parametrize("expression", [
    'try(data.genesyscloud_auth_division.home.id, "fallback")',
    'try(genesyscloud_auth_division.d.version, "fallback")',   # a server-computed attribute
    'try(local.computed.a, "fallback")',
    'try(length(data.genesyscloud_auth_division.home.ids), 0)',
    'try(tonumber(data.genesyscloud_auth_division.home.id), 0)',
    'try({ a = data.genesyscloud_auth_division.home.id, b = local.known.missing }, "fallback")',
    'try(local.known.missing, data.genesyscloud_auth_division.home.id)',
    'try(var.required, "fallback")',  # no value given: Terraform stops, it does not fall back
    'can(data.genesyscloud_auth_division.home.id)',
    'coalesce(data.genesyscloud_auth_division.home.id, "fallback")',
    'coalesce("", data.genesyscloud_auth_division.home.id, "fallback")',
    'lookup(local.computed, "a", "fallback")',
    'lookup(data.genesyscloud_auth_division.home.map, "a", "fallback")',
    'length(data.genesyscloud_auth_division.home.ids)',
])
def test_a_computed_argument_makes_the_result_unknown(tmp_path, expression):
    value = _description(tmp_path, expression)
    assert isinstance(value, Unknown), value


@pytest.mark.parametrize(("expression", "expected"), [
    ('try(local.known.missing, "fallback")', "fallback"),        # a missing attribute: an error
    ('try(local.known.list[5], "fallback")', "fallback"),        # index out of range
    ('try(tonumber("abc"), "fallback")', "fallback"),            # a function's error
    ('try(local.known.a, "fallback")', "A"),
    ('can(local.known.missing) ? "yes" : "no"', "no"),
    ('can(local.known.a) ? "yes" : "no"', "yes"),
    ('coalesce("", "b", data.genesyscloud_auth_division.home.id)', "b"),
    ('lookup(local.known, "z", "fallback")', "fallback"),
    ('lookup({ a = data.genesyscloud_auth_division.home.id }, "b", "fallback")', "fallback"),
    ('length({ a = data.genesyscloud_auth_division.home.id, b = 1 })', 2),
])
def test_fallbacks_terraform_takes(tmp_path, expression, expected):
    assert _description(tmp_path, expression) == expected


def test_try_of_a_computed_value_is_error_not_pass(tmp_path):
    """End to end: a timeout `try()` would have defaulted to a passing value is ERROR."""
    (tmp_path / "main.tf").write_text('''data "genesyscloud_routing_queue" "template" {
  name = "Template"
}
resource "genesyscloud_routing_queue" "q" {
  name           = "Q"
  acw_timeout_ms = try(data.genesyscloud_routing_queue.template.acw_timeout_ms, 60000)
}
''')
    results = [r for r in run_audit(load_terraform(tmp_path)).results if r.rule_id == "QUE-004"]
    assert results and all(r.status.value == "ERROR" for r in results), [(r.status, r.message) for r in results]
