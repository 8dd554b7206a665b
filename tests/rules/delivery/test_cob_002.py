from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def draft(name, enabled=True, **kw):
    return f.configuration(name, version="4", cobrowse_settings=f.cobrowse(enabled=enabled), **kw)


def test_fails_when_the_pinned_version_lacks_the_draft_cobrowse(org):
    org.configurations.append(draft("Support"))
    org.deployments.append(f.deployment("Support Site", f.configuration("Support", version="3")))
    [result] = evaluate(org, "COB-002")
    assert result.status is Status.FAIL
    assert result.resource_name == "Support"
    assert "only in its draft" in result.message and "Support Site" in result.message and "version 3" in result.message


def test_fails_when_no_deployment_pins_the_configuration(org):
    org.configurations.append(draft("Marketing"))
    org.deployments.append(f.deployment("Support Site", f.configuration("Support")))
    [result] = evaluate(org, "COB-002")
    assert result.status is Status.FAIL
    assert "no deployment pins it" in result.message


def test_passes_when_every_pinning_deployment_serves_cobrowse(org):
    org.configurations.append(draft("Support"))
    org.configurations.append(draft("Legacy", enabled=False))  # not enabled in the draft: not evaluated
    pinned = f.configuration("Support", version="4", cobrowse_settings=f.cobrowse())
    org.deployments.append(f.deployment("Support Site", pinned, status="outdated_sdk_version"))
    assert statuses(evaluate(org, "COB-002")) == {"Support": Status.PASS}


def test_one_stale_deployment_among_several_fails_and_names_only_it(org):
    org.configurations.append(draft("Support"))
    org.deployments.append(f.deployment("New Site", f.configuration("Support", cobrowse_settings=f.cobrowse())))
    org.deployments.append(f.deployment("Old Site", f.configuration("Support", version="1")))
    [result] = evaluate(org, "COB-002")
    assert result.status is Status.FAIL
    assert "Old Site" in result.message and "New Site" not in result.message


def test_not_applicable_when_no_draft_enables_cobrowse(org):
    org.configurations.append(draft("Support", enabled=False))
    [result] = evaluate(org, "COB-002")
    assert result.status is Status.NOT_APPLICABLE


def test_error_when_configurations_were_not_collected(org):
    org.deployments.append(f.deployment("Support Site", f.configuration("Support")))
    org.fail("configurations")
    [result] = evaluate(org, "COB-002")
    assert result.status is Status.ERROR
