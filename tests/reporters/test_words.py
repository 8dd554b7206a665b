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
    r = _result("QUE-002", "Queue 'Q' has mandatory wrap-up but no codes.", name="Q", rtype="queue")
    assert action(r) == "Assign wrap-up codes to queue 'Q' (its wrap-up is mandatory)"


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


def test_permission_actions_name_the_permission_and_channel() -> None:
    """Issue 19: never "the co-browse permission" without saying which one, for which channel."""
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    demo = SAMPLES / "demo-org"
    report = run_audit(load_snapshot(demo), load_plan(demo / "plan.yaml"))
    lines = {r.resource_name: action(r) for r in report.results
             if r.rule_id == "AUTHZ-002" and r.status.value == "FAIL"}
    assert lines["Web Support"] == ("Give the joined members of queue 'Web Support' a role granting "
                                    "conversation:cobrowseVoice:add (Voice)")
    assert "conversation:cobrowse:add (Webmessaging), conversation:cobrowseVoice:add (Voice)" in lines["Order Tracking"]
    assert not any("the co-browse permission" in line for line in lines.values())
