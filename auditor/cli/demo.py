"""`gcaudit demo DIR`: write the bundled sample orgs, to try gcaudit without an org."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--nightly", is_flag=True,
              help="Also run three nights of the demo org against a built-in fake API into DIRECTORY/nightly-demo, "
              "with changes made between them (who changed what, from the audit trail).")
def demo(directory: Path, nightly: bool) -> None:
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
    if nightly:
        from auditor.testing.demo_history import write_demo_history

        target = directory / "nightly-demo"
        outcomes = write_demo_history(target)
        click.echo(f"wrote {len(outcomes)} nights to {target}: {target / 'latest.html'}")
        history = f"sqlite:///{target.resolve() / 'gcaudit-history.db'}"
        click.echo(f"next: gcaudit history --history {history} ; gcaudit diff 1 3 --history {history}")
        return
    click.echo(f"next: gcaudit audit {first} --plan {first / 'plan.yaml'} --html report.html")
