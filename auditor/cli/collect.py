"""`gcaudit collect` (org -> snapshot directory) and `gcaudit permissions`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from auditor.cli.live_options import LiveSettings, live_options

#: Exit status when the snapshot was written but some datasets failed (README "Exit status").
INCOMPLETE = 3


def _print_permissions(fmt: str) -> None:
    from auditor.collectors.permissions import render_table, requirements

    if fmt == "json":
        click.echo(json.dumps(requirements(), indent=2))
    elif fmt == "markdown":
        from auditor.collectors.permissions import render_markdown

        click.echo(render_markdown(), nl=False)
    else:
        click.echo(render_table(), nl=False)


@click.command()
@click.option("--out-dir", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="New snapshot directory (must not exist or be empty). `--out` is the old spelling.")
@live_options
@click.option("--permissions", "show_permissions", is_flag=True,
              help="Print the permissions and scopes the collector needs, then exit.")
def collect(out: Path | None, live: LiveSettings, show_permissions: bool) -> None:
    """Collect the org's configuration into a snapshot directory.

    Environment: GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (a client-credentials
    OAuth client), or GENESYSCLOUD_ACCESS_TOKEN; GENESYSCLOUD_REGION (or --region).

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
    if out is None:
        raise click.UsageError("give --out-dir DIR (a new snapshot directory)")
    from auditor.collectors.collect import summary_line

    result = live.collect(out)
    click.echo(str(result.path))
    failed = result.manifest.failed()
    for name, status in failed.items():
        what = "partial" if status.partial else "failed"
        click.echo(f"gcaudit: dataset {what}: {summary_line(name, status)}", err=True)
    raise SystemExit(INCOMPLETE if failed else 0)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
def permissions(fmt: str) -> None:
    """Print the permissions and scopes the collector needs (for a least-privilege OAuth client).

    Reads no environment variables and needs no network.

    \b
    Example:
      gcaudit permissions --format markdown
    """
    _print_permissions(fmt)
