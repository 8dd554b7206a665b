from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def cobrowse_config(name, enabled=True):
    return f.configuration(name, cobrowse_settings=f.cobrowse(enabled=enabled))


def test_allow_all_domains_on_a_cobrowse_deployment_fails(org):
    org.deployments.append(f.deployment("Support Site", cobrowse_config("Support"), allow_all_domains=True))
    org.deployments.append(f.deployment("Billing Site", cobrowse_config("Billing")))
    org.deployments.append(f.deployment("Brochure", f.configuration("Brochure"), allow_all_domains=True))
    results = evaluate(org, "COB-006")
    assert statuses(results) == {"Support Site": Status.FAIL, "Billing Site": Status.PASS, "Brochure": Status.FAIL}
    assert "serves co-browse with allowAllDomains: true" in next(
        r.message for r in results if r.resource_name == "Support Site")


def test_cobrowse_deployments_outside_the_plan_and_plan_deployments_are_both_checked(org):
    org.deployments.append(f.deployment("Support Site", cobrowse_config("Support", enabled=False),
                                        allow_all_domains=True))
    org.deployments.append(f.deployment("Legacy Site", cobrowse_config("Legacy"), allow_all_domains=True))
    plan = Plan(deployments=("Support Site",))
    assert statuses(evaluate(org, "COB-006", plan)) == {"Support Site": Status.FAIL, "Legacy Site": Status.FAIL}


def test_a_deployment_without_cobrowse_is_checked_too_and_is_no_blocker(org):
    org.deployments.append(f.deployment("Brochure", f.configuration("Brochure"), allow_all_domains=True))
    [result] = evaluate(org, "COB-006")
    assert result.status is Status.FAIL and "serves Messenger" in result.message
    assert not result.blocks_cobrowse


def test_not_applicable_without_any_deployment(org):
    [result] = evaluate(org, "COB-006")
    assert result.status is Status.NOT_APPLICABLE
