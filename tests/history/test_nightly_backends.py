"""`gcaudit nightly` end to end on each history backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import cli as gcaudit
from auditor.history import HistoryStore
from tests.hardening.test_snapshot_properties import _paths, _set
from tests.history.hostile_cases import CASES, _deep, hostile_snapshot
from tests.history.orgs import nightly_org


def test_two_nights_on_each_backend(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "r"
    runner = CliRunner()
    for night, kwargs in enumerate([{}, {"billing_codes": True, "sales_codes": False}]):
        snapshot = nightly_org(**kwargs).write(tmp_path / f"n{night}")
        result = runner.invoke(gcaudit, ["nightly", str(snapshot), "--out-dir", str(out),
                                         "--history", store_url.replace("postgresql+psycopg://", "postgresql://")])
        assert result.exit_code == 1, result.output
    nightly = json.loads((out / "latest.json").read_text())["nightly"]
    assert nightly["findings"]["counts"] == {"NEW": 1, "UNCHANGED": 0, "REGRESSED": 0, "RESOLVED": 1}
    assert {(c["kind"], c["change"]) for c in nightly["drift"]["changes"]} == {
        ("wrapup_assignment", "added"), ("wrapup_assignment", "removed")}
    assert not (out / "gcaudit-history.db").exists() or store_url.startswith("sqlite")
    listing = runner.invoke(gcaudit, ["history", "--history", store_url, "--format", "json"])
    assert [r["id"] for r in json.loads(listing.output)] == [2, 1]


# --- everything `audit` accepts, `nightly` records (issue 15, class 3) -------------------------

def _history_url(store_url: str) -> str:
    return store_url.replace("postgresql+psycopg://", "postgresql://")


def _recorded_runs(runner: CliRunner, store_url: str) -> list[dict]:
    listing = runner.invoke(gcaudit, ["history", "--history", _history_url(store_url), "--format", "json",
                                      "--limit", "1000"])
    assert listing.exit_code == 0, listing.output
    return json.loads(listing.output)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_snapshot_audit_accepts_is_recorded(case: str, store_url: str, tmp_path: Path) -> None:
    snapshot = hostile_snapshot(case, tmp_path / "snap")
    runner = CliRunner()
    audit = runner.invoke(gcaudit, ["audit", str(snapshot), "--format", "json", "-o", str(tmp_path / "a.json")])
    assert audit.exit_code in (0, 1, 3), f"{case}: audit exit {audit.exit_code}: {audit.output}"
    json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))  # valid UTF-8 JSON even with a surrogate
    out = tmp_path / "r"
    night = runner.invoke(gcaudit, ["nightly", "--snapshot", str(snapshot), "--out-dir", str(out),
                                    "--history", _history_url(store_url)])
    assert night.exit_code == audit.exit_code, f"{case}: nightly exit {night.exit_code}: {night.output}"
    runs = _recorded_runs(runner, store_url)
    assert len(runs) == 1, case
    for ext in ("json", "md", "html"):
        assert (out / f"latest.{ext}").is_file(), f"{case}: latest.{ext} not written"
    latest = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert latest["nightly"]["run_id"] == runs[0]["id"]
    # The next night compares with the hostile run, and records too.
    clean = nightly_org().write(tmp_path / "clean")
    again = runner.invoke(gcaudit, ["nightly", "--snapshot", str(clean), "--out-dir", str(out),
                                    "--history", _history_url(store_url), "--label", "next"])
    assert again.exit_code in (0, 1, 3), f"{case}: second night exit {again.exit_code}: {again.output}"
    assert len(_recorded_runs(runner, store_url)) == 2


def test_hostile_values_are_stored_alike_on_both_backends(store_url: str, tmp_path: Path) -> None:
    """NUL and lone surrogates become U+FFFD, NaN becomes null, long ids stay whole: the same rows
    on SQLite and PostgreSQL."""
    snapshot = hostile_snapshot("NUL in the org name", tmp_path / "a")
    for edit in ("org id over 64 characters", "NaN in a manifest JSON field", "lone surrogate in a queue name"):
        CASES[edit](snapshot)
    runner = CliRunner()
    night = runner.invoke(gcaudit, ["nightly", "--snapshot", str(snapshot), "--out-dir", str(tmp_path / "r"),
                                    "--history", _history_url(store_url)])
    assert night.exit_code == 1, night.output
    with HistoryStore(store_url) as store:
        [run] = store.runs()
        assert run["org_id"] == "o" * 300
        assert run["org_name"] == "Ac\ufffdme"
        assert run["datasets"]["queues"]["seconds"] is None
        names = {r["resource_name"] for r in store.results(run["id"])}
    assert "Bill\ufffding" in names
    # The reports keep the original text, escaped for their format.
    latest = json.loads((tmp_path / "r" / "latest.json").read_text(encoding="utf-8"))
    assert "Bill\ud800ing" in {r["resource_name"] for r in latest["results"]}


# Text as a snapshot may hold it: any code point, lone surrogates and NUL included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=80) | st.sampled_from(
    ["\ud800", "a\x00b", "x" * 400, "\x1b]0;owned\x07", "\u202eevil", "![t](https://evil.example/b.png)"])
STORED_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(ANY_TEXT, children, max_size=3),
    max_leaves=8,
) | st.integers(300, 950).map(_deep)
MUTABLE = ["queues", "manifest", "oauth_clients", "roles", "deployments", "configurations"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), dataset=st.sampled_from(MUTABLE), replacement=STORED_VALUES)
def test_property_what_audit_accepts_nightly_records(store_url: str, tmp_path_factory, data, dataset,
                                                    replacement) -> None:
    """Any value anywhere in a snapshot: either the snapshot is refused as input (exit 2), or the
    run is recorded and its nightly reports render, on SQLite and PostgreSQL alike."""
    from auditor.engine import run_audit
    from auditor.errors import InputError
    from auditor.history.compare import Drift, FindingComparison
    from auditor.nightly.render import NightlyContext, render_html, render_json, render_markdown
    from auditor.snapshot import load_snapshot

    root = nightly_org().write(tmp_path_factory.mktemp("prop") / "s")
    doc = json.loads((root / f"{dataset}.json").read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from(_paths(doc)))
    (root / f"{dataset}.json").write_text(json.dumps(_set(copy.deepcopy(doc), path, replacement, False)),
                                          encoding="utf-8")
    try:
        snapshot = load_snapshot(root)
    except InputError:
        return  # refused as input: audit refuses it too (exit 2)
    report = run_audit(snapshot)
    with HistoryStore(store_url) as store:
        before = len(store.runs(limit=None))
        recorded = store.record_run(report, snapshot)
        assert len(store.runs(limit=None)) == before + 1
        assert store.run(recorded.run_id)["org_id"]
    ctx = NightlyContext(recorded.run_id, recorded.previous_run_id, None, recorded.findings or FindingComparison(None),
                         recorded.drift or Drift(None, recorded.run_id), [], [])
    json.loads(render_json(report, ctx).encode("utf-8"))
    render_markdown(report, ctx).encode("utf-8")
    (render_html(report, ctx) or "").encode("utf-8")


def test_live_collection_of_hostile_data_is_recorded(store_url: str, tmp_path: Path) -> None:
    """The same inputs collected live from the fake API: deep nesting, a lone surrogate and a
    duplicated id reach the snapshot writer, the scrubber and the history."""
    from auditor.testing.fake_api import FakePlatformApi
    from tests.conftest import run_cli

    org = nightly_org()
    org.queues[0]["extension"] = _deep(800)
    org.queues[1]["name"] = "Sa\ud800les"
    org.queues.append(dict(org.queues[0]))
    with FakePlatformApi(org) as api:
        done = run_cli("nightly", "--out-dir", str(tmp_path / "r"), "--label", "live", "--rate", "1000",
                       "--history", _history_url(store_url), env={**api.env(), "GCAUDIT_CONFIG": ""})
    assert done.returncode in (1, 3), done.stderr[-2000:]
    assert "internal error" not in done.stderr
    with HistoryStore(store_url) as store:
        assert len(store.runs()) == 1


def test_a_label_from_a_non_utf8_command_line_is_recorded(store_url: str, tmp_path: Path) -> None:
    """`--label $'bad\\xff'`: Python hands the byte over as a lone surrogate (surrogateescape)."""
    snapshot = nightly_org().write(tmp_path / "snap")
    runner = CliRunner()
    night = runner.invoke(gcaudit, ["nightly", "--snapshot", str(snapshot), "--out-dir", str(tmp_path / "r"),
                                    "--history", _history_url(store_url), "--label", "bad\udcffname"])
    assert night.exit_code == 1, night.output
    assert [r["label"] for r in _recorded_runs(runner, store_url)] == ["bad\ufffdname"]
