"""Options shared by several commands, and output helpers."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from auditor.results import Severity, Status
from auditor.safety.fileio import atomic_write_text

F = TypeVar("F", bound=Callable[..., Any])

SEVERITIES = [s.value for s in Severity]
STATUSES = [s.value for s in Status]


def split_choices(choices: list[str]) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], tuple[str, ...]]:
    """A callback for a repeatable option that also takes comma-separated values (`--severity critical,high`),
    matched case-insensitively against `choices`."""
    by_fold = {c.casefold(): c for c in choices}

    def callback(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for item in (v.strip() for raw in value for v in raw.split(",")):
            if not item:
                continue
            if item.casefold() not in by_fold:
                raise click.BadParameter(f"{item!r} is not one of {', '.join(choices)}", ctx, param)
            out.append(by_fold[item.casefold()])
        return tuple(dict.fromkeys(out))
    return callback


def fail_on_option(fn: F) -> F:
    return click.option(
        "--fail-on",
        type=click.Choice(SEVERITIES),
        default="high",
        show_default=True,
        help="Exit 1 when a FAIL at or above this severity is found.",
    )(fn)


#: `--fail-on blockers`: exit by the co-browse verdict (auditor.answer): 1 not ready, 3 incomplete, else 0.
FAIL_ON_CHOICES = [*SEVERITIES, "blockers"]


def verdict_fail_on_option(fn: F) -> F:
    """--fail-on for commands that produce the answer: a severity, or `blockers` (the verdict)."""
    return click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON_CHOICES),
        default=None,
        help="Exit 1 on a FAIL at or above this severity, or with `blockers` exactly when co-browse is NOT "
             "READY (3 when the verdict is INCOMPLETE). Default: `blockers` with --plan (a rollout gate does "
             "not fail on unrelated hygiene), else `high` (every FAIL of high or critical severity counts).",
    )(fn)


def default_fail_on(fail_on: str | None, plan: object) -> str:
    """`blockers` when a rollout plan is given, else `high`: see `verdict_fail_on_option`."""
    if fail_on is not None:
        return fail_on
    return "blockers" if plan is not None else "high"


def plan_option(fn: F) -> F:
    return click.option(
        "--plan",
        "plan_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Rollout plan (YAML) naming the deployments, queues, sites and clients co-browse relies on.",
    )(fn)


def emit(text: str, output: Path | None) -> None:
    """Write to `output` atomically, or to stdout."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(output, text)


def use_color(flag: bool | None) -> bool:
    return sys.stdout.isatty() if flag is None else flag


def html_option(fn: F) -> F:
    return click.option(
        "--html",
        "html_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the self-contained HTML report here (with any --format).",
    )(fn)



def deprecated(old: str, new: str) -> None:
    click.echo(f"gcaudit: note: {old} is deprecated; {new}", err=True)


def split_snapshot_and_file(inputs: tuple[Path, ...], snapshot_option: Path | None,
                            command: str) -> tuple[Path | None, Path | None]:
    """`[SNAPSHOT] [FILE]` positionals: a directory is the snapshot (as on `audit`), anything else the
    file. The old `--snapshot DIR` still works, with a note on stderr."""
    if len(inputs) > 2:
        raise click.UsageError("give at most a SNAPSHOT directory and one file")
    snapshot = next((p for p in inputs if p.is_dir()), None)
    files = [p for p in inputs if p is not snapshot]
    if len(files) > 1:
        raise click.UsageError(f"{files[0]} is not a snapshot directory")
    if snapshot_option is not None:
        deprecated("--snapshot DIR", f"give the directory as an argument: gcaudit {command} DIR ...")
        if snapshot is not None:
            raise click.UsageError("give the snapshot once (as an argument)")
        snapshot = snapshot_option
    return snapshot, files[0] if files else None
