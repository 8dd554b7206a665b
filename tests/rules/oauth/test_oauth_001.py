from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

PLAN = Plan(integration_clients=("Cobrowse Launcher", "Agent Desktop Extension", "Legacy Launcher", "Odd Launcher"))


def test_client_credentials_integration_client_fails_user_grants_pass(org):
    org.oauth_clients += [
        f.oauth_client("Cobrowse Launcher", "CLIENT-CREDENTIALS"),
        f.oauth_client("Agent Desktop Extension", "CODE", scopes=["conversations"],
                       redirect_uris=["https://apps.example.com/cb"]),
        f.oauth_client("Legacy Launcher", "CLIENT_CREDENTIALS"),  # misspelt: still client credentials
        f.oauth_client("Odd Launcher", "outdated_sdk_version"),  # unknown: tolerated, read as a user grant
        f.oauth_client("Nightly Export", "CLIENT-CREDENTIALS"),  # not in the plan: not evaluated
    ]
    results = evaluate(org, "OAUTH-001", PLAN)
    assert statuses(results) == {
        "Cobrowse Launcher": Status.FAIL,
        "Agent Desktop Extension": Status.PASS,
        "Legacy Launcher": Status.FAIL,
        "Odd Launcher": Status.PASS,
    }
    by_name = {r.resource_name: r for r in results}
    assert "carries no user" in by_name["Cobrowse Launcher"].message
    assert "not the API's spelling CLIENT-CREDENTIALS" in by_name["Legacy Launcher"].message
    assert "unknown grant type 'outdated_sdk_version'" in by_name["Odd Launcher"].message


def test_rationale_says_it_is_user_reported_not_documented():
    from auditor.rules import get

    rationale = get("OAUTH-001").rationale
    assert "Users report" in rationale
    assert "NOT stated in the API docs" in rationale


def test_not_applicable_without_plan_integration_clients(org):
    org.oauth_clients.append(f.oauth_client("Cobrowse Launcher"))
    [result] = evaluate(org, "OAUTH-001", Plan(queues=("Web Support",)))
    assert result.status is Status.NOT_APPLICABLE


def test_error_not_pass_when_oauth_clients_were_not_collected(org):
    org.fail("oauth_clients")
    [result] = evaluate(org, "OAUTH-001", PLAN)
    assert result.status is Status.ERROR
