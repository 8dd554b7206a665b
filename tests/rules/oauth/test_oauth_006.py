from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

HOME = f.HOME_DIVISION["id"]


def test_admin_level_roles_fail_and_all_divisions_is_called_out(org):
    master = f.role("Master Admin", ["directory:user:*"], defaultRoleId="admin")
    wide = f.role("Integration Superuser", ["*:*:*"])
    reader = f.role("Config Reader", ["routing:queue:view", "webDeployments:deployment:view"])
    for r in (master, wide, reader):
        org.add_role(r)
    org.oauth_clients += [
        f.oauth_client("Terraform", roles=[(master["id"], "*")]),
        f.oauth_client("Sync Job", roles=[(wide["id"], HOME)]),
        f.oauth_client("Auditor", roles=[(reader["id"], "*")]),
        f.oauth_client("Agent App", "CODE", redirect_uris=["https://apps.example.com/cb"]),
    ]
    results = evaluate(org, "OAUTH-006")
    assert statuses(results) == {
        "Terraform": Status.FAIL,
        "Sync Job": Status.FAIL,
        "Auditor": Status.PASS,
        "Agent App": Status.NOT_APPLICABLE,
    }
    by_name = {r.resource_name: r for r in results}
    assert "'Master Admin'" in by_name["Terraform"].message
    assert "all divisions (*)" in by_name["Terraform"].message
    assert "all divisions" not in by_name["Sync Job"].message


def test_master_admin_is_recognised_by_name_without_wildcard_policies(org):
    master = f.role("Master Admin", ["directory:user:view"])
    org.add_role(master)
    org.oauth_clients.append(f.oauth_client("Terraform", roles=[(master["id"], HOME)]))
    [result] = evaluate(org, "OAUTH-006")
    assert result.status is Status.FAIL


def test_deprecated_role_ids_count_as_grants(org):
    wide = f.role("Everything", ["*:*:*"])
    org.add_role(wide)
    org.oauth_clients.append(f.oauth_client("Old Job", roleIds=[wide["id"]]))
    [result] = evaluate(org, "OAUTH-006")
    assert result.status is Status.FAIL


def test_error_when_roles_were_not_collected(org):
    org.oauth_clients.append(f.oauth_client("Terraform"))
    org.fail("roles")
    [result] = evaluate(org, "OAUTH-006")
    assert result.status is Status.ERROR


def test_a_role_with_the_legacy_admin_permission_is_admin_level(org):
    # Issue 11, problem 6: legacy `permissions: ["admin"]` without any `*` policy.
    legacy = f.role("Legacy Integrations", ["routing:queue:view"])
    legacy["permissions"] = ["admin"]
    plain = f.role("Reader", ["routing:queue:view"])
    plain["permissions"] = ["routing_view"]
    org.add_role(legacy)
    org.add_role(plain)
    org.oauth_clients += [
        f.oauth_client("Old Sync", roles=[(legacy["id"], HOME)]),
        f.oauth_client("Reader Job", roles=[(plain["id"], HOME)]),
    ]
    results = evaluate(org, "OAUTH-006")
    assert statuses(results) == {"Old Sync": Status.FAIL, "Reader Job": Status.PASS}
    assert "'Legacy Integrations'" in next(r.message for r in results if r.resource_name == "Old Sync")
