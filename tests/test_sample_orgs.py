"""The bundled sample orgs: reproducible from their generator, every rule fails in demo-org and
passes somewhere, ready-org is clean, and both run end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.inputs.plan import load_plan
from auditor.results import AuditReport, Status
from auditor.rules import catalog
from auditor.snapshot import DATASETS, load_snapshot
from auditor.testing.sample_orgs import PLAN_FILE, SAMPLES, generate, write_sample
from auditor.testing.samples import demo_org
from tests.conftest import SAMPLES as SAMPLES_DIR
from tests.conftest import run_cli

DEMO = SAMPLES_DIR / "demo-org"
READY = SAMPLES_DIR / "ready-org"
REGENERATE = "run `python -m auditor.testing.sample_orgs` and review the diff"

#: Org-wide rules whose PASS can only come from ready-org: demo-org has no Active co-browse
#: deployment (COB-001 FAIL), so no co-browse deployment of it can be Active (COB-003 PASS).
READY_ORG_ONLY_PASS = {"COB-001", "COB-003",
                       # The demo plan needs Voice co-browse and no demo queue's joined members all hold
                       # conversation:cobrowseVoice:add, so the permission rules pass in ready-org only.
                       "AUTHZ-002", "AUTHZ-003",
                       # Auth setup (issue 21): org-wide settings give one result, which demo-org fails
                       # (AUTH-002 does not apply there: MFA is not required, AUTH-001's fault).
                       "AUTH-001", "AUTH-002", "AUTH-003", "AUTH-004", "AUTH-006", "AUTH-007"}
#: Rules whose fault needs the opposite of another rule's fault in the same org setting, so demo-org
#: (one set of authentication settings) cannot show both: AUTH-002 needs MFA required (demo-org's
#: AUTH-001 fault has it off), AUTH-005 needs no IP allowlist at all (demo-org's AUTH-004 fault is an
#: entry of the list). Their failures are shown on demo-org changed in that one setting (below) and in
#: tests/rules/auth.
EXCLUSIVE_FAIL = {"AUTH-002": ("multifactorAuthenticationRequired", True),
                  "AUTH-005": ("ipAddressAllowlist", [])}

#: The failure demo-org was built to show for each rule (see the comments in demo_org.py and
#: readme-parts/sample-orgs.md); other failures may come along with them.
DESIGNED_FAILURES = {
    "COB-001": "Northwind Retail",
    "COB-002": "Support Messenger",
    "COB-003": "Northwind Store Checkout",
    "COB-004": "Partner Portal",
    "COB-005": "http://shop.northwind-retail.com/checkout",
    "COB-006": "Loyalty Portal",
    "COB-007": "Northwind Store Checkout",
    "QUE-002": "Returns & Exchanges",
    "QUE-003": "Loyalty Club",
    "QUE-004": "Billing Web",
    "WRP-001": "Billing Web",
    "WRP-002": "Resolved - first contact",
    "AUTHZ-001": "conversation:cobrowseVoice:add",
    "AUTHZ-002": "Returns & Exchanges",
    "AUTHZ-003": "Web Support",
    "OAUTH-001": "Agent Desktop Cobrowse",
    "OAUTH-002": "Store Kiosk Widget",
    "OAUTH-003": "Legacy Reporting Sync",
    "OAUTH-004": "Store Kiosk Widget",
    "OAUTH-005": "Store Kiosk Widget",
    "OAUTH-006": "Data Warehouse Export",
    "OAUTH-007": "Ops Automation (gc CLI)",
    "OAUTH-008": "Old IVR Connector",
    "OAUTH-009": "Okta SSO Bridge",
    "OAUTH-010": "WFM Connector",
    "OAUTH-011": "Cobrowse Pilot 2025 (retired)",
    "OAUTH-012": "Store Associate Mobile App",
    "PLAN-001": "Gift Cards",
    # Issue 11 (sample objects in demo_org.py):
    "QUE-005": "Loyalty Club",  # a plan queue with no traffic at all in the window
    "COB-008": "Northwind Store Checkout",  # its inbound message flow was never published
    "COB-009": "Partner Portal",  # messenger.apps.conversations.enabled false
    "COB-010": "http://shop.northwind-retail.com/checkout",  # pauseCriteria urlFragment /checkout Includes
    "COB-011": "Loyalty Portal",  # headlessMode.enabled
    "COB-012": "Loyalty Portal",  # pins a Pending configuration version
    # Issue 21 (auth setup, demo_org._auth):
    "AUTH-001": "Northwind Retail",  # Genesys Cloud login on, MFA not required
    "AUTH-003": "Northwind Retail",  # 6-character passwords, no special character
    "AUTH-004": "Northwind Retail",  # 10.20.0.0/16 (private) in the IP allowlist
    "AUTH-006": "Northwind Retail",  # idle token timeout off
    "AUTH-007": "Northwind Retail",  # embedding not restricted
    "OAUTH-013": "Data Warehouse Export",  # active, last used on 30 August
    "USER-001": "Ronan Fitzgerald",  # last token in May
    "USER-002": "Patrick Lynch",  # Master Admin, last token in March
    "TRUST-001": "Contoso BPO",  # full access, no expiry
}


def _audit(root: Path) -> AuditReport:
    return run_audit(load_snapshot(root), load_plan(root / PLAN_FILE))


@pytest.fixture(scope="module")
def demo() -> AuditReport:
    return _audit(DEMO)


@pytest.fixture(scope="module")
def ready() -> AuditReport:
    return _audit(READY)


def _rules_with(report: AuditReport, status: Status) -> set[str]:
    return {r.rule_id for r in report.results if r.status is status}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_regenerating_reproduces_the_committed_samples_byte_for_byte(tmp_path: Path) -> None:
    generate(tmp_path)
    for name in SAMPLES:
        fresh, committed = _files(tmp_path / name), _files(SAMPLES_DIR / name)
        assert sorted(fresh) == sorted(committed), f"{name}: file list differs; {REGENERATE}"
        drifted = [file for file in fresh if fresh[file] != committed[file]]
        assert not drifted, f"{name}: {drifted} differ from the generator; {REGENERATE}"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SAMPLES)  # no staging directory left


def test_regenerating_replaces_a_previous_sample_but_nothing_else(tmp_path: Path) -> None:
    generate(tmp_path)
    stale = tmp_path / "demo-org" / "stale.json"
    stale.write_text("{}")
    write_sample(demo_org.build(), tmp_path)
    assert not stale.exists()
    precious = tmp_path / "other" / "demo-org"
    precious.mkdir(parents=True)
    (precious / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a snapshot directory"):
        write_sample(demo_org.build(), tmp_path / "other")
    assert (precious / "notes.txt").read_text() == "mine"


#: Rules that judge a Terraform apply over a snapshot: NOT_APPLICABLE on a snapshot alone. Their
#: designed failures are overlays of demo-org (tests/rules/apply/).
APPLY_ONLY = {r.id for r in catalog() if r.category == "apply"}


def test_every_rule_fails_in_demo_org(demo: AuditReport) -> None:
    ids = {r.id for r in catalog()} - APPLY_ONLY
    assert ids - _rules_with(demo, Status.FAIL) == set(EXCLUSIVE_FAIL)


@pytest.mark.parametrize("rule_id", sorted(EXCLUSIVE_FAIL))
def test_demo_org_fails_the_exclusive_rules_with_that_one_setting_flipped(rule_id: str) -> None:
    snapshot = load_snapshot(DEMO)
    field, value = EXCLUSIVE_FAIL[rule_id]
    settings = dict(snapshot.raw("auth_settings")[0], **{field: value})
    snapshot.data["auth_settings"] = [settings]
    report = run_audit(snapshot, load_plan(DEMO / PLAN_FILE), rules=[r for r in catalog() if r.id == rule_id])
    assert [(r.status, r.resource_name) for r in report.results] == [(Status.FAIL, "Northwind Retail")]


def test_demo_org_fails_each_rule_on_the_object_built_for_it(demo: AuditReport) -> None:
    assert set(DESIGNED_FAILURES) | set(EXCLUSIVE_FAIL) == {r.id for r in catalog()} - APPLY_ONLY, \
        "a new rule needs a designed failure in demo-org"
    failing = {(r.rule_id, r.resource_name) for r in demo.results if r.status is Status.FAIL}
    assert {(rule, name) for rule, name in DESIGNED_FAILURES.items()} - failing == set()


def test_every_rule_passes_in_demo_org_or_else_in_ready_org(demo: AuditReport, ready: AuditReport) -> None:
    ids = {r.id for r in catalog()} - APPLY_ONLY
    assert ids - _rules_with(demo, Status.PASS) == READY_ORG_ONLY_PASS
    assert _rules_with(ready, Status.PASS) >= READY_ORG_ONLY_PASS


def test_demo_org_is_complete(demo: AuditReport) -> None:
    assert _rules_with(demo, Status.ERROR) == set()
    assert demo.summary()["complete"]


def test_ready_org_has_no_fail_and_no_error(ready: AuditReport) -> None:
    bad = [(r.rule_id, r.resource_name, r.message) for r in ready.results if r.status in (Status.FAIL, Status.ERROR)]
    assert bad == []
    assert _rules_with(ready, Status.PASS)  # it is clean because rules ran, not because none did


def test_ready_org_is_clean_without_a_plan_too() -> None:
    report = run_audit(load_snapshot(READY))
    assert [r.rule_id for r in report.results if r.status in (Status.FAIL, Status.ERROR)] == []


def test_ready_org_audit_exits_0_through_the_cli() -> None:
    proc = run_cli("audit", str(READY), "--plan", str(READY / PLAN_FILE), "--no-color")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("root", [DEMO, READY], ids=lambda p: p.name)
def test_samples_load_with_every_dataset_ok(root: Path) -> None:
    snapshot = load_snapshot(root)
    assert {d.name for d in DATASETS} <= set(snapshot.manifest.datasets)
    assert all(snapshot.available(d.name) for d in DATASETS)
    assert snapshot.manifest.complete
    plan = load_plan(root / PLAN_FILE)
    assert plan.deployments and plan.queues and plan.sites and plan.integration_clients
    assert all("secret" not in client for client in snapshot.raw("oauth_clients"))


def test_demo_org_json_report_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    proc = run_cli("audit", str(DEMO), "--plan", str(DEMO / PLAN_FILE), "--format", "json", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {"schema_version", "tool", "org", "snapshot", "summary", "results"} <= set(report)
    keys = {"rule_id", "title", "severity", "status", "resource_type", "resource_id", "resource_name",
            "message", "remediation", "fingerprint"}
    assert report["results"] and all(keys <= set(result) for result in report["results"])
    assert {r["rule_id"] for r in report["results"] if r["status"] == "FAIL"} == (
        {r.id for r in catalog()} - APPLY_ONLY - set(EXCLUSIVE_FAIL))


def test_demo_org_names_the_member_who_holds_co_browse_only_in_another_division(demo: AuditReport) -> None:
    [web] = [r for r in demo.results if r.rule_id == "AUTHZ-003" and r.resource_name == "Web Support"]
    assert web.status is Status.FAIL
    assert "'Daniel Okafor' hold it only in another division" in web.message  # granted in Stores only
    assert "Jakub Nowak" in web.message and "Isabel Costa" not in web.message  # A8 holds it through a group


def test_demo_org_partial_reports_what_the_client_could_not_see() -> None:
    root = SAMPLES_DIR / "demo-org-partial"
    snapshot = load_snapshot(root)
    assert snapshot.status("queues").partial and set(snapshot.invisible_divisions("queues").values()) == {"Stores"}
    report = run_audit(snapshot, load_plan(root / PLAN_FILE))
    [click] = [r for r in report.results if r.rule_id == "PLAN-001" and r.resource_name == "Click & Collect"]
    assert click.status is Status.ERROR and "not visible to the auditing client (division 'Stores')" in click.message
    assert not report.complete
