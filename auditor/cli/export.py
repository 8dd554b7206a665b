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
    from auditor.safety.fileio import make_private_dirs
    from auditor.snapshot import load_snapshot
    from auditor.sources.terraform.export import export_terraform as write

    loaded = load_snapshot(snapshot)  # a bad snapshot leaves no directory behind
    # Created here, owner-only like every output directory, and refused (exit 2, one line) when a
    # file, a dangling link or an unwritable parent is in the way.
    make_private_dirs(directory)
    for path in write(loaded, directory):
        click.echo(f"wrote {path}", err=True)
