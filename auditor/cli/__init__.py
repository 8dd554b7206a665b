"""The `gcaudit` command line: a thin layer that parses options and calls the library.

Subcommands live in their own modules and are imported only when invoked, so `gcaudit --help`
does not pay for pandas.
"""

from __future__ import annotations

import errno
import importlib
import importlib.util
import logging
import os
import sys
import traceback
from typing import Any

import click

from auditor import __version__
from auditor.errors import GcauditError
from auditor.safety.fileio import shorten
from auditor.safety.redaction import install_log_filter
from auditor.safety.sanitise import install_log_filter as install_printable_log_filter
from auditor.safety.sanitise import printable

#: command name -> "module:attribute" under auditor.cli
COMMANDS: dict[str, str] = {
    "audit": "audit:audit",
    "rules": "rules:rules",
    "collect": "collect:collect",
    "permissions": "collect:permissions",
    "preflight": "preflight:preflight",
    "nightly": "nightly:nightly",
    "history": "history:history",
    "history-prune": "history:history_prune",
    "diff": "history:diff",
    "demo": "demo:demo",
    "export-terraform": "export:export_terraform",
}

#: Error lines are one line, scrubbed and printable (`sanitise.printable`), at most this long.
_MESSAGE_LIMIT = 2000
#: Exit status for a bug in gcaudit itself (not the user's input): see README "Exit status".
INTERNAL_ERROR = 4
#: OS errors that are about the user's paths or disk, never a bug: one line and exit 2.
USER_OS_ERRORS = frozenset({errno.ENAMETOOLONG, errno.ELOOP, errno.ENOSPC, errno.EDQUOT, errno.EROFS})


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self.get_command(ctx, name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        if importlib.util.find_spec(f"auditor.cli.{module}") is None:
            return None
        command = getattr(importlib.import_module(f"auditor.cli.{module}"), attr, None)
        return None if command is None else _accept_global_flags(command, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GcauditError as exc:
            click.echo(f"gcaudit: error: {printable(str(exc), _MESSAGE_LIMIT)}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("gcaudit: interrupted", err=True)
            ctx.exit(130)
        except OSError as exc:
            if exc.errno not in USER_OS_ERRORS:
                self._internal(ctx, exc)
            # A name the system refuses to look up (too long, a loop of links) or a disk that is full
            # or read-only: the user's input or environment, wherever the path was first touched.
            where = f"{shorten(os.fsdecode(exc.filename), 120)}: " if exc.filename is not None else ""
            click.echo(f"gcaudit: error: {printable(where + (exc.strerror or str(exc)).lower(), _MESSAGE_LIMIT)}",
                       err=True)
            ctx.exit(2)
        except ValueError as exc:
            # The OS takes no NUL in a path or argument (`--plan $'a\0b'`); Python says "embedded null byte".
            if "embedded null" not in str(exc):
                self._internal(ctx, exc)
            click.echo("gcaudit: error: a path or value contains a NUL character, which no file name can hold",
                       err=True)
            ctx.exit(2)
        except RuntimeError as exc:
            # Python 3.11's Path.resolve() reports a loop of symbolic links as RuntimeError("Symlink
            # loop from '...'") (3.13 raises OSError ELOOP, handled above): the user's path, not a bug.
            if not str(exc).startswith("Symlink loop from "):
                self._internal(ctx, exc)
            click.echo(f"gcaudit: error: {printable(shorten(str(exc), 200), _MESSAGE_LIMIT)}", err=True)
            ctx.exit(2)
        except Exception as exc:
            self._internal(ctx, exc)

    @staticmethod
    def _internal(ctx: click.Context, exc: Exception) -> None:
        """Exit 4: a bug in gcaudit. Called inside the `except` block, so --debug prints its traceback."""
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            # The traceback --debug promises, and still the internal-error status (not Python's 1,
            # which means "findings" here).
            traceback.print_exc()
            ctx.exit(INTERNAL_ERROR)
        click.echo(
            f"gcaudit: internal error: {type(exc).__name__}: {printable(str(exc), _MESSAGE_LIMIT)} "
            "(re-run with --debug for details)",
            err=True,
        )
        ctx.exit(INTERNAL_ERROR)


def configure_logging(debug: bool, quiet: bool) -> None:
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr, force=True)
    # Every log line goes through the one scrubbing rule, then the sanitiser (in that order).
    install_log_filter()
    install_printable_log_filter()


def _accept_global_flags(command: click.Command, name: str | None = None) -> click.Command:
    """Give `command` the global options and the settings layer. `-q`, `--debug`, `-v` and
    `--color/--no-color` may also follow the subcommand (`gcaudit collect -q ...`), as people type
    them; every option with a setting reads its GCAUDIT_* variable and gcaudit.yaml (config.py)."""
    if any(getattr(p, "name", None) == "global_quiet" for p in command.params):
        return command
    from auditor.cli.config import settings_layer

    settings_layer(command, name or command.name or "")
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            _accept_global_flags(sub, sub_name)

    def apply(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            root = logging.getLogger()
            debug = param.name == "global_debug" or root.isEnabledFor(logging.DEBUG)
            configure_logging(debug=debug, quiet=param.name == "global_quiet" and not debug)

    command.params += [
        click.Option(["--debug", "global_debug"], is_flag=True, expose_value=False, callback=apply,
                     help="Same as `gcaudit --debug`."),
        click.Option(["-q", "--quiet", "global_quiet"], is_flag=True, expose_value=False, callback=apply,
                     help="Same as `gcaudit -q`."),
    ]
    original_parse = command.parse_args

    def parse_args(ctx: click.Context, args: list[str]) -> list[str]:
        # Kept for `options.old_spelling`: click does not say which alias of an option was typed.
        ctx.gcaudit_args = list(args)  # type: ignore[attr-defined]
        return original_parse(ctx, args)

    command.parse_args = parse_args  # type: ignore[method-assign]
    names = {p.name for p in command.params}
    # A command with nothing more to show or nothing to colour accepts the global flags all the
    # same, so that one habit works everywhere.
    if "verbose" not in names:
        command.params.append(click.Option(["-v", "--verbose", "global_verbose"], is_flag=True,
                                           expose_value=False, help="Same as `gcaudit -v`."))
    if "color" not in names:
        command.params.append(click.Option(["--color/--no-color", "global_color"], default=None,
                                           expose_value=False, help="Same as `gcaudit --color`."))
    return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="gcaudit")
@click.option("--debug", is_flag=True, help="Debug logging (secrets are redacted) and tracebacks on internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.option("-v", "--verbose", is_flag=True,
              help="Show more where a command has more to show (audit: the full lists).")
@click.option("--color/--no-color", default=None, help="Colour the terminal output (default: only on a terminal).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, verbose: bool, color: bool | None) -> None:
    """Audit a Genesys Cloud org's configuration for co-browse readiness and org hygiene.

    -q, --debug, -v and --color may also follow the subcommand. Every command reads its settings
    from flags, then GCAUDIT_* environment variables, then gcaudit.yaml (--config), then its
    defaults; its --help names the variables.

    \b
    Example:
      gcaudit demo samples && gcaudit audit samples/demo-org --plan samples/demo-org/plan.yaml
    """
    configure_logging(debug, quiet)
    # The subcommand's own -v/--color take these as defaults (click's default_map, which a
    # subcommand's context reads under its name); its own flags, given after it, still win.
    given = {**({"verbose": True} if verbose else {}), **({"color": color} if color is not None else {})}
    if given and ctx.invoked_subcommand:
        ctx.default_map = {ctx.invoked_subcommand: {**given, **{f"global_{k}": v for k, v in given.items()}}}


def main() -> None:
    cli(prog_name="gcaudit")
