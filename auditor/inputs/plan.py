"""The rollout plan (`--plan`, YAML): which objects a co-browse rollout relies on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor.errors import InputError
from auditor.inputs.validation import reject_unknown_keys, text_field
from auditor.safety.fileio import read_yaml, shorten

#: The two values of CobrowseSettings.channels, in the API's spelling.
CHANNELS = ("Webmessaging", "Voice")
_LIST_KEYS = ("channels", "deployments", "queues", "sites", "integration_clients")
_MAX_ITEMS = 10_000


@dataclass(frozen=True)
class Plan:
    channels: tuple[str, ...] = ("Webmessaging",)
    deployments: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    integration_clients: tuple[str, ...] = ()
    #: Optional: the region the rollout targets (preflight compares it with request URLs).
    region: str | None = None
    path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _string_list(source: Path, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(source, f"expected a list of strings, got {type(value).__name__}", field=f"cobrowse.{key}")
    if len(value) > _MAX_ITEMS:
        raise InputError(source, f"more than {_MAX_ITEMS} entries", field=f"cobrowse.{key}")
    out = [text_field(source, item, f"cobrowse.{key}[{index}]") for index, item in enumerate(value)]
    return tuple(dict.fromkeys(out))


def _channel(source: Path, index: int, value: str) -> str:
    for channel in CHANNELS:
        if value.casefold() == channel.casefold():
            return channel
    hint = ""
    if value.casefold() in {"cobrowse", "co-browse", "web", "chat", "message", "messaging"}:
        hint = " (co-browse is not a channel or media type of its own: it rides on web messaging or voice)"
    raise InputError(
        source,
        f"{shorten(value)!r} is not a co-browse channel; use {' or '.join(CHANNELS)}{hint}",
        field=f"cobrowse.channels[{index}]",
    )


def parse_plan(data: Any, source: Path) -> Plan:
    if data is None:
        raise InputError(source, "the plan is empty; it needs a `cobrowse:` section")
    if not isinstance(data, dict):
        raise InputError(source, f"expected a mapping with a `cobrowse:` section, got {type(data).__name__}")
    section = data.get("cobrowse")
    if not isinstance(section, dict):
        raise InputError(source, "missing or not a mapping", field="cobrowse")
    reject_unknown_keys(source, section, (*_LIST_KEYS, "region"), "cobrowse")
    lists = {key: _string_list(source, key, section.get(key)) for key in _LIST_KEYS}
    channels = tuple(dict.fromkeys(_channel(source, i, c) for i, c in enumerate(lists["channels"])))
    for index, site in enumerate(lists["sites"]):
        try:
            parts = urlsplit(site)
            hostname = parts.hostname
            parts.port  # noqa: B018 - an out-of-range port raises here, not in a rule
        except ValueError:  # `https://[::1` (unclosed IPv6 bracket), a port of 99999 and the like
            hostname = None
        if not hostname or not parts.scheme:
            raise InputError(
                source, f"{shorten(site)!r} is not a URL with a scheme and host", field=f"cobrowse.sites[{index}]"
            )
    region = section.get("region")
    if region is not None and not isinstance(region, str):
        raise InputError(source, f"expected a string, got {type(region).__name__}", field="cobrowse.region")
    return Plan(
        channels=channels or ("Webmessaging",),
        deployments=lists["deployments"],
        queues=lists["queues"],
        sites=lists["sites"],
        integration_clients=lists["integration_clients"],
        region=region,
        path=str(source),
    )


def load_plan(path: Path | str) -> Plan:
    source = Path(path)
    return parse_plan(read_yaml(source), source)
