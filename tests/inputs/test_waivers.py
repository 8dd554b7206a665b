"""Waivers: parsing (one-line errors naming file and field), applying, expiry, unused waivers, CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.inputs.waivers import apply_waivers, load_waivers
from auditor.results import Status
from tests.history.orgs import nightly_org

TODAY = date(2026, 11, 24)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def waiver_yaml(rule: str = "QUE-002", resource: str = "Billing", expires: str = "2026-12-31",
                owner: str = "ops@example.com", reason: str = "Wrap-up codes arrive with the Q1 release") -> str:
    return (f"waivers:\n  - rule: {rule}\n    resource: '{resource}'\n    reason: {reason}\n"
            f"    owner: {owner}\n    expires: {expires}\n")


def report_with(builder=None):
    return run_audit((builder or nightly_org(sales_codes=False)).snapshot())


def test_waiver_turns_fail_into_waived_and_keeps_the_original(tmp_path: Path) -> None:
    report = report_with()
    outcome = apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml()), TODAY), TODAY)
    que = {r.resource_name: r for r in report.results if r.rule_id == "QUE-002"}
    assert que["Billing"].status is Status.WAIVED and que["Billing"].original_status is Status.FAIL
    assert que["Billing"].waiver["owner"] == "ops@example.com"
    assert que["Sales"].status is Status.FAIL  # not matched
    assert outcome.applied == {0: 1} and outcome.expired == [] and outcome.unmatched == []
    data = report.to_dict()
    billing = next(r for r in data["results"] if r["rule_id"] == "QUE-002" and r["resource_name"] == "Billing")
    assert billing["status"] == "WAIVED" and billing["original_status"] == "FAIL"
    assert billing["waiver"]["expires"] == "2026-12-31"
    assert data["waivers"]["waived_results"] == 1
    assert data["summary"]["by_status"]["WAIVED"] == 1


def test_glob_on_name_is_case_insensitive_and_id_matches_exactly(tmp_path: Path) -> None:
    report = report_with()
    apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml(rule="que-002", resource="*ILL*")), TODAY), TODAY)
    assert {r.resource_name for r in report.results if r.status is Status.WAIVED} == {"Billing"}
    report = report_with()
    sales_id = next(r.resource_id for r in report.results if r.resource_name == "Sales" and r.rule_id == "QUE-002")
    apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml(resource=sales_id)), TODAY), TODAY)
    assert {r.resource_name for r in report.results if r.status is Status.WAIVED} == {"Sales"}


def test_an_error_is_never_waived(tmp_path: Path) -> None:
    report = report_with(nightly_org().fail("queue_wrapupcodes"))
    outcome = apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml(resource="*")), TODAY), TODAY)
    assert any(r.status is Status.ERROR and r.rule_id == "QUE-002" for r in report.results)
    assert not any(r.status is Status.WAIVED for r in report.results)
    assert outcome.unmatched and "no longer fail" in outcome.unmatched[0][1]


def test_expired_waiver_no_longer_applies_and_is_reported(tmp_path: Path) -> None:
    report = report_with()
    waivers = load_waivers(write(tmp_path, waiver_yaml(expires="2026-11-23")), TODAY)
    outcome = apply_waivers(report, waivers, TODAY)
    assert not any(r.status is Status.WAIVED for r in report.results)
    assert [w.index for w in outcome.expired] == [0]
    assert outcome.warnings()[0].startswith("EXPIRED WAIVER waivers[0] (QUE-002")
    assert report.to_dict()["waivers"]["expired"][0]["expires"] == "2026-11-23"


def test_waiver_is_valid_through_its_expiry_day(tmp_path: Path) -> None:
    report = report_with()
    apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml(expires="2026-11-24")), TODAY), TODAY)
    assert any(r.status is Status.WAIVED for r in report.results)


@pytest.mark.parametrize(("rule", "resource", "why"), [
    ("COB-999", "Billing", "no result for rule COB-999"),
    ("QUE-002", "Nowhere*", "no resource of that rule matches"),
])
def test_unmatched_waivers_are_reported(tmp_path: Path, rule: str, resource: str, why: str) -> None:
    report = report_with()
    outcome = apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml(rule=rule, resource=resource)), TODAY),
                            TODAY)
    assert len(outcome.unmatched) == 1 and why in outcome.unmatched[0][1]
    assert report.to_dict()["waivers"]["unmatched"][0]["why"] == outcome.unmatched[0][1]


def test_a_waiver_for_a_passing_resource_is_reported_as_removable(tmp_path: Path) -> None:
    report = report_with(nightly_org(billing_codes=True))
    outcome = apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml()), TODAY), TODAY)
    assert "can be removed" in outcome.unmatched[0][1]


@pytest.mark.parametrize(("text", "field", "problem"), [
    ("waivers: {}\n", "waivers", "expected a list"),
    ("- 3\n", "waivers[0]", "expected a mapping"),
    ("waivers:\n  - rule: QUE-002\n    resource: x\n    reason: r\n    owner: o\n", "waivers[0].expires", "missing"),
    (waiver_yaml(expires="next week"), "waivers[0].expires", "expected a date"),
    (waiver_yaml(expires="2027-06-01"), "waivers[0].expires", "more than 90 days ahead"),
    (waiver_yaml(owner="''"), "waivers[0].owner", "empty value"),
    (waiver_yaml() + "    expire: 2026-12-01\n", "waivers[0].expire", "unknown key"),
    ("waiver:\n  - {}\n", "waiver", "unknown key"),
    ("waivers: [\n", None, "not valid YAML"),
])
def test_malformed_waiver_files(tmp_path: Path, text: str, field: str | None, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_waivers(path, TODAY)
    message = str(info.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message
    if field:
        assert info.value.field == field


def test_horizon_is_configurable(tmp_path: Path) -> None:
    path = write(tmp_path, waiver_yaml(expires=(TODAY + timedelta(days=120)).isoformat()))
    assert len(load_waivers(path, TODAY, max_days=180)) == 1
    with pytest.raises(InputError, match="more than 30 days ahead"):
        load_waivers(write(tmp_path, waiver_yaml(expires=(TODAY + timedelta(days=31)).isoformat())), TODAY, 30)


def test_audit_cli_applies_waivers_and_warns(tmp_path: Path, cli) -> None:
    snap = nightly_org(sales_codes=False).write(tmp_path / "snap")
    today = date.today()
    text = (waiver_yaml(expires=(today + timedelta(days=10)).isoformat())
            + "  - rule: QUE-002\n    resource: Sales\n    reason: r\n    owner: bob\n"
            f"    expires: {(today - timedelta(days=1)).isoformat()}\n")
    result = cli("audit", str(snap), "--format", "json", "--waivers", str(write(tmp_path, text)))
    assert result.returncode == 1, result.stderr  # Sales still fails: its waiver expired
    data = json.loads(result.stdout)
    status = {r["resource_name"]: r["status"] for r in data["results"] if r["rule_id"] == "QUE-002"}
    assert status == {"Billing": "WAIVED", "Sales": "FAIL"}
    assert "gcaudit: warning: EXPIRED WAIVER waivers[1] (QUE-002 on 'Sales', owner bob)" in result.stderr


def test_audit_cli_malformed_waivers_exit_2_one_line(tmp_path: Path, cli) -> None:
    snap = nightly_org().write(tmp_path / "snap")
    path = write(tmp_path, waiver_yaml(expires="soon"))
    result = cli("audit", str(snap), "--waivers", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert f"{path}: waivers[0].expires: expected a date" in result.stderr


def test_html_report_shows_waived_rows_with_their_original_status(tmp_path: Path) -> None:
    from auditor.reporters import render

    report = report_with()
    apply_waivers(report, load_waivers(write(tmp_path, waiver_yaml(owner="<b>eve</b>")), TODAY), TODAY)
    html = render(report, "html")
    assert "[waived, was FAIL: owner \\u003cb\\u003eeve\\u003c/b\\u003e, expires 2026-12-31;" in html
    assert "<b>eve</b>" not in html
