"""AUTH-001..007 on real OrgAuthSettings / IdleTokenTimeout / PureCloud shapes (auditor.testing.factories)."""

from __future__ import annotations

import pytest

from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.genesys.auth_setup import AuthThresholds, cidr_problem
from auditor.results import Status
from auditor.rules import get
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.rules.helpers import evaluate


def _one(org: OrgBuilder, rule_id: str, thresholds: AuthThresholds | None = None) -> tuple[Status, str]:
    results = run_audit(org.snapshot(), rules=[get(rule_id)], thresholds=thresholds).results
    assert len(results) == 1, results
    return results[0].status, results[0].message


def _password_org() -> OrgBuilder:
    """Genesys Cloud login enabled, MFA required (the builder's default org signs in through SSO only)."""
    org = OrgBuilder()
    org.genesys_login = [f.genesys_login(disabled=False)]
    org.auth_settings = [f.auth_settings()]
    return org


def test_auth_001_mfa_off_with_genesys_login_fails_and_sso_only_passes() -> None:
    org = _password_org()
    org.auth_settings = [f.auth_settings(multifactorAuthenticationRequired=False)]
    status, message = _one(org, "AUTH-001")
    assert status is Status.FAIL and "multifactorAuthenticationRequired is false" in message
    org.genesys_login = [f.genesys_login(disabled=True)]
    assert _one(org, "AUTH-001")[0] is Status.PASS
    assert _one(_password_org(), "AUTH-001")[0] is Status.PASS


def _mfa_org(resetters: int) -> OrgBuilder:
    org = _password_org()
    role = f.role("MFA Support", ["mfa:verifier:view,edit,delete"], id=f.new_id("mfa-role"))
    partial = f.role("MFA Viewer", ["mfa:verifier:view,edit"], id=f.new_id("mfa-viewer"))
    org.add_role(role, [f.new_id(f"u{i}") for i in range(resetters)])
    org.add_role(partial, [f.new_id("viewer")])  # lacks delete: cannot reset
    return org


def test_auth_002_needs_two_users_with_all_three_mfa_permissions() -> None:
    status, message = _one(_mfa_org(1), "AUTH-002")
    assert status is Status.FAIL and "only 1 user(s)" in message
    assert _one(_mfa_org(2), "AUTH-002")[0] is Status.PASS
    # A group grant counts for its members; the threshold is configurable.
    org = _mfa_org(0)
    group = f.new_id("mfa-group")
    org.grant(f.new_id("mfa-role"), group, subject_type="PC_GROUP", name="Helpdesk")
    org.add_group(group, [f.new_id("g1"), f.new_id("g2"), f.new_id("g3")])
    assert _one(org, "AUTH-002")[0] is Status.PASS
    assert _one(org, "AUTH-002", AuthThresholds(mfa_resetters_min=4))[0] is Status.FAIL
    org.auth_settings = [f.auth_settings(multifactorAuthenticationRequired=False)]
    assert _one(org, "AUTH-002")[0] is Status.NOT_APPLICABLE


def test_auth_003_weak_passwords_fail_unless_sso_only() -> None:
    org = _password_org()
    org.auth_settings = [f.auth_settings(passwordRequirements={"minimumLength": 6, "minimumDigits": 1})]
    status, message = _one(org, "AUTH-003")
    assert status is Status.FAIL and "minimumLength 6 < 8" in message and "minimumSpecials 0 < 1" in message
    assert _one(org, "AUTH-003", AuthThresholds(password_min_length=6, password_min_upper=0, password_min_lower=0,
                                                password_min_specials=0))[0] is Status.PASS
    org.genesys_login = [f.genesys_login(disabled=True)]
    assert _one(org, "AUTH-003")[0] is Status.NOT_APPLICABLE
    assert _one(_password_org(), "AUTH-003")[0] is Status.PASS


