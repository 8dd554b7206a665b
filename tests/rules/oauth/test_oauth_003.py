from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_password_grant_fails_every_other_grant_passes(org):
    org.oauth_clients += [
        f.oauth_client("Wallboard Login", "PASSWORD"),
        f.oauth_client("Old Script", "password"),  # odd case: still the password grant
        f.oauth_client("Agent App", "CODE", redirect_uris=["https://apps.example.com/cb"]),
        f.oauth_client("Nightly Export", "CLIENT-CREDENTIALS"),
        f.oauth_client("Mystery", "outdated_sdk_version"),
    ]
    results = evaluate(org, "OAUTH-003")
    assert statuses(results) == {
        "Wallboard Login": Status.FAIL,
        "Old Script": Status.FAIL,
        "Agent App": Status.PASS,
        "Nightly Export": Status.PASS,
        "Mystery": Status.PASS,
    }
    assert all(r.resource_type == "oauth_client" for r in results)
