from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def _clients(org):
    org.oauth_clients += [
        f.oauth_client("Old Export", state="disabled"),
        f.oauth_client("Retired Sync", state="inactive"),
        f.oauth_client("Cobrowse Launcher", "CODE", dateToDelete="2026-12-31T00:00:00Z"),
        f.oauth_client("Auditor"),
        f.oauth_client("Future", state="quarantined"),  # unknown state: tolerated
    ]


def test_disabled_inactive_and_deleting_clients_fail(org):
    _clients(org)
    results = evaluate(org, "OAUTH-008")
    assert statuses(results) == {
        "Old Export": Status.FAIL,
        "Retired Sync": Status.FAIL,
        "Cobrowse Launcher": Status.FAIL,
        "Auditor": Status.PASS,
        "Future": Status.PASS,
    }
    by_name = {r.resource_name: r for r in results}
    assert "no new ones can be created" in by_name["Old Export"].message
    assert "2026-12-31" in by_name["Cobrowse Launcher"].message
    assert "OAUTH-011" not in by_name["Cobrowse Launcher"].message


def test_plan_clients_are_flagged_in_the_message(org):
    _clients(org)
    results = evaluate(org, "OAUTH-008", Plan(integration_clients=("Cobrowse Launcher",)))
    [launcher] = [r for r in results if r.resource_name == "Cobrowse Launcher"]
    assert "named in the rollout plan (see OAUTH-011)" in launcher.message
