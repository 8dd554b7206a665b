"""`--terraform`, `--var-file` and `--source-dir`: a CX-as-Code configuration or plan as the source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from auditor.cli.options import note as print_note

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


def terraform_snapshot(path: Path, var_files: tuple[Path, ...], source_dir: Path | None,
                       base: Snapshot | None) -> tuple[Snapshot, Redactor]:
    """The snapshot and the redactor its reports must pass through (tfvars values)."""
    from auditor.sources.terraform import load_terraform_redacted

    snapshot, redactor = load_terraform_redacted(path, var_files=list(var_files), base=base, source_dir=source_dir)
    info = snapshot.manifest.extra.get("terraform") or {}
    for note in info.get("notes", [])[:50]:
        print_note(click.unstyle(note))
    ignored = info.get("ignored") or {}
    if ignored:
        counted = ", ".join(f"{name} x{count}" for name, count in ignored.items())
        print_note(f"ignored {sum(ignored.values())} resource(s) outside the audit: {counted}")
    traffic = snapshot.manifest.datasets.get("conversation_aggregates")
    if traffic is None or traffic.status != "ok":
        reason = traffic.reason() if traffic is not None else "not collected"
        print_note(f"traffic (conversation_aggregates) {reason}: without a plan naming the queues, "
                   "the co-browse queues are every queue with message media settings")
    return snapshot, redactor
