"""`terraform show -json` plan output -> resource instances with their planned values.

Format (HashiCorp, "JSON Output Format", format_version 1.x): `resource_changes[]` with
`address`, `mode`, `type`, `change.actions`, `change.before`, `change.after`,
`change.after_unknown` (same shape as `after`, `true` where the value is known only after apply),
and `configuration` holding each attribute's `expressions.<name>.references`. File and line come
from the `.tf` files next to the plan (or `source_dir`): a plan names addresses, not lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.safety.fileio import MAX_INPUT_BYTES, parse_json
from auditor.sources.terraform.config import (
    Configuration,
    Location,
    ResourceInstance,
    read_declarations,
    strings_in,
)
from auditor.sources.terraform.hcl import read_text
from auditor.sources.terraform.limits import MAX_NESTING, json_depth
from auditor.sources.terraform.values import Computed, Unknown

_KEY = re.compile(r'\[(?:"[^"]*"|\d+)\]')


def _refs(configuration: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Config address (no instance key) -> attribute -> the references its expression makes."""
    out: dict[str, dict[str, list[str]]] = {}

    def walk(module: dict[str, Any], prefix: str) -> None:
        for resource in module.get("resources") or []:
            if not isinstance(resource, dict):
                continue
            exprs = resource.get("expressions") or {}
            out[prefix + str(resource.get("address"))] = {k: _references(e) for k, e in exprs.items()}
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict) and isinstance(call.get("module"), dict):
                walk(call["module"], f"{prefix}module.{name}.")

    if isinstance(configuration, dict) and isinstance(configuration.get("root_module"), dict):
        walk(configuration["root_module"], "")
    return out


def _references(expression: Any) -> list[str]:
    """Every reference inside an attribute's expression, nested blocks included."""
    if isinstance(expression, list):
        return [r for item in expression for r in _references(item)]
    if not isinstance(expression, dict):
        return []
    own = [r for r in expression.get("references") or [] if isinstance(r, str)]
    return own + [r for key, value in expression.items() if key != "references" for r in _references(value)]


def _merge_unknown(after: Any, unknown: Any, path: str, refs: dict[str, list[str]], address: str) -> Any:
    if unknown is True:
        top = path.split(".")[0] if path else ""
        named = refs.get(top) or []
        module = address[: address.rfind("genesyscloud_")] if "genesyscloud_" in address else ""
        for ref in named:
            if path.endswith("version") and ref.endswith(".version") and ref.count(".") == 2:
                # `version = <configuration>.version`: the version this apply publishes from it.
                target = module + ref[: -len(".version")]
                return Computed(module + ref, "known after apply", target, "version")
        expression = named[0] if named else f"{address}.{path}"
        return Unknown(expression, "known after apply")
    if isinstance(unknown, dict):
        base = dict(after) if isinstance(after, dict) else {}
        for key, flag in unknown.items():
            base[key] = _merge_unknown(base.get(key), flag, f"{path}.{key}" if path else key, refs, address)
        return base
    if isinstance(unknown, list) and isinstance(after, list | type(None)):
        items = list(after or [])
        for index, flag in enumerate(unknown):
            if index < len(items):
                items[index] = _merge_unknown(items[index], flag, path, refs, address)
            elif flag is True:
                items.append(_merge_unknown(None, True, path, refs, address))
            elif isinstance(flag, dict):
                items.append(_merge_unknown({}, flag, path, refs, address))
        return items
    return after


SENSITIVE = "marked sensitive in the plan"


def _hide(value: Any, flags: Any, expression: str, redact: set[str], top: bool = False) -> Any:
    """`value` with every part `flags` marks (`true`, in the same shape as the value) replaced by
    an Unknown naming its path, never its content."""
    if value is None or flags is None or flags is False:
        return value
    if flags is True:
        redact |= strings_in(value)
        if top and isinstance(value, dict):
            # The whole object (`after_sensitive: true`): each attribute unknown, the object kept.
            return {k: Unknown(f"{expression}.{k}", SENSITIVE) for k in value}
        return Unknown(expression, SENSITIVE)
    if isinstance(flags, dict) and isinstance(value, dict):
        return {k: _hide(v, flags.get(k), f"{expression}.{k}", redact) for k, v in value.items()}
    if isinstance(flags, list) and isinstance(value, list):
        return [_hide(v, flags[i] if i < len(flags) else None, f"{expression}[{i}]", redact)
                for i, v in enumerate(value)]
    return value


