"""`gcaudit.yaml`: defaults for `nightly`, `history` and `diff`, below flags and environment variables.

Click resolves each option as: command line, then its `GCAUDIT_*` environment variable, then
the command's `default_map` (filled from this file), then the built-in default. So "flags win",
then the environment, then the file.

The file is a flat mapping of option names (`out: reports`, `fail-on: medium`, `notify: [...]`);
dashes and underscores are interchangeable. Relative paths in it are relative to the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from auditor.errors import InputError
from auditor.safety.fileio import read_yaml, shorten

DEFAULT_CONFIG = "gcaudit.yaml"
#: Keys whose values are paths (resolved relative to the config file).
PATH_KEYS = frozenset({"plan", "snapshot", "out", "waivers", "orgs"})
#: Every key the file may hold (the options of `nightly`); `history`/`diff` use a subset.
KNOWN_KEYS = frozenset({
    "plan", "snapshot", "label", "history", "out", "fail_on", "fail_on_new_only", "waivers",
    "waiver_max_days", "notify", "notify_format", "keep", "keep_history_days", "orgs", "parallel", "org_timeout",
    "region", "workers", "rate", "retries", "retry_budget",
    # Auth setup (issue 21): the usage window and the opt-out of the admin-only authentication settings.
    "usage_days", "skip_auth_settings",
    # The auth-setup rules' thresholds (a mapping; auditor.genesys.auth_setup.AuthThresholds).
    "auth_thresholds",
})


def config_path(value: str | None) -> Path | None:
    """The explicit --config / GCAUDIT_CONFIG, else ./gcaudit.yaml when it exists."""
    if value:
        return Path(value)
    default = Path(DEFAULT_CONFIG)
    return default if default.is_file() else None


def load_config(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(path, f"expected a mapping of settings, got {type(data).__name__}")
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        if name not in KNOWN_KEYS:
            raise InputError(path, f"unknown setting (known: {', '.join(sorted(KNOWN_KEYS))})", field=shorten(key))
        if name in PATH_KEYS and isinstance(value, str) and value:
            value = str((path.parent / value).expanduser()) if not Path(value).is_absolute() else value
        if name == "history" and isinstance(value, str) and value.startswith("sqlite:///"):
            db = value[len("sqlite:///"):]
            if db and not db.startswith("/") and db != ":memory:":
                value = "sqlite:///" + str((path.parent / db).resolve())
        out[name] = value
    return out


def load_auth_thresholds(path: Path | None) -> Any:
    """The AuthThresholds of gcaudit.yaml's `auth-thresholds` (the defaults without a file or key)."""
    from auditor.genesys.auth_setup import AuthThresholds

    if path is None:
        return AuthThresholds()
    return AuthThresholds.from_mapping(load_config(path).get("auth_thresholds"), path)


def apply_config(ctx: click.Context, value: str | None) -> Path | None:
    """Eager --config callback: validate the file and feed it to the command's default_map."""
    path = config_path(value)
    if path is None:
        return None
    settings = load_config(path)
    params = {p.name: p for p in ctx.command.params if p.name}
    defaults: dict[str, Any] = {}
    for name, raw in settings.items():
        param = params.get(name)
        if param is None:
            continue  # a nightly-only setting read by `history`/`diff`: not theirs
        try:
            param.type_cast_value(ctx, raw)
        except click.BadParameter as exc:
            raise InputError(path, exc.message, field=name.replace("_", "-")) from None
        defaults[name] = raw
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    return path


def config_option(fn: Any) -> Any:
    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> Path | None:
        if ctx.resilient_parsing:
            return None
        return apply_config(ctx, value)

    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        envvar="GCAUDIT_CONFIG",
        show_envvar=True,
        is_eager=True,
        expose_value=True,
        callback=callback,
        help=f"Settings file (YAML; default ./{DEFAULT_CONFIG} if present). Flags and GCAUDIT_* "
        "environment variables override it.",
    )(fn)


def default_history_url(out: Path) -> str:
    # The directory resolved, the file name not: a link planted at the name is refused when the
    # history opens, instead of being followed here.
    return f"sqlite:///{out.resolve() / 'gcaudit-history.db'}"


def env_without(names: set[str]) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}
