"""`gcaudit demo DIR --nightly`: three nights with changes planted through the fake's audit trail; the
history, the reports and `gcaudit diff` show who changed what."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_demo_history_shows_attributed_changes(tmp_path: Path) -> None:
    done = run_cli("demo", str(tmp_path / "d"), "--nightly", env={"GCAUDIT_CONFIG": ""}, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = tmp_path / "d" / "nightly-demo"
    nightly = json.loads((out / "latest.json").read_text())["nightly"]
    [cob] = [c for c in nightly["findings"]["changes"] if c["rule_id"] == "COB-003"]
    assert cob["change"] == "REGRESSED" and cob["resource_name"] == "Northwind Store Checkout"
    assert cob["attributed"]["who"].startswith("status: Active -> Inactive, by Priya Natarajan (UI, 203.0.113.7) at ")
    assert "earlier" not in cob["attributed"]["who"]  # Marco's change belongs to night 2's window
    whos = [c["attributed"]["who"] for c in nightly["drift"]["changes"]]
    assert any("by OAuth client Agent Desktop Cobrowse (12161eeb-3a49-59fd-8082-157c1cb2fc8f)" in w for w in whos)
    db = f"sqlite:///{out / 'gcaudit-history.db'}"
    history = json.loads(run_cli("history", "--history", db, "--format", "json").stdout)
    assert len(history) == 3
    diff = run_cli("diff", "1", "2", "--history", db)
    assert "by Marco Rossi (UI, 198.51.100.23)" in " ".join(diff.stdout.split())
