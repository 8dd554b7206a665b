from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def add(org, name, enabled=True, **cobrowse):
    config = f.configuration(name, cobrowse_settings=f.cobrowse(enabled=enabled, **cobrowse))
    org.deployments.append(f.deployment(name, config))


def test_control_or_navigation_without_masks_fails(org):
    add(org, "Control", allow_agent_control=True, mask_selectors=[])
    add(org, "Navigate", allow_agent_navigation=True, mask_selectors=["", "  "])  # blank selectors mask nothing
    add(org, "Masked", allow_agent_control=True, allow_agent_navigation=True)
    add(org, "View Only", mask_selectors=[])
    add(org, "Off", enabled=False, allow_agent_control=True, mask_selectors=[])  # no co-browse: not evaluated
    results = evaluate(org, "COB-007")
    assert statuses(results) == {
        "Control": Status.FAIL,
        "Navigate": Status.FAIL,
        "Masked": Status.PASS,
        "View Only": Status.PASS,
    }
    control = next(r for r in results if r.resource_name == "Control")
    assert "agent control" in control.message and "no maskSelectors" in control.message


def test_error_when_deployments_were_not_collected(org):
    org.fail("deployments", http_status=403, error_code="missing.permissions")
    [result] = evaluate(org, "COB-007")
    assert result.status is Status.ERROR
