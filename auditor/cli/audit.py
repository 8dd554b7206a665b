"""`gcaudit audit`: load a snapshot (or collect one), run the rules, report."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.live_options import LiveSettings, live_mode_options, live_options, live_snapshot
from auditor.cli.options import (
    SEVERITIES,
    STATUSES,
    default_fail_on,
    emit,
    html_option,
    plan_option,
    split_choices,
    use_color,
    verdict_fail_on_option,
)
from auditor.cli.terraform_options import terraform_options, terraform_snapshot
from auditor.cli.waiver_options import apply_waiver_file, waivers_option
from auditor.reporters import available_formats


def _auth_thresholds() -> object:
    """gcaudit.yaml's `auth-thresholds` (GCAUDIT_CONFIG, else ./gcaudit.yaml when present), for the
    auth-setup rules; the defaults without one."""
    import os

    from auditor.cli.config import config_path, load_auth_thresholds

    return load_auth_thresholds(config_path(os.environ.get("GCAUDIT_CONFIG")))


@click.command()
@click.argument("snapshot", required=False, type=click.Path(path_type=Path))
@plan_option
@click.option("--format", "fmt", type=click.Choice(available_formats()), default="table", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here (atomically)."
)
@verdict_fail_on_option
@waivers_option
@click.option("--color/--no-color", default=None, help="Colour the table (default: only on a terminal).")
@click.option("-v", "--verbose", is_flag=True,
              help="Table: also list the PASS results, every other finding and each action's evidence.")
@click.option("--brief", is_flag=True, help="Table: only the header, the actions and the verdict.")
@click.option("--severity", "severities", multiple=True, callback=split_choices(SEVERITIES), metavar="SEVERITY",
              help="Table: list only results of these severities (repeat or comma-separate: critical,high). "
                   "The verdict and actions stay the whole report's.")
@click.option("--status", "statuses", multiple=True, callback=split_choices(STATUSES), metavar="STATUS",
              help="Table: list only results with these statuses (FAIL, ERROR, PASS, NOT_APPLICABLE, WAIVED; "
                   "default FAIL, ERROR, WAIVED).")
@html_option
@terraform_options
@live_mode_options
@live_options
def audit(
    snapshot: Path | None,
    plan_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    waivers_path: Path | None,
    waiver_max_days: int,
    color: bool | None,
    verbose: bool,
    brief: bool,
    severities: tuple[str, ...],
    statuses: tuple[str, ...],
    html_path: Path | None,
    live_mode: bool,
    save_snapshot: Path | None,
    live: LiveSettings,
    terraform: Path | None,
    var_files: tuple[Path, ...],
    source_dir: Path | None,
) -> None:
    """Audit SNAPSHOT (a snapshot directory) and report: the details, then the fix-first actions and the verdict.

    Environment: with --live, GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (a
    client-credentials OAuth client) or GENESYSCLOUD_ACCESS_TOKEN, and GENESYSCLOUD_REGION;
    the GCAUDIT_* variable beside each option (GCAUDIT_PLAN, GCAUDIT_FAIL_ON, GCAUDIT_WAIVERS, ...) and
    the same settings in gcaudit.yaml (--config); COLUMNS (the table's width).

    \b
    Examples:
      gcaudit audit samples/demo-org --plan samples/demo-org/plan.yaml --html report.html
      gcaudit audit --live --plan plan.yaml --format json -o findings.json

    With --terraform DIR|PLAN.json, audit a CX-as-Code configuration or plan; with a SNAPSHOT too,
    audit the org as it will be after the apply (the plan overlaid on the snapshot).

    Exit status: with --fail-on blockers (the default with --plan): 0 READY, 1 NOT READY, 3 INCOMPLETE
    (nothing found blocks co-browse but some data is missing). With a severity (the default `high`
    without --plan): 0 nothing at or above it failed; 1 something did; 3 no such failure but some
    results are ERROR. 2 bad usage or input.
    """
    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.reporters import render
    from auditor.snapshot import load_snapshot

    if terraform is None and live_mode == (snapshot is not None):
        raise click.UsageError("give a SNAPSHOT directory or --live (not both)")
    if terraform is not None and live_mode:
        raise click.UsageError("--terraform goes with a SNAPSHOT directory, not --live")
    if save_snapshot is not None and not live_mode:
        raise click.UsageError("--save-snapshot only goes with --live")
    plan = load_plan(plan_path) if plan_path else None
    redactor = None
    if terraform is not None:
        loaded, redactor = terraform_snapshot(terraform, var_files, source_dir,
                                              load_snapshot(snapshot, lean=True) if snapshot is not None else None)
    else:
        if live_mode:
            # Collect what the catalog needs for this plan's scope, no more (auditor.sources.collectors.plan).
            from dataclasses import replace

            from auditor.rules import catalog
            from auditor.sources.collectors.plan import make_plan

            live = replace(live, call_plan=make_plan(catalog(), plan))
        loaded = live_snapshot(live, save_snapshot) if live_mode else load_snapshot(snapshot, lean=True)
    report = run_audit(loaded, plan, thresholds=_auth_thresholds())
    if redactor is not None:
        from auditor.sources.terraform.redact import redact_report

        redact_report(report, redactor)
    apply_waiver_file(report, waivers_path, waiver_max_days)
    extra = _sarif_options(terraform, live_mode and save_snapshot is None) if fmt == "sarif" else {}
    emit(render(report, fmt, color=use_color(color) and output is None, verbose=verbose, brief=brief,
                severity=severities, status=statuses, **extra), output)
    if html_path is not None:
        from auditor.safety.fileio import atomic_write_text

        atomic_write_text(html_path, render(report, "html"))
    raise SystemExit(report.exit_status(default_fail_on(fail_on, plan)))


def _sarif_options(terraform: Path | None, unsaved_live: bool) -> dict[str, Path]:
    """SARIF results point at files (GitHub code scanning rejects an upload with a result that has
    none): a Terraform-only audit's org-wide results at its source; a live audit has no file."""
    if unsaved_live:
        from auditor.cli.options import note

        note("SARIF of a live audit names no file; use --save-snapshot DIR")
    if terraform is None:
        return {}
    if terraform.is_dir():
        files = sorted(p for p in terraform.iterdir() if p.name.endswith((".tf", ".tf.json")) and p.is_file())
        return {"fallback_file": files[0]} if files else {}
    return {"fallback_file": terraform}
