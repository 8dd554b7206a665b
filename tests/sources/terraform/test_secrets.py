"""Secrets from Terraform input never leave memory, whatever path a value takes (issue 23, class 3):
tfvars and TF_VAR_* values through functions, templates, `for` expressions and `for_each` keys
that become addresses; a plan's sensitive flags at every depth. Every output format and stderr
are read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.sources.terraform import load_terraform_redacted
from auditor.sources.terraform.mappers import WANTED
from auditor.sources.terraform.plan import read_plan
from auditor.sources.terraform.values import Tainted, Unknown
from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"
PLAN = FIXTURES / "plans" / "plan-rollout.json"
FORMATS = ("table", "json", "sarif", "html", "markdown", "csv", "junit")

CONFIG = '''variable "owner" {}
variable "csv" {}
variable "env_secret" {
  default = "none"
}
locals {
  parts = split(",", var.csv)
}
resource "genesyscloud_routing_queue" "q" {
  for_each       = toset([for p in local.parts : upper(p)])
  name           = "Queue ${each.key}"
  description    = format("d-%s", element(local.parts, 0))
  acw_timeout_ms = 1
}
resource "genesyscloud_routing_wrapupcode" "w" {
  for_each = { for p in local.parts : "wc-${p}" => p }
  name     = each.value
}
resource "genesyscloud_oauth_client" "c" {
  name                          = join("-", [var.owner, "client", var.env_secret])
  authorized_grant_type         = "CLIENT-CREDENTIALS"
  access_token_validity_seconds = 999999
}
'''
#: What must never appear, in any case: the values, and what functions make of them.
NEEDLES = ("zulusecret", "yankeesecret", "alphaowner", "envsecretvalue")


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle in lowered]


@pytest.fixture
def configuration(tmp_path: Path) -> Path:
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(CONFIG)
    (root / "terraform.tfvars").write_text('owner = "AlphaOwner"\ncsv = "zulusecret,yankeesecret"\n')
    return root


def test_values_derived_from_tfvars_are_redacted_in_every_format(configuration, tmp_path):
    env = {"TF_VAR_env_secret": "EnvSecretValue"}
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        proc = run_cli("audit", "--terraform", str(configuration), "--format", fmt, "-o", str(out),
                       "--html", str(tmp_path / f"also-{fmt}.html"), "--fail-on", "critical", env=env, cwd=tmp_path)
        assert proc.returncode in (0, 1, 3), proc.stderr
        for text in (out.read_text(), (tmp_path / f"also-{fmt}.html").read_text(), proc.stdout, proc.stderr):
            assert _leaks(text) == [], fmt
    # The resources are there: the redaction hides values, not findings.
    report = json.loads((tmp_path / "report.json").read_text())
    assert any("genesyscloud_routing_queue.q[" in r["resource_id"] for r in report["results"])


def test_derived_strings_are_tainted_and_registered(configuration, monkeypatch):
    monkeypatch.setenv("TF_VAR_env_secret", "EnvSecretValue")
    snapshot, redactor = load_terraform_redacted(configuration)
    for text in ("ZULUSECRET", "wc-zulusecret", "d-zulusecret", "AlphaOwner-client-EnvSecretValue"):
        assert redactor(f"queue {text} here") != f"queue {text} here", text
    # Display names from tfvars are the addresses; a for_each key inside one is redacted on output.
    names = {q["name"] for q in snapshot.raw("queues")}
    assert names and not any(_leaks(redactor(name)) for name in names)


def test_taint_follows_every_transformation(tmp_path):
    from auditor.sources.terraform.config import read_configuration

    (tmp_path / "main.tf").write_text('''variable "s" {}
locals {
  parts  = split("-", var.s)
  joined = join("+", local.parts)
  each   = [for p in local.parts : "x${p}"]
  keyed  = { for p in local.parts : p => 1 }
  picked = element(local.parts, 1)
  formed = format("%s/%s", local.parts[0], "literal")
  lowered = lower(local.picked)
}
resource "genesyscloud_routing_wrapupcode" "w" {
  for_each = local.keyed
  name = "${local.joined} ${local.each[0]} ${local.picked} ${local.formed} ${local.lowered} ${each.key}"
}
''')
    (tmp_path / "terraform.tfvars").write_text('s = "alpha-bravo"\n')
    config = read_configuration(tmp_path, wanted=WANTED, base=tmp_path)
    names = [i.values["name"] for i in config.instances]
    assert len(names) == 2 and all(isinstance(n, Tainted) for n in names)
    for derived in ("alpha+bravo", "xalpha", "alpha/literal", "bravo", "alpha"):
        assert derived in config.redact, derived


def _sensitive_plan(tmp_path: Path) -> Path:
    plan = json.loads(PLAN.read_text())
    for change in plan["resource_changes"]:
        if change["address"] == "genesyscloud_oauth_client.reporting":
            after = change["change"]["after"]
            after["scopes"] = ["analytics", "Scope-Hidden-Value-77"]
            after["roles"] = [{"division_id": "*", "role_id": "Role-Hidden-Value-88"}]
            change["change"]["after_sensitive"] = {"scopes": [False, True], "roles": [{"role_id": True}]}
        if change["address"].startswith("genesyscloud_routing_queue.queues"):
            change["change"]["after"]["media_settings_message"][0]["alerting_timeout_sec"] = 31337
            change["change"]["after_sensitive"] = {"media_settings_message": [{"alerting_timeout_sec": True}]}
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan))
    return path


def test_plan_sensitive_flags_are_honoured_at_every_depth(tmp_path):
    path = _sensitive_plan(tmp_path)
    config = read_plan(path, wanted=WANTED, source_dir=FIXTURES / "cx")
    client = next(i for i in config.instances if i.address == "genesyscloud_oauth_client.reporting")
    assert client.values["scopes"][0] == "analytics"
    assert isinstance(client.values["scopes"][1], Unknown)  # a list element
    assert isinstance(client.values["roles"][0]["role_id"], Unknown)  # a nested block's field
    assert "Hidden-Value" not in client.values["roles"][0]["role_id"].expression
    queue = next(i for i in config.instances if i.address.startswith("genesyscloud_routing_queue.queues"))
    assert isinstance(queue.values["media_settings_message"][0]["alerting_timeout_sec"], Unknown)
    assert {"Scope-Hidden-Value-77", "Role-Hidden-Value-88", "31337"} <= config.redact
    for fmt in FORMATS:
        out = tmp_path / f"plan.{fmt}"
        proc = run_cli("audit", str(DEMO), "--terraform", str(path), "--source-dir", str(FIXTURES / "cx"),
                       "--format", fmt, "-o", str(out), cwd=tmp_path)
        assert proc.returncode in (0, 1, 3), proc.stderr
        for text in (out.read_text(), proc.stdout, proc.stderr):
            assert "Hidden-Value" not in text and "31337" not in text, fmt


def test_a_whole_object_marked_sensitive_is_unknown_attribute_by_attribute(tmp_path):
    plan = json.loads(PLAN.read_text())
    for change in plan["resource_changes"]:
        if change["address"] == "genesyscloud_oauth_client.reporting":
            change["change"]["after"]["name"] = "Whole-Object-Secret"
            change["change"]["after_sensitive"] = True
    path = tmp_path / "tfplan.json"
    path.write_text(json.dumps(plan))
    config = read_plan(path, wanted=WANTED, source_dir=FIXTURES / "cx")
    client = next(i for i in config.instances if i.address == "genesyscloud_oauth_client.reporting")
    assert isinstance(client.values["name"], Unknown) and isinstance(client.values["authorized_grant_type"], Unknown)
    assert "Whole-Object-Secret" in config.redact
