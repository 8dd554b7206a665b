"""Words for admins: every catalog rule has a finding title and an action that names the object."""

from __future__ import annotations

from auditor.reporters.words import ACTIONS, FINDING_TITLES, action, finding_title, resource_word
from auditor.results import Result, Severity, Status
from auditor.rules import catalog


def _result(rule_id: str, message: str, name: str = "Northwind Help Center", rtype: str = "web_deployment",
            status: Status = Status.FAIL) -> Result:
    return Result(rule_id=rule_id, title="Deployments are Active", severity=Severity.HIGH, status=status,
                  resource_type=rtype, resource_id="id-1", resource_name=name, message=message, remediation="r",
                  fingerprint="f")


def test_every_catalog_rule_has_a_finding_title_and_an_action() -> None:
    for rule in catalog():
        assert rule.id in FINDING_TITLES, rule.id
        assert rule.id in ACTIONS, rule.id


def test_action_names_the_object_and_the_state() -> None:
    r = _result("COB-003",
                "Deployment 'Northwind Help Center' enables co-browse but its status is 'Inactive', not Active.")
    assert action(r) == "Activate deployment 'Northwind Help Center' (now Inactive)"
    r = _result("QUE-001", "Queue 'Q' has no message or call media settings, so ...", name="Q", rtype="queue")
    assert action(r) == "Configure message or call media settings on queue 'Q'"


def test_unknown_rule_falls_back_to_type_name_and_first_sentence() -> None:
    r = _result("NEW-001", "Something is off. More detail here.", rtype="messenger_configuration")
    assert action(r) == "Messenger configuration 'Northwind Help Center': Something is off"
    assert finding_title(r) == "Not met: Deployments are Active"


def test_titles_read_as_findings_only_on_fail_rows() -> None:
    assert finding_title(_result("COB-003", "m")) == FINDING_TITLES["COB-003"]
    assert finding_title(_result("COB-003", "m", status=Status.PASS)) == "Deployments are Active"


def test_resource_types_in_words() -> None:
    assert resource_word("messenger_configuration") == "Messenger configuration"
    assert resource_word("some_new_type") == "some new type"
