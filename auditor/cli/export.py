"""`gcaudit export-terraform SNAPSHOT DIR`: an audited org as exporter-style Terraform."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("export-terraform")
@click.argument("snapshot", type=click.Path(path_type=Path))
@click.argument("directory", type=click.Path(path_type=Path))
def export_terraform(snapshot: Path, directory: Path) -> None:
    """Write SNAPSHOT's queues, wrap-up codes, roles, user roles, OAuth clients and Messenger
    configurations and deployments as Terraform for mypurecloud/genesyscloud into DIRECTORY
    (new or empty), so a team can start managing the audited org as code.

    Environment: none read (the snapshot is the only input; no client secret is ever exported).

    \b
    Example:
      gcaudit export-terraform snapshots/tonight infra/genesys
    """
    from auditor.snapshot import load_snapshot
    from auditor.sources.terraform.export import export_terraform as write

    for path in write(load_snapshot(snapshot), directory):
        click.echo(f"wrote {path}", err=True)
