"""Fault-injection matrix: `gcaudit collect` then `gcaudit audit` against a misbehaving fake Platform API.

Each case (see fault_cases.py) runs both commands as a user would, over real HTTP on 127.0.0.1,
and checks four things:
- the commands complete, or fail with a one-line message and the documented exit status;
- the manifest tells the truth about every dataset (ok with the right count, or error with a reason);
- no entity is lost or duplicated: every collected dataset equals what the fake API holds at the end;
- no rule reports PASS on data it did not get: the audit equals the audit of the source org with
  the failed datasets marked failed (so rules needing them are ERROR, never PASS).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.engine import run_audit
from auditor.results import Severity
from auditor.rules import catalog
from auditor.snapshot import DATASETS, DatasetStatus, Manifest, Snapshot, load_snapshot
from auditor.testing.fake_api import FakeConfig, FakePlatformApi, GoneParent
from tests.conftest import run_cli
from tests.hardening.fault_cases import CASES, COLLECT_ARGS, PAGE_CAPS, Case, render_table, source_org

ROOT = Path(__file__).resolve().parents[2]
#: Where the generated tables live: the fault table in docs/security.md, the permissions in
#: docs/live-collection.md (both formerly in the README).
README_CANDIDATES = (ROOT / "README.md", ROOT / "docs" / "security.md", ROOT / "docs" / "live-collection.md")
#: What each dataset is collected from: a failure there fails it too (with the parent's reason).
PARENTS = {d.name: d.parent for d in DATASETS} | {"flows": "deployments", "group_individuals": "role_subjectgrants"}


def _expected_data(api: FakePlatformApi, case: Case, faults: list[Any]) -> dict[str, Any]:
    """What the org holds once the run is over (after any drift), minus queues deleted mid-run."""
    data = {name: api.data.get(name) for name in (d.name for d in DATASETS)}
    gone = {f.parent_id for f in faults if isinstance(f, GoneParent)}
    if gone:
        data["queues"] = [q for q in data["queues"] if q["id"] not in gone]
        for d in DATASETS:
            if d.parent == "queues":
                data[d.name] = {k: v for k, v in data[d.name].items() if k not in gone}
    return data


def _key(entity: dict[str, Any]) -> str:
    # Aggregates rows have no id: their group (queue, media type...) is what tells them apart;
    # usage rows and settings objects (issue 21) have neither, and their whole content does.
    if "id" in entity:
        return str(entity["id"])
    return json.dumps(entity.get("group", entity), sort_keys=True)


def _by_id(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [_key(e) for e in entities]
    assert len(ids) == len(set(ids)), "duplicate entities"
    return sorted(entities, key=_key)


def _assert_same_entities(name: str, got: Any, want: Any) -> None:
    if isinstance(want, dict):
        assert set(got) == set(want), f"{name}: parents differ"
        for key in want:
            assert _by_id(got[key]) == _by_id(want[key]), f"{name}[{key}] differs"
    else:
        assert _by_id(got) == _by_id(want), f"{name} differs from the source org"


def _expected_report(org_id: str, org_name: str, data: dict[str, Any], failed: frozenset[str]) -> Any:
    statuses = {d.name: DatasetStatus(status="error", http_status=403) if d.name in failed else DatasetStatus()
                for d in DATASETS}
    manifest = Manifest(collected_at="2026-01-01T00:00:00Z", organization_id=org_id,
                        organization_name=org_name, datasets=statuses)
    return run_audit(Snapshot(None, manifest, {k: v for k, v in data.items() if k not in failed}))


def _check_manifest(snapshot: Snapshot, case: Case) -> None:
    manifest = snapshot.manifest
    assert set(manifest.datasets) == {d.name for d in DATASETS}
    for name, status in manifest.datasets.items():
        file = snapshot.path / f"{name}.json"
        if name in case.failed:
            assert status.status == "error", f"{name} should be marked error"
            assert not file.exists(), f"{name}: a failed dataset must not leave a file"
            assert status.message, f"{name}: an error needs a reason"
            parent = PARENTS[name]
            if case.error_text and (parent is None or parent not in case.failed):
                assert case.error_text in status.message, status.message
        else:
            assert status.status == "ok", f"{name}: {status.message}"
            content = snapshot.data[name]
            count = sum(len(v) for v in content.values()) if isinstance(content, dict) else len(content)
            assert status.entities == count, f"{name}: manifest count {status.entities} != {count} in the file"
    if case.retried:
        assert manifest.extra["retries"] > 0, "the fault should have cost at least one retry"
    if case.throttled:
        assert manifest.extra["throttled"] > 0


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault_case(case: Case, tmp_path: Path) -> None:
    org = source_org()
    faults = case.faults(org)
    config = FakeConfig(page_caps=dict(PAGE_CAPS), faults=faults, **case.config)
    out = tmp_path / "snapshot"
    with FakePlatformApi(org, config) as api:
        collected = run_cli("--quiet", "collect", "--out-dir", str(out), *COLLECT_ARGS, env={**api.env(), **case.env})
        expected = _expected_data(api, case, faults)

    assert "Traceback" not in collected.stderr, collected.stderr
    assert collected.returncode == case.collect_exit, collected.stderr
    if case.error_text:
        assert case.error_text in collected.stderr, collected.stderr
    if not case.snapshot:
        errors = [line for line in collected.stderr.splitlines() if line.startswith("gcaudit: error:")]
        assert len(errors) == 1, collected.stderr
        assert not out.exists(), "no snapshot directory may appear when nothing could be collected"
        assert not list(tmp_path.glob(".snapshot.*")), "no partial directory may be left behind"
        return

    snapshot = load_snapshot(out)
    _check_manifest(snapshot, case)
    for name, content in snapshot.data.items():
        _assert_same_entities(name, content, expected[name])

    report_path = tmp_path / "report.json"
    # In-process (click's runner): the same command and exit status, without a second interpreter start.
    audited = CliRunner().invoke(cli, ["audit", str(out), "--format", "json", "-o", str(report_path)])
    assert audited.exception is None or isinstance(audited.exception, SystemExit), audited.exception
    report = json.loads(report_path.read_text())
    want = _expected_report(org.org_id, org.org_name, expected, case.failed)
    assert audited.exit_code == want.exit_status(Severity.HIGH), audited.stderr
    assert [(r["rule_id"], r["resource_id"], r["status"]) for r in report["results"]] == [
        (r.rule_id, r.resource_id, r.status.value) for r in want.results
    ]
    needs = {rule.id: set(rule.datasets) for rule in catalog()}
    for result in report["results"]:
        if result["status"] == "PASS":
            assert not needs[result["rule_id"]] & case.failed, f"{result['rule_id']} PASSed on missing data"
    # Every failed dataset a rule reads shows up as that rule's ERROR.
    for name in case.failed & set().union(*needs.values()):
        assert any(result["status"] == "ERROR" and name in needs[result["rule_id"]] for result in report["results"])


def test_readme_fault_table_lists_every_case() -> None:
    """The README's table is rendered from CASES: regenerate it with `python -m tests.hardening.fault_cases`."""
    table = render_table()
    texts = [p.read_text(encoding="utf-8") for p in README_CANDIDATES if p.exists()]
    assert any(table in text for text in texts), "README fault table is stale: regenerate it"


