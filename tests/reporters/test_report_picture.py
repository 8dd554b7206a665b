"""The README's picture (docs/report.png) shows the current report: the HTML it was taken from,
rendered again, has the hash stored beside it (report_picture.py writes both)."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.reporters.report_picture import REGENERATE, digest, digest_file, source_html

PICTURE = ROOT / "docs" / "report.png"


def test_the_readme_picture_is_of_the_current_report() -> None:
    stored = digest_file(PICTURE).read_text(encoding="utf-8").split()[0]
    assert stored == digest(source_html()), f"docs/report.png is stale: the HTML report changed. Run: {REGENERATE}"


def test_the_picture_source_is_the_same_on_every_run() -> None:
    """Deterministic (no clock, no absolute path), or the check above would always fail."""
    first = source_html()
    assert first == source_html()
    assert str(ROOT) not in first
    assert "Northwind Retail" in first
