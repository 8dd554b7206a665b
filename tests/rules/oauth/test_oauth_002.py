import pytest

from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def _plan(*names):
    return Plan(integration_clients=names)


@pytest.mark.parametrize("grant", ["CODE", "TOKEN", "SAML2-BEARER", "PASSWORD", "PKCE"])
def test_user_grant_without_conversations_scope_fails(org, grant):
    org.oauth_clients.append(f.oauth_client("Launcher", grant, scopes=["routing:readonly"]))
    [result] = evaluate(org, "OAUTH-002", _plan("Launcher"))
    assert result.status is Status.FAIL
    assert "403" in result.message


def test_user_grant_with_conversations_scope_passes(org):
    org.oauth_clients.append(f.oauth_client("Launcher", "CODE", scopes=["conversations", "routing:readonly"]))
    [result] = evaluate(org, "OAUTH-002", _plan("Launcher"))
    assert result.status is Status.PASS


def test_readonly_scope_is_not_enough_and_forum_scopes_are_explained(org):
    org.oauth_clients.append(
        f.oauth_client("Launcher", "CODE", scopes=["conversations:readonly", "conversation:cobrowse:manage"])
    )
    [result] = evaluate(org, "OAUTH-002", _plan("Launcher"))
    assert result.status is Status.FAIL
    assert "conversations:readonly cannot start co-browse" in result.message
    assert "'conversation:cobrowse:manage'" in result.message
    assert "shape of a permission" in result.message


def test_client_credentials_clients_are_not_applicable(org):
    org.oauth_clients += [
        f.oauth_client("Server Job", "CLIENT-CREDENTIALS"),
        f.oauth_client("Misspelt", "client_credentials"),
    ]
    got = statuses(evaluate(org, "OAUTH-002", _plan("Server Job", "Misspelt")))
    assert got == {"Server Job": Status.NOT_APPLICABLE, "Misspelt": Status.NOT_APPLICABLE}