def test_readme_permissions_are_the_generated_list() -> None:
    """The least-privilege list comes from the dataset declarations: `gcaudit permissions --format markdown`."""
    from auditor.sources.collectors.permissions import render_markdown

    printed = CliRunner().invoke(cli, ["permissions", "--format", "markdown"])
    assert printed.exit_code == 0
    assert printed.output == render_markdown()
    row = "| `routing:queue:view` | every division | `queues`, `queue_wrapupcodes`, `queue_members` |"
    assert row in printed.output
    texts = [p.read_text(encoding="utf-8") for p in README_CANDIDATES if p.exists()]
    assert any(printed.output in text for text in texts), "README permissions are stale: paste the new output"


# --- round two (issue 15): answers bounded in time, size and origin -------------------------------
# Each of these runs long enough without the bound that the subprocess guard (run_cli's timeout)
# would end it; with the bound it ends by itself, with the documented exit status and message.

BOUNDED_ARGS = ("--rate", "100000", "--backoff-base", "0.01", "--retries", "20", "--workers", "2",
                "--timeout", "1", "--retry-budget", "2")


def test_login_dripped_slowly_is_bounded_by_timeout_and_budget(tmp_path: Path) -> None:
    """A token answer sent a byte every 0.2 s (each byte within the 1 s read timeout): about 20 s per
    attempt unbounded, three attempts; with --timeout 1 --retry-budget 2 it fails in seconds."""
    with FakePlatformApi(source_org(), FakeConfig(token_drip=0.2)) as api:
        done = run_cli("--quiet", "collect", "--out-dir", str(tmp_path / "snap"), *BOUNDED_ARGS, env=api.env(),
                       timeout=50)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "login endpoint" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "snap").exists()


