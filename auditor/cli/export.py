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

    Environment: reads no environment variables and needs no network.

    \b
    Example:
      gcaudit export-terraform samples/demo-org exported/ && gcaudit audit --terraform exported/
    """
    from auditor.snapshot import load_snapshot
    from auditor.sources.terraform.export import export_terraform as write

    loaded = load_snapshot(snapshot)  # a bad snapshot leaves no directory behind
    # The export is rendered in full, then written beside DIRECTORY and renamed onto it (owner-only
    # like every output directory): a value that cannot be written, a file or a dangling link in
    # the way, an unwritable parent, all exit 2 with one line and leave no half-written directory.
    for path in write(loaded, directory):
        click.echo(f"wrote {path}", err=True)
