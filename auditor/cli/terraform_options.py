"""`--terraform`, `--var-file` and `--source-dir`: a CX-as-Code configuration or plan as the source."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from auditor.snapshot import Snapshot
    from auditor.sources.terraform.redact import Redactor

F = TypeVar("F", bound=Callable[..., Any])


def terraform_options(fn: F) -> F:
    fn = click.option("--source-dir", type=click.Path(file_okay=False, path_type=Path),
                      help="With a plan: the configuration directory its lines are read from "
                           "(default: the plan's directory).")(fn)
    fn = click.option("--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                      help="A .tfvars file, as `terraform -var-file` (repeatable, later ones win).")(fn)
    return click.option("--terraform", type=click.Path(path_type=Path),
                        help="A Terraform configuration directory (.tf/.tf.json) or `terraform show -json` plan.")(fn)


#: Notes go to stderr beside a terminal report: wrapped to fit 80 columns.
NOTE_WIDTH = 80


def _note(text: str) -> None:
    click.echo(textwrap.fill(click.unstyle(text), NOTE_WIDTH, subsequent_indent="  ",
                             break_long_words=True, break_on_hyphens=False), err=True)


def terraform_snapshot(path: Path, var_files: tuple[Path, ...], source_dir: Path | None,
                       base: Snapshot | None) -> tuple[Snapshot, Redactor]:
    """The snapshot and the redactor its reports must pass through (tfvars values)."""
    from auditor.sources.terraform import load_terraform_redacted

    snapshot, redactor = load_terraform_redacted(path, var_files=list(var_files), base=base, source_dir=source_dir)
    info = snapshot.manifest.extra.get("terraform") or {}
    for note in info.get("notes", [])[:50]:
        _note(f"gcaudit: note: {note}")
    ignored = info.get("ignored") or {}
    if ignored:
        counted = ", ".join(f"{name} x{count}" for name, count in ignored.items())
        _note(f"gcaudit: ignored {sum(ignored.values())} resource(s) outside the audit: {counted}")
    traffic = snapshot.manifest.datasets.get("conversation_aggregates")
    if traffic is None or traffic.status != "ok":
        reason = traffic.reason() if traffic is not None else "not collected"
        _note(f"gcaudit: note: traffic (conversation_aggregates) {reason}: without a plan naming the queues, "
              "the co-browse queues are every queue with message media settings")
    return snapshot, redactor
