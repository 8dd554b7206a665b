"""`gcaudit rules`: the rule catalog."""

from __future__ import annotations

import json

import click
from tabulate import tabulate

from auditor.cli.options import output_option, terminal_width


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@output_option
def rules(fmt: str) -> None:
    """List every rule: id, severity, category, title (json: with rationale, remediation, references).

    Reads no environment variables (but GCAUDIT_CONFIG and COLUMNS, the table's width) and needs no
    network.

    \b
    Example:
      gcaudit rules --format json -o rules.json
    """
    from auditor.rules import catalog

    entries = catalog()
    if fmt == "json":
        click.echo(json.dumps([r.metadata() for r in entries], indent=2))
        return
    rows = [[r.id, r.severity.value, r.category, r.title] for r in entries]
    if fmt == "markdown":
        click.echo(tabulate(rows, headers=["id", "severity", "category", "title"], tablefmt="github"))
        return
    # The title wraps so that the table fits the terminal (80 columns and up).
    fixed = sum(max(len(h), *(len(str(row[i])) for row in rows)) + 2 for i, h in enumerate(["id", "severity",
                                                                                              "category"]))
    click.echo(tabulate(rows, headers=["id", "severity", "category", "title"], tablefmt="simple",
                        maxcolwidths=[None, None, None, max(20, terminal_width() - fixed - 2)]))
