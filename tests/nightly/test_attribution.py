"""Who changed it: a change planted through the fake API's audit trail shows who, when, from where
and old -> new in every nightly surface (terminal, JSON, Markdown, HTML), in `gcaudit diff` and in a
notification; without the audit permission, "who: unknown (needs audits:audit:view)" and the run is
otherwise unchanged. All over real HTTP (the fake API, a local webhook receiver)."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.testing.fake_api import FakeConfig, FakePlatformApi, ForbiddenPath
from auditor.testing.fake_audit import Actor
from tests.conftest import run_cli
from tests.history.orgs import nightly_org
from tests.webhook_receiver import Receiver

PRIYA = Actor(user_name="Priya Natarajan", application="UI", remote_ip=("203.0.113.7",))
WHO = re.compile(r"status: Active -> Inactive, by Priya Natarajan \(UI, 203\.0\.113\.7\) at \d{4}-\d\d-\d\d \d\d:\d\d")


def _night(api: FakePlatformApi, out: Path, *extra: str, env: dict[str, str] | None = None):
    return run_cli("nightly", "--out-dir", str(out), "--label", "acme", "--rate", "6000", *extra,
                   env={**api.env(), "GCAUDIT_CONFIG": "", **(env or {})})


def _two_nights(tmp_path: Path, config: FakeConfig | None = None, plant: bool = True):
    out = tmp_path / "r"
    with FakePlatformApi(nightly_org(), config) as api, Receiver() as rx:
        first = _night(api, out)
        assert first.returncode == 1, first.stderr[-3000:]  # QUE-002 on Billing
        deployment = api.data["deployments"][0]
        if plant:
            api.plant_change("deployments", deployment["id"], {"status": "Inactive"}, PRIYA)
        else:  # changed, but nothing in the audit trail
            deployment["status"] = "Inactive"
        second = _night(api, out, "--notify-format", "generic", env={"GCAUDIT_NOTIFY": rx.url})
        queries = list(api.audit.queries)
        bodies = list(rx.bodies) if hasattr(rx, "bodies") else [r["body"] for r in rx.requests]
    return out, second, queries, bodies, deployment["id"]


def test_a_planted_change_shows_who_when_where_and_old_new_everywhere(tmp_path: Path) -> None:
    out, night, queries, bodies, deployment_id = _two_nights(tmp_path)
    assert night.returncode == 1, night.stderr[-3000:]
    # Terminal: the finding line and the drift line both carry the attribution.
    finding_line = next(line for line in night.stdout.splitlines() if "COB-003" in line)
    assert "NEW" in finding_line
    terminal = " ".join(night.stdout.split())  # lines may be wrapped
    assert len(WHO.findall(terminal)) == 2, night.stdout
    # JSON: the finding and the drift entry with the trail's entry, structured.
    nightly = json.loads((out / "latest.json").read_text())["nightly"]
    [cob] = [c for c in nightly["findings"]["changes"] if c["rule_id"] == "COB-003"]
    assert WHO.search(cob["attributed"]["who"])
    [entry] = cob["attributed"]["entries"]
    assert entry["user"]["name"] == "Priya Natarajan" and entry["remote_ip"] == ["203.0.113.7"]
    assert entry["entity_id"] == deployment_id and entry["service"] == "WebDeployments"
    assert entry["property_changes"] == [{"property": "status", "old": "Active", "new": "Inactive"}]
    [drift] = [c for c in nightly["drift"]["changes"] if c["kind"] == "deployment"]
    assert WHO.search(drift["attributed"]["who"])
    assert nightly["attribution"]["method"] == "realtime" and nightly["attribution"]["unknown"] is None
    # Markdown and HTML.
    # Markdown escapes its punctuation (`\(`, `-\>`): the text reads the same once rendered.
    assert len(WHO.findall((out / "latest.md").read_text().replace("\\", ""))) == 2
    html = (out / "latest.html").read_text()
    assert len(re.findall(r'<td class="who">status: Active -&gt; Inactive, by Priya Natarajan \(UI, 203\.0\.113\.7\)',
                          html)) == 2
    # The notification.
    [body] = bodies
    [listed] = [f for f in body["findings"] if f["rule_id"] == "COB-003"]
    assert WHO.search(listed["who"])
    # One query per service and window, not one per object: the mapping, then one realtime query.
    posts = [q for q in queries if q[0] == "POST"]
    assert [q[1] for q in queries if q[0] == "GET"] == ["/api/v2/audits/query/realtime/servicemapping"]
    assert [(p[1], p[2]["serviceName"]) for p in posts] == [("/api/v2/audits/query/realtime", "WebDeployments")]
    # `gcaudit diff` shows the attribution stored with run 2.
    diff = run_cli("diff", "1", "2", "--history", f"sqlite:///{out / 'gcaudit-history.db'}", env={"GCAUDIT_CONFIG": ""})
    assert diff.returncode == 0, diff.stderr
    assert len(WHO.findall(" ".join(diff.stdout.split()))) == 2, diff.stdout
    as_json = json.loads(run_cli("diff", "1", "2", "--history", f"sqlite:///{out / 'gcaudit-history.db'}",
                                 "--format", "json",
                                 env={"GCAUDIT_CONFIG": ""}).stdout)
    [cob] = [c for c in as_json["findings"]["changes"] if c["rule_id"] == "COB-003"]
    assert cob["attributed"]["entries"][0]["user"]["name"] == "Priya Natarajan"


def test_without_the_audit_permission_who_is_unknown_and_nothing_else_changes(tmp_path: Path) -> None:
    allowed = _two_nights(tmp_path / "a")
    denied = _two_nights(tmp_path / "d", FakeConfig(faults=[ForbiddenPath("/api/v2/audits/", "audits:audit:view")]))
    out, night = denied[0], denied[1]
    assert night.returncode == allowed[1].returncode == 1
    assert "who: unknown (needs audits:audit:view)" in " ".join(night.stdout.split())
    assert not WHO.search(" ".join(night.stdout.split()))
    nightly = json.loads((out / "latest.json").read_text())["nightly"]
    assert nightly["attribution"]["unknown"] == "needs audits:audit:view"
    same = json.loads((allowed[0] / "latest.json").read_text())
    other = json.loads((out / "latest.json").read_text())
    assert other["nightly"]["findings"]["counts"] == same["nightly"]["findings"]["counts"]
    assert [(r["rule_id"], r["status"]) for r in other["results"]] == [(r["rule_id"], r["status"])
                                                                        for r in same["results"]]
    assert other["summary"] == same["summary"]
    assert "who: unknown \\(needs audits:audit:view\\)" in (out / "latest.md").read_text()
    assert "who: unknown (needs audits:audit:view)" in (out / "latest.html").read_text()
    [body] = denied[3]
    assert [f["who"] for f in body["findings"] if f["rule_id"] == "COB-003"] == [
        "who: unknown (needs audits:audit:view)"]


def test_a_change_with_no_trail_entry_says_so(tmp_path: Path) -> None:
    _, night, *_ = _two_nights(tmp_path, plant=False)
    assert night.returncode == 1
    text = " ".join(night.stdout.split())
    assert text.count("who: unknown (no entry in the audit trail)") == 2, night.stdout


def test_hostile_trail_text_is_sanitised_in_every_medium(tmp_path: Path) -> None:
    evil = Actor(user_name="Eve\x1b]0;owned\x07 <img src=x onerror=alert(1)> [link](https://evil.example) |x| <@U1>",
                 application="UI\u202e", remote_ip=("203.0.113.9\n\nInjected: line",))
    out = tmp_path / "r"
    with FakePlatformApi(nightly_org()) as api, Receiver() as rx:
        assert _night(api, out).returncode == 1
        api.plant_change("deployments", api.data["deployments"][0]["id"], {"status": "Inactive"}, evil)
        night = _night(api, out, "--notify-format", "slack", env={"GCAUDIT_NOTIFY": rx.url})
    assert night.returncode == 1
    assert "\x1b" not in night.stdout and "\u202e" not in night.stdout and "Injected: line\n" not in night.stdout
    html = (out / "latest.html").read_text()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    import markdown

    rendered = markdown.markdown((out / "latest.md").read_text(), extensions=["tables"])
    assert "<img" not in rendered and "<a " not in rendered and "Eve" in rendered
    slack = json.dumps(rx.requests[0]["body"])
    assert "<@U1>" not in slack and "<img" not in slack and "\\u001b" not in slack


def test_a_window_beyond_14_days_uses_the_asynchronous_query(tmp_path: Path) -> None:
    out = tmp_path / "r"
    with FakePlatformApi(nightly_org()) as api:
        assert _night(api, out).returncode == 1
        # The previous run was 20 days ago; the change 18 days ago.
        db = sqlite3.connect(out / "gcaudit-history.db")
        db.execute("UPDATE gcaudit_runs SET started_at = ?", ((datetime.now(UTC) - timedelta(days=20))
                                                               .strftime("%Y-%m-%d %H:%M:%S.000000"),))
        db.commit()
        db.close()
        api.plant_change("deployments", api.data["deployments"][0]["id"], {"status": "Inactive"}, PRIYA,
                         when=datetime.now(UTC) - timedelta(days=18))
        night = _night(api, out)
        paths = [(q[0], q[1].rsplit("/", 1)[-1] if q[1].count("/") > 5 else q[1]) for q in api.audit.queries]
    assert night.returncode == 1, night.stderr[-2000:]
    assert ("POST", "/api/v2/audits/query") in paths and ("GET", "results") in paths
    assert ("POST", "/api/v2/audits/query/realtime") not in paths
    assert len(WHO.findall(" ".join(night.stdout.split()))) == 2
    assert json.loads((out / "latest.json").read_text())["nightly"]["attribution"]["method"] == "query"


def test_offline_and_first_runs_are_not_attributed(tmp_path: Path) -> None:
    out = tmp_path / "r"
    with FakePlatformApi(nightly_org()) as api:
        first = _night(api, out)
        assert first.returncode == 1
        assert api.audit.queries == []  # no previous run: no window to search
    assert json.loads((out / "latest.json").read_text())["nightly"]["attribution"] is None
    assert "who:" not in first.stdout
