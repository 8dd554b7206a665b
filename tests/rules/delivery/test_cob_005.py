from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def add_site(org, name, **kw):
    config = f.configuration(name, cobrowse_settings=f.cobrowse())
    org.deployments.append(f.deployment(name, config, **kw))


def test_http_and_unlisted_hosts_fail_listed_hosts_pass(org):
    add_site(org, "Support Site", allowed_domains=["www.example.com", "*.shop.example.com"])
    plan = Plan(
        deployments=("Support Site",),
        sites=(
            "https://www.example.com/help",
            "http://www.example.com/help",
            "https://eu.shop.example.com/cart",
            "https://shop.example.com/",
            "https://www.example.org/",
        ),
    )
    results = evaluate(org, "COB-005", plan)
    assert statuses(results) == {
        "https://www.example.com/help": Status.PASS,
        "http://www.example.com/help": Status.FAIL,
        "https://eu.shop.example.com/cart": Status.PASS,
        "https://shop.example.com/": Status.FAIL,  # `*.` does not cover the apex
        "https://www.example.org/": Status.FAIL,
    }
    by_name = {r.resource_name: r for r in results}
    assert "not https" in by_name["http://www.example.com/help"].message
    assert "'www.example.org' is not allowed" in by_name["https://www.example.org/"].message
    assert "'*.shop.example.com'" in by_name["https://eu.shop.example.com/cart"].message
    assert len({r.fingerprint for r in results}) == len(results)


def test_entries_written_as_origins_match_on_scheme_host_and_port(org):
    add_site(org, "Support Site", allowed_domains=["https://www.example.com", "http://old.example.com",
                                                   "help.example.com:8443"])
    plan = Plan(deployments=("Support Site",), sites=(
        "https://www.example.com/help", "https://old.example.com/", "https://help.example.com/",
        "https://help.example.com:8443/"))
    assert statuses(evaluate(org, "COB-005", plan)) == {
        "https://www.example.com/help": Status.PASS,
        "https://old.example.com/": Status.FAIL,  # entry is for http only
        "https://help.example.com/": Status.FAIL,  # entry is for port 8443 only
        "https://help.example.com:8443/": Status.PASS,
    }


def test_allow_all_domains_or_any_in_scope_deployment_allows_the_site(org):
    add_site(org, "Support Site", allowed_domains=["www.example.com"])
    add_site(org, "Billing Site", allow_all_domains=True)
    plan = Plan(deployments=("Support Site", "Billing Site"), sites=("https://billing.example.net/",))
    [result] = evaluate(org, "COB-005", plan)
    assert result.status is Status.PASS
    assert "allowAllDomains" in result.message


def test_a_site_fails_when_no_deployment_is_in_scope(org):
    org.deployments.append(f.deployment("Plain", f.configuration("Plain")))  # no co-browse: not in scope
    [result] = evaluate(org, "COB-005", Plan(sites=("https://www.example.com/",)))
    assert result.status is Status.FAIL
    assert "no in-scope co-browse deployment" in result.message


def test_not_applicable_without_plan_sites(org):
    add_site(org, "Support Site")
    [result] = evaluate(org, "COB-005", Plan(deployments=("Support Site",)))
    assert result.status is Status.NOT_APPLICABLE
    [result] = evaluate(org, "COB-005")
    assert result.status is Status.NOT_APPLICABLE


def test_error_when_deployments_were_not_collected(org):
    org.fail("deployments")
    [result] = evaluate(org, "COB-005", Plan(sites=("https://www.example.com/",)))
    assert result.status is Status.ERROR
