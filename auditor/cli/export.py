"""`gcaudit export-terraform SNAPSHOT DIR`: an audited org as exporter-style Terraform."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.options import deprecated


@click.command("export-terraform")
@click.argument("snapshot", type=click.Path(path_type=Path))
@click.argument("directory_arg", required=False, type=click.Path(path_type=Path), metavar="")
@click.option("--out-dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="The new (or empty) directory to write the .tf files into.")
def export_terraform(snapshot: Path, directory_arg: Path | None, directory: Path | None) -> None:
    """Write SNAPSHOT's queues, wrap-up codes, roles, user roles, OAuth clients and Messenger
    configurations and deployments as Terraform for mypurecloud/genesyscloud into --out-dir
    (new or empty), so a team can start managing the audited org as code.

    Environment: reads GCAUDIT_CONFIG only, and needs no network.

    \b
    Example:
      gcaudit export-terraform samples/demo-org --out-dir exported/ && gcaudit audit --terraform exported/
    """
    if directory_arg is not None:
        if directory is not None:
            raise click.UsageError("give the output directory once, as --out-dir DIR")
        deprecated("export-terraform SNAPSHOT DIR", "use --out-dir DIR")
        directory = directory_arg
    if directory is None:
        raise click.UsageError("give --out-dir DIR (a new or empty directory)")
    from auditor.snapshot import load_snapshot
    from auditor.sources.terraform.export import export_terraform as write

    loaded = load_snapshot(snapshot)  # a bad snapshot leaves no directory behind
    # The export is rendered in full, then written beside DIRECTORY and renamed onto it (owner-only
    # like every output directory): a value that cannot be written, a file or a dangling link in
    # the way, an unwritable parent, all exit 2 with one line and leave no half-written directory.
    for path in write(loaded, directory):
        click.echo(f"wrote {path}", err=True)
