"""The preflight HTML page never contradicts itself (issue 19, item 7): the chain colours by the
worst problem shown, the summary counts what is numbered, the page is titled by the request, and a
request gets no org-wide scope section."""

from __future__ import annotations

import re

import pytest

from auditor.inputs.plan import load_plan
from auditor.preflight.render import render_html
from auditor.preflight.request import parse_request_file
from auditor.preflight.verdict import run_preflight
from auditor.snapshot import load_snapshot
from tests.conftest import SAMPLES
from tests.preflight.test_thread import PAYLOAD_3

DEMO = SAMPLES / "demo-org"


@pytest.fixture(scope="module")
def demo():
    return load_snapshot(DEMO)


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("pf") / "payload.json"
    path.write_text(PAYLOAD_3, encoding="utf-8")
    return render_html(run_preflight(demo, request=parse_request_file(path)))


def _link(page, key):
    return re.search(rf'<li class="link (state-\w+)" data-link="{key}">(.*?)</li>', page, re.S)


def test_a_critical_problem_never_sits_on_an_amber_link(page):
    # COB-001 (critical: no Active deployment) is the answer's action on the demo org.
    actions = page.split('<ol class="actions">', 1)[1].split("</ol>", 1)[0]
    assert "COB-001" in actions and 'sev-critical' in actions
    state, text = _link(page, "deployment").groups()
    assert state == "state-fail", text
    assert "blocked: 1 to fix" in text


def test_the_summary_counts_the_numbered_problems(page):
    numbered = page.split('id="preflight"', 1)[1].split("</ol>", 1)[0].count('<li class="problem">')
    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert f"{numbered} numbered problems<" in summary
    shown = sum(int(n) for n in re.findall(r'<span class="sev sev-[\w-]+">\w+</span></th><td>(\d+)</td>', summary))
    assert shown == numbered == 4  # the body (one problem), the wrap-up code, the user, the queue
    # The headline's missing endpoint is named, not counted again; no per-prediction FAIL count.
    assert "PRE-001 [critical]" in summary
    assert "Results by status" not in summary and ">FAIL<" not in summary


def test_the_page_is_titled_by_the_request_and_has_no_scope_section(page):
    assert re.search(r"<title>Preflight: POST /api/v2/conversations/cobrowse – NO-GO", page)
    assert "<h1>Preflight: POST /api/v2/conversations/cobrowse</h1>" in page
    assert "Co-browse readiness:" not in page
    assert 'id="scope"' not in page


def test_a_rollout_plan_page_is_titled_by_the_plan_and_keeps_its_scope(demo):
    plan = load_plan(DEMO / "plan.yaml")
    page = render_html(run_preflight(demo, plan=plan))
    assert "<h1>Preflight: rollout plan plan.yaml</h1>" in page
    assert 'id="scope"' in page
