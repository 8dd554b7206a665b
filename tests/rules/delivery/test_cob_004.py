from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def site(name, channels, enabled=True):
    return f.deployment(name, f.configuration(name, cobrowse_settings=f.cobrowse(enabled=enabled, channels=channels)))


def test_without_a_plan_an_empty_or_unknown_channel_list_fails(org):
    org.deployments.append(site("Support Site", ["Webmessaging"]))
    org.deployments.append(site("Voice Site", ["Voice"]))  # not held to the other deployment's channel
    org.deployments.append(site("Empty Site", []))
    org.deployments.append(site("Future Site", ["Video"]))  # an unknown value counts as no channel, no crash
    results = evaluate(org, "COB-004")
    assert statuses(results) == {
        "Support Site": Status.PASS,
        "Voice Site": Status.PASS,
        "Empty Site": Status.FAIL,
        "Future Site": Status.FAIL,
    }
    empty = next(r for r in results if r.resource_name == "Empty Site")
    assert "no channel" in empty.message


def test_plan_channels_must_all_be_enabled(org):
    org.deployments.append(site("Support Site", ["Webmessaging"]))
    org.deployments.append(site("Full Site", ["Webmessaging", "Voice"]))
    plan = Plan(channels=("Webmessaging", "Voice"), deployments=("Support Site", "Full Site"))
    results = evaluate(org, "COB-004", plan)
    assert statuses(results) == {"Support Site": Status.FAIL, "Full Site": Status.PASS}
    support = next(r for r in results if r.resource_name == "Support Site")
    assert "'Voice'" in support.message


def test_a_plan_deployment_with_cobrowse_disabled_fails(org):
    org.deployments.append(site("Support Site", ["Webmessaging"], enabled=False))
    [result] = evaluate(org, "COB-004", Plan(deployments=("Support Site",)))
    assert result.status is Status.FAIL
    assert "co-browse disabled" in result.message
