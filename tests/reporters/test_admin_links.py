from __future__ import annotations

from auditor.reporters.admin_links import admin_url, link_templates, region_domain

QUEUE_ID = "0b0f5c1e-8f2a-4a51-9d3c-2c8d2b0f6a11"


def test_region_spellings_resolve_to_the_region_domain() -> None:
    assert region_domain("eu-west-1") == "mypurecloud.ie"
    assert region_domain("eu_west_1") == "mypurecloud.ie"
    assert region_domain("mypurecloud.ie") == "mypurecloud.ie"
    assert region_domain("us-east-1") == "mypurecloud.com"


def test_unknown_or_hostile_region_gives_no_links() -> None:
    for region in (None, "", "evil.example", "javascript:alert(1)", "eu-west-1/../x"):
        assert region_domain(region) is None
        assert link_templates(region) == {}
        assert admin_url(region, "queue", QUEUE_ID) is None


def test_admin_url_for_a_queue_and_none_for_unlinkable_objects() -> None:
    assert admin_url("eu-west-1", "queue", QUEUE_ID) == (
        f"https://apps.mypurecloud.ie/directory/#/admin/organization/queues/{QUEUE_ID}"
    )
    assert admin_url("eu-west-1", "oauth_client", QUEUE_ID).startswith("https://apps.mypurecloud.ie/")
    # no known admin page, or an id that is not a UUID (plan references, hostile ids)
    assert admin_url("eu-west-1", "web_deployment", QUEUE_ID) is None
    assert admin_url("eu-west-1", "queue", "queue:Gift Cards") is None
    assert admin_url("eu-west-1", "queue", "x\"><script>") is None


def test_every_template_is_https_on_the_apps_host() -> None:
    for template in link_templates("ap-southeast-2").values():
        assert template.startswith("https://apps.mypurecloud.com.au/directory/#/admin/")
        assert "{id}" in template
