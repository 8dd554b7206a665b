import pytest

from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

BOTH = Plan(channels=("Webmessaging", "Voice"))


def test_fails_when_no_role_grants_the_permission(org):
    org.add_role(f.role("Agent", ["routing:queue:view", "conversation:message:accept"]))
    [result] = evaluate(org, "AUTHZ-001")
    assert result.status is Status.FAIL
    assert result.resource_id == "conversation:cobrowse:add"
    assert "403 missing.any.permissions" in result.message
    assert "/api/v2/conversations/{conversationId}/cobrowse" in result.message


def test_passes_and_names_the_granting_role(org):
    org.add_role(f.role("Cobrowse Agent", ["conversation:cobrowse:add"]))
    [result] = evaluate(org, "AUTHZ-001")
    assert result.status is Status.PASS
    assert "Cobrowse Agent" in result.message


@pytest.mark.parametrize(
    "permission",
    ["*:cobrowse:add", "conversation:*:add", "conversation:cobrowse:*", "*:*:*", "Conversation:Cobrowse:Add"],
)
def test_wildcards_in_each_policy_position_grant_it(org, permission):
    org.add_role(f.role("Wide", [permission]))
    [result] = evaluate(org, "AUTHZ-001")
    assert result.status is Status.PASS


@pytest.mark.parametrize(
    "permission",
    [
        "conversation:cobrowse:manage",  # the forum's "scope": no such action exists
        "conversation:cobrowse:view",
        "conversation:cobrowseVoice:add",  # the voice permission does not cover web messaging
        "routing:*:*",
    ],
)
def test_near_misses_do_not_grant_it(org, permission):
    org.add_role(f.role("Near miss", [permission]))
    [result] = evaluate(org, "AUTHZ-001")
    assert result.status is Status.FAIL


def test_one_result_per_planned_channel(org):
    org.add_role(f.role("Messaging Agent", ["conversation:cobrowse:add"]))
    got = statuses(evaluate(org, "AUTHZ-001", BOTH))
    assert got == {"conversation:cobrowse:add": Status.PASS, "conversation:cobrowseVoice:add": Status.FAIL}


def test_voice_permission_matches_whatever_the_entity_case(org):
    # The operation summary spells it `cobrowsevoice`; policies and the UI say `cobrowseVoice`.
    org.add_role(f.role("Agent", ["conversation:cobrowse:add", "conversation:cobrowsevoice:add"]))
    got = statuses(evaluate(org, "AUTHZ-001", BOTH))
    assert set(got.values()) == {Status.PASS}


def test_channels_follow_the_cobrowse_deployments_without_a_plan(org):
    config = f.configuration("Support", cobrowse_settings=f.cobrowse(channels=["Voice"]))
    org.deployments.append(f.deployment("Support Site", config))
    org.add_role(f.role("Agent", ["conversation:cobrowse:add"]))
    [result] = evaluate(org, "AUTHZ-001")
    assert (result.resource_id, result.status) == ("conversation:cobrowseVoice:add", Status.FAIL)


def test_error_not_pass_when_roles_were_not_collected(org):
    org.fail("roles")
    [result] = evaluate(org, "AUTHZ-001")
    assert result.status is Status.ERROR
    assert "roles" in result.message
