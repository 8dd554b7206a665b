"""Terraform -> snapshot format v2: subject grants with divisions, divisions, flows, the pinned
version's Messenger switches, headless mode and status, and the datasets Terraform never holds."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import cli
from auditor.engine import run_audit
from auditor.results import Status
from auditor.snapshot import load_snapshot
from auditor.sources.terraform import load_terraform

DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"

CONFIG = "genesyscloud_webdeployments_configuration"
DEPLOYMENT = "genesyscloud_webdeployments_deployment"


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(textwrap.dedent(text))
    return tmp_path


def _site(config_body: str, deployment_extra: str = "", extra: str = "") -> str:
    return f'''
    resource "{CONFIG}" "web" {{
      name             = "Web"
      languages        = ["en-us"]
      default_language = "en-us"
      {config_body}
    }}
    resource "{DEPLOYMENT}" "web" {{
      name            = "Web site"
      status          = "Active"
      allowed_domains = ["www.example.com"]
      {deployment_extra}
      configuration {{
        id      = {CONFIG}.web.id
        version = {CONFIG}.web.version
      }}
    }}
    {extra}
    '''


COBROWSE_ON = '''
      cobrowse {
        enabled                = true
        allow_agent_control    = false
        allow_agent_navigation = false
        allow_draw             = false
        channels               = ["Webmessaging"]
        mask_selectors         = ["input"]
        pause_criteria {
          url_fragment = "/checkout"
          condition    = "does_not_include"
        }
      }'''


def _by_rule(report, rule_id: str) -> list:
    return [r for r in report.results if r.rule_id == rule_id]


def test_messenger_switches_headless_and_status_reach_the_pinned_version(tmp_path):
    body = COBROWSE_ON + '''
      status                = "Active"
      headless_mode_enabled = true
      messenger {
        enabled = true
        apps {
          conversations {
            enabled = false
          }
        }
      }'''
    snapshot = load_terraform(_write(tmp_path, _site(body)))
    pinned = snapshot.data["deployments"][0]["configuration"]
    assert pinned["messenger"] == {"enabled": True, "apps": {"conversations": {"enabled": False}}}
    assert pinned["headlessMode"] == {"enabled": True}
    assert pinned["status"] == "Active"
    # The provider's snake_case condition is the API's enum value.
    assert pinned["cobrowse"]["pauseCriteria"] == [{"urlFragment": "/checkout", "condition": "DoesNotInclude"}]
    report = run_audit(snapshot)
    messenger = _by_rule(report, "COB-009")
    assert [r.status for r in messenger] == [Status.FAIL]
    assert messenger[0].location["file"] == "main.tf"
    assert messenger[0].location["line"] == 21  # the `messenger` block holding both switches
    assert [r.status for r in _by_rule(report, "COB-011")] == [Status.FAIL]
    assert [r.status for r in _by_rule(report, "COB-012")] == [Status.PASS]


def test_good_messenger_passes_and_unset_switches_are_unknown_never_pass(tmp_path):
    good = COBROWSE_ON + '''
      status                = "Active"
      headless_mode_enabled = false
      messenger {
        enabled = true
        apps {
          conversations {
            enabled = true
          }
        }
      }'''
    (tmp_path / "good").mkdir()
    report = run_audit(load_terraform(_write(tmp_path / "good", _site(good))))
    assert [r.status for r in _by_rule(report, "COB-009")] == [Status.PASS]
    assert [r.status for r in _by_rule(report, "COB-011")] == [Status.PASS]
    unset = tmp_path / "unset"
    unset.mkdir()
    report = run_audit(load_terraform(_write(unset, _site(COBROWSE_ON))))
    for rule_id, expression in (("COB-009", f"{CONFIG}.web.messenger"), ("COB-011", "headless_mode_enabled"),
                                ("COB-012", f"{CONFIG}.web.status")):
        results = _by_rule(report, rule_id)
        assert [r.status for r in results] == [Status.ERROR], (rule_id, results)
        assert expression in results[0].message, (rule_id, results[0].message)


def test_declared_flow_is_published_and_undeclared_flow_is_not_guessed(tmp_path):
    declared = tmp_path / "declared"
    declared.mkdir()
    flow = '''
    resource "genesyscloud_flow" "inbound" {
      filepath = "flows/inbound.yaml"
      name     = "Inbound messaging"
      type     = "inboundshortmessage"
    }'''
    snapshot = load_terraform(_write(declared, _site(COBROWSE_ON, "flow_id = genesyscloud_flow.inbound.id", flow)))
    assert snapshot.manifest.datasets["flows"].status == "ok"
    assert snapshot.data["deployments"][0]["flow"] == {"id": "genesyscloud_flow.inbound", "name": "Inbound messaging"}
    assert snapshot.data["flows"][0]["type"] == "INBOUNDSHORTMESSAGE"
    assert [r.status for r in _by_rule(run_audit(snapshot), "COB-008")] == [Status.PASS]

    missing = tmp_path / "missing"
    missing.mkdir()
    snapshot = load_terraform(_write(missing, _site(COBROWSE_ON, 'flow_id = "598dd7a2-f2b7-5639-b633-ce97423bc249"',
                                                    flow)))
    status = snapshot.manifest.datasets["flows"]
    assert status.status == "not_collected"
    assert "genesyscloud_webdeployments_deployment.web" in status.not_collected_reason
    results = _by_rule(run_audit(snapshot), "COB-008")
    assert results and all(r.status is Status.ERROR for r in results)

    looked_up = tmp_path / "looked_up"
    looked_up.mkdir()
    lookup = flow + '\n    data "genesyscloud_flow" "other" {\n      name = "Other"\n    }'
    snapshot = load_terraform(_write(looked_up, _site(COBROWSE_ON, "flow_id = data.genesyscloud_flow.other.id",
                                                      lookup)))
    results = _by_rule(run_audit(snapshot), "COB-008")
    # A flow looked up by a data source may be any flow: never PASS, never a guessed FAIL.
    assert [r.status for r in results] == [Status.ERROR]
    assert "data.genesyscloud_flow.other.id" in results[0].message

    none = tmp_path / "none"
    none.mkdir()
    results = _by_rule(run_audit(load_terraform(_write(none, _site(COBROWSE_ON)))), "COB-008")
    assert results and all(r.status is Status.ERROR for r in results)
    assert "flows: not collected: not in the Terraform configuration" in results[0].message


ROLES = '''
resource "genesyscloud_auth_division" "home" {
  name = "Home"
  home = true
}
resource "genesyscloud_auth_division" "stores" {
  name = "Stores"
}
resource "genesyscloud_auth_role" "cobrowse" {
  name = "Co-browse agent"
  permission_policies {
    domain      = "cobrowse"
    entity_name = "session"
    action_set  = ["*"]
  }
}
resource "genesyscloud_routing_queue" "web" {
  name        = "Web"
  division_id = genesyscloud_auth_division.stores.id
  members {
    user_id = "11111111-1111-1111-1111-111111111111"
  }
}
resource "genesyscloud_user_roles" "agent" {
  user_id = "11111111-1111-1111-1111-111111111111"
  roles {
    role_id      = genesyscloud_auth_role.cobrowse.id
    division_ids = [genesyscloud_auth_division.home.id]
  }
}
resource "genesyscloud_oauth_client" "sync" {
  name                  = "Sync"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = genesyscloud_auth_role.cobrowse.id
    division_id = "*"
  }
  roles {
    role_id = genesyscloud_auth_role.cobrowse.id
  }
}
'''


def test_user_roles_and_client_roles_become_subject_grants_with_divisions(tmp_path):
    snapshot = load_terraform(_write(tmp_path, ROLES))
    assert snapshot.manifest.datasets["role_subjectgrants"].status == "ok"
    assert {d["name"]: d["homeDivision"] for d in snapshot.data["divisions"]} == {"Home": True, "Stores": False}
    subjects = snapshot.data["role_subjectgrants"]["genesyscloud_auth_role.cobrowse"]
    by_type = {s["type"]: s for s in subjects}
    assert by_type["PC_USER"]["divisions"] == [{"id": "genesyscloud_auth_division.home"}]
    # `*` is every division; an unset division is the declared home division.
    assert by_type["PC_OAUTH_CLIENT"]["divisions"] == [{"id": "*"}, {"id": "genesyscloud_auth_division.home"}]
    queue = snapshot.data["queues"][0]
    assert queue["division"]["id"] == "genesyscloud_auth_division.stores"
    for name in ("group_individuals", "conversation_aggregates", "divisions_permitted"):
        assert snapshot.manifest.datasets[name].not_collected_reason == "not in the Terraform configuration"
    # Group membership is not Terraform: the member checks say so instead of passing.
    report = run_audit(snapshot)
    for rule_id in ("AUTHZ-002", "AUTHZ-003"):
        results = _by_rule(report, rule_id)
        assert results and all(r.status is Status.ERROR for r in results), rule_id
        assert "group_individuals: not collected: not in the Terraform configuration" in results[0].message


def test_home_division_not_declared_leaves_the_grant_division_unknown(tmp_path):
    text = ROLES.replace("  home = true\n", "")
    snapshot = load_terraform(_write(tmp_path, text))
    unknown = snapshot.manifest.datasets["role_subjectgrants"].unknown
    assert "home division: not declared here" in unknown["genesyscloud_auth_role.cobrowse"]["*.divisions"]


def test_overlay_user_roles_replace_the_users_grants_and_keep_the_org_traffic(tmp_path):
    base = load_snapshot(DEMO)
    role_id, subjects = next((r, s) for r, s in base.data["role_subjectgrants"].items()
                             if any(x["type"] == "PC_USER" for x in s))
    user = next(x for x in subjects if x["type"] == "PC_USER")
    _write(tmp_path, f'''
    resource "genesyscloud_user_roles" "u" {{
      user_id = "{user["id"]}"
    }}
    ''')
    after = load_terraform(tmp_path, base=base)
    # `roles` unset: the user holds no role any more, in any division.
    assert all(s["id"] != user["id"] for grants in after.data["role_subjectgrants"].values() for s in grants)
    assert any(s["id"] != user["id"] for s in after.data["role_subjectgrants"][role_id]) or len(subjects) == 1
    assert after.manifest.datasets["conversation_aggregates"].status == "ok"
    result = CliRunner().invoke(cli, ["audit", str(DEMO), "--terraform", str(tmp_path), "--format", "json"])
    assert result.exit_code in (0, 1, 3), result.output
    assert json.loads(result.stdout)["scope"]["queues_from"] == "traffic"


def test_queue_without_division_is_in_the_home_division(tmp_path):
    declared = tmp_path / "declared"
    declared.mkdir()
    text = ROLES.replace("  division_id = genesyscloud_auth_division.stores.id\n", "")
    assert load_terraform(_write(declared, text)).data["queues"][0]["division"]["id"] == \
        "genesyscloud_auth_division.home"
    alone = tmp_path / "alone"
    alone.mkdir()
    snapshot = load_terraform(_write(alone, '''
    resource "genesyscloud_routing_queue" "web" {
      name = "Brand new queue"
    }
    '''))
    assert "the home division" in snapshot.manifest.datasets["queues"].unknown["genesyscloud_routing_queue.web"][
        "division.id"]
    # Over a snapshot: a new queue lands in the org's home division.
    base = load_snapshot(DEMO)
    home = next(d for d in base.data["divisions"] if d["homeDivision"])
    after = load_terraform(alone, base=base)
    queue = next(q for q in after.data["queues"] if q["name"] == "Brand new queue")
    assert queue["division"]["id"] == home["id"]
    assert "division.id" not in after.manifest.datasets["queues"].unknown["genesyscloud_routing_queue.web"]


def test_audit_says_the_scope_falls_back_without_traffic(tmp_path):
    _write(tmp_path, _site(COBROWSE_ON))
    result = CliRunner().invoke(cli, ["audit", "--terraform", str(tmp_path), "--format", "json"])
    assert result.exit_code in (0, 1, 3), result.output
    assert "traffic (conversation_aggregates) not collected: not in the Terraform configuration" in " ".join(
        result.stderr.split())
    assert json.loads(result.stdout)["scope"]["queues_from"] == "message_settings"
    # With the org underneath, the org's traffic decides and nothing is said.
    result = CliRunner().invoke(cli, ["audit", str(DEMO), "--terraform", str(tmp_path), "--format", "json"])
    assert "traffic (conversation_aggregates)" not in result.stderr
