"""`gcaudit nightly` end to end on each history backend (SQLite, PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import cli as gcaudit
from tests.history.orgs import nightly_org


def test_two_nights_on_each_backend(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "r"
    runner = CliRunner()
    for night, kwargs in enumerate([{}, {"billing_codes": True, "sales_codes": False}]):
        snapshot = nightly_org(**kwargs).write(tmp_path / f"n{night}")
        result = runner.invoke(gcaudit, ["nightly", str(snapshot), "--out", str(out),
                                         "--history", store_url.replace("postgresql+psycopg://", "postgresql://")])
        assert result.exit_code == 1, result.output
    nightly = json.loads((out / "latest.json").read_text())["nightly"]
    assert nightly["findings"]["counts"] == {"NEW": 1, "UNCHANGED": 0, "REGRESSED": 0, "RESOLVED": 1}
    assert {(c["kind"], c["change"]) for c in nightly["drift"]["changes"]} == {
        ("wrapup_assignment", "added"), ("wrapup_assignment", "removed")}
    assert not (out / "gcaudit-history.db").exists() or store_url.startswith("sqlite")
    listing = runner.invoke(gcaudit, ["history", "--history", store_url, "--format", "json"])
    assert [r["id"] for r in json.loads(listing.output)] == [2, 1]
