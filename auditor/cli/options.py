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


def terminal_width() -> int:
    """Columns for tables: COLUMNS or the terminal's, 80 when unknown, within 60..120."""
    import shutil

    return max(60, min(shutil.get_terminal_size((80, 24)).columns, 120))


def output_option(fn: F) -> F:
    """`-o FILE`: what the command prints goes to FILE instead (atomically, once it is complete), as
    `-o` does on `audit` and `preflight`. `-` is stdout."""
    import contextlib
    import functools
    import io

    @functools.wraps(fn)
    def wrapper(*args: Any, output: Path | None, **kwargs: Any) -> Any:
        if output is None or str(output) == "-":
            return fn(*args, **kwargs)
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stdout(buffer):
                result = fn(*args, **kwargs)
        except SystemExit as exc:
            if exc.code not in (0, 1, 3, None):  # usage and input errors write nothing
                raise
            atomic_write_text(output, buffer.getvalue())
            raise
        atomic_write_text(output, buffer.getvalue())
        return result

    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write the output here (atomically) instead of stdout.")(wrapper)  # type: ignore[return-value]


def html_option(fn: F) -> F:
    return click.option(
        "--html",
        "html_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the self-contained HTML report here (with any --format).",
    )(fn)



def deprecated(old: str, new: str) -> None:
    note(f"{old} is deprecated; {new}")


def note(text: str, kind: str = "note") -> None:
    """A `gcaudit: note:` line on stderr. On a terminal (or with COLUMNS set) a long note folds onto
    indented lines at the terminal's width instead of running off it; into a file or a pipe it stays
    one line, for grep and log collectors."""
    import os
    import textwrap

    line = f"gcaudit: {kind}: {text}"
    if sys.stderr.isatty() or os.environ.get("COLUMNS"):
        line = textwrap.fill(line, terminal_width(), subsequent_indent="  ", break_long_words=False,
                             break_on_hyphens=False)
    click.echo(line, err=True)


class AliasOption(click.Option):
    """An option with an old spelling that still works, with a note on stderr, and that --help does
    not show (help never recommends a deprecated form): `old` is one of the option's names."""

    def __init__(self, *args: Any, old: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.old = old
        self.callback = old_spelling(old, f"use {self.opts[0]}")

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        saved = self.opts
        self.opts = [name for name in saved if name != self.old]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = saved


def old_spelling(old: str, new: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback: a one-line note on stderr when the option was typed as `old`."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if not ctx.resilient_parsing and old in _typed(ctx):
            deprecated(old, new)
        return value

    return callback


def _typed(ctx: click.Context) -> list[str]:
    """The words of this command's own arguments as typed (what click was given to parse)."""
    return [word.split("=", 1)[0] for word in getattr(ctx, "gcaudit_args", None) or []]


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
