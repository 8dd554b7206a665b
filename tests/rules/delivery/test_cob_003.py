from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def cobrowse_config(name):
    return f.configuration(name, cobrowse_settings=f.cobrowse())


def test_inactive_pending_and_unknown_statuses_fail_active_passes(org):
    org.deployments.append(f.deployment("Support Site", cobrowse_config("Support")))
    org.deployments.append(f.deployment("Billing Site", cobrowse_config("Billing"), status="Inactive"))
    org.deployments.append(f.deployment("Shop Site", cobrowse_config("Shop"), status="Pending"))
    org.deployments.append(f.deployment("Beta Site", cobrowse_config("Beta"), status="outdated_sdk_version"))
    org.deployments.append(f.deployment("Plain Site", f.configuration("Plain"), status="Inactive"))  # no co-browse
    results = evaluate(org, "COB-003")
    assert statuses(results) == {
        "Support Site": Status.PASS,
        "Billing Site": Status.FAIL,
        "Shop Site": Status.FAIL,
        "Beta Site": Status.FAIL,
    }
    beta = next(r for r in results if r.resource_name == "Beta Site")
    assert "'outdated_sdk_version'" in beta.message


def test_with_a_plan_every_cobrowse_deployment_is_checked_and_only_plan_ones_block(org):
    # Two lenses: an Inactive co-browse deployment outside the plan is still reported (hygiene),
    # but only the plan's deployment blocks the rollout.
    org.deployments.append(f.deployment("Support Site", cobrowse_config("Support"), status="Inactive"))
    org.deployments.append(f.deployment("Other Site", cobrowse_config("Other"), status="Inactive"))
    org.deployments.append(f.deployment("Plain Site", f.configuration("Plain")))
    plan = Plan(deployments=("Support Site", "Plain Site"))
    results = evaluate(org, "COB-003", plan)
    assert statuses(results) == {
        "Support Site": Status.FAIL,
        "Other Site": Status.FAIL,
        "Plain Site": Status.NOT_APPLICABLE,
    }
    assert {r.resource_name: r.blocks_cobrowse for r in results} == {
        "Support Site": True, "Other Site": False, "Plain Site": True,
    }


def test_error_when_deployments_were_not_collected(org):
    org.fail("deployments")
    [result] = evaluate(org, "COB-003")
    assert result.status is Status.ERROR
