"""`--waivers` / `--waiver-max-days` for `audit`, `preflight` and `nightly`, and applying them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from collections.abc import Callable

    from auditor.inputs.waivers import WaiverOutcome
    from auditor.results import AuditReport

F = TypeVar("F", bound="Callable[..., Any]")

#: Kept in sync with auditor.inputs.waivers.DEFAULT_MAX_DAYS (not imported: `--help` stays light).
DEFAULT_MAX_DAYS = 90


def waivers_option(fn: F) -> F:
    fn = click.option(
        "--waiver-max-days",
        type=click.IntRange(min=0),
        default=DEFAULT_MAX_DAYS,
        show_default=True,
        envvar="GCAUDIT_WAIVER_MAX_DAYS",
        show_envvar=True,
        help="Longest a waiver may run: an `expires` further ahead than this is an input error.",
    )(fn)
    return click.option(
        "--waivers",
        "waivers_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="GCAUDIT_WAIVERS",
        show_envvar=True,
        help="Waiver file (YAML): FAIL results it matches become WAIVED until the waiver expires.",
    )(fn)


def apply_waiver_file(report: AuditReport, path: Path | None, max_days: int = DEFAULT_MAX_DAYS) -> WaiverOutcome | None:
    """Load and apply `path` (if given); print expired and unused waivers on stderr."""
    if path is None:
        return None
    from auditor.inputs.waivers import apply_waivers, load_waivers

    outcome = apply_waivers(report, load_waivers(path, max_days=max_days), source=str(path))
    for line in outcome.warnings():
        click.echo(f"gcaudit: warning: {line}", err=True)
    return outcome
