from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from auditor.reporters import sarif
from auditor.results import Status
from auditor.testing.synthetic_report import synthetic_report
from tests.reporters.hostile import SCRIPT_QUEUE, hostile_report

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


def _validate(log: dict) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(log)


def test_output_validates_against_the_sarif_schema() -> None:
    for report in (hostile_report(fail_dataset="role_subjectgrants"), synthetic_report(600)):
        _validate(json.loads(sarif.render(report)))


def test_one_result_per_fail_and_one_rule_per_rule_id() -> None:
    report = hostile_report(fail_dataset="role_subjectgrants")
    run = json.loads(sarif.render(report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({r.rule_id for r in report.results})
    fails = [r for r in report.results if r.status is Status.FAIL]
    waived = [r for r in report.results if r.status is Status.WAIVED]
    assert len(run["results"]) == len(fails) + len(waived)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["locations"][0]["logicalLocations"][0]["kind"] == "resource"
    assert [r["partialFingerprints"]["gcaudit/v1"] for r in run["results"] if "suppressions" not in r] == [
        r.fingerprint for r in fails]
    assert sum(1 for r in run["results"] if r.get("suppressions")) == len(waived)
    que = next(r for r in rules if r["id"] == "QUE-002")
    assert que["helpUri"].startswith("https://") and "Remediation:" in que["help"]["text"]
    assert que["defaultConfiguration"]["level"] == "error"
    names = [r["locations"][0]["logicalLocations"][0]["name"] for r in run["results"]]
    assert SCRIPT_QUEUE in names


def test_errors_become_notifications_of_an_unsuccessful_run() -> None:
    report = hostile_report(fail_dataset="role_subjectgrants")
    invocation = json.loads(sarif.render(report))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    errors = [r for r in report.results if r.status is Status.ERROR]
    assert len(notes) == len(errors) + 1  # plus the failed dataset
    assert {n["associatedRule"]["id"] for n in notes if "associatedRule" in n} == {r.rule_id for r in errors}


@pytest.mark.parametrize("breakage", ["bad_level", "no_message", "no_driver_name", "unknown_property"])
def test_the_vendored_schema_rejects_broken_logs(breakage: str) -> None:
    log = json.loads(sarif.render(hostile_report()))
    broken = copy.deepcopy(log)
    result = broken["runs"][0]["results"][0]
    if breakage == "bad_level":
        result["level"] = "fatal"
    elif breakage == "no_message":
        del result["message"]
    elif breakage == "no_driver_name":
        del broken["runs"][0]["tool"]["driver"]["name"]
    else:
        result["resource"] = "not a SARIF property"
    with pytest.raises(jsonschema.ValidationError):
        _validate(broken)
