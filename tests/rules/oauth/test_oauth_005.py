import pytest

from auditor.results import Status
from auditor.rules.oauth.oauth_005_redirect_uris import problem
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("https://apps.example.com/callback", None),
        ("http://localhost:8080/callback", None),
        ("http://127.0.0.1/cb", None),
        ("http://[::1]:3000/cb", None),
        ("http://apps.example.com/callback", "not https"),
        ("http://localhost.evil.example/cb", "not https"),
        ("https://*.example.com/callback", "wildcard"),
        ("https://apps.example.com/*", "wildcard"),
        ("myapp://callback", "not https"),
        ("http://[::1/cb", "not a valid URL"),
        ("callback", "not a valid URL"),
    ],
)
def test_redirect_uri_problems(uri, expected):
    assert problem(uri) == expected


def test_one_result_per_client_listing_the_bad_uris(org):
    org.oauth_clients += [
        f.oauth_client("Agent App", "CODE", redirect_uris=[
            "https://apps.example.com/cb", "http://apps.example.com/cb", "https://*.example.com/cb",
        ]),
        f.oauth_client("Dev App", "CODE", redirect_uris=["http://localhost:8080/cb", "https://dev.example.com/cb"]),
        f.oauth_client("Nightly Export", "CLIENT-CREDENTIALS"),
    ]
    results = evaluate(org, "OAUTH-005")
    assert statuses(results) == {"Agent App": Status.FAIL, "Dev App": Status.PASS, "Nightly Export": Status.PASS}
    [bad] = [r for r in results if r.status is Status.FAIL]
    assert "'http://apps.example.com/cb (not https)'" in bad.message
    assert "'https://*.example.com/cb (wildcard)'" in bad.message
    assert "https://apps.example.com/cb (" not in bad.message


def test_hostile_uris_stay_printable(org):
    hostile = "http://x.example/\x1b[31m\n" + "a" * 500
    org.oauth_clients.append(f.oauth_client("Agent App", "CODE", redirect_uris=[hostile]))
    [result] = evaluate(org, "OAUTH-005")
    assert result.status is Status.FAIL
    assert "\x1b" not in result.message and "\n" not in result.message
    assert len(result.message) < 300
