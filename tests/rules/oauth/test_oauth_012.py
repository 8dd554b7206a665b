from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_undocumented_grant_spellings_are_reported(org):
    org.oauth_clients += [
        f.oauth_client("Premium App", "CLIENT_CREDENTIALS"),
        f.oauth_client("Old SDK", "outdated_sdk_version"),
        f.oauth_client("Good", "CLIENT-CREDENTIALS"),
        f.oauth_client("SSO", "SAML2-BEARER"),
    ]
    results = evaluate(org, "OAUTH-012")
    assert statuses(results) == {
        "Premium App": Status.FAIL,
        "Old SDK": Status.FAIL,
        "Good": Status.PASS,
        "SSO": Status.PASS,
    }
    by_name = {r.resource_name: r for r in results}
    assert "read as CLIENT-CREDENTIALS" in by_name["Premium App"].message
    assert "read as a user grant" in by_name["Old SDK"].message


def test_saml2bearer_is_an_accepted_spelling_not_an_unknown_grant(org):
    # Issue 11, problem 6: the Terraform provider accepts SAML2BEARER as well as SAML2-BEARER.
    org.oauth_clients += [f.oauth_client("SSO", "SAML2BEARER"), f.oauth_client("Typo", "SAML2BEAR")]
    results = evaluate(org, "OAUTH-012")
    assert statuses(results) == {"SSO": Status.PASS, "Typo": Status.FAIL}
    assert "accepted spelling of SAML2-BEARER" in next(r.message for r in results if r.resource_name == "SSO")
