"""Export round trips for hostile names (issue 23, class 5): `${` / `%{` sequences, quotes,
backslashes and control characters read back exactly; a name that cannot be written (a lone
surrogate) is exit 2 and leaves no directory, half-written or empty."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from auditor.sources.terraform import load_terraform
from auditor.sources.terraform.export import _str
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.conftest import run_cli

NAMES = [
    "Sales ${var.secret} queue",
    "Literal $${already} escaped",
    "Directive %{if true}x%{endif}",
    "Double %%{x} and $$$${y}",
    "Ends with a dollar $",
    'Quote " and backslash \\ and \\n written',
    "Tab\tand\nnewline\rand bell\x07 and del\x7f and backspace\x08 and formfeed\x0c",
    "Unicode é ✓ 𝄞",
    "Brace } and ${ unclosed",
    "\\${escaped by a backslash}",
]


def _snapshot(tmp_path: Path, names: list[str]) -> Path:
    org = OrgBuilder()
    for index, name in enumerate(names):
        org.add_queue(f.queue(name, id=f"00000000-0000-4000-8000-{index:012d}"))
    return org.write(tmp_path / "snap")


def test_names_with_template_sequences_and_escapes_read_back_exactly(tmp_path):
    snapshot = _snapshot(tmp_path, NAMES)
    out = tmp_path / "exported"
    proc = run_cli("export-terraform", str(snapshot), "--out-dir", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = sorted(q["name"] for q in load_terraform(out).raw("queues"))
    assert names == sorted(NAMES)


@pytest.mark.parametrize(("value", "written"), [
    ("a${b}", '"a$${b}"'),
    ("a%{b}", '"a%%{b}"'),
    ("back\bspace", '"back\\u0008space"'),  # JSON's \b is not an HCL escape
    ("form\ffeed", '"form\\u000cfeed"'),
    ('q"\\', '"q\\"\\\\"'),
])
def test_strings_are_written_with_hcl_escapes_only(value, written):
    assert _str(value) == written


def test_an_unencodable_name_is_exit_2_and_leaves_no_directory(tmp_path):
    snapshot = _snapshot(tmp_path, ["Fine"])
    queues = snapshot / "queues.json"
    data = json.loads(queues.read_text())
    data[0]["name"] = "Broken \ud800 name"  # a lone surrogate, as a JSON escape can carry one
    queues.write_text(json.dumps(data))  # ensure_ascii: "\ud800" stays an escape in the file
    for sidecar in snapshot.glob("*.columns"):
        sidecar.unlink()
    out = tmp_path / "exported"
    proc = run_cli("export-terraform", str(snapshot), "--out-dir", str(out), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcaudit: error: ") and "name" in lines[0], proc.stderr
    assert "surrogate" in lines[0] and "Traceback" not in proc.stderr
    assert not os.path.lexists(out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".exported")]  # no staging left behind


def test_an_existing_empty_directory_gets_the_whole_export(tmp_path):
    snapshot = _snapshot(tmp_path, ["One"])
    out = tmp_path / "exported"
    out.mkdir()
    proc = run_cli("export-terraform", str(snapshot), "--out-dir", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["README.txt", "genesyscloud.tf", "provider.tf"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".exported")]
