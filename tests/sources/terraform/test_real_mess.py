"""Real CX-as-Code mess never crashes the reader: each case gets a note or an unknown value."""

from __future__ import annotations

from pathlib import Path

from auditor.engine import run_audit
from auditor.results import Status
from auditor.sources.terraform import load_terraform

MESS = Path(__file__).parent / "fixtures" / "mess"


def _load():
    snapshot = load_terraform(MESS)
    return snapshot, run_audit(snapshot), snapshot.manifest.extra["terraform"]


def _result(report, rule_id, resource_id):
    return next(r for r in report.results if r.rule_id == rule_id and r.resource_id == resource_id)


def test_undeclared_reference_and_names_where_ids_belong_are_noted():
    _, _, info = _load()
    notes = "\n".join(info["notes"])
    assert "genesyscloud_flow.never_declared.id: reference to a resource that is not declared" in notes
    assert "main.tf:4: genesyscloud_routing_queue.support.division_id is 'Home', not an id" in notes
    assert "genesyscloud_oauth_client.named_role.roles.role_id is 'admin', not an id" in notes


def test_a_role_named_instead_of_referenced_is_unknown_not_a_guess():
    _, report, _ = _load()
    result = _result(report, "OAUTH-007", "genesyscloud_oauth_client.named_role")
    assert result.status is Status.ERROR
    assert "a name where an id belongs" in result.message


def test_duplicate_names_are_noted():
    _, _, info = _load()
    assert any("support_copy has the same name as genesyscloud_routing_queue.support" in n for n in info["notes"])


def test_older_attribute_syntax_is_read_as_the_block():
    snapshot, report, _ = _load()
    config = next(c for c in snapshot.data["configurations"] if c["name"] == "Legacy syntax")
    assert config["cobrowse"]["enabled"] is True
    assert config["cobrowse"]["pauseCriteria"] == [{"urlFragment": "/pay", "condition": "Includes"}]
    masking = _result(report, "COB-007", "genesyscloud_webdeployments_deployment.legacy")
    assert masking.status is Status.FAIL  # agent control on, mask_selectors unset
    assert masking.location["file"].endswith("mess/main.tf")


def test_exporter_json_without_configuration_version_is_unknown():
    _, report, _ = _load()
    for rule_id in ("COB-003", "COB-004", "COB-007"):
        result = _result(report, rule_id, "genesyscloud_webdeployments_deployment.exported_site")
        assert result.status is Status.ERROR
        assert "configuration.version" in result.message
        assert result.location["file"].endswith("exported.tf.json")


def test_other_providers_and_legacy_widgets_are_ignored_and_counted():
    _, _, info = _load()
    assert info["ignored"] == {"genesyscloud_widget_deployment": 1, "null_resource": 1}


def test_open_deployment_without_cobrowse_is_no_noise():
    _, report, _ = _load()
    about = [r for r in report.results if r.resource_id == "genesyscloud_webdeployments_deployment.open"]
    assert about
    # COB-006 (hygiene, not a co-browse chain link) flags every deployment any site may embed, with
    # co-browse or not (rule text since snapshot v2): the one FAIL allowed, and it blocks nothing.
    noisy = [(r.rule_id, r.status) for r in about if r.status in (Status.FAIL, Status.ERROR)]
    assert noisy in ([], [("COB-006", Status.FAIL)]), noisy
    assert not any(r.blocks_cobrowse for r in about)
