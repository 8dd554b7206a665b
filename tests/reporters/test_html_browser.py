"""The HTML report in headless Chromium: it renders, filters and searches, and hostile names stay text.

Driven over the DevTools protocol on a pipe (tests/reporters/cdp.py): nothing is downloaded and no
port is opened. Skipped when Chromium is missing, unless GCAUDIT_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from auditor.reporters import html
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.synthetic_report import synthetic_report
from tests.conftest import SAMPLES, run_cli
from tests.reporters.cdp import Browser, find_chromium

pytestmark = pytest.mark.browser

INJECTED = "<script>alert(1)</script>"
INJECTED_ORG = "Northwind \"><img src=x onerror=alert(2)>"

# Runs before the page's own script in every document: records alert() calls and dialogs.
SPY = "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"

VISIBLE_ROWS = "Array.from(document.querySelectorAll('details.rule:not([hidden]) tbody tr'))"


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("GCAUDIT_REQUIRE_BROWSER") == "1":
            pytest.fail("GCAUDIT_REQUIRE_BROWSER=1 but no Chromium is installed")
        pytest.skip("headless Chromium is not installed")
    with Browser(executable, width=1280, height=1000) as b:
        b.add_init_script(SPY)
        yield b


def _demo_org_with_injection(tmp_path: Path) -> tuple[Path, Path | None]:
    """demo-org with a plan queue renamed to a <script> tag (and the plan following it); an
    OrgBuilder org when demo-org is not there."""
    demo = SAMPLES / "demo-org"
    if not (demo / "manifest.json").is_file():
        org = OrgBuilder(org_name=INJECTED_ORG)
        org.add_queue(f.queue(INJECTED, wrapup_prompt="MANDATORY"))
        org.add_queue(f.queue("Billing Web"))
        return org.write(tmp_path / "org"), None
    target = tmp_path / "demo-org"
    shutil.copytree(demo, target)
    plan = yaml.safe_load((target / "plan.yaml").read_text())
    victim = plan["cobrowse"]["queues"][0]
    queues = json.loads((target / "queues.json").read_text())
    for queue in queues:
        if queue["name"] == victim:
            queue["name"] = INJECTED
    (target / "queues.json").write_text(json.dumps(queues))
    plan["cobrowse"]["queues"][0] = INJECTED
    (target / "plan.yaml").write_text(yaml.safe_dump(plan))
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["organization"]["name"] = INJECTED_ORG
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target, target / "plan.yaml"


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    snapshot, plan = _demo_org_with_injection(tmp)
    out = tmp / "report.html"
    args = ["audit", str(snapshot), "--html", str(out), "--format", "json", "-o", str(tmp / "out.json")]
    if plan:
        args += ["--plan", str(plan)]
    done = run_cli(*args)
    assert done.returncode in (0, 1, 3), done.stderr
    results = json.loads((tmp / "out.json").read_text())["results"]
    assert any(r["resource_name"] == INJECTED for r in results)  # the hostile name is in the findings
    return out


def _open(browser: Browser, path: Path, fragment: str = "") -> None:
    browser.goto(path.resolve().as_uri() + fragment)
    browser.wait_for("document.documentElement.dataset.ready === '1'")


def _visible(browser: Browser) -> list[dict]:
    return browser.evaluate(
        f"{VISIBLE_ROWS}.map(tr => ({{sev: tr.closest('details').dataset.sev, status: tr.dataset.status, "
        "text: tr.textContent}))"
    )


def _search(browser: Browser, text: str) -> None:
    """Type into the search box as a user would (the page listens to `input`)."""
    browser.evaluate(f"(() => {{ const q = document.getElementById('q'); q.value = {json.dumps(text)};"
                     "q.dispatchEvent(new Event('input', {bubbles: true})); })()")


def _shown(browser: Browser) -> str:
    return browser.evaluate("document.getElementById('shown').textContent")


def test_demo_report_renders_and_injected_script_stays_text(browser: Browser, demo_report: Path,
                                                          tmp_path: Path) -> None:
    _open(browser, demo_report)
    assert browser.evaluate("window.__alerts") == []
    assert browser.evaluate("document.querySelectorAll('script').length") == 2
    assert browser.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
    assert browser.evaluate(f"document.body.innerText.includes({json.dumps(INJECTED)})")
    assert browser.evaluate("document.querySelector('h1').textContent").endswith(INJECTED_ORG)
    assert not any(e.get("method") == "Page.javascriptDialogOpening" for e in browser.events)
    shot = browser.screenshot(tmp_path / "demo-report.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("GCAUDIT_SCREENSHOT_DIR"):  # for a human to look at
        shutil.copy(shot, Path(os.environ["GCAUDIT_SCREENSHOT_DIR"]) / shot.name)


def test_severity_filter_changes_what_is_shown(browser: Browser, demo_report: Path) -> None:
    _open(browser, demo_report)
    before = _visible(browser)
    assert {row["sev"] for row in before} > {"critical"}
    browser.evaluate("document.querySelectorAll('input[name=sev]')"
                     ".forEach(b => { if (b.value !== 'critical') b.click(); })")
    after = _visible(browser)
    assert after and {row["sev"] for row in after} == {"critical"}
    assert len(after) < len(before)
    assert "sev=critical" in browser.evaluate("window.location.hash")
    hidden = browser.evaluate("Array.from(document.querySelectorAll('details.rule')).filter(d => !d.hidden)"
                              ".map(d => d.dataset.sev)")
    assert set(hidden) == {"critical"}


def test_search_box_changes_what_is_shown(browser: Browser, demo_report: Path) -> None:
    _open(browser, demo_report)
    total = _shown(browser)
    _search(browser, INJECTED)
    browser.wait_for(f"document.getElementById('shown').textContent !== {json.dumps(total)}")
    rows = _visible(browser)
    assert rows and all(INJECTED in row["text"] for row in rows)
    _search(browser, "no such thing anywhere")
    browser.wait_for("!document.getElementById('no-match').hidden")
    assert _visible(browser) == []
    assert browser.evaluate("window.__alerts") == []


def test_pass_results_are_collapsed_until_asked_for(browser: Browser, demo_report: Path) -> None:
    _open(browser, demo_report)
    assert all(row["status"] != "PASS" for row in _visible(browser))
    browser.evaluate("document.querySelector('details.rule:not([hidden]) "
                     "button[data-action=pass]:not([hidden])').click()")
    assert any(row["status"] == "PASS" for row in _visible(browser))


def test_filters_from_the_url_fragment(browser: Browser, demo_report: Path) -> None:
    _open(browser, demo_report, "#status=FAIL&sev=high")
    rows = _visible(browser)
    assert rows and {(r["sev"], r["status"]) for r in rows} == {("high", "FAIL")}
    assert browser.evaluate("document.querySelector('input[name=sev][value=critical]').checked") is False


def test_csp_blocks_a_script_that_slipped_past_escaping(browser: Browser, tmp_path: Path) -> None:
    text = html.render(synthetic_report(40))
    tampered = text.replace("<main>", "<main><script>window.__escaped = true; alert('csp')</script>", 1)
    page = tmp_path / "tampered.html"
    page.write_text(tampered)
    _open(browser, page)  # the report's own (hashed) script still runs ...
    assert browser.evaluate("window.__escaped === undefined")  # ... the injected one does not
    assert browser.evaluate("window.__alerts") == []


def test_20k_results_load_with_a_bounded_dom(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text(html.render(synthetic_report(20_000)))
    _open(browser, page)
    assert "of 20000 results" in _shown(browser)
    groups = browser.evaluate("document.querySelectorAll('details.rule').length")
    rows = browser.evaluate("document.querySelectorAll('table.results tbody tr').length")
    assert 0 < rows <= groups * 50 < 20_000  # one page of rows per rule, not 20,000 rows
    browser.evaluate("document.querySelector('button[data-action=more]:not([hidden])').click()")
    assert browser.evaluate("window.__alerts") == []


def test_at_400_px_findings_are_cards_and_nothing_overflows(browser: Browser, demo_report: Path,
                                                           tmp_path: Path) -> None:
    """A phone: no horizontal scrolling, results as cards with a usable message width, the fix-first
    list above the chain and the findings."""
    browser.set_viewport(400)
    try:
        _open(browser, demo_report)
        assert browser.evaluate("window.innerWidth") == 400
        assert browser.evaluate("document.documentElement.scrollWidth") <= 400
        rows = browser.evaluate(
            f"{VISIBLE_ROWS}.map(tr => ({{display: getComputedStyle(tr).display, "
            "message: tr.querySelector('td.message').getBoundingClientRect().width}))"
        )
        assert rows and all(r["display"] == "block" for r in rows)
        assert min(r["message"] for r in rows) > 300
        order = browser.evaluate(
            "['fix-first', 'readiness', 'findings'].map(id => document.getElementById(id).getBoundingClientRect().top)"
        )
        assert order == sorted(order)
        first = browser.evaluate("document.querySelector('#fix-first li.blocker').textContent")
        assert first.startswith("Activate") and "COB-001" in first
        assert browser.evaluate("Array.from(document.querySelectorAll('details.also')).every(d => !d.open)")
        browser.screenshot(tmp_path / "demo-400.png")
    finally:
        browser.set_viewport(1280, 1000)


def test_not_applicable_rows_are_collapsed_with_the_passes(browser: Browser, demo_report: Path) -> None:
    _open(browser, demo_report)
    statuses = {row["status"] for row in _visible(browser)}
    assert "NOT_APPLICABLE" not in statuses and "PASS" not in statuses and "FAIL" in statuses


def test_preflight_html_fits_400_px_and_leads_with_the_missing_endpoint(browser: Browser, tmp_path: Path) -> None:
    request = tmp_path / "payload.json"
    request.write_text(json.dumps({"cobrowseType": "WEB", "cobrowseTarget": "https://example.com",
                                   "routingData": {"queueId": "12345678-1234-1234-1234-123456789012"}}))
    page = tmp_path / "preflight.html"
    done = run_cli("preflight", str(SAMPLES / "ready-org"), str(request), "--html", str(page))
    assert done.returncode == 1, done.stderr
    browser.set_viewport(400)
    try:
        _open(browser, page)
        assert browser.evaluate("document.documentElement.scrollWidth") <= 400
        verdict = browser.evaluate("document.getElementById('verdict').innerText")
        assert verdict.startswith("NO-GO: POST /api/v2/conversations/cobrowse does not exist")
        assert "Use instead: POST" in verdict
        links = browser.evaluate("Array.from(document.querySelectorAll('#findings a[href^=\"https://apps\"]'))"
                                 ".map(a => a.href)")
        assert not any("12345678-1234" in href for href in links)
    finally:
        browser.set_viewport(1280, 1000)


def _nightly_runs(tmp_path: Path) -> Path:
    """Three nightly runs of demo-org; before the third, 'Local Dev Sandbox' goes from CODE to PASSWORD."""
    out = tmp_path / "reports"
    for night in range(3):
        snapshot = tmp_path / f"night{night}"
        shutil.copytree(SAMPLES / "demo-org", snapshot)
        if night == 2:
            clients = json.loads((snapshot / "oauth_clients.json").read_text())
            for client in clients:
                if client["name"] == "Local Dev Sandbox":
                    client["authorizedGrantType"] = "PASSWORD"
            (snapshot / "oauth_clients.json").write_text(json.dumps(clients))
        done = run_cli("nightly", str(snapshot), "--plan", str(SAMPLES / "demo-org" / "plan.yaml"),
                       "--out-dir", str(out), env={"COLUMNS": "100"})
        assert done.returncode == 1, done.stderr
    last = done.stdout.splitlines()
    assert last[-1].startswith("NOT READY for co-browse")
    changes = "\n".join(last[:6])
    assert "NEW" in changes and "'Local Dev Sandbox'" in changes
    assert "authorizedGrantType: CODE -> PASSWORD" in changes  # the terminal shows old -> new, first
    return out / "latest.html"


def test_nightly_changes_first_with_old_and_new_values_and_a_readable_trend(browser: Browser,
                                                                         tmp_path: Path) -> None:
    page = _nightly_runs(tmp_path)
    _open(browser, page)
    order = browser.evaluate(
        "['changes', 'fix-first', 'findings'].map(id => document.getElementById(id).getBoundingClientRect().top)"
    )
    assert order == sorted(order)
    drift = browser.evaluate("document.getElementById('drift').innerText")
    assert "Local Dev Sandbox" in drift and "authorizedGrantType: CODE -> PASSWORD" in drift
    finding = browser.evaluate("document.getElementById('finding-changes').innerText")
    assert "An OAuth client uses the resource-owner password grant" in finding
    assert browser.evaluate("document.querySelector('#finding-changes a.rule-ref').getAttribute('href')") \
        == "#rule-OAUTH-003"
    bands = browser.evaluate(
        "Array.from(document.querySelectorAll('#trend polygon.band')).map(p => ({sev: p.dataset.severity, "
        "fill: getComputedStyle(p).fill, box: {y: p.getBBox().y, height: p.getBBox().height}}))"
    )
    assert len(bands) == 5 and len({b["fill"] for b in bands}) == 5  # five distinct series
    # stacked, so no band hides another: each non-empty band sits above the one below it
    tops = [b["box"]["y"] for b in bands if b["box"]["height"] > 0]
    assert tops == sorted(tops, reverse=True) and len(tops) >= 4
    labels = browser.evaluate("Array.from(document.querySelectorAll('#trend text')).map(t => t.textContent)")
    assert "Open failures" in labels and "Run date (oldest left)" in labels
    assert browser.evaluate("document.querySelectorAll('#trend text.ytick').length") >= 3
    assert browser.evaluate("document.querySelectorAll('#trend text.xtick').length") == 3


def test_nightly_report_fits_400_px(browser: Browser, tmp_path: Path) -> None:
    page = _nightly_runs(tmp_path)
    browser.set_viewport(400)
    try:
        _open(browser, page)
        assert browser.evaluate("document.documentElement.scrollWidth") <= 400
        assert browser.evaluate("getComputedStyle(document.querySelector('#drift tbody tr')).display") == "block"
    finally:
        browser.set_viewport(1280, 1000)
