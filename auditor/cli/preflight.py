"""`gcaudit preflight`: what will this co-browse request (or rollout plan) hit, and why?"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor.cli.live_options import LiveSettings, live_mode_options, live_options, live_snapshot
from auditor.cli.options import (
    FAIL_ON_CHOICES,
    emit,
    html_option,
    plan_option,
    split_snapshot_and_file,
    use_color,
)
from auditor.cli.terraform_options import terraform_options, terraform_snapshot
from auditor.cli.waiver_options import waivers_option
from auditor.results import BLOCKERS

if TYPE_CHECKING:
    from auditor.inputs.plan import Plan


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path), metavar="[SNAPSHOT] [REQUEST_FILE]")
@click.option("--snapshot", "snapshot_option", type=click.Path(path_type=Path), hidden=True,
              help="Deprecated: give the snapshot directory as the first argument.")
@click.option("--curl", "curl_command", metavar="COMMAND",
              help="A curl command to check (its bearer token is never read or stored); `-` reads it from stdin.")
@plan_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the output here (atomically).")
@html_option
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default=BLOCKERS, show_default=True,
              help="`blockers`: NO-GO exactly when co-browse is NOT READY (the audit's answer) or a problem of the "
                   "request itself is high or worse; a severity: NO-GO on any problem at or above it, hygiene "
                   "included (as `audit --fail-on SEVERITY`).")
@waivers_option
@click.option("--color/--no-color", default=None, help="Colour the verdict (default: only on a terminal).")
@terraform_options
@live_mode_options
@live_options
def preflight(
    inputs: tuple[Path, ...],
    snapshot_option: Path | None,
    curl_command: str | None,
    plan_path: Path | None,
    fmt: str,
    output: Path | None,
    html_path: Path | None,
    fail_on: str,
    waivers_path: Path | None,
    waiver_max_days: int,
    color: bool | None,
    live_mode: bool,
    save_snapshot: Path | None,
    live: LiveSettings,
    terraform: Path | None,
    var_files: tuple[Path, ...],
    source_dir: Path | None,
) -> None:
    """Predict what a planned co-browse request (REQUEST_FILE, --curl) or rollout (--plan) will hit
    in the org of SNAPSHOT (a snapshot directory, as for `gcaudit audit`; or --live).

    REQUEST_FILE is JSON: {"method", "path" or "url", "body", "token": {"grant", "client", "user"}},
    or a bare request body (read as the body of POST /api/v2/conversations/cobrowse); `-` reads stdin.
    With only --plan, judges the rollout's readiness.

    Environment: with --live, GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (a
    client-credentials OAuth client) or GENESYSCLOUD_ACCESS_TOKEN, and GENESYSCLOUD_REGION;
    the GCAUDIT_* variable beside each option (GCAUDIT_PLAN, GCAUDIT_FAIL_ON, GCAUDIT_WAIVERS, ...) and
    the same settings in gcaudit.yaml (--config).

    \b
    Examples:
      gcaudit preflight samples/demo-org --curl "curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse"
      gcaudit preflight samples/demo-org request.json --html preflight.html
      gcaudit preflight samples/demo-org --plan samples/demo-org/plan.yaml

    With --terraform PLAN.json and a SNAPSHOT, judge a Terraform apply: NO-GO when the plan brings
    a failure the org does not have today, with the file and line that causes it (with --plan,
    judged against the rollout plan; a request, --curl, --html, --live and --waivers do not apply).

    With --plan only, the answer is `gcaudit audit --plan`'s own: the same verdict, blockers and
    actions, headed "What the rollout would hit". A request leads with its own problems (the
    missing endpoint, the body...), then the actions for the objects it names.

    Exit status (the default --fail-on is `blockers`): 0 GO; 1 NO-GO (co-browse is NOT READY, or a
    problem of the request itself at high or above; with a severity: any problem at or above it,
    as `audit`); 2 bad usage or input; 3 nothing blocking found but data the checks need is missing.
    """
    from auditor.inputs.plan import load_plan
    from auditor.preflight import render as output_formats
    from auditor.preflight.request import MAX_CURL_CHARS, parse_curl, parse_document, parse_request_file
    from auditor.preflight.verdict import run_preflight
    from auditor.snapshot import load_snapshot

    snapshot_path, request_file = split_snapshot_and_file(inputs, snapshot_option, "preflight")
    if terraform is not None:
        refused = [name for name, given in (
            ("a REQUEST_FILE", request_file is not None), ("--curl", curl_command is not None),
            ("--html", html_path is not None), ("--live", live_mode), ("--save-snapshot", save_snapshot is not None),
            ("--waivers", click.get_current_context().get_parameter_source("waivers_path")
             is click.core.ParameterSource.COMMANDLINE),
        ) if given]
        if refused:
            # Said, not silently ignored: the apply judgement has none of these (its reports are the
            # terminal, Markdown and JSON verdicts; a pull-request check posts the Markdown).
            raise click.UsageError(f"--terraform judges an apply against SNAPSHOT: {', '.join(refused)} "
                                   "cannot go with it (use --format markdown or json for a report)")
        plan = load_plan(plan_path) if plan_path else None
        _terraform_preflight(terraform, var_files, source_dir, snapshot_path, fmt, output, fail_on, plan)
        return
    if request_file is not None and curl_command is not None:
        raise click.UsageError("give a REQUEST_FILE or --curl, not both")
    if request_file is None and curl_command is None and plan_path is None:
        raise click.UsageError("give a REQUEST_FILE, --curl COMMAND or --plan PLAN")
    if live_mode == (snapshot_path is not None):
        raise click.UsageError("give a SNAPSHOT directory or --live (not both)")
    if save_snapshot is not None and not live_mode:
        raise click.UsageError("--save-snapshot only goes with --live")

    # Parse every input before collecting: a typo must not cost a full collection.
    if curl_command is not None:
        request = parse_curl(_read_stdin(MAX_CURL_CHARS, "--curl -") if curl_command == "-" else curl_command)
    elif request_file is not None and str(request_file) == "-":
        request = parse_document(_read_stdin(MAX_REQUEST_CHARS, "<stdin>"), "<stdin>")
    elif request_file is not None:
        request = parse_request_file(request_file)
    else:
        request = None
    plan = load_plan(plan_path) if plan_path else None
    if live_mode:
        # Collect only the small org-wide listings and the objects the request and plan name.
        from dataclasses import replace

        from auditor.preflight.targeted import call_plan

        live = replace(live, call_plan=call_plan(request, plan))
    snapshot = live_snapshot(live, save_snapshot) if live_mode else load_snapshot(snapshot_path, lean=True)

    report = run_preflight(snapshot, request=request, plan=plan, fail_on=fail_on)
    if waivers_path is not None:
        from auditor.preflight.waive import apply_waivers_to

        for line in apply_waivers_to(report, waivers_path, waiver_max_days):
            click.echo(f"gcaudit: warning: {line}", err=True)
    if html_path is not None:
        from auditor.safety.fileio import atomic_write_text

        atomic_write_text(html_path, output_formats.render_html(report))
    emit(output_formats.render(report, fmt, color=use_color(color) and output is None), output)
    raise SystemExit(report.exit_status)


#: A request document on stdin: the same cap as a request file.
MAX_REQUEST_CHARS = 16 * 1024**2


def _read_stdin(limit: int, source: str) -> str:
    """Stdin, at most `limit` characters: one more is read only to tell that there was more."""
    from auditor.errors import InputError

    text = sys.stdin.read(limit + 1)
    if len(text) > limit:
        raise InputError(source, f"input longer than {limit} characters")
    return text

def _terraform_preflight(terraform: Path, var_files: tuple[Path, ...], source_dir: Path | None,
                         snapshot_path: Path | None, fmt: str, output: Path | None, fail_on: str | None,
                         plan: Plan | None) -> None:
    from auditor.engine import run_audit
    from auditor.preflight.terraform import judge_apply, render
    from auditor.results import Severity
    from auditor.snapshot import load_snapshot

    if snapshot_path is None:
        raise click.UsageError("--terraform needs a SNAPSHOT: the org the plan is applied to")
    from auditor.sources.terraform.redact import redact_report

    base = load_snapshot(snapshot_path, lean=True)
    after, redactor = terraform_snapshot(terraform, var_files, source_dir, base)
    # With --plan, both sides are judged against the rollout plan (its queues, deployments, clients).
    before_report, after_report = run_audit(base, plan), run_audit(after, plan)
    for report in (before_report, after_report):
        redact_report(report, redactor)
    # An apply is judged by the failures it brings; `blockers` (the default) counts those at high or
    # above, the severity a blocker has.
    verdict = judge_apply(before_report, after_report, Severity(fail_on) if fail_on not in (None, "blockers")
                          else Severity.HIGH)
    emit(render(verdict, fmt), output)
    raise SystemExit(verdict.exit_status)
