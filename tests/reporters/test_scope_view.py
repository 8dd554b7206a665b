"""The co-browse scope on the human reports: where the queues came from (traffic, plan, or the
fallback with its reason) and each scope queue's traffic in the window (issue 11)."""

from __future__ import annotations

from auditor.engine import run_audit
from auditor.inputs.plan import Plan
from auditor.reporters import html, markdown, scope_view, table
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

HOSTILE = "Web \x1b[31mSupport <b>|"


def _org(traffic: bool) -> OrgBuilder:
    org = OrgBuilder()
    org.add_queue(f.queue(HOSTILE))
    org.add_queue(f.queue("Phone Only"))
    if traffic:
        web = org.queues[0]["id"]
        org.conversation_aggregates = [
            f.traffic(web, "message", 12, message_type="webmessaging"),
            f.traffic(web, "cobrowse", 3),
        ]
    return org


def test_traffic_scope_lists_each_queue_with_its_window() -> None:
    report = run_audit(_org(traffic=True).snapshot())
    view = scope_view.describe(report)
    assert view is not None and view.fallback is None
    assert "took web messaging" in view.headline and "last 7 days" in view.headline
    [queue] = view.queues  # "Phone Only" took nothing: not in the scope
    assert (queue.webmessaging, queue.cobrowse_sessions) == (12, 3)
    terminal = table.render(report, width=80)
    assert "12 web messaging, 0 voice, 3 co-browse session(s)" in terminal
    assert "\x1b[31m" not in terminal  # the queue name is made printable
    md = markdown.render(report)
    assert "| Queue | Web messaging | Voice | Co-browse sessions |" in md and "| 12 | 0 | 3 |" in md
    page = html.render(report)
    assert 'id="scope"' in page and "<b>|" not in page and "&lt;b&gt;" in page


def test_fallback_says_why_on_every_surface() -> None:
    report = run_audit(_org(traffic=False).snapshot())
    view = scope_view.describe(report)
    assert view is not None and view.fallback
    assert "traffic data not available" in view.headline
    assert "why: " in table.render(report, width=80)
    assert "(why: " in markdown.render(report)
    assert "Why: " in html.render(report)


def test_plan_scope_names_the_plan_queues() -> None:
    report = run_audit(_org(traffic=True).snapshot(), Plan(queues=("Phone Only",)))
    view = scope_view.describe(report)
    assert view is not None and view.headline.startswith("Co-browse queues: the 1 the plan names")
    assert [q.name for q in view.queues] == ["Phone Only"] and view.queues[0].webmessaging == 0


def test_reports_without_the_engines_scope_say_nothing() -> None:
    report = run_audit(_org(traffic=True).snapshot())
    report.scope = None
    assert scope_view.describe(report) is None
    assert "Co-browse queues" not in table.render(report, width=80)
