"""`gcaudit collect` (org -> snapshot directory) and `gcaudit permissions`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from auditor.cli.live_options import LiveSettings, live_options
from auditor.cli.options import AliasOption, output_option

#: Exit status when the snapshot was written but some datasets failed (README "Exit status").
INCOMPLETE = 3


def _print_permissions(fmt: str) -> None:
    from auditor.sources.collectors.permissions import render_table, requirements

    if fmt == "json":
        click.echo(json.dumps(requirements(), indent=2))
    elif fmt == "markdown":
        from auditor.sources.collectors.permissions import render_markdown

        click.echo(render_markdown(), nl=False)
    else:
        from auditor.cli.options import terminal_width

        click.echo(render_table(terminal_width()), nl=False)


@click.command()
@click.option("--out-dir", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              cls=AliasOption, old="--out",
              help="New snapshot directory (must not exist or be empty).")
@live_options
@click.option("--permissions", "show_permissions", is_flag=True,
              help="Print the permissions and scopes the collector needs, then exit.")
@click.option("--rules", "rule_ids", metavar="IDS",
              help="Collect only what these rules (comma-separated ids) need; the snapshot can judge only them.")
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Collect only what the rules need for this rollout plan's scope (all rules unless --rules).")
@click.option("--plan-only", is_flag=True,
              help="Print the call plan (calls per dataset, time at --rate) and exit: no call is made.")
@click.option("--counts-from", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="With --plan-only: an earlier snapshot of the org whose object counts make the estimate exact.")
def collect(out: Path | None, live: LiveSettings, show_permissions: bool, rule_ids: str | None,
            plan_path: Path | None, plan_only: bool, counts_from: Path | None) -> None:
    """Collect the org's configuration into a snapshot directory.

    Environment: GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (a client-credentials
    OAuth client), or GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_REGION (or --region); the GCAUDIT_*
    variable beside each option, and gcaudit.yaml (--config).

    \b
    Example:
      gcaudit collect --out-dir snapshots/2026-11-24 --region eu-west-1

    Exit status: 0 every dataset collected; 2 bad usage, credentials or region; 3 the snapshot was
    written but some datasets failed or are partial (the client could not see every division; see
    its manifest.json).
    """
    if show_permissions:
        _print_permissions("table")
        return
    call_plan = _call_plan(rule_ids, plan_path)
    if plan_only:
        _print_call_plan(call_plan, counts_from, live.rate, skip_auth_settings=live.skip_auth_settings)
        return
    if counts_from is not None:
        raise click.UsageError("--counts-from only goes with --plan-only")
    if call_plan is not None:
        from dataclasses import replace

        live = replace(live, call_plan=call_plan)
    if out is None:
        raise click.UsageError("give --out-dir DIR (a new snapshot directory)")
    from auditor.sources.collectors.collect import summary_line

    result = live.collect(out)
    click.echo(str(result.path))
    # A dataset a call plan left out on purpose is not a failure (its audit reports ERROR for it).
    failed = {n: st for n, st in result.manifest.failed().items() if not st.not_collected}
    for name, status in failed.items():
        what = "partial" if status.partial else "failed"
        click.echo(f"gcaudit: dataset {what}: {summary_line(name, status)}", err=True)
    raise SystemExit(INCOMPLETE if failed else 0)


def _call_plan(rule_ids: str | None, plan_path: Path | None) -> object | None:
    """The call plan of --rules/--plan, or None (collect everything)."""
    if rule_ids is None and plan_path is None:
        return None
    from auditor.inputs.plan import load_plan
    from auditor.rules import catalog
    from auditor.sources.collectors.plan import make_plan

    rules = list(catalog())
    if rule_ids is not None:
        wanted = {r.strip().upper() for r in rule_ids.split(",") if r.strip()}
        unknown = sorted(wanted - {r.id for r in rules})
        if unknown or not wanted:
            raise click.BadParameter(f"unknown rule id(s): {', '.join(unknown) or '(none given)'}",
                                     param_hint="--rules")
        rules = [r for r in rules if r.id in wanted]
    return make_plan(rules, load_plan(plan_path) if plan_path else None)


def _print_call_plan(call_plan: object | None, counts_from: Path | None, rate: float, *,
                     skip_auth_settings: bool = False) -> None:
    from auditor.snapshot import DATASETS, load_snapshot
    from auditor.snapshot.datasets import ADMIN_DATASETS
    from auditor.sources.collectors.plan import CallPlan, estimate, render_estimate

    if not isinstance(call_plan, CallPlan):
        call_plan = CallPlan({d.name: frozenset({"every"}) for d in DATASETS})
    reference = load_snapshot(counts_from) if counts_from is not None else None
    rows = estimate(call_plan, reference)
    if skip_auth_settings:  # opted out: those reads are not made
        rows = [r for r in rows if r.name not in ADMIN_DATASETS]
    click.echo(render_estimate(rows, rate), nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
@output_option
def permissions(fmt: str) -> None:
    """Print the permissions and scopes the collector needs (for a least-privilege OAuth client).

    Reads no environment variables (but GCAUDIT_CONFIG and COLUMNS, the table's width) and needs
    no network.

    \b
    Example:
      gcaudit permissions --format markdown -o permissions.md
    """
    _print_permissions(fmt)
