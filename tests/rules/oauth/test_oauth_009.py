from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_validity_above_24_hours_fails(org):
    default = f.oauth_client("Defaulted")
    del default["accessTokenValiditySeconds"]
    org.oauth_clients += [
        f.oauth_client("Long Lived", token_validity=172800),
        f.oauth_client("Day", token_validity=86400),
        f.oauth_client("Short", token_validity=3600),
        default,
    ]
    results = evaluate(org, "OAUTH-009")
    assert statuses(results) == {
        "Long Lived": Status.FAIL,
        "Day": Status.PASS,
        "Short": Status.PASS,
        "Defaulted": Status.PASS,
    }
    [bad] = [r for r in results if r.status is Status.FAIL]
    assert "172800 s (48 h)" in bad.message
