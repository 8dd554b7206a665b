from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_unusable_plan_clients_fail_high(org):
    org.oauth_clients += [
        f.oauth_client("Cobrowse Launcher", "CODE", state="disabled"),
        f.oauth_client("Desktop Extension", "CODE"),
        f.oauth_client("Old Export", state="disabled"),  # not in the plan: OAUTH-008's business
    ]
    results = evaluate(org, "OAUTH-011", Plan(integration_clients=("cobrowse launcher", "Desktop Extension")))
    assert statuses(results) == {"Cobrowse Launcher": Status.FAIL, "Desktop Extension": Status.PASS}
    assert {r.severity.value for r in results} == {"high"}


def test_not_applicable_without_plan(org):
    org.oauth_clients.append(f.oauth_client("Cobrowse Launcher", "CODE", state="disabled"))
    [result] = evaluate(org, "OAUTH-011")
    assert result.status is Status.NOT_APPLICABLE
