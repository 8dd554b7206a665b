"""The Terraform reader is bounded like Terraform itself (issue 23, class 2): module cycles are
refused, expansions and values have documented caps, arithmetic follows HCL's types, and every
hostile shape ends in exit 2 naming the file and line, never "internal error"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.sources.terraform import load_terraform
from auditor.sources.terraform.config import read_configuration
from auditor.sources.terraform.functions import FUNCTIONS
from auditor.sources.terraform.limits import MAX_ELEMENTS, MAX_EXPANSION, MAX_MODULES, MAX_NESTING, MAX_STRING
from auditor.sources.terraform.mappers import WANTED
from auditor.sources.terraform.values import Unknown
from tests.conftest import run_cli

QUEUE = "genesyscloud_routing_queue"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def _read(root: Path, files: dict[str, str]):
    return read_configuration(_write(root, files), wanted=WANTED, base=root)


def _values(config, address):
    return next(i for i in config.instances if i.address == address).values


def _refused(root: Path, files: dict[str, str]) -> str:
    with pytest.raises(InputError) as error:
        _read(root, files)
    return str(error.value)


# -- modules ----------------------------------------------------------------------------------------

def test_a_module_cycle_is_refused_naming_the_call(tmp_path):
    message = _refused(tmp_path, {
        "main.tf": 'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n}}\nmodule "b" {{\n  source = "../b"\n}}\n',
        "b/main.tf": 'module "back" {\n  source = "../a"\n}\n',
    })
    assert message.startswith("b/main.tf:1: source: module 'back' calls '../a'") and "module cycle" in message


def test_a_module_calling_its_own_directory_is_a_cycle(tmp_path):
    message = _refused(tmp_path, {"main.tf": 'module "m" {\n  source = "./m"\n}\n',
                                  "m/main.tf": 'module "self" {\n  source = "./"\n  count = 2\n}\n'})
    assert message.startswith("m/main.tf:1: source: module 'self'") and "module cycle" in message


def test_module_instances_are_capped(tmp_path):
    # 40 x 40 instances of two nested calls: more than MAX_MODULES, from a few lines.
    message = _refused(tmp_path, {"main.tf": 'module "a" {\n  source = "./a"\n  count = 40\n}\n',
                                  "a/main.tf": 'module "b" {\n  source = "../b"\n  count = 40\n}\n',
                                  "b/main.tf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n}}\n'})
    assert message.startswith("a/main.tf:1: module 'b'") and f"more than {MAX_MODULES:,} module instances" in message


# -- count and for_each -------------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "problem"), [
    ("1e400", "a number literal out of range"),
    (str(MAX_EXPANSION + 1), f"count must be a whole number from 0 to {MAX_EXPANSION:,}"),
    ("-1", f"count must be a whole number from 0 to {MAX_EXPANSION:,}"),
    ("1.5", f"count must be a whole number from 0 to {MAX_EXPANSION:,}"),
    ('"many"', "count must be a whole number"),
    ("[1, 2]", "count must be a whole number"),
    ("1" * 5000, "a number literal of more than 200 digits"),
])
def test_count_must_be_a_bounded_whole_number(tmp_path, count, problem):
    message = _refused(tmp_path, {"main.tf": f'resource "{QUEUE}" "q" {{\n  name  = "Q"\n  count = {count}\n}}\n'})
    assert message.startswith("main.tf:3: count: ") and problem in message


def test_a_numeric_string_count_converts_as_terraform_converts_it(tmp_path):
    config = _read(tmp_path, {"main.tf": f'resource "{QUEUE}" "q" {{\n  name  = "Q"\n  count = "2"\n}}\n'})
    assert [i.address for i in config.instances] == [f"{QUEUE}.q[0]", f"{QUEUE}.q[1]"]


def test_for_each_is_capped_and_must_be_a_collection(tmp_path):
    keys = [f"k{i}" for i in range(MAX_EXPANSION + 1)]
    message = _refused(tmp_path / "big", {
        "main.tf": f'variable "keys" {{}}\nresource "{QUEUE}" "q" {{\n  for_each = toset(var.keys)\n'
                   '  name = each.key\n}\n',
        "terraform.tfvars.json": json.dumps({"keys": keys})})
    assert message.startswith("main.tf:3: for_each: ") and f"the limit is {MAX_EXPANSION:,}" in message
    message = _refused(tmp_path / "text", {"main.tf": f'resource "{QUEUE}" "q" {{\n  for_each = "abc"\n'
                                                      '  name = each.key\n}\n'})
    assert message.startswith("main.tf:2: for_each: for_each must be a map or a set of strings")


# -- values: strings, lists, arithmetic -------------------------------------------------------------

def test_arithmetic_follows_hcl_types_not_python(tmp_path):
    config = _read(tmp_path, {"main.tf": f'''resource "{QUEUE}" "q" {{
  name           = "Q"
  description    = "ab" * 3
  acw_timeout_ms = "3" * 2
  members {{
    user_id  = [1] * 3
    ring_num = true + 1
  }}
}}
'''})
    values = _values(config, f"{QUEUE}.q")
    assert isinstance(values["description"], Unknown)  # HCL: "ab" is not a number; no "ababab"
    assert values["acw_timeout_ms"] == 6  # HCL converts "3" to a number
    member = values["members"][0]
    assert isinstance(member["user_id"], Unknown) and isinstance(member["ring_num"], Unknown)


def test_a_string_multiplied_a_billion_times_is_not_built(tmp_path):
    config = _read(tmp_path, {"main.tf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n'
                                         '  description = "a" * 1000000000\n}\n'})
    assert isinstance(_values(config, f"{QUEUE}.q")["description"], Unknown)


def test_repeated_multiplication_never_builds_a_huge_integer(tmp_path):
    lines = ["locals {", "  n0 = 10"] + [f"  n{i} = local.n{i - 1} * local.n{i - 1}" for i in range(1, 40)] + ["}"]
    config = _read(tmp_path, {"main.tf": "\n".join(lines) + f'\nresource "{QUEUE}" "q" {{\n  name = "Q"\n'
                                         '  description = local.n39 > 5 ? "big" : "small"\n}\n'})
    assert _values(config, f"{QUEUE}.q")["description"] == "big"


def test_a_string_doubled_past_the_cap_is_refused_where_it_is_built(tmp_path):
    lines = ["locals {", f'  s0 = "{"x" * 1024}"']
    lines += [f'  s{i} = join("", [local.s{i - 1}, local.s{i - 1}])' for i in range(1, 12)] + ["}"]
    message = _refused(tmp_path, {"main.tf": "\n".join(lines) + f'\nresource "{QUEUE}" "q" {{\n'
                                  '  name = "Q"\n  description = local.s11\n}\n'})
    # s11 is 2 MiB: the line that builds it is named, not the line that uses it.
    assert message.startswith("main.tf:13: s11: ") and f"more than {MAX_STRING:,} characters" in message


def test_replace_cannot_blow_up_a_string(tmp_path):
    message = _refused(tmp_path, {"main.tf": f'''locals {{
  s = "{"y" * 2000}"
}}
resource "{QUEUE}" "q" {{
  name        = "Q"
  description = replace(local.s, "", local.s)
}}
'''})
    assert message.startswith("main.tf:6: description: ") and "more than" in message


def test_a_list_shared_at_every_level_is_counted_as_it_expands(tmp_path):
    # 22 lines make a value of 2**21 elements when flattened: refused, never walked element by element.
    lines = ["locals {", '  l0 = ["x"]'] + [f"  l{i} = [local.l{i - 1}, local.l{i - 1}]" for i in range(1, 22)]
    message = _refused(tmp_path, {"main.tf": "\n".join([*lines, "}"]) + f'\nresource "{QUEUE}" "q" {{\n'
                                  '  name = "Q"\n  description = length(flatten(local.l21))\n}\n'})
    assert f"more than {MAX_ELEMENTS:,} elements" in message


def test_nested_for_expressions_run_out_of_steps_not_of_time(tmp_path):
    items = ",".join(["a"] * 2000)
    message = _refused(tmp_path, {"main.tf": f'''locals {{
  l = split(",", "{items}")
  square = [for a in local.l : [for b in local.l : b]]
}}
resource "{QUEUE}" "q" {{
  name        = "Q"
  description = length(local.square)
}}
'''})
    assert message.startswith("main.tf:3: square: ") and "evaluation steps" in message


def test_distinct_and_toset_compare_values_as_terraform_does():
    assert FUNCTIONS["distinct"](["a", "b", "a", 1, 1.0, True, {"k": [1]}, {"k": [1]}, None, None]) == \
        ["a", "b", 1, True, {"k": [1]}, None]
    assert FUNCTIONS["toset"](["b", "a", "b"]) == ["a", "b"]
    assert FUNCTIONS["split"]("", "abc") == ["a", "b", "c"]


# -- nesting ----------------------------------------------------------------------------------------

def test_deeply_nested_blocks_in_hcl_are_refused_with_the_line(tmp_path):
    depth = 3000
    text = f'resource "{QUEUE}" "q" {{\n  name = "Q"\n' + "a {\n" * depth + "}\n" * depth + "}\n"
    message = _refused(tmp_path, {"main.tf": text})
    assert message.startswith(f"main.tf:{MAX_NESTING + 2}: ") and "nested more than" in message


def test_deeply_nested_json_configuration_and_tfvars_are_refused(tmp_path):
    deep = "[" * 70 + "]" * 70  # well inside what the JSON parser itself accepts
    message = _refused(tmp_path / "tf", {
        "main.tf.json": json.dumps({"resource": {QUEUE: {"q": {"name": "Q", "description": "DEEP"}}}})
        .replace('"DEEP"', deep)})
    assert message == f"main.tf.json: values nested more than {MAX_NESTING} levels deep"
    message = _refused(tmp_path / "vars", {"main.tf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n}}\n',
                                            "terraform.tfvars.json": '{"x": ' + deep + "}"})
    assert message == f"terraform.tfvars.json: values nested more than {MAX_NESTING} levels deep"


def test_a_number_of_thousands_of_digits_in_json_input_is_exit_2(tmp_path):
    huge = "1" * 5000  # past Python's 4,300-digit conversion limit: used to be "internal error"
    config = json.dumps({"resource": {QUEUE: {"q": {"name": "Q", "acw_timeout_ms": 0}}}}).replace(": 0", ": " + huge)
    message = _refused(tmp_path / "tf", {"main.tf.json": config})
    assert message == "main.tf.json: not valid JSON: a number with too many digits"
    message = _refused(tmp_path / "vars", {"main.tf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n}}\n',
                                            "terraform.tfvars.json": '{"x": ' + huge + "}"})
    assert message == "terraform.tfvars.json: not valid JSON: a number with too many digits"


def test_a_reference_chain_too_deep_for_the_stack_is_exit_2(tmp_path):
    lines = ["locals {", '  v0 = "x"'] + [f"  v{i} = [local.v{i - 1}]" for i in range(1, 3000)] + ["}"]
    message = _refused(tmp_path, {"main.tf": "\n".join(lines) + f'\nresource "{QUEUE}" "q" {{\n  name = "Q"\n'
                                  '  description = local.v2999\n}\n'})
    assert "nested" in message and message.startswith("main.tf:")


# -- numbers where the provider wants numbers ---------------------------------------------------------

@pytest.mark.parametrize(("attribute", "value", "line"), [
    ("acw_timeout_ms", '"abc"', 3),
    ("acw_timeout_ms", "99999999999999999999999999999", 3),
    ("acw_timeout_ms", "1.5", 3),
    ("acw_timeout_ms", "[1]", 3),
])
def test_wrong_types_where_numbers_belong_exit_2_naming_the_attribute(tmp_path, attribute, value, line):
    _write(tmp_path, {"main.tf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  {attribute} = {value}\n}}\n'})
    with pytest.raises(InputError) as error:
        load_terraform(tmp_path)
    assert str(error.value).startswith(f"main.tf:{line}: {QUEUE}.q.{attribute}: must be a whole number")


def test_nested_numbers_are_checked_too(tmp_path):
    _write(tmp_path, {"main.tf": f'''resource "{QUEUE}" "q" {{
  name = "Q"
  media_settings_call {{
    alerting_timeout_sec = "soon"
  }}
  members {{
    user_id  = "u1"
    ring_num = true
  }}
}}
'''})
    with pytest.raises(InputError, match=r"^main\.tf:4: .*media_settings_call\.alerting_timeout_sec: must be"):
        load_terraform(tmp_path)
    (tmp_path / "main.tf").write_text(f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  members {{\n'
                                      '    user_id  = "u1"\n    ring_num = true\n  }\n}\n')
    with pytest.raises(InputError, match=r"^main\.tf:5: .*members\.ring_num: must be a whole number"):
        load_terraform(tmp_path)


def test_hostile_configurations_exit_2_with_one_line_never_internal_error(tmp_path):
    """Through the CLI: each is one line naming file and line, exit 2, no traceback."""
    cases = {
        "count_inf": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  count = 1e400\n}}\n',
        "timeout_text": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  acw_timeout_ms = "abc"\n}}\n',
        "deep_blocks": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n' + "a {\n" * 2000 + "}\n" * 2000 + "}\n",
        "huge_literal": f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  acw_timeout_ms = {"9" * 6000}\n}}\n',
    }
    for name, text in cases.items():
        _write(tmp_path / name, {"main.tf": text})
        proc = run_cli("audit", "--terraform", str(tmp_path / name), "--format", "json", "-o",
                       str(tmp_path / f"{name}.json"), cwd=tmp_path)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, (name, proc.stderr)
        assert len(lines) == 1 and lines[0].startswith(f"gcaudit: error: {name}/main.tf:"), (name, proc.stderr)
        assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
