"""Nightly drift of the auth setup (issue 21): each setting reports old -> new, trusts are objects,
a new auth finding is NEW, and users/usage (whose dates move daily) are no drift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from auditor.engine import run_audit
from auditor.history import HistoryStore
from auditor.testing import factories as f
from tests.history.orgs import nightly_org

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _record(store: HistoryStore, builder, day: int):
    snapshot = builder.snapshot()
    return store.record_run(run_audit(snapshot), snapshot, finished_at=T0 + timedelta(days=day))


def test_auth_settings_drift_names_old_and_new_values(store: HistoryStore) -> None:
    before, after = nightly_org(), nightly_org()
    before.auth_settings = [f.auth_settings()]  # MFA required
    before.genesys_login = after.genesys_login = [f.genesys_login(disabled=False)]
    before.org_trustees = [f.trustee(f.new_id("t"), "Partner BPO", expires="2027-01-01T00:00:00Z")]
    before.users = [f.user_activity(f.new_id("u"), "Ann", token_issued="2026-11-19T08:00:00.000Z")]
    _record(store, before, day=0)
    after.auth_settings = [f.auth_settings(multifactorAuthenticationRequired=False,
                                           ipAddressAllowlist=["81.2.69.0/24", "81.2.70.0/24"])]
    after.token_timeout = [f.token_timeout(None)]
    after.org_trustees = [f.trustee(f.new_id("t"), "Partner BPO", full_access=True, expires=None)]
    # The user signed in again: a later token date is no configuration drift.
    after.users = [f.user_activity(f.new_id("u"), "Ann", token_issued="2026-11-20T08:00:00.000Z")]
    rec = _record(store, after, day=1)
    changed = {c.kind: c for c in rec.drift.changes}
    assert set(changed) == {"auth_settings", "token_timeout", "trustee"}
    assert changed["auth_settings"].values["multifactorAuthenticationRequired"] == (True, False)
    assert changed["auth_settings"].values["ipAddressAllowlist"] == (["81.2.69.0/24"], ["81.2.69.0/24", "81.2.70.0/24"])
    assert changed["token_timeout"].values["enableIdleTokenTimeout"] == (True, False)
    assert changed["trustee"].values["hasFullAccess"] == (False, True)
    assert any("multifactorAuthenticationRequired" in line for line in changed["auth_settings"].describe_values())
    new = {(c.change.value, c.rule_id) for c in rec.findings.changes}
    assert {("NEW", "AUTH-001"), ("NEW", "AUTH-006"), ("NEW", "TRUST-001")} <= new


def test_an_opted_out_settings_read_is_not_compared_rather_than_removed(store: HistoryStore) -> None:
    _record(store, nightly_org(), day=0)
    rec = _record(store, nightly_org().not_collected("auth_settings", "opted out: test"), day=1)
    assert "auth_settings" in rec.drift.not_compared
    assert not any(c.kind == "auth_settings" for c in rec.drift.changes)