def read_plan(path: Path, *, wanted: frozenset[str], source_dir: Path | None = None,
              var_files: list[Path] | None = None) -> Configuration:
    data = parse_json(read_text(path, MAX_INPUT_BYTES), path)
    if not isinstance(data, dict) or "format_version" not in data:
        raise InputError(path, "not a `terraform show -json` plan (no format_version)")
    if json_depth(data) > MAX_NESTING:
        raise InputError(path, f"values nested more than {MAX_NESTING} levels deep")
    changes = data.get("resource_changes")
    if not isinstance(changes, list):
        raise InputError(path, "the plan has no resource_changes list", field="resource_changes")
    source = source_dir or path.parent
    from auditor.sources.terraform import _base

    located, redact = _locations(source, var_files, wanted, _base(source))
    refs = _refs(data.get("configuration") or {})
    config = Configuration(root=source)
    config.redact |= redact
    # The plan records the root module's input variables: -var and tfvars values, never echoed.
    for variable in (data.get("variables") or {}).values():
        if isinstance(variable, dict):
            config.redact |= strings_in(variable.get("value"))
    for index, change in enumerate(changes):
        if not isinstance(change, dict) or not isinstance(change.get("change"), dict):
            raise InputError(path, "not an object with a change", field=f"resource_changes[{index}]")
        rtype, address = str(change.get("type")), str(change.get("address"))
        if change.get("mode") != "managed":
            continue
        if rtype not in wanted:
            config.ignored[rtype] += 1
            continue
        body = change["change"]
        actions = [str(a) for a in body.get("actions") or []]
        action = "delete" if actions == ["delete"] else "create" if "create" in actions and "delete" not in actions \
            else "replace" if "create" in actions else "update" if "update" in actions else "no-op"
        before = body.get("before") if isinstance(body.get("before"), dict) else None
        after = body.get("after") if isinstance(body.get("after"), dict) else None
        plain = _KEY.sub("", address)
        # Values the plan marks sensitive (`after_sensitive` / `before_sensitive`, at any depth: an
        # attribute, a list element, a nested block's field) never enter the snapshot: each becomes
        # Unknown (the rules cannot judge it, so ERROR, never a guess from a default), and every
        # string it held is redacted from the reports.
        before = _hide(before, body.get("before_sensitive"), address, config.redact, top=True)
        after = _hide(after, body.get("after_sensitive"), address, config.redact, top=True)
        values = before if action == "delete" else _merge_unknown(after or {}, body.get("after_unknown") or {}, "",
                                                                  refs.get(plain, {}), address)
        # null is unset; an empty list is kept: `after` carries what the attribute will be, and for
        # Optional+Computed attributes (`wrapup_codes`) an unset one carries its prior value there, so
        # `[]` means "none after the apply" (updateQueueWrapupCodes removes every code not listed); an
        # unset or empty `members` set removes every user member (updateQueueMembers).
        values = {k: v for k, v in (values or {}).items() if v is not None}
        known_id = replaced_id = None
        if before and isinstance(before.get("id"), str):
            if action == "replace":
                replaced_id = before["id"]
            else:
                known_id = before["id"]
        source_instance = located.get(address) or located.get(plain)
        instance = ResourceInstance(
            rtype, address, values,
            source_instance.location if source_instance else Location(path.name, 1),
            dict(source_instance.lines) if source_instance else {},
            known_id=known_id, action=action, replaced_id=replaced_id,
        )
        config.instances.append(instance)
    return config


def _locations(source: Path, var_files: list[Path] | None, wanted: frozenset[str],
               base: Path) -> tuple[dict[str, ResourceInstance], set[str]]:
    """The configuration's instances by address (and by address without key), for their lines,
    and the tfvars values to redact."""
    try:
        config, declared = read_declarations(source, var_files, wanted=wanted, base=base)
    except InputError:
        return {}, set()
    out: dict[str, ResourceInstance] = {}
    for instance in config.instances:
        out.setdefault(instance.address, instance)
        out.setdefault(_KEY.sub("", instance.address), instance)
    for address, instance in declared.items():
        out.setdefault(address, instance)
    return out, config.redact
