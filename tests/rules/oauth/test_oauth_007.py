from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_client_credentials_without_roles_fails(org):
    reader = f.role("Config Reader", ["routing:queue:view"])
    org.add_role(reader)
    org.oauth_clients += [
        f.oauth_client("Orphan Job"),
        f.oauth_client("Auditor", roles=[(reader["id"], "*")]),
        f.oauth_client("Agent App", "CODE", redirect_uris=["https://apps.example.com/cb"]),
    ]
    results = evaluate(org, "OAUTH-007")
    assert statuses(results) == {
        "Orphan Job": Status.FAIL,
        "Auditor": Status.PASS,
        "Agent App": Status.NOT_APPLICABLE,
    }
    [bad] = [r for r in results if r.status is Status.FAIL]
    assert "403 missing.permissions" in bad.message
