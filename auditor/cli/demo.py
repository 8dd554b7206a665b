"""`gcaudit demo DIR`: write the bundled sample orgs, to try gcaudit without an org."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def demo(directory: Path) -> None:
    """Write the sample orgs (demo-org: half-way through a rollout; ready-org: ready) into DIRECTORY.

    Reads no environment variables and needs no network.

    \b
    Example:
      gcaudit demo samples && gcaudit audit samples/demo-org --plan samples/demo-org/plan.yaml
    """
    from auditor.samples import write_samples

    for target in write_samples(directory):
        click.echo(f"wrote {target}")
    first = directory / "demo-org"
    click.echo(f"next: gcaudit audit {first} --plan {first / 'plan.yaml'} --html report.html")
