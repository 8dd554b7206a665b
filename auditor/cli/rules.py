"""`gcaudit rules`: the rule catalog."""

from __future__ import annotations

import json

import click
from tabulate import tabulate


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def rules(fmt: str) -> None:
    """List every rule: id, severity, category, title (json: with rationale, remediation, references).

    Reads no environment variables and needs no network.

    \b
    Example:
      gcaudit rules --format json
    """
    from auditor.rules import catalog

    entries = catalog()
    if fmt == "json":
        click.echo(json.dumps([r.metadata() for r in entries], indent=2))
        return
    rows = [[r.id, r.severity.value, r.category, r.title] for r in entries]
    tablefmt = "github" if fmt == "markdown" else "simple"
    click.echo(tabulate(rows, headers=["id", "severity", "category", "title"], tablefmt=tablefmt))
