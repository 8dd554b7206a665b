from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_scopes_on_client_credentials_are_reported_as_ignored(org):
    org.oauth_clients += [
        f.oauth_client("Cobrowse Bot", scopes=["conversations", "conversation:cobrowse:manage"]),
        f.oauth_client("Auditor"),
        f.oauth_client("Agent App", "CODE", scopes=["conversations"], redirect_uris=["https://apps.example.com/cb"]),
    ]
    results = evaluate(org, "OAUTH-010")
    assert statuses(results) == {
        "Cobrowse Bot": Status.FAIL,
        "Auditor": Status.PASS,
        "Agent App": Status.NOT_APPLICABLE,
    }
    [bad] = [r for r in results if r.status is Status.FAIL]
    assert bad.severity.value == "info"
    assert "ignores" in bad.message and "roles" in bad.message
