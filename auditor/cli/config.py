"""One settings layer for every command: flags, then `GCAUDIT_*` environment variables, then the
settings file (`--config`, `GCAUDIT_CONFIG`, default ./gcaudit.yaml), then the built-in default.

Click resolves each option as: command line, its environment variable, the command's
`default_map`, its default. `settings_layer` gives every option that has a setting key its
`GCAUDIT_<KEY>` variable (unless it already reads one, as `--region` reads GENESYSCLOUD_REGION)
and a `--config` option whose eager callback fills `default_map` from the file. So `gcaudit audit`
reads `plan:` and `GCAUDIT_PLAN` exactly as `gcaudit nightly` does.

The file is a flat mapping of setting keys (`plan: plan.yaml`, `fail-on: medium`, `notify: [...]`);
dashes and underscores are interchangeable. Relative paths in it are relative to the file. A key
applies to every command that has that option with the same meaning; `out` (the nightly reports
directory) is not collect's or export-terraform's output directory, so it applies only to the
commands in SCOPED.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from auditor.errors import InputError
from auditor.safety.fileio import read_yaml, shorten

DEFAULT_CONFIG = "gcaudit.yaml"
#: Setting key -> the parameter name the options use for it (where they differ).
PARAM_OF = {"plan": "plan_path", "waivers": "waivers_path", "history": "history_url", "orgs": "orgs_path"}
#: Keys whose values are paths (resolved relative to the settings file).
PATH_KEYS = frozenset({"plan", "snapshot", "out", "waivers", "orgs"})
#: Keys that mean one thing only in some commands: elsewhere the option of that name is something
#: else (collect's `--out-dir` is a new snapshot directory, not the reports directory).
SCOPED = {
    "out": frozenset({"nightly", "history", "diff", "history-prune", "prune"}),
    "snapshot": frozenset({"nightly"}),
    # collect's --plan narrows what is collected: a plan set for the audits must not silently make
    # every collected snapshot a partial one.
    "plan": frozenset({"audit", "preflight", "nightly"}),
}
#: Every key the file may hold: the settings of `nightly`, `audit`, `preflight`, `collect`, `history`
#: and `diff` (tests/cli/test_settings_layer.py checks this against the commands' options).
KNOWN_KEYS = frozenset({
    "plan", "snapshot", "label", "history", "out", "fail_on", "fail_on_new_only", "waivers",
    "waiver_max_days", "notify", "notify_format", "keep", "keep_history_days", "orgs", "parallel", "org_timeout",
    "region", "workers", "rate", "retries", "retry_budget", "timeout", "traffic_days", "shard",
    # Auth setup (issue 21): the usage window and the opt-out of the admin-only authentication settings.
    "usage_days", "skip_auth_settings",
})
#: Keys that are no command option: the auth-setup rules' thresholds (a mapping read by
#: load_auth_thresholds, auditor.genesys.auth_setup.AuthThresholds).
MAPPING_KEYS = frozenset({"auth_thresholds"})
#: Keys whose variable is not GCAUDIT_<KEY>: the region is the SDK's and the provider's variable.
OTHER_VARIABLE = {"region": "GENESYSCLOUD_REGION"}


def key_of(param_name: str) -> str:
    for key, name in PARAM_OF.items():
        if name == param_name:
            return key
    return param_name


def variable_of(key: str) -> str:
    return OTHER_VARIABLE.get(key, f"GCAUDIT_{key.upper()}")


def applies(key: str, command: str) -> bool:
    return key in KNOWN_KEYS and (key not in SCOPED or command in SCOPED[key])


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
        if name not in KNOWN_KEYS | MAPPING_KEYS:
            known = ", ".join(sorted(KNOWN_KEYS | MAPPING_KEYS))
            raise InputError(path, f"unknown setting (known: {known})", field=shorten(key))
        if name in PATH_KEYS and isinstance(value, str) and value:
            value = str((path.parent / value).expanduser()) if not Path(value).is_absolute() else value
        if name == "history" and isinstance(value, str) and value.startswith("sqlite:///"):
            db = value[len("sqlite:///"):]
            if db and not db.startswith("/") and db != ":memory:":
                value = "sqlite:///" + str((path.parent / db).resolve())
        out[name] = value
    return out


def apply_config(ctx: click.Context, value: str | None) -> Path | None:
    """Eager --config callback: validate the file and feed this command's settings to its default_map."""
    path = config_path(value)
    if path is None:
        return None
    settings = load_config(path)
    command = ctx.info_name or ""
    params = {p.name: p for p in ctx.command.params if p.name}
    defaults: dict[str, Any] = {}
    for key, raw in settings.items():
        param = params.get(PARAM_OF.get(key, key))
        if param is None or not applies(key, command):
            continue  # a setting of another command (nightly's `keep` read by `audit`): not this one's
        try:
            param.type_cast_value(ctx, raw)
        except click.BadParameter as exc:
            raise InputError(path, exc.message, field=key.replace("_", "-")) from None
        assert param.name is not None
        defaults[param.name] = raw
    # Anything already in the default_map came from a global flag on the command line (`gcaudit
    # --color audit`): it outranks the file.
    ctx.default_map = {**defaults, **(ctx.default_map or {})}
    return path


def config_option(fn: Any, expose_value: bool = True) -> Any:
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
        expose_value=expose_value,
        callback=callback,
        help=f"Settings file (YAML; default ./{DEFAULT_CONFIG} if present). Flags and GCAUDIT_* "
        "environment variables override it.",
    )(fn)


def settings_layer(command: click.Command, name: str) -> None:
    """Give `command` the layer: GCAUDIT_* variables on its settings, and --config."""
    for param in command.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        key = key_of(param.name)
        if param.envvar is None and applies(key, name):
            param.envvar = variable_of(key)
            param.show_envvar = True
    if not any(p.name == "config_file" for p in command.params):
        config_option(command, expose_value=False)


def load_auth_thresholds(path: Path | None) -> Any:
    """The AuthThresholds of gcaudit.yaml's `auth-thresholds` (the defaults without a file or key)."""
    from auditor.genesys.auth_setup import AuthThresholds

    if path is None:
        return AuthThresholds()
    return AuthThresholds.from_mapping(load_config(path).get("auth_thresholds"), path)