@pytest.mark.parametrize(("entry", "problem"), [
    ("10.0.0.0/8", "private"), ("192.168.1.0/24", "private"), ("2001:db8::/32", "IPv6"),
    ("not-an-ip", "not a CIDR"), ("81.2.69.7", "without a prefix"), ("81.2.69.0/24", None),
])
def test_auth_004_cidr_entries(entry: str, problem: str | None) -> None:
    found = cidr_problem(entry)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_auth_004_fails_on_entries_genesys_ignores_and_on_more_than_150() -> None:
    org = OrgBuilder()
    org.auth_settings = [f.auth_settings(ipAddressAllowlist=["81.2.69.0/24", "10.20.0.0/16"])]
    status, message = _one(org, "AUTH-004")
    assert status is Status.FAIL and "10.20.0.0/16: a private or reserved range" in message
    org.auth_settings = [f.auth_settings(ipAddressAllowlist=[f"81.2.{i}.0/24" for i in range(151)])]
    assert "151 entries, more than the maximum of 150" in _one(org, "AUTH-004")[1]
    org.auth_settings = [f.auth_settings(ipAddressAllowlist=[])]
    assert _one(org, "AUTH-004")[0] is Status.NOT_APPLICABLE
    assert _one(OrgBuilder(), "AUTH-004")[0] is Status.PASS


def test_auth_005_no_ip_allowlist_is_info() -> None:
    org = OrgBuilder()
    org.auth_settings = [f.auth_settings(ipAddressAllowlist=[])]
    [result] = evaluate(org, "AUTH-005")
    assert result.status is Status.FAIL and result.severity.value == "info"
    assert _one(OrgBuilder(), "AUTH-005")[0] is Status.PASS


def test_auth_006_timeout_off_too_long_and_the_hipaa_threshold() -> None:
    org = OrgBuilder()
    org.token_timeout = [f.token_timeout(None)]
    assert _one(org, "AUTH-006") == (Status.FAIL, "The idle token timeout is off: idle sessions never sign out.")
    org.token_timeout = [f.token_timeout(1800)]
    assert _one(org, "AUTH-006")[0] is Status.PASS
    org.features = {"hipaa": True}  # 15 minutes at most (IdleTokenTimeout docs)
    status, message = _one(org, "AUTH-006")
    assert status is Status.FAIL and "longer than 900 s (the HIPAA feature is on)" in message
    org.token_timeout = [f.token_timeout(36000)]
    org.features = {}
    assert _one(org, "AUTH-006")[0] is Status.FAIL


def test_auth_007_reads_the_auth_settings_else_the_deprecated_embedded_integration() -> None:
    org = OrgBuilder()
    org.auth_settings = [f.auth_settings(domainAllowlistEnabled=False, domainAllowlist=[])]
    assert _one(org, "AUTH-007")[0] is Status.FAIL
    org.auth_settings = [f.auth_settings(domainAllowlistEnabled=True, domainAllowlist=[])]
    assert "lists no domain" in _one(org, "AUTH-007")[1]
    # Without the admin permission the deprecated, permission-free setting stands in.
    org.fail("auth_settings", message_with_params=None)
    org.embedded_integration = [f.embedded_integration([])]
    assert _one(org, "AUTH-007")[0] is Status.FAIL
    org.embedded_integration = [f.embedded_integration(["crm.example.com"])]
    assert _one(org, "AUTH-007")[0] is Status.PASS


def test_rules_needing_the_auth_settings_error_without_them() -> None:
    org = OrgBuilder().fail("auth_settings")
    for rule_id in ("AUTH-001", "AUTH-002", "AUTH-003", "AUTH-004", "AUTH-005"):
        status, message = _one(org, rule_id)
        assert status is Status.ERROR and "auth_settings" in message, rule_id


def test_thresholds_from_gcaudit_yaml_are_validated_naming_the_field() -> None:
    assert AuthThresholds.from_mapping({"stale-user-days": 30}, "gcaudit.yaml").stale_user_days == 30
    with pytest.raises(InputError, match=r"auth-thresholds\.stale-user-days"):
        AuthThresholds.from_mapping({"stale-user-days": "soon"}, "gcaudit.yaml")
    with pytest.raises(InputError, match=r"auth-thresholds\.nope"):
        AuthThresholds.from_mapping({"nope": 1}, "gcaudit.yaml")
    with pytest.raises(InputError, match="expected a mapping"):
        AuthThresholds.from_mapping([1], "gcaudit.yaml")
