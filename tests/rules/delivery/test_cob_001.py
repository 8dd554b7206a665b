from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate


def test_fails_when_cobrowse_is_enabled_only_on_an_inactive_deployment(org):
    config = f.configuration("Support", cobrowse_settings=f.cobrowse())
    org.deployments.append(f.deployment("Support Site", config, status="Inactive"))
    [result] = evaluate(org, "COB-001")
    assert result.status is Status.FAIL
    assert "none is Active" in result.message


def test_fails_when_no_deployment_enables_cobrowse(org):
    org.deployments.append(f.deployment("Support Site", f.configuration("Support")))
    [result] = evaluate(org, "COB-001")
    assert result.status is Status.FAIL
    assert "no deployment pins" in result.message


def test_passes_with_an_active_cobrowse_deployment(org):
    config = f.configuration("Support", cobrowse_settings=f.cobrowse())
    org.deployments.append(f.deployment("Support Site", config))
    [result] = evaluate(org, "COB-001")
    assert result.status is Status.PASS


def test_error_not_pass_when_deployments_were_not_collected(org):
    org.fail("deployments")
    [result] = evaluate(org, "COB-001")
    assert result.status is Status.ERROR
    assert "missing.permissions" in result.message
