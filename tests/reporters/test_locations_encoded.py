"""Issue 23, class 5: a Terraform location shows as it is in Markdown code spans (no backslash
escapes), and SARIF artifact URIs are percent-encoded URI references."""

from __future__ import annotations

import dataclasses
import json
import re
from urllib.parse import unquote, urlsplit

import markdown as markdown_lib
import pytest

from auditor.reporters import markdown, sarif
from auditor.results import Status
from auditor.safety.sanitise import markdown_code
from auditor.testing.synthetic_report import synthetic_report

FILES = ["main.tf", "modules/web site/main#1.tf", "envs/prod[eu]/q_1.tf", "a:b/c.tf", "x?y%z.tf",
         "ünï/çödé.tf", "weird`tick`.tf", "pipe|name.tf", "star*and_under_.tf", "<b>html</b>.tf"]


def _located(file: str):
    report = synthetic_report(50)
    fail = next(r for r in report.results if r.status is Status.FAIL)
    located = dataclasses.replace(fail, location={"file": file, "line": 12})
    return dataclasses.replace(report, results=[located])


def _rendered_text(md: str) -> str:
    """What a reader sees: the Markdown rendered to HTML (tables extension), tags stripped."""
    html = markdown_lib.markdown(md, extensions=["tables"])
    codes = re.findall(r"<code>(.*?)</code>", html, re.S)
    import html as html_lib

    return "\n".join(html_lib.unescape(c) for c in codes)


@pytest.mark.parametrize("file", FILES)
def test_markdown_shows_locations_without_escapes(file: str) -> None:
    text = markdown.render(_located(file))
    row = next(line for line in text.splitlines() if line.startswith("| ") and "12" in line)
    assert f"{file}:12".replace("|", "\\|") in row
    assert "\\[" not in row.split(" at ", 1)[1] and "\\_" not in row.split(" at ", 1)[1]
    assert len(row.split(" | ")) == 6 or "|" in file  # one cell per column
    if "|" not in file:
        assert f"{file}:12" in _rendered_text(text)


@pytest.mark.parametrize("text", ["`", "``a``", "a`b", " x ", "a|b", "", "\\[0\\]", "`x"])
def test_code_span_holds_any_text(text: str) -> None:
    span = markdown_code(text, in_table=False)
    html = markdown_lib.markdown(f"p {span} q")
    import html as html_lib

    shown = html_lib.unescape(re.findall(r"<code>(.*?)</code>", html, re.S)[0])
    # Python-Markdown trims the spaces CommonMark would keep; the text itself must come back whole.
    assert shown.strip() == text.strip()


@pytest.mark.parametrize("file", FILES)
def test_sarif_artifact_uris_are_percent_encoded(file: str) -> None:
    log = json.loads(sarif.render(_located(file)))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert re.fullmatch(r"[A-Za-z0-9\-._~!$&'()*+,;=@/%]+", uri), uri
    parts = urlsplit(uri)
    assert not parts.scheme and not parts.query and not parts.fragment and not parts.netloc
    assert unquote(uri) == file
