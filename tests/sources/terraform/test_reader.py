"""The configuration reader: what it resolves before apply, and what it leaves unknown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.sources.terraform import load_terraform
from auditor.sources.terraform.config import read_configuration
from auditor.sources.terraform.mappers import WANTED
from auditor.sources.terraform.values import Unknown

QUEUE = "genesyscloud_routing_queue"


def _read(tmp_path: Path, text: str, files: dict[str, str] | None = None, var_files=None):
    (tmp_path / "main.tf").write_text(text)
    for name, content in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return read_configuration(tmp_path, var_files, wanted=WANTED, base=tmp_path)


def _values(config, address):
    return next(i for i in config.instances if i.address == address).values


def test_count_splat_for_expressions_functions_and_conditionals(tmp_path):
    config = _read(tmp_path, '''
locals {
  names  = ["a", "b"]
  upper  = [for n in local.names : upper(n)]
  lookup = { for i, n in local.names : n => i }
}
resource "genesyscloud_routing_wrapupcode" "w" {
  count = length(local.names)
  name  = format("%s-%d", local.upper[count.index], count.index)
}
resource "genesyscloud_routing_queue" "q" {
  name              = join(",", genesyscloud_routing_wrapupcode.w[*].name)
  acw_wrapup_prompt = local.lookup["b"] == 1 ? "OPTIONAL" : "MANDATORY"
  acw_timeout_ms    = try(local.lookup["missing"], 5000)
  wrapup_codes      = genesyscloud_routing_wrapupcode.w[*].id
}
''')
    assert _values(config, "genesyscloud_routing_wrapupcode.w[1]")["name"] == "B-1"
    queue = _values(config, f"{QUEUE}.q")
    assert queue["name"] == "A-0,B-1"
    assert queue["acw_wrapup_prompt"] == "OPTIONAL"
    assert queue["acw_timeout_ms"] == 5000
    assert queue["wrapup_codes"] == ["genesyscloud_routing_wrapupcode.w[0]", "genesyscloud_routing_wrapupcode.w[1]"]


def test_variable_precedence_defaults_tfvars_auto_then_var_files(tmp_path):
    files = {
        "terraform.tfvars": 'prompt = "MANDATORY"\n',
        "b.auto.tfvars": 'prompt = "AGENT_REQUESTED"\n',
        "envs/prod.tfvars": 'prompt = "OPTIONAL"\n',
    }
    text = 'variable "prompt" { default = "MANDATORY_TIMEOUT" }\n' \
           f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  acw_wrapup_prompt = var.prompt\n}}\n'
    assert _values(_read(tmp_path, text, files), f"{QUEUE}.q")["acw_wrapup_prompt"] == "AGENT_REQUESTED"
    with_file = _read(tmp_path, text, files, [tmp_path / "envs" / "prod.tfvars"])
    assert _values(with_file, f"{QUEUE}.q")["acw_wrapup_prompt"] == "OPTIONAL"


def test_module_inputs_outputs_and_addresses(tmp_path):
    config = _read(tmp_path, '''
module "routing" {
  source = "./modules/routing"
  prefix = "EU"
}
resource "genesyscloud_routing_queue" "top" {
  name = module.routing.queue_name
}
''', {"modules/routing/main.tf": '''
variable "prefix" {}
resource "genesyscloud_routing_queue" "inner" {
  name = "${var.prefix} Support"
}
output "queue_name" { value = genesyscloud_routing_queue.inner.name }
'''})
    assert _values(config, f"{QUEUE}.top")["name"] == "EU Support"
    inner = next(i for i in config.instances if i.address == f"module.routing.{QUEUE}.inner")
    assert inner.location.file == "modules/routing/main.tf"


def test_data_sources_and_unresolvable_values_are_unknown_with_their_expression(tmp_path):
    config = _read(tmp_path, '''
data "genesyscloud_auth_division" "home" { name = "Home" }
resource "genesyscloud_routing_queue" "q" {
  name        = "Q"
  division_id = data.genesyscloud_auth_division.home.id
  description = file("secrets.txt")
  queue_flow_id = var.undeclared
}
''')
    queue = _values(config, f"{QUEUE}.q")
    assert isinstance(queue["division_id"], Unknown)
    assert queue["division_id"].expression == "data.genesyscloud_auth_division.home.id"
    assert isinstance(queue["description"], Unknown)  # file() is never evaluated
    assert isinstance(queue["queue_flow_id"], Unknown)


def test_unknown_for_each_is_a_note_not_a_guess(tmp_path):
    config = _read(tmp_path, '''
data "genesyscloud_auth_role" "r" { name = "x" }
resource "genesyscloud_routing_queue" "q" {
  for_each = data.genesyscloud_auth_role.r.permissions
  name     = each.key
}
''')
    assert not config.instances
    assert any("for_each is not known before apply" in str(n) for n in config.notes)


def test_fingerprints_stay_when_unrelated_lines_move(tmp_path):
    text = f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  acw_wrapup_prompt = "MANDATORY_TIMEOUT"\n}}\n'
    (tmp_path / "main.tf").write_text(text)
    before = {(r.rule_id, r.fingerprint): r.location for r in run_audit(load_terraform(tmp_path)).results}
    (tmp_path / "main.tf").write_text("# header\n\n# another comment\n" + text)
    after = {(r.rule_id, r.fingerprint): r.location for r in run_audit(load_terraform(tmp_path)).results}
    assert set(before) == set(after)
    moved = [k for k in before if before[k] and after[k]]
    assert moved and all(after[k]["line"] == before[k]["line"] + 3 for k in moved)


def test_hostile_inputs_are_refused_with_the_file_named(tmp_path):
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "main.tf").write_text(f'locals {{ x = {"[" * 3000}{"]" * 3000} }}\n'
                                  f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  description = local.x\n}}\n')
    # Past the evaluator's depth: exit 2 naming the file, line and attribute (issue 23), never a
    # RecursionError.
    with pytest.raises(InputError, match=r"main\.tf:1: x: an expression nested more than 100 levels deep"):
        read_configuration(deep, wanted=WANTED)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text('resource "x" {\n  name = \n')
    with pytest.raises(InputError) as error:
        read_configuration(broken, wanted=WANTED)
    assert "main.tf" in str(error.value)
    fifo_dir = tmp_path / "fifo"
    fifo_dir.mkdir()
    (fifo_dir / "ok.tf").write_text("")
    os.mkfifo(fifo_dir / "pipe.tf")
    config = read_configuration(fifo_dir, wanted=WANTED)  # the FIFO is skipped, never opened
    assert config.files == 1
    with pytest.raises(InputError):
        read_configuration(tmp_path / "missing", wanted=WANTED)


def test_tf_var_environment_and_tfvars_json(tmp_path, monkeypatch):
    text = ('variable "prompt" {}\nvariable "secret" {}\n'
            f'resource "{QUEUE}" "q" {{\n  name = "Q"\n  acw_wrapup_prompt = var.prompt\n'
            '  description = var.secret\n}\n')
    monkeypatch.setenv("TF_VAR_prompt", "MANDATORY")
    monkeypatch.setenv("TF_VAR_secret", "env-secret-value")
    config = _read(tmp_path, text)
    assert _values(config, f"{QUEUE}.q")["acw_wrapup_prompt"] == "MANDATORY"
    assert "env-secret-value" in config.redact
    overridden = _read(tmp_path, text, {"terraform.tfvars.json": '{"prompt": "OPTIONAL"}'})
    assert _values(overridden, f"{QUEUE}.q")["acw_wrapup_prompt"] == "OPTIONAL"


def test_module_for_each_is_expanded_and_unknown_for_each_blocks_its_datasets(tmp_path):
    module = {"modules/site/main.tf": '''
variable "name" {}
resource "genesyscloud_webdeployments_configuration" "c" {
  name             = var.name
  languages        = ["en-us"]
  default_language = "en-us"
}
output "config_name" { value = genesyscloud_webdeployments_configuration.c.name }
'''}
    config = _read(tmp_path, '''
module "sites" {
  for_each = { eu = "EU site", us = "US site" }
  source   = "./modules/site"
  name     = each.value
}
resource "genesyscloud_routing_queue" "q" {
  name = module.sites["eu"].config_name
}
''', module)
    names = sorted(i.values["name"] for i in config.instances if i.type.endswith("configuration"))
    assert names == ["EU site", "US site"]
    assert any(i.address == 'module.sites["us"].genesyscloud_webdeployments_configuration.c' for i in config.instances)
    assert _values(config, f"{QUEUE}.q")["name"] == "EU site"

    unknown = tmp_path / "unknown"
    unknown.mkdir()
    (unknown / "modules").symlink_to(tmp_path / "modules", target_is_directory=True)
    (unknown / "main.tf").write_text('''
data "genesyscloud_auth_division" "d" { name = "x" }
module "sites" {
  for_each = data.genesyscloud_auth_division.d.names
  source   = "./modules/site"
  name     = each.value
}
resource "genesyscloud_routing_queue" "q" { name = "Q" }
''')
    snapshot = load_terraform(unknown)
    status = snapshot.manifest.datasets["configurations"]
    assert status.status == "not_collected"
    assert "module.sites" in status.not_collected_reason and "known only after apply" in status.not_collected_reason
    report = run_audit(snapshot)
    cob002 = [r for r in report.results if r.rule_id == "COB-002"]
    assert cob002 and all(r.status.value == "ERROR" for r in cob002)
