"""Every preflight check fires on a crafted request and stays quiet on a good one."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.inputs.plan import Plan
from auditor.results import Severity, Status
from auditor.testing import factories as f
from tests.preflight.helpers import ANN, CARL, IE, START, fired, good_request, preflight, ready_org

QUEUE = f.new_id("queue:Web Support")
CODE = f.new_id("wrapup:Resolved")
OTHER_CODE = f.new_id("wrapup:Escalated")
SUPPORT = f.new_id("deployment:Support Site")
CAREERS = f.new_id("deployment:Careers Site")
CONVERSATION = f.new_id("conversation:1")


@pytest.fixture
def org(org):
    return ready_org(org)


def test_the_good_request_is_go_and_fires_nothing(org):
    report = preflight(org, good_request())
    assert report.verdict == "GO" and report.exit_status == 0
    assert report.problems == [] and report.errors == []


# --- endpoint -----------------------------------------------------------------------------


@pytest.mark.parametrize("method,path", [
    ("POST", "/api/v2/conversations/cobrowse"),
    ("POST", "/api/v2/cobrowse/sessions"),
    ("POST", "/api/v2/conversations/cobrowse/sessions"),
    ("POST", f"/api/v2/conversations/webchat/{CONVERSATION}/cobrowse"),
    ("POST", "/api/v2/cobrowse/invites"),
    ("GET", "/api/v2/oauth/tokeninfo"),
    ("POST", "/api/v2/conversations/messages/cobrowse/start"),  # any other path naming co-browse
    ("GET", START),  # the real path, wrong method
])
def test_pre_001_fires_on_paths_and_methods_that_do_not_exist(org, method, path):
    report = preflight(org, good_request(method=method, url=f"{IE}{path}"))
    [p] = fired(report, "PRE-001")
    assert (p.http_status, p.error_code, p.severity) == (404, "not.found", Severity.CRITICAL)
    assert report.verdict == "NO-GO"


def test_pre_001_points_tokeninfo_to_tokens_me(org):
    [p] = fired(preflight(org, good_request(method="GET", url=f"{IE}/api/v2/oauth/tokeninfo")), "PRE-001")
    assert "GET /api/v2/tokens/me" in p.fix


def test_pre_001_quiet_on_the_real_endpoints(org):
    assert fired(preflight(org, good_request()), "PRE-001") == []
    session = f"{IE}/api/v2/webdeployments/deployments/{SUPPORT}/cobrowse/123456"
    for method in ("GET", "DELETE"):
        report = preflight(org, good_request(method=method, url=session))
        assert fired(report, "PRE-001") == [] and fired(report, "PRE-010") == []


def test_pre_002_fires_on_legacy_cobrowsesessions(org):
    path = f"/api/v2/conversations/cobrowsesessions/{CONVERSATION}/participants/{ANN}/wrapup"
    [p] = fired(preflight(org, good_request(method="GET", url=f"{IE}{path}")), "PRE-002")
    assert "January 27, 2025" in p.cause and START in p.fix
    assert fired(preflight(org, good_request()), "PRE-002") == []


def test_pre_003_names_each_body_field_and_is_quiet_without_a_body(org):
    body = {"cobrowseType": "WEB", "routingData": {"queueId": QUEUE}, "somethingElse": 1}
    report = preflight(org, good_request(body=body))
    assert {p.resource_name for p in fired(report, "PRE-003")} == {"cobrowseType", "routingData", "somethingElse"}
    assert fired(preflight(org, good_request()), "PRE-003") == []
    assert fired(preflight(org, good_request(body={})), "PRE-003") == []  # `{}` is no body


def test_pre_011_fires_on_a_conversation_id_that_is_not_one(org):
    report = preflight(org, good_request(url=f"{IE}/api/v2/conversations/abc/cobrowse"))
    [p] = fired(report, "PRE-011")
    assert p.http_status == 404
    assert fired(preflight(org, good_request(url=f"{IE}/api/v2/conversations/{CONVERSATION}/cobrowse")),
                 "PRE-011") == []


def test_pre_012_says_when_a_call_is_not_co_browse(org):
    [p] = fired(preflight(org, good_request(method="GET", url=f"{IE}/api/v2/routing/queues")), "PRE-012")
    assert p.severity is Severity.INFO
    assert fired(preflight(org, good_request()), "PRE-012") == []


# --- host and region ----------------------------------------------------------------------


def test_pre_004_fires_on_another_regions_host(org):
    [p] = fired(preflight(org, good_request(url=f"https://api.mypurecloud.com{START}")), "PRE-004")
    assert (p.http_status, p.error_code) == (401, "bad.credentials")
    assert "eu-west-1" in p.cause and "https://api.mypurecloud.ie" in p.fix


def test_pre_004_compares_with_the_plans_region_first(org):
    plan = Plan(region="us-east-1")
    report = preflight(org, good_request(url=f"https://api.mypurecloud.com{START}"), plan=plan)
    # The URL matches the plan; the plan disagrees with the snapshot's org: that is flagged instead.
    assert [p.resource_id for p in fired(report, "PRE-004")] == ["region:mypurecloud.com"]


@pytest.mark.parametrize("url", [
    f"http://api.mypurecloud.ie{START}",
    f"https://euw1.mypurecloud.com{START}",
    f"https://login.mypurecloud.ie{START}",
])
def test_pre_004_fires_on_a_host_that_is_not_the_api(org, url):
    assert fired(preflight(org, good_request(url=url)), "PRE-004")


def test_pre_004_quiet_on_the_right_host_and_on_a_bare_path(org):
    assert fired(preflight(org, good_request()), "PRE-004") == []
    bare = {k: v for k, v in good_request(path=START).items() if k != "url"}
    assert fired(preflight(org, bare), "PRE-004") == []


# --- objects named in the body ------------------------------------------------------------


def _body(**routing):
    return good_request(body={"routingData": routing})


def test_pre_005_queue_id_not_a_uuid_unknown_and_known(org):
    [bad] = fired(preflight(org, _body(queueId="web-support")), "PRE-005")
    assert (bad.http_status, bad.error_code) == (400, "invalid.value")
    [named] = fired(preflight(org, _body(queueId="Web Support")), "PRE-005")
    assert QUEUE in named.cause  # a name where the id goes: says which id
    [unknown] = fired(preflight(org, _body(queueId=f.new_id("queue:nope"))), "PRE-005")
    assert (unknown.http_status, unknown.error_code) == (404, "not.found")
    assert fired(preflight(org, _body(queueId=QUEUE)), "PRE-005") == []


def test_pre_006_wrapup_code(org):
    [forum] = fired(preflight(org, _body(queueId=QUEUE, wrapUpCode="COBROWSE_INITIATED")), "PRE-006")
    assert forum.error_code == "invalid.value" and "ININ-*" in forum.cause
    [by_name] = fired(preflight(org, _body(wrapUpCode="Resolved")), "PRE-006")
    assert CODE in by_name.cause
    [unknown] = fired(preflight(org, _body(wrapUpCode=f.new_id("wrapup:nope"))), "PRE-006")
    assert unknown.http_status == 404
    [unassigned] = fired(preflight(org, _body(queueId=QUEUE, wrapUpCode=OTHER_CODE)), "PRE-006")
    assert unassigned.severity is Severity.MEDIUM and "not assigned" in unassigned.cause
    assert fired(preflight(org, _body(queueId=QUEUE, wrapUpCode=CODE)), "PRE-006") == []
    assert fired(preflight(org, _body(wrapUpCode="ININ-WRAP-UP-TIMEOUT")), "PRE-006") == []


def test_pre_007_unknown_users(org):
    body = {"participants": [{"id": "agent-user-id-123", "role": "AGENT"}, {"userId": f.new_id("user:ghost")}]}
    report = preflight(org, good_request(body=body))
    assert {p.resource_id for p in fired(report, "PRE-007")} == {"agent-user-id-123", f.new_id("user:ghost")}
    assert fired(preflight(org, good_request(body={"participants": [{"id": ANN}]})), "PRE-007") == []


def test_pre_008_user_without_the_permission_gets_403(org):
    doc = good_request(token={"grant": "code", "client": "Cobrowse Launcher", "user": CARL})
    [p] = fired(preflight(org, doc), "PRE-008")
    assert (p.http_status, p.error_code) == (403, "missing.any.permissions")
    assert "conversation:cobrowse:add" in p.cause and "conversation:cobrowse:manage" in p.fix
    assert fired(preflight(org, good_request()), "PRE-008") == []


def test_pre_008_voice_permission_or_wildcard_is_enough(org):
    org.add_role(f.role("Voice Cobrowse", ["conversation:cobrowseVoice:add"]), [CARL])
    doc = good_request(token={"grant": "code", "client": "Cobrowse Launcher", "user": CARL})
    assert fired(preflight(org, doc), "PRE-008") == []


def test_pre_010_unknown_deployment_in_the_session_path(org):
    url = f"{IE}/api/v2/webdeployments/deployments/{f.new_id('deployment:nope')}/cobrowse/123456"
    [p] = fired(preflight(org, good_request(method="GET", url=url)), "PRE-010")
    assert p.http_status == 404


def test_deployment_chain_rules_run_for_the_named_deployment(org):
    careers = f"{IE}/api/v2/webdeployments/deployments/{CAREERS}/cobrowse/123456"
    report = preflight(org, good_request(method="GET", url=careers))
    assert [p.resource_id for p in fired(report, "COB-004")] == [CAREERS]  # pinned config: co-browse off
    support = f"{IE}/api/v2/webdeployments/deployments/{SUPPORT}/cobrowse/123456"
    assert fired(preflight(org, good_request(method="GET", url=support)), "COB-004") == []


def test_cob_005_target_url_https_and_allowed(org):
    [http] = fired(preflight(org, good_request(body={"cobrowseTarget": "http://www.example.com/help"})), "COB-005")
    assert "https" in http.cause
    [other] = fired(preflight(org, good_request(body={"cobrowseTarget": "https://shop.example.org/"})), "COB-005")
    assert "shop.example.org" in other.cause
    ok = preflight(org, good_request(body={"cobrowseTarget": "https://www.example.com/help"}))
    assert fired(ok, "COB-005") == []


# --- token ----------------------------------------------------------------------------------


def test_oauth_001_client_credentials_declared_or_by_client(org):
    [declared] = fired(preflight(org, good_request(token={"grant": "client_credentials"})), "OAUTH-001")
    assert declared.http_status == 403 and "not state" in declared.cause
    [client] = fired(preflight(org, good_request(token={"client": "Nightly Export"})), "OAUTH-001")
    assert client.resource_name == "Nightly Export"
    assert fired(preflight(org, good_request()), "OAUTH-001") == []


def test_oauth_002_user_grant_without_conversations_scope(org):
    doc = good_request(token={"grant": "code", "client": "Agent Desktop", "user": ANN})
    [p] = fired(preflight(org, doc), "OAUTH-002")
    assert p.http_status == 403
    assert fired(preflight(org, good_request()), "OAUTH-002") == []


def test_pre_009_unknown_client_and_grant_mismatch(org):
    [unknown] = fired(preflight(org, good_request(token={"grant": "code", "client": "Nope", "user": ANN})), "PRE-009")
    assert (unknown.http_status, unknown.error_code) == (401, "invalid_client")
    mismatch = good_request(token={"grant": "client_credentials", "client": "Cobrowse Launcher"})
    [p] = fired(preflight(org, mismatch), "PRE-009")
    assert p.error_code == "unauthorized_client"
    assert fired(preflight(org, good_request()), "PRE-009") == []


def test_pre_013_token_not_described(org):
    doc = {k: v for k, v in good_request().items() if k != "token"}
    [p] = fired(preflight(org, doc), "PRE-013")
    assert p.severity is Severity.INFO
    assert preflight(org, doc).verdict == "GO"  # info does not block at the default threshold
    assert fired(preflight(org, good_request()), "PRE-013") == []


# --- scope of the chain, incompleteness, plan mode -----------------------------------------------


def test_unrelated_objects_do_not_affect_a_request(org):
    org.oauth_clients.append(f.oauth_client("Legacy Password App", "PASSWORD", scopes=["conversations"]))
    report = preflight(org, good_request())
    assert report.verdict == "GO"
    assert not [p for p in report.predictions if p.resource_name == "Legacy Password App"]


def test_missing_dataset_the_checks_need_is_incomplete(org):
    org.fail("oauth_clients")
    report = preflight(org, good_request())
    assert report.verdict == "INCOMPLETE" and report.exit_status == 3
    assert any(p.status is Status.ERROR and "oauth_clients" in p.cause for p in report.predictions)
    # A request naming no client does not need that dataset.
    doc = {k: v for k, v in good_request().items() if k != "token"}
    assert preflight(org, doc).verdict == "GO"


def test_plan_mode_go_and_no_go(org):
    plan = Plan(deployments=("Support Site",), queues=("Web Support",), sites=("https://www.example.com/help",),
                integration_clients=("Cobrowse Launcher",), region="eu-west-1")
    assert preflight(org, None, plan=plan).verdict == "GO"
    bad = Plan(deployments=("Careers Site",), queues=("Nope",), region="eu-west-1")
    report = preflight(org, None, plan=bad)
    assert report.verdict == "NO-GO"
    assert {"PLAN-001", "COB-004"} <= {p.rule_id for p in report.problems}
    assert report.suggestion is None


def test_fail_on_threshold(org):
    # Body fields are high and the unassigned code medium: nothing critical.
    body = {"wrapup": {"code": OTHER_CODE}, "queue": {"id": QUEUE}}
    assert preflight(org, good_request(body=body), fail_on=Severity.CRITICAL).verdict == "GO"
    assert preflight(org, good_request(body=body), fail_on=Severity.HIGH).verdict == "NO-GO"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.recursive(
    st.none() | st.integers() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["queueId", "wrapUpCode", "participants", "id", "userId", "cobrowseTarget", "deploymentId",
                         "queue", "wrapup", "routingData", "x"]), children, max_size=4),
    max_leaves=12))
def test_any_body_gives_predictions_not_a_crash(org, body):
    report = preflight(org, good_request(body=body))
    assert report.verdict in ("GO", "NO-GO", "INCOMPLETE")
    assert not report.errors  # every dataset is there: no check may fail to evaluate


def test_waivers_apply_to_predictions(org, tmp_path):
    from datetime import date, timedelta

    from auditor.preflight.waive import apply_waivers_to

    expires = (date.today() + timedelta(days=30)).isoformat()
    path = tmp_path / "waivers.yaml"
    path.write_text(f"waivers:\n  - {{rule: PRE-003, resource: participants, reason: accepted in test, owner: qa,"
                    f" expires: '{expires}'}}\n", encoding="utf-8")
    report = preflight(org, good_request(body={"participants": []}))
    assert report.verdict == "NO-GO"
    assert apply_waivers_to(report, path, 90) == []
    assert report.verdict == "GO"
    assert [p.status for p in report.predictions if p.rule_id == "PRE-003"] == [Status.WAIVED]
