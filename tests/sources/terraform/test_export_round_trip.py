"""Round trip: demo snapshot -> `gcaudit export-terraform` -> `audit --terraform` keeps every verdict,
except where the provider cannot express a field (those become ERROR, never another verdict)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import cli
from auditor.engine import run_audit
from auditor.results import Status
from auditor.snapshot import load_snapshot
from auditor.sources.terraform import load_terraform

DEMO = Path(__file__).parents[3] / "sample_exports" / "demo-org"

#: The inexpressible fields (export.CANNOT_EXPRESS), as the ERROR messages name them.
INEXPRESSIBLE = re.compile(r"media_settings_\w+ \(unset|members \(joined is set|configuration version = "
                           r"|\.version \(computed|\.members \(not managed"
                           # Snapshot v2: group membership, Architect flows and traffic are not Terraform.
                           r"|group_individuals: not collected: not in the Terraform configuration"
                           r"|flows: not collected: not in the Terraform configuration"
                           r"|conversation_aggregates: not collected: not in the Terraform configuration"
                           # Auth setup (issue 21): the Terraform source does not map these settings.
                           r"|(auth_settings|token_timeout|embedded_integration|genesys_login|identity_providers"
                           r"|org_trustees|users|oauth_usage): not collected: not in the Terraform configuration")
#: Rules reading a dataset no Terraform resource holds: one ORG-level ERROR replaces their per-object results.
WHOLE_RULE_ERRORS = re.compile(r"required data was not collected \(.*not in the Terraform configuration")


def _key(result):
    return result.rule_id, "ORG" if result.resource_type == "organization" else result.resource_name


def test_round_trip_keeps_every_expressible_verdict(tmp_path):
    out = tmp_path / "exported"
    result = CliRunner().invoke(cli, ["export-terraform", str(DEMO), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "genesyscloud.tf").is_file() and (out / "README.txt").is_file()
    original = {_key(r): r for r in run_audit(load_snapshot(DEMO)).results}
    exported = {_key(r): r for r in run_audit(load_terraform(out)).results}
    same = [k for k in original if k in exported and original[k].status is exported[k].status]
    assert len(same) >= 150
    fails = [k for k, r in original.items() if r.status is Status.FAIL]
    assert sum(1 for k in fails if k in exported and exported[k].status is Status.FAIL) >= 25
    for key, result in exported.items():
        before = original.get(key)
        if before is not None and before.status is result.status:
            continue
        if before is None and result.resource_type == "queue":
            # Without traffic the scope falls back to message media settings: queues the org's
            # traffic left out are judged here (e.g. 'Training Sandbox': no user members, known).
            continue
        # Every other difference: ERROR naming a field the provider cannot express.
        assert result.status is Status.ERROR, (key, before and before.status, result.status)
        assert INEXPRESSIBLE.search(result.message), (key, result.message)
    whole = {k[0] for k, r in exported.items() if k[1] == "ORG" and r.status is Status.ERROR
             and WHOLE_RULE_ERRORS.search(r.message)}
    assert {"AUTHZ-002", "AUTHZ-003", "COB-008"} <= whole, whole
    # Objects the export leaves out (values the provider does not accept) are named in its README.
    readme = (out / "README.txt").read_text()
    left_out = {name for name in (r.resource_name for r in original.values()) if f"{name!r}: left out" in readme}
    assert left_out == {"Store Associate Mobile App", "Old IVR Connector"}
    for key in original:
        assert key in exported or key[0] in whole or key[1] in left_out, key
    # Traffic is never in Terraform: the scope falls back to message media settings and the report says so.


def test_export_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "keep.tf").write_text("# mine\n")
    result = CliRunner().invoke(cli, ["export-terraform", str(DEMO), "--out-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "keep.tf").read_text() == "# mine\n"


def test_exported_role_conditions_and_cobrowse_read_back(tmp_path):
    from auditor.sources.terraform.export import export_terraform

    snapshot = load_terraform(Path(__file__).parent / "fixtures" / "cx")
    out = tmp_path / "again"
    export_terraform(snapshot, out)
    again = load_terraform(out)
    policy = next(p for r in again.data["roles"] for p in r["permissionPolicies"] if p["domain"] == "quality")
    assert policy["resourceConditionNode"]["terms"][0]["variableName"] == "Conversation.queues"
    support = next(c for c in again.data["configurations"]
                   if c["name"].endswith("webdeployments_configuration.support"))
    assert support["cobrowse"]["maskSelectors"] == ["input[type=password]", ".card-number"]
    assert support["cobrowse"]["pauseCriteria"] == [{"urlFragment": "/checkout", "condition": "Includes"}]
