"""COB-008..COB-012: message flow, Messenger switches, pause criteria, headless mode, pinned version status."""

from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses

FLOW = f.flow("Web messaging inbound")
DRAFT_FLOW = f.flow("Never published", published=False)


def config(name, **overrides):
    return f.configuration(name, cobrowse_settings=f.cobrowse(), **overrides)


def add(org, name, cfg=None, **overrides):
    org.deployments.append(f.deployment(name, cfg or config(name), **overrides))


def test_cob_008_fires_without_flow_with_missing_or_unpublished_flow_and_passes_on_a_published_one(org):
    org.flows = [FLOW, DRAFT_FLOW]
    add(org, "No Flow")
    add(org, "Ghost Flow", flow={"id": f.new_id("flow:deleted"), "name": "Deleted flow"})
    add(org, "Draft Flow", flow=f.flow_ref(DRAFT_FLOW))
    add(org, "Good", flow=f.flow_ref(FLOW))
    results = evaluate(org, "COB-008")
    assert statuses(results) == {"No Flow": Status.FAIL, "Ghost Flow": Status.FAIL, "Draft Flow": Status.FAIL,
                                 "Good": Status.PASS}
    by_name = {r.resource_name: r.message for r in results}
    assert "no inbound message flow" in by_name["No Flow"]
    assert "does not exist" in by_name["Ghost Flow"]
    assert "no published version" in by_name["Draft Flow"]


def test_cob_008_is_error_not_fail_for_a_flow_in_an_invisible_division(org):
    org.flows = [FLOW]
    add(org, "Hidden Flow", flow={"id": f.new_id("flow:hidden"), "name": "Hidden"})
    org.partial("flows", [f.division("Sales")])
    results = evaluate(org, "COB-008")
    assert {r.resource_name: r.status for r in results} == {"Hidden Flow": Status.ERROR, "Sales": Status.ERROR}


def test_cob_008_is_error_when_flows_were_not_collected(org):
    add(org, "Good", flow=f.flow_ref(FLOW))
    org.fail("flows")
    [result] = evaluate(org, "COB-008")
    assert result.status is Status.ERROR


def test_cob_009_fires_when_messenger_or_its_conversations_app_is_off(org):
    off = config("Off", messenger={"enabled": False})
    no_app = config("No app", messenger={"enabled": True, "apps": {"conversations": {"enabled": False}}})
    on = config("On", messenger={"enabled": True, "apps": {"conversations": {"enabled": True}}})
    add(org, "Off", off)
    add(org, "No App", no_app)
    add(org, "On", on)
    results = evaluate(org, "COB-009")
    assert statuses(results) == {"Off": Status.FAIL, "No App": Status.FAIL, "On": Status.PASS}
    assert "messenger.apps.conversations.enabled: false" in next(
        r.message for r in results if r.resource_name == "No App")


def test_cob_010_fires_for_a_plan_site_matching_a_pause_criterion(org):
    criteria = [{"urlFragment": "/checkout", "condition": "Includes"},
                {"urlFragment": "https://shop.example.com/pay", "condition": "StartsWith"}]
    add(org, "Shop", config("Shop", cobrowse=f.cobrowse(pauseCriteria=criteria)),
        allowed_domains=["shop.example.com"])
    plan = Plan(deployments=("Shop",), sites=("https://shop.example.com/checkout/cart",
                                              "https://shop.example.com/payment",
                                              "https://shop.example.com/help"))
    results = evaluate(org, "COB-010", plan)
    assert statuses(results) == {
        "https://shop.example.com/checkout/cart": Status.FAIL,
        "https://shop.example.com/payment": Status.FAIL,
        "https://shop.example.com/help": Status.PASS,
    }


def test_cob_010_conditions():
    from auditor.rules.delivery.cob_010_site_paused import pauses

    url = "https://shop.example.com/help/faq"
    assert pauses(url, "/faq", "EndsWith") and not pauses(url, "/help", "EndsWith")
    assert pauses(url, "/help/faq", "Equals") and not pauses(url, "/help", "Equals")
    assert pauses(url, "/cart", "DoesNotInclude") and not pauses(url, "/help", "DoesNotInclude")
    assert pauses(url, "/x", "SomethingNew") is None


def test_cob_011_notes_headless_mode(org):
    add(org, "Headless", config("Headless", headlessMode={"enabled": True}))
    add(org, "Standard", config("Standard", headlessMode={"enabled": False}))
    results = evaluate(org, "COB-011")
    assert statuses(results) == {"Headless": Status.FAIL, "Standard": Status.PASS}
    assert all(r.severity.value == "info" for r in results)


def test_cob_012_fires_when_the_pinned_version_is_not_active(org):
    for status in ("Pending", "Error", "Deleting", "Active"):
        add(org, status, config(status, status=status))
    results = evaluate(org, "COB-012")
    assert statuses(results) == {"Pending": Status.FAIL, "Error": Status.FAIL, "Deleting": Status.FAIL,
                                 "Active": Status.PASS}
