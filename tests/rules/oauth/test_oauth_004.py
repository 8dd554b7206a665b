from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_implicit_grant_fails_code_passes(org):
    org.oauth_clients += [
        f.oauth_client("Legacy Widget", "TOKEN", redirect_uris=["https://www.example.com/widget"]),
        f.oauth_client("Agent App", "CODE", redirect_uris=["https://apps.example.com/cb"]),
        f.oauth_client("SSO Bridge", "SAML2-BEARER"),
    ]
    results = evaluate(org, "OAUTH-004")
    assert statuses(results) == {"Legacy Widget": Status.FAIL, "Agent App": Status.PASS, "SSO Bridge": Status.PASS}
    [bad] = [r for r in results if r.status is Status.FAIL]
    assert "redirect URL" in bad.message
