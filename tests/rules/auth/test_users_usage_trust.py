"""OAUTH-013, USER-001, USER-002 and TRUST-001 on real User / ApiUsageRow / Trustee shapes."""

from __future__ import annotations

from auditor.engine import run_audit
from auditor.genesys.auth_setup import AuthThresholds
from auditor.results import Status
from auditor.rules import get
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.rules.helpers import evaluate, statuses

# The builder collects at 2026-11-24T02:00:00Z.
RECENT = "2026-11-20T08:00:00.000Z"
OLD = "2026-05-01T08:00:00.000Z"


def test_oauth_013_unused_and_long_unused_clients_fail_inactive_ones_are_left_to_oauth_008() -> None:
    org = OrgBuilder()
    used, idle, never = (f.oauth_client(n, "CLIENT-CREDENTIALS", id=f.new_id(n)) for n in ("Used", "Idle", "Never"))
    gone = f.oauth_client("Gone", "CLIENT-CREDENTIALS", id=f.new_id("Gone"), state="inactive")
    org.oauth_clients = [used, idle, never, gone]
    org.oauth_usage = [f.usage_row(used, "2026-11-20", 5), f.usage_row(idle, "2026-09-01", 5),
                       f.usage_row(idle, "2026-08-01", 5), f.usage_row(never, "2026-11-20", 0)]
    results = evaluate(org, "OAUTH-013")
    assert statuses(results) == {"Used": Status.PASS, "Idle": Status.FAIL, "Never": Status.FAIL}
    by_name = {r.resource_name: r.message for r in results}
    assert "last used on 2026-09-01" in by_name["Idle"]
    assert "made no API request in the 90 days the usage query covered" in by_name["Never"]
    # A longer threshold: Idle (84 days ago) passes.
    report = run_audit(org.snapshot(), rules=[get("OAUTH-013")], thresholds=AuthThresholds(unused_client_days=90))
    assert statuses(report.results)["Idle"] is Status.PASS


def test_oauth_013_errors_when_usage_rows_name_no_client() -> None:
    org = OrgBuilder()
    org.oauth_clients = [f.oauth_client("A", "CODE", id=f.new_id("A"))]
    org.oauth_usage = [{"requests": 10, "date": "2026-11-20T00:00:00.000Z"}]
    [result] = evaluate(org, "OAUTH-013")
    assert result.status is Status.ERROR and "clientId" in result.message


def test_an_sso_user_with_a_recent_token_and_an_old_date_last_login_is_never_stale() -> None:
    org = OrgBuilder()
    sso = f.user_activity(f.new_id("sso"), "Sso Only", token_issued=RECENT, last_login="2024-01-01T00:00:00.000Z")
    org.users = [sso]
    org.add_role(f.role("Master Admin", ["*:*:*"], id=f.new_id("admin"), defaultRoleId="admin"), [sso["id"]])
    assert statuses(evaluate(org, "USER-001")) == {"Sso Only": Status.PASS}
    assert statuses(evaluate(org, "USER-002")) == {"Sso Only": Status.PASS}


def test_user_001_dormant_and_tokenless_users_fail() -> None:
    org = OrgBuilder()
    org.users = [f.user_activity(f.new_id("a"), "Active", token_issued=RECENT),
                 f.user_activity(f.new_id("d"), "Dormant", token_issued=OLD, last_login="2026-11-23T00:00:00.000Z"),
                 f.user_activity(f.new_id("n"), "Never", token_issued=None)]
    results = evaluate(org, "USER-001")
    assert statuses(results) == {"Active": Status.PASS, "Dormant": Status.FAIL, "Never": Status.FAIL}
    # A recent dateLastLogin does not rescue a user whose last token is old: only tokens count.
    assert "2026-05-01" in next(r.message for r in results if r.resource_name == "Dormant")


def test_user_001_errors_when_the_expand_was_not_honoured() -> None:
    org = OrgBuilder()
    org.users = [f.user_activity(f.new_id("a"), "A", token_issued=None, last_login=RECENT)]
    [result] = evaluate(org, "USER-001")
    assert result.status is Status.ERROR and "lastTokenIssued" in result.message


def test_user_002_a_dormant_admin_fails_naming_the_role_and_a_dormant_non_admin_is_left_to_user_001() -> None:
    org = OrgBuilder()
    admin = f.user_activity(f.new_id("adm"), "Old Admin", token_issued=OLD)
    agent = f.user_activity(f.new_id("agt"), "Old Agent", token_issued=OLD)
    group_admin = f.user_activity(f.new_id("gadm"), "Group Admin", token_issued=OLD)
    org.users = [admin, agent, group_admin]
    org.add_role(f.role("Org Settings", ["directory:organization:admin"], id=f.new_id("orgadm")), [admin["id"]])
    group = f.new_id("admins-group")
    org.add_role(f.role("Legacy", [], id=f.new_id("legacy")))
    org.roles[-1]["permissions"] = ["admin"]
    org.grant(f.new_id("legacy"), group, subject_type="PC_GROUP", name="Admins")
    org.add_group(group, [group_admin["id"]])
    results = evaluate(org, "USER-002")
    assert statuses(results) == {"Old Admin": Status.FAIL, "Group Admin": Status.FAIL}
    assert "Org Settings" in next(r.message for r in results if r.resource_name == "Old Admin")
    assert "Legacy" in next(r.message for r in results if r.resource_name == "Group Admin")


def test_trust_001_full_access_or_default_role_without_expiry_fails() -> None:
    org = OrgBuilder()
    org.org_trustees = [
        f.trustee(f.new_id("t1"), "Full Forever", full_access=True, expires=None),
        f.trustee(f.new_id("t2"), "Default Forever", default_role=True, expires=None),
        f.trustee(f.new_id("t3"), "Full Until June", full_access=True, expires="2027-06-30T00:00:00Z"),
        f.trustee(f.new_id("t4"), "Specific Roles", expires=None),
        f.trustee(f.new_id("t5"), "Disabled Full", full_access=True, expires=None, enabled=False),
    ]
    assert statuses(evaluate(org, "TRUST-001")) == {
        "Full Forever": Status.FAIL, "Default Forever": Status.FAIL, "Full Until June": Status.PASS,
        "Specific Roles": Status.PASS, "Disabled Full": Status.PASS}


def test_auth_rules_are_hygiene_and_never_block_cobrowse() -> None:
    for rule_id in ("AUTH-001", "AUTH-002", "AUTH-003", "AUTH-004", "AUTH-005", "AUTH-006", "AUTH-007",
                    "OAUTH-013", "USER-001", "USER-002", "TRUST-001"):
        assert get(rule_id).chain_link is None
