"""The README's promises that code can check: the catalog table, the set-up commands."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_catalog_table_is_the_output_of_gcaudit_rules_markdown():
    proc = run_cli("rules", "--format", "markdown")
    assert proc.returncode == 0
    assert proc.stdout.strip() in README


def test_quick_start_has_the_two_setup_commands_and_ci_runs_the_test_one():
    run_sample = "pip install . && gcaudit audit sample_exports/demo-org --plan sample_exports/demo-org/plan.yaml"
    run_tests = "pip install -e '.[test]' && pytest"
    assert run_sample in README and run_tests in README
    ci = Path(ROOT / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci and "\npytest\n" in ci


def test_every_rule_has_a_checks_and_prevents_line():
    from auditor.rules import catalog

    for rule in catalog():
        assert f"| {rule.id} | {rule.severity.value} |" in README, rule.id