def test_api_bodies_dripped_slowly_are_bounded_by_the_retry_budget(tmp_path: Path) -> None:
    """Every `roles` page dripped a byte every 0.2 s with 20 retries allowed: the 2 s budget ends the
    call; `roles` (and `role_users`, its children) are errors, everything else is collected."""
    from auditor.testing.fake_api import DripBody

    config = FakeConfig(page_caps=dict(PAGE_CAPS), faults=[DripBody(dataset="roles", length=10**9, interval=0.2)])
    out = tmp_path / "snap"
    with FakePlatformApi(source_org(), config) as api:
        done = run_cli("--quiet", "collect", "--out-dir", str(out), *BOUNDED_ARGS, env=api.env(), timeout=90)
    assert done.returncode == 3, done.stderr
    manifest = load_snapshot(out).manifest
    failed = {name for name, status in manifest.datasets.items() if not status.ok}
    assert failed == {"roles", "role_subjectgrants", "group_individuals"}


def test_listing_redirected_to_a_foreign_server_is_an_error_not_data(tmp_path: Path) -> None:
    """The foreign server would answer `[]` for OAuth clients (an org without any): taken as data,
    the OAuth rules would be NOT_APPLICABLE in a report marked complete. It is never asked."""
    from auditor.testing.builder import OrgBuilder
    from auditor.testing.fake_api import Redirect

    out = tmp_path / "snap"
    with FakePlatformApi(OrgBuilder(), FakeConfig()) as foreign:
        config = FakeConfig(page_caps=dict(PAGE_CAPS),
                            faults=[Redirect(dataset="oauth_clients", length=10**9, target=foreign.url)])
        with FakePlatformApi(source_org(), config) as api:
            done = run_cli("--quiet", "collect", "--out-dir", str(out), *COLLECT_ARGS, env=api.env())
        assert foreign.calls() == 0, "the other host must not even be asked (it would get the bearer token)"
    assert done.returncode == 3, done.stderr
    status = load_snapshot(out).manifest.datasets["oauth_clients"]
    assert status.status == "error" and "another host" in (status.message or "")
    report = CliRunner().invoke(cli, ["audit", str(out), "--format", "json"])
    results = json.loads(report.stdout)["results"]
    # Rules about plan clients are not applicable without a plan, whatever was collected.
    oauth = [r for r in results if r["rule_id"].startswith("OAUTH") and "plan" not in r["message"].lower()]
    assert oauth and all(r["status"] == "ERROR" for r in oauth)
    assert json.loads(report.stdout)["summary"]["complete"] is False


def test_same_origin_redirect_is_followed(tmp_path: Path) -> None:
    """A redirect to the same scheme, host and port (a path moved) is still followed."""
    from auditor.sources.collectors.bounded import bounded_request, origin
    from auditor.sources.collectors.client import new_session

    with FakePlatformApi(source_org(), FakeConfig()) as api:
        session = new_session(1)
        token = api.issue_token()
        from auditor.testing.fake_api import Redirect

        api.config.faults.append(Redirect(dataset="queues", start=1, length=1, target=api.url))
        import time

        response = bounded_request(session, "GET", f"{api.url}/api/v2/routing/queues",
                                   headers={"Authorization": f"Bearer {token}"}, timeout=(5, 5),
                                   deadline=time.monotonic() + 30)
        assert response.status_code == 200 and response.json()["entities"]
        assert origin(response.url) == origin(api.url)
        session.close()
