"""The README's and the docs' promises that code can check: the catalog, the set-up commands, the
ten commands, the strict docs build in CI and the front page's length."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The rule catalog moved from the README to the docs site.
RULES_PAGE = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_catalog_table_is_the_output_of_gcaudit_rules_markdown():
    proc = run_cli("rules", "--format", "markdown")
    assert proc.returncode == 0
    assert proc.stdout.strip() in RULES_PAGE


def _setup_block() -> list[str]:
    return README.split("## Set up", 1)[1].split("```", 2)[1].strip().splitlines()


def test_quick_start_has_the_two_setup_commands_and_ci_runs_the_test_one():
    run_sample = "pip install . && gcaudit audit sample_exports/demo-org --plan sample_exports/demo-org/plan.yaml"
    run_tests = "pip install -e '.[test]' && pytest"
    assert run_sample in README and run_tests in README
    assert "pip install -q -e '.[test]'" in CI and "\npytest\n" in CI


def test_setup_starts_with_a_virtual_environment_that_ci_uses_as_a_newcomer_would():
    """PEP 668 systems (Debian 12, Ubuntu 24.04) refuse `pip install` outside a venv: the set-up
    block makes one first, and CI runs the block's first lines in a fresh venv (.ci/readme-setup)."""
    venv, first, tests = _setup_block()
    assert venv == "python3 -m venv .venv && . .venv/bin/activate"
    assert first.startswith("pip install . && gcaudit audit sample_exports/") and tests.endswith("&& pytest")
    assert "--break-system-packages" not in README
    script = (ROOT / ".ci" / "readme-setup").read_text(encoding="utf-8")
    assert "/^## Set up/" in script and "--break-system-packages" not in script
    assert CI.index("\npytest\n") < CI.index("\n.ci/readme-setup\n")


def test_docs_never_promise_the_package_index():
    """gcaudit is not on PyPI: no page may tell people to `pip install gcaudit` by name."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "docs" / "recipes").glob("*"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = re.findall(r"pip install [\"']?gcaudit(?![^\s\"']*\s*@)[^\s\"']*[\"']?", text)
        assert not found, (page.name, found)


def test_the_docs_use_the_samples_directory_that_gcaudit_demo_writes():
    """Commands on the user-facing pages audit `samples/...`; `sample_exports/` is the checkout's
    copy, named only by the README's set-up and the pages about the repository itself."""
    checkout_pages = {"samples.md", "development.md", "how-it-works.md", "live-collection.md", "cx-as-code.md"}
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name in checkout_pages:
            continue
        for line in page.read_text(encoding="utf-8").splitlines():
            assert not re.search(r"gcaudit \S+ sample_exports/", line), (page.name, line)
    outside_setup = README.replace("\n".join(_setup_block()), "")
    assert not re.search(r"gcaudit \S+ sample_exports/", outside_setup)


def test_every_rule_has_a_checks_and_prevents_line():
    from auditor.rules import catalog

    for rule in catalog():
        assert f"| {rule.id} | {rule.severity.value} |" in RULES_PAGE, rule.id


def test_front_page_is_short_and_links_resolve():
    assert len(README.splitlines()) < 300
    for target in re.findall(r"\]\(((?!https?://)[^)#]+)", README):
        assert (ROOT / target).exists(), target
    assert (ROOT / "docs" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ci_builds_the_docs_strictly_after_pytest_into_a_temporary_directory():
    assert CI.index("\npytest\n") < CI.index("mkdocs build --strict")
    assert re.search(r'mkdocs build --strict( -q)? -d "?\$', CI), "the site goes to a temporary directory"
    assert "mkdocs" in (ROOT / "pyproject.toml").read_text()


def _ten_commands() -> list[list[str]]:
    block = README.split("## The ten commands people use", 1)[1].split("```", 2)[1]
    commands = []
    for line in block.strip().splitlines():
        words = shlex.split(line.split("  #", 1)[0])
        assert words[0] == "gcaudit", line
        commands.append(words[1:])
    return commands


def test_the_ten_commands_are_ten_and_each_parses():
    commands = _ten_commands()
    assert len(commands) == 10
    for args in commands:
        proc = run_cli(args[0], "--help")
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Example" in proc.stdout, f"gcaudit {args[0]} --help has no example"


def test_the_offline_commands_run_on_the_samples(tmp_path: Path):
    """Those that need no org or history run as shown, in an empty directory."""
    ran = 0
    for args in _ten_commands():
        if args[0] not in ("demo", "audit", "rules", "export-terraform") or "--live" in args:
            continue
        proc = run_cli(*args, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
        assert proc.returncode in (0, 1), (args, proc.stderr)
        ran += 1
    assert ran == 5
    assert (tmp_path / "report.html").is_file() and (tmp_path / "findings.json").is_file()
    assert (tmp_path / "gcaudit.sarif").is_file()


@pytest.mark.slow
def test_docs_build_strictly(tmp_path: Path):
    mkdocs = pytest.importorskip("mkdocs")
    assert mkdocs
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert not (ROOT / "site").exists()
