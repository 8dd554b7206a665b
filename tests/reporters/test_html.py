"""The HTML report without a browser: escaping, self-containment, CSP, the nightly hook, scale."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditor.reporters import html
from auditor.reporters.table import clean
from auditor.testing.synthetic_report import synthetic_report
from tests.reporters.hostile import BREAKOUT_QUEUE, SCRIPT_QUEUE, hostile_report


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


@pytest.fixture(scope="module")
def report():
    return hostile_report(fail_dataset="role_subjectgrants")


@pytest.fixture(scope="module")
def page_text(report) -> str:
    return html.render(report)


def _payload(page: Page) -> dict:
    (data,) = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    return json.loads(data)


def test_hostile_names_never_reach_the_markup_unescaped(page_text: str) -> None:
    page = Page(page_text)
    # Exactly the report's two scripts: the JSON data block and its own code; no injected tag or handler.
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    assert not [tag for tag, _ in page.tags if tag in ("img", "svg", "iframe", "object", "embed")]
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    for raw in (SCRIPT_QUEUE, "<img src=x", "<b>Support</b>", "alert(2)</script>"):
        assert raw not in page_text
    assert "Acme &lt;b&gt;Support&lt;/b&gt; &amp; &#34;Co&#34;" in page_text


def test_json_block_cannot_close_the_script_and_round_trips(page_text: str, report) -> None:
    start = page_text.index('<script type="application/json" id="gcaudit-data">')
    block = page_text[start:page_text.index("</script>", start)]
    assert "<!--" not in block and "</" not in block.split(">", 1)[1]
    names = {row[4] for row in _payload(Page(page_text))["rows"]}
    assert SCRIPT_QUEUE in names and BREAKOUT_QUEUE in names
    # control characters were made spaces before they reached the page
    assert all(name == clean(name, 10_000) for name in names)
    assert len(_payload(Page(page_text))["rows"]) == len(report.results)


def test_report_is_self_contained(page_text: str) -> None:
    page = Page(page_text)
    assert not [tag for tag, attrs in page.tags if "src" in attrs]
    assert not [tag for tag, _ in page.tags if tag in ("link", "base", "iframe", "frame")]
    hrefs = [(tag, attrs["href"]) for tag, attrs in page.tags if "href" in attrs]
    assert hrefs and all(tag == "a" for tag, _ in hrefs)
    assert all(href.startswith(("#", "https://")) for _, href in hrefs)
    style = page_text[page_text.index("<style>"):page_text.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    script = Page(page_text).scripts[1][1]
    for api in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "fetch(",
                "XMLHttpRequest", "import("):
        assert api not in script


def test_csp_allows_only_the_page_script_by_hash(page_text: str) -> None:
    page = Page(page_text)
    (csp,) = [attrs["content"] for tag, attrs in page.tags
              if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    script = page.scripts[1][1]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_header_verdict_banner_and_chain(page_text: str) -> None:
    assert "Not ready for co-browse" in page_text
    assert 'id="incomplete"' in page_text and "<code>role_subjectgrants</code>" in page_text
    assert "HTTP 403 missing.permissions" in page_text
    chain = re.findall(r'<li class="link state-(\w+)" data-link="(\w+)">', page_text)
    assert [key for _, key in chain] == ["deployment", "configuration", "queue", "members", "permissions",
                                         "client"]
    assert dict((key, state) for state, key in chain)["queue"] == "fail"
    assert 'href="#rule-QUE-002"' in page_text


def test_groups_put_failing_rules_first_with_rule_metadata(page_text: str, report) -> None:
    sections = re.findall(r'<details class="rule [^"]*" id="rule-([A-Z]+-\d+)" data-group="(\d+)" '
                          r'data-sev="(\w+)"( open)?>', page_text)
    assert len(sections) == len({r.rule_id for r in report.results})
    opened = [bool(o) for _, _, _, o in sections]
    assert opened == sorted(opened, reverse=True)  # groups with FAIL/ERROR (open) come first
    assert "Why it matters." in page_text and "How to fix." in page_text
    assert 'href="https://help.mypurecloud.com/articles/configure-call-work-settings/"' in page_text


def test_deep_links_are_templates_for_the_region(report) -> None:
    payload = _payload(Page(html.render(report)))
    assert payload["links"]["queue"] == "https://apps.mypurecloud.ie/directory/#/admin/organization/queues/{id}"
    queue_rows = [row for row in payload["rows"] if row[2] == "queue"]
    assert queue_rows and all(row[7] == 1 for row in queue_rows)  # queue ids are UUIDs: linkable
    report.region = "evil.example"
    try:
        assert _payload(Page(html.render(report)))["links"] == {}
    finally:
        report.region = "eu-west-1"


def test_extra_hook_badges_and_derived_template(tmp_path: Path, report) -> None:
    (tmp_path / "nightly-test.html.j2").write_text(
        '{% extends "report.html.j2" %}{% block changes %}<section id="changes">{{ extra.note }}</section>'
        "{% endblock %}"
    )
    fp = report.results[0].fingerprint
    text = html.render(report, extra={"badges": {fp: "NEW"}, "note": "<i>since last night</i>"},
                       template="nightly-test.html.j2", template_dirs=[str(tmp_path)])
    assert '<section id="changes">&lt;i&gt;since last night&lt;/i&gt;</section>' in text
    assert _payload(Page(text))["badges"] == {fp: "NEW"}


def test_extra_script_is_covered_by_the_csp_hash(report) -> None:
    text = html.render(report, extra={"script": "window.gcauditNightly = 1;"})
    page = Page(text)
    script = page.scripts[1][1]
    assert script.endswith("window.gcauditNightly = 1;")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert digest in text
    with pytest.raises(ValueError):
        html.render(report, extra={"script": "x = '</script><script>alert(1)'"})


def test_codespans_escape_every_part() -> None:
    assert str(html.codespans("set `<b>` & <i>")) == "set <code>&lt;b&gt;</code> &amp; &lt;i&gt;"
    assert str(html.codespans("odd ` <x>")) == "odd ` &lt;x&gt;"


def test_templates_are_found_in_the_checkout() -> None:
    root = Path(__file__).resolve().parents[2]
    assert root / "report_templates" in html.template_dirs()


def test_20k_results_render_as_data_not_dom_rows() -> None:
    report = synthetic_report(20_000)
    text = html.render(report)
    size_mb = len(text.encode()) / 1e6
    assert size_mb < 15, f"{size_mb:.1f} MB"
    payload = _payload(Page(text))
    assert len(payload["rows"]) == 20_000
    assert text.count("<tr") < 100  # rows are rendered by the page script, a page at a time


def _sample_page(name: str, plan: bool) -> str:
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.snapshot import load_snapshot
    from tests.conftest import SAMPLES

    folder = SAMPLES / name
    return html.render(run_audit(load_snapshot(folder), load_plan(folder / "plan.yaml") if plan else None))


def test_fix_first_words_and_finding_titles() -> None:
    page = _sample_page("demo-org", plan=True)
    fix = page[page.index('id="fix-first"'):page.index('id="readiness"')]
    assert "Activate deployment &#39;Northwind Store Checkout&#39; (now Inactive)" in fix
    actions = fix[fix.index('<ol class="actions">'):fix.index('<details class="blocker-list">')]
    assert "Deployment &#39;Northwind Store Checkout&#39;: activate it (now Inactive)" in actions
    assert actions.count('<li class="action-item') == 17
    blockers = fix[fix.index('<details class="blocker-list">'):]
    assert blockers.index("Web deployment") < blockers.index("OAuth client")
    assert '<details class="also" data-kind="OAuth clients">' in fix and "OAUTH-003" in fix.split("Also in this org")[1]
    assert "NOT READY for co-browse: 17 actions resolve 25 blockers" in fix
    data = json.loads(re.search(r'id="gcaudit-data">(.*?)</script>', page, re.S).group(1))
    assert "messenger_configuration" not in {row[8] for row in data["rows"]}
    assert "Messenger configuration" in {row[8] for row in data["rows"]}
    assert not any("`" in row[5] for row in data["rows"])  # Markdown code spans stripped
    assert "A deployment that pins a co-browse configuration is not Active" in page


def test_all_green_report_has_neutral_badges() -> None:
    page = _sample_page("ready-org", plan=False)
    assert "READY for co-browse: 0 blockers" in page
    assert not re.search(r'class="sev sev-(critical|high|medium)"', page)
    assert 'class="sev sev-neutral"' in page
