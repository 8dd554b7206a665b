"""A Terraform configuration directory -> the resource instances it declares, evaluated.

Resolves what Terraform itself would resolve before apply: input variables (module inputs, then
-var-file files in order, `*.auto.tfvars` in lexical order, `terraform.tfvars`, then defaults:
later sources win, as Terraform documents), locals, references between resources, outputs of
local modules, `count` and `for_each` over known values, and `dynamic` blocks. Data sources,
remote modules and server-computed attributes stay Unknown. Every problem is a note with file and
line, never an exception: real configurations reference things that do not exist.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.safety.fileio import parse_json
from auditor.sources.terraform.expressions import Evaluator, Step, evaluate_json
from auditor.sources.terraform.hcl import Attribute, Block, Body, parse_file, read_text
from auditor.sources.terraform.limits import MAX_EXPANSION, MAX_NESTING, Budget, LimitError, json_depth
from auditor.sources.terraform.values import Computed, Tainted, Unknown, taint

#: Blocks inside a resource that configure Terraform, not the object.
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "timeouts"})
META_ATTRIBUTES = frozenset({"count", "for_each", "provider", "depends_on"})
#: A configuration with more files than this is not one team's Genesys configuration.
MAX_FILES = 5000
MAX_MODULE_DEPTH = 20


@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line}


@dataclass
class Note:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class ResourceInstance:
    type: str
    #: Full address with module path and instance key: `module.web.genesyscloud_x.y["k"]`.
    address: str
    #: Values as the provider receives them: attributes, nested blocks as lists of dicts.
    values: dict[str, Any]
    location: Location
    #: Attribute and nested-block lines by dotted path (`cobrowse.enabled`).
    lines: dict[str, Location] = field(default_factory=dict)
    #: The object's id when known (a plan's update); else the address stands for it.
    known_id: str | None = None
    #: Plan action ("create", "update", "delete", "no-op", "replace") or None for configuration.
    action: str | None = None
    #: For a plan's "replace": the id of the object the apply destroys.
    replaced_id: str | None = None

    @property
    def id(self) -> str:
        return self.known_id or self.address

    def line_of(self, path: str) -> Location:
        """The attribute's own line, else its enclosing block's, else the resource's."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return self.location


@dataclass
class Configuration:
    root: Path
    instances: list[ResourceInstance] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: Resource types outside the Genesys snapshot, counted (other providers, legacy resources).
    ignored: Counter[str] = field(default_factory=Counter)
    files: int = 0
    #: Every string a tfvars / -var-file value holds, or a `sensitive` variable's default: kept in
    #: memory only, so reports can redact them wherever a rule's message quotes one.
    redact: set[str] = field(default_factory=set)
    #: Resource type -> the address whose count/for_each is known only after apply: how many
    #: objects of that type there will be is unknown, so its datasets are not judged.
    unexpanded: dict[str, str] = field(default_factory=dict)


def _config_files(directory: Path) -> list[Path]:
    files = sorted(p for p in directory.iterdir()
                   if p.name.endswith((".tf", ".tf.json")) and not p.name.startswith("."))
    return [p for p in files if p.is_file()]


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class Module:
    """One module instance: its files, variables, locals, resources and outputs."""

    def __init__(self, directory: Path, reader: Reader, address: str, inputs: dict[str, Any],
                 depth: int = 0, ancestors: tuple[Path, ...] = ()) -> None:
        self.dir = directory
        self.reader = reader
        self.prefix = address  # "" for the root, "module.web." for a child
        self.inputs = inputs
        self.depth = depth
        #: The directories of the modules that call this one (a module cycle is refused).
        self.ancestors = (*ancestors, directory.resolve())
        reader.budget.add_module()
        cached = reader.parsed.get(directory.resolve())
        if cached is None:
            files = _config_files(directory)
            if len(files) + reader.config.files > MAX_FILES:
                raise InputError(directory, f"more than {MAX_FILES} Terraform files")
            body, texts = Body(), {}
            for path in files:
                display = _display(path, reader.base)
                part = parse_file(path, display)
                texts[display] = read_text(path) if not path.name.endswith(".json") else ""
                reader.budget.read(path.stat().st_size)
                body.attributes.update(part.attributes)
                body.blocks.extend(part.blocks)
                reader.config.files += 1
            cached = reader.parsed[directory.resolve()] = (body, texts)
        # Module instances share the parsed files (blocks are never modified).
        self.body, self.texts = cached
        self.variables = {b.labels[0]: b for b in self.body.blocks_of("variable") if b.labels}
        self.local_attrs: dict[str, Attribute] = {}
        for block in self.body.blocks_of("locals"):
            self.local_attrs.update(block.body.attributes)
        self.resources = {(b.labels[0], b.labels[1]): b for b in self.body.blocks_of("resource") if len(b.labels) == 2}
        self.modules = {b.labels[0]: b for b in self.body.blocks_of("module") if b.labels}
        self.outputs = {b.labels[0]: b for b in self.body.blocks_of("output") if b.labels}
        self._locals: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}
        self._instances: dict[tuple[str, str], Any] = {}
        self._children: dict[str, Module | None] = {}
        self._busy: set[object] = set()

    # -- evaluation -----------------------------------------------------------------------------

    def evaluator(self, file: str, extra: dict[str, Any] | None = None) -> Evaluator:
        return Evaluator(self.resolve, self.texts.get(file, ""), extra, self.reader.budget)

    def value(self, attr: Attribute, extra: dict[str, Any] | None = None) -> Any:
        """The attribute's value; past one of the reader's bounds, exit 2 naming its file and line
        (the innermost attribute: where a local is built too large, not where it is used)."""
        ev = self.evaluator(attr.file, extra)
        try:
            return evaluate_json(attr.expr, ev) if attr.json else ev.evaluate(attr.expr)
        except LimitError as exc:
            raise InputError(f"{attr.file}:{attr.line}", str(exc), field=attr.name) from None
        except RecursionError:
            raise InputError(f"{attr.file}:{attr.line}", "references nested too deeply to evaluate",
                             field=attr.name) from None

    def note(self, file: str, line: int, message: str) -> None:
        self.reader.config.notes.append(Note(file, line, message))

    def resolve(self, name: str, steps: list[Step], text: str) -> tuple[Any, int]:
        first = steps[0].value if steps and steps[0].kind == "attr" else None
        if name == "var" and first is not None:
            return self.variable(first, text), 1
        if name == "local" and first is not None:
            return self.local(first, text), 1
        if name == "data":
            return Unknown(text, "a data source is read at plan time"), len(steps)
        if name == "module" and first is not None:
            return self.module_output(first, steps[1:], text)
        if name in ("path", "terraform", "self", "each", "count"):
            return Unknown(text, f"{name}.* is not known here"), len(steps)
        if first is not None and (name, first) in self.resources:
            return self.reference(name, first, steps[1:], text)
        if first is not None and "_" in name:
            return Unknown(text, "reference to a resource that is not declared"), len(steps)
        return Unknown(text, f"{name!r} is not declared"), len(steps)

    def variable(self, name: str, text: str) -> Any:
        if name in self.inputs:
            return self.inputs[name]
        if not self.prefix and name in self.reader.var_values:
            return self.reader.var_values[name]
        block = self.variables.get(name)
        if block is None:
            return Unknown(text, "the variable is not declared")
        default = block.body.attributes.get("default")
        if default is None:
            return Unknown(text, "the variable has no default and no value was given")
        value = self.value(default)
        sensitive = block.body.attributes.get("sensitive")
        if sensitive is not None and self.value(sensitive) is True:
            self.reader.config.redact.update(strings_in(value))
            return taint(value)
        return value

    def local(self, name: str, text: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        attr = self.local_attrs.get(name)
        if attr is None:
            return Unknown(text, "the local value is not declared")
        key = ("local", name)
        if key in self._busy:
            return Unknown(text, "the local value refers to itself")
        self._busy.add(key)
        try:
            self._locals[name] = self.value(attr)
        finally:
            self._busy.discard(key)
        return self._locals[name]

    def module_instances(self, name: str) -> dict[Any, Module] | None:
        """The instances of a local module call: {None: module}, or one per for_each key / count
        index. None when the module cannot be read (remote source, unknown for_each)."""
        if name in self._children:
            return self._children[name]
        self._children[name] = None  # a module calling itself ends here
        block = self.modules[name]
        attrs = block.body.attributes
        source = self.value(attrs["source"]) if "source" in attrs else None
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            self.note(block.file, block.line, f"module {name!r}: only local modules are read; its resources "
                                              "are not audited")
            return None
        directory = (self.dir / source).resolve()
        if directory in self.ancestors:
            # Terraform refuses a module that calls itself, directly or through others: expanding
            # it would never end (or, bounded, multiply instances at every level).
            raise InputError(f"{block.file}:{block.line}", f"module {name!r} calls {source!r}, which is already "
                                                           "being read: a module cycle", field="source")
        if not directory.is_dir() or self.depth >= MAX_MODULE_DEPTH:
            self.note(block.file, block.line, f"module {name!r}: source directory not found")
            return None
        keys: list[tuple[Any, dict[str, Any]]] = [(None, {})]
        address = f"{self.prefix}module.{name}"
        if "for_each" in attrs:
            collection = _for_each(self.value(attrs["for_each"]), attrs["for_each"])
            if collection is None:
                self._unexpanded(directory, address, attrs["for_each"])
                return None
            keys = [(k, {"each": {"key": k, "value": v}}) for k, v in collection.items()]
        elif "count" in attrs:
            count = _count(self.value(attrs["count"]), attrs["count"])
            if count is None:
                self._unexpanded(directory, address, attrs["count"])
                return None
            keys = [(i, {"count": {"index": i}}) for i in range(count)]
        out: dict[Any, Module] = {}
        for key, extra in keys:
            inputs = {k: self.value(a, extra) for k, a in attrs.items()
                      if k not in ("source", "version", "providers", "depends_on", "count", "for_each")}
            suffix = "" if key is None else f'["{key}"]' if isinstance(key, str) else f"[{key}]"
            try:
                out[key] = Module(directory, self.reader, f"{address}{suffix}.", inputs, self.depth + 1,
                                  self.ancestors)
            except LimitError as exc:
                raise InputError(f"{block.file}:{block.line}", str(exc), field=f"module {name!r}") from None
        self._children[name] = out
        return out

    def _unexpanded(self, directory: Path, address: str, attr: Attribute) -> None:
        """A module whose count/for_each is known only after apply: the datasets of the resources
        it declares cannot be known, so they are marked, never judged from what is left."""
        self.note(attr.file, attr.line, f"{address}: count/for_each is not known before apply; "
                                        "its resources are not audited")
        try:
            declared = Module(directory, self.reader, f"{address}.", {}, self.depth + 1, self.ancestors)
        except LimitError as exc:
            raise InputError(f"{attr.file}:{attr.line}", str(exc), field=attr.name) from None
        for rtype, _ in declared.resources:
            self.reader.config.unexpanded.setdefault(rtype, address)

    def child(self, name: str) -> Module | None:
        """The module when it has exactly one instance (no count/for_each)."""
        instances = self.module_instances(name)
        return instances.get(None) if instances else None

    def module_output(self, name: str, steps: list[Step], text: str) -> tuple[Any, int]:
        if name not in self.modules:
            return Unknown(text, "the module is not declared"), len(steps) + 1
        instances = self.module_instances(name)
        consumed = 1
        if instances and None not in instances and steps and steps[0].kind == "index":
            key = steps[0].value
            module = instances.get(key if key in instances else str(key))
            steps, consumed = steps[1:], 2
        else:
            module = instances.get(None) if instances else None
        if module is None or not steps or steps[0].kind != "attr":
            return Unknown(text, "the module's outputs are not known"), len(steps) + consumed
        output = module.outputs.get(steps[0].value)
        if output is None or "value" not in output.body.attributes:
            return Unknown(text, "the module has no such output"), consumed + 1
        return module.output(str(steps[0].value), output, text), consumed + 1

    def output(self, name: str, block: Block, text: str) -> Any:
        """An output's value, evaluated once (outputs referring to outputs must not re-evaluate
        at every level)."""
        if name in self._outputs:
            return self._outputs[name]
        key = ("output", name)
        if key in self._busy:
            return Unknown(text, "the output refers to itself")
        self._busy.add(key)
        try:
            self._outputs[name] = self.value(block.body.attributes["value"])
        finally:
            self._busy.discard(key)
        return self._outputs[name]

    def reference(self, rtype: str, rname: str, steps: list[Step], text: str) -> tuple[Any, int]:
        instances = self.instances(rtype, rname)
        block = self.resources[(rtype, rname)]
        consumed = 1
        expanded = any(k in block.body.attributes for k in ("count", "for_each"))
        if isinstance(instances, Unknown):
            return instances, len(steps) + 1
        if expanded:
            if not steps or steps[0].kind != "index":
                # The whole collection: a list for count, a map for for_each.
                if isinstance(instances, dict):
                    return {k: _ref_object(i) for k, i in instances.items()}, consumed
                return [_ref_object(i) for i in instances], consumed
            key = steps[0].value
            if isinstance(key, Unknown):
                return key, len(steps) + 1
            found = instances.get(str(key)) if isinstance(instances, dict) else (
                instances[int(key)] if isinstance(key, int) and 0 <= key < len(instances) else None)
            if found is None:
                return Unknown(text, "no such instance"), len(steps) + 1
            instance, consumed = found, 2
            steps = steps[1:]
        else:
            instance = instances[0]
        return _ref_object(instance), consumed

    def instances(self, rtype: str, rname: str) -> Any:
        """The resource's instances: a list (no count / count) or a dict (for_each), or Unknown."""
        key = (rtype, rname)
        if key in self._instances:
            return self._instances[key]
        block = self.resources[key]
        if key in self._busy:
            return Unknown(f"{rtype}.{rname}", "the resource refers to itself")
        self._busy.add(key)
        try:
            self._instances[key] = self._expand(rtype, rname, block)
        finally:
            self._busy.discard(key)
        return self._instances[key]

    def _expand(self, rtype: str, rname: str, block: Block) -> Any:
        base = f"{self.prefix}{rtype}.{rname}"
        attrs = block.body.attributes
        if "for_each" in attrs:
            collection = _for_each(self.value(attrs["for_each"]), attrs["for_each"])
            if collection is None:
                reason = "for_each is not known before apply"
                self.note(block.file, attrs["for_each"].line, f"{base}: {reason}; the resource is not audited")
                self.reader.config.unexpanded.setdefault(rtype, base)
                return Unknown(attrs["for_each"].text or base, reason)
            self._count_resources(len(collection), block)
            return {str(k): self._instance(rtype, f'{base}["{k}"]', block, {"each": {"key": k, "value": v}})
                    for k, v in collection.items()}
        if "count" in attrs:
            count = _count(self.value(attrs["count"]), attrs["count"])
            if count is None:
                self.note(block.file, attrs["count"].line, f"{base}: count is not a known number; "
                                                            "the resource is not audited")
                self.reader.config.unexpanded.setdefault(rtype, base)
                return Unknown(attrs["count"].text or base, "count is not known before apply")
            self._count_resources(count, block)
            return [self._instance(rtype, f"{base}[{i}]", block, {"count": {"index": i}}) for i in range(count)]
        self._count_resources(1, block)
        return [self._instance(rtype, base, block, {})]

    def _count_resources(self, count: int, block: Block) -> None:
        try:
            self.reader.budget.add_resources(count)
        except LimitError as exc:
            raise InputError(f"{block.file}:{block.line}", str(exc)) from None

    def _instance(self, rtype: str, address: str, block: Block, extra: dict[str, Any]) -> ResourceInstance:
        lines: dict[str, Location] = {}
        values = self._evaluate_body(block.body, extra, lines, "")
        instance = ResourceInstance(rtype, address, values, Location(block.file, block.line), lines)
        for path, unknown in _unknowns(values, ""):
            if "not declared" in unknown.why:
                where = instance.line_of(path)
                self.note(where.file, where.line, f"{address}.{path}: {unknown.expression}: {unknown.why}")
        return instance

    def _evaluate_body(self, body: Body, extra: dict[str, Any], lines: dict[str, Location],
                       path: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, attr in body.attributes.items():
            if name in META_ATTRIBUTES and not path:
                continue
            lines.setdefault(path + name, Location(attr.file, attr.line))
            values[name] = self.value(attr, extra)
            if attr.json:
                _json_lines(values[name], attr, path + name, lines)
        for block in body.blocks:
            if block.type in META_BLOCKS:
                continue
            if block.type == "dynamic" and block.labels:
                self._dynamic(block, extra, lines, path, values)
                continue
            lines.setdefault(path + block.type, Location(block.file, block.line))
            inner = self._evaluate_body(block.body, extra, lines, f"{path}{block.type}.")
            existing = values.setdefault(block.type, [])
            if isinstance(existing, list):
                existing.append(inner)
        return values

    def _dynamic(self, block: Block, extra: dict[str, Any], lines: dict[str, Location], path: str,
                 values: dict[str, Any]) -> None:
        label = block.labels[0]
        lines.setdefault(path + label, Location(block.file, block.line))
        attrs = block.body.attributes
        iterator = label
        if "iterator" in attrs:
            ev = self.evaluator(attrs["iterator"].file)
            iterator = ev.src(attrs["iterator"].expr) if not attrs["iterator"].json else str(attrs["iterator"].expr)
        collection = self.value(attrs["for_each"], extra) if "for_each" in attrs else None
        contents = block.body.blocks_of("content")
        if isinstance(collection, Unknown):
            values[label] = collection
            return
        if not contents or not isinstance(collection, dict | list):
            self.note(block.file, block.line, f"dynamic {label!r}: for_each is not a collection; block skipped")
            return
        pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
        out = values.setdefault(label, [])
        if not isinstance(out, list):
            return
        for key, value in pairs:
            bound = {**extra, iterator: {"key": key, "value": value}}
            out.append(self._evaluate_body(contents[0].body, bound, lines, f"{path}{label}."))

    # -- walking --------------------------------------------------------------------------------

    def declared(self, out: dict[str, ResourceInstance]) -> None:
        """Every resource block by address without instance key, with its static lines: where a
        plan's instance is declared even when this reader cannot expand its for_each."""
        for (rtype, rname), block in self.resources.items():
            lines: dict[str, Location] = {}
            _static_lines(block.body, "", lines)
            out.setdefault(f"{self.prefix}{rtype}.{rname}",
                           ResourceInstance(rtype, f"{self.prefix}{rtype}.{rname}", {},
                                            Location(block.file, block.line), lines))
        for name in self.modules:
            for module in (self.module_instances(name) or {}).values():
                module.declared(out)

    def collect(self) -> None:
        config = self.reader.config
        for rtype, rname in self.resources:
            if not rtype.startswith("genesyscloud_"):
                config.ignored[rtype] += 1
                continue
            if rtype not in self.reader.wanted:
                config.ignored[rtype] += 1
                continue
            instances = self.instances(rtype, rname)
            if isinstance(instances, Unknown):
                continue
            config.instances.extend(instances.values() if isinstance(instances, dict) else instances)
        for name in self.modules:
            for module in (self.module_instances(name) or {}).values():
                module.collect()


def _count(value: Any, attr: Attribute) -> int | None:
    """A `count` as Terraform takes it: a whole number from 0 (a numeric string converts), or
    None when it is known only after apply. Anything else is the file's error: exit 2."""
    if isinstance(value, Unknown):
        return None
    number: Any = value
    if isinstance(value, str):
        try:
            number = float(value) if any(ch in value for ch in ".eE") else int(value)
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int | float) or number != number:
        raise InputError(f"{attr.file}:{attr.line}", "count must be a whole number", field="count")
    if number < 0 or number > MAX_EXPANSION or number != int(number):
        raise InputError(f"{attr.file}:{attr.line}", f"count must be a whole number from 0 to {MAX_EXPANSION:,}",
                         field="count")
    return int(number)


def _for_each(value: Any, attr: Attribute) -> dict[str, Any] | None:
    """A `for_each` as Terraform takes it: a map, or a set (list) of strings keyed by itself;
    None when it is known only after apply. Anything else, or more than MAX_EXPANSION
    instances, is the file's error: exit 2."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, list):
        if any(isinstance(v, Unknown) for v in value):
            return None  # set members known only after apply: the instance keys are unknown
        value = {v if isinstance(v, str) else str(v): v for v in value}
    if not isinstance(value, dict):
        raise InputError(f"{attr.file}:{attr.line}", "for_each must be a map or a set of strings", field="for_each")
    if len(value) > MAX_EXPANSION:
        raise InputError(f"{attr.file}:{attr.line}", f"for_each makes {len(value):,} instances; the limit is "
                         f"{MAX_EXPANSION:,}", field="for_each")
    return value


def _static_lines(body: Body, path: str, lines: dict[str, Location]) -> None:
    for name, attr in body.attributes.items():
        lines.setdefault(path + name, Location(attr.file, attr.line))
    for block in body.blocks:
        if block.type == "dynamic" and block.labels:
            lines.setdefault(path + block.labels[0], Location(block.file, block.line))
            for content in block.body.blocks_of("content"):
                _static_lines(content.body, f"{path}{block.labels[0]}.", lines)
        elif block.type not in META_BLOCKS:
            lines.setdefault(path + block.type, Location(block.file, block.line))
            _static_lines(block.body, f"{path}{block.type}.", lines)


def strings_in(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} if value.strip() else set()
    if isinstance(value, dict):
        return {s for v in value.values() for s in strings_in(v)} | {str(k) for k in value if str(k).strip()}
    if isinstance(value, list):
        return {s for v in value for s in strings_in(v)}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {str(value)} if abs(value) >= 1000 else set()
    return set()


def _unknowns(value: Any, path: str) -> list[tuple[str, Unknown]]:
    if isinstance(value, Unknown):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _unknowns(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [found for v in value for found in _unknowns(v, path)]
    return []


def _ref_object(instance: ResourceInstance) -> dict[str, Any]:
    """What `type.name` evaluates to: the configured values, the address as `id`, and the
    read-only attributes as Computed (known only after apply, but traceable to the resource)."""
    obj = dict(instance.values)
    obj["id"] = instance.id
    for computed in ("version", "client_id", "snippet"):
        if computed not in obj:
            obj[computed] = Computed(f"{instance.address}.{computed}", "computed by the server at apply",
                                     instance.address, computed)
    return obj


def _json_lines(value: Any, attr: Attribute, path: str, lines: dict[str, Location]) -> None:
    """Nested keys of a `.tf.json` block: approximate each with the attribute's own line."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            for key, inner in item.items():
                lines.setdefault(f"{path}.{key}", Location(attr.file, attr.line))
                _json_lines(inner, attr, f"{path}.{key}", lines)


class Reader:
    def __init__(self, root: Path, var_files: list[Path], wanted: frozenset[str], base: Path | None = None) -> None:
        self.root = root
        self.base = base or root
        self.wanted = wanted
        self.config = Configuration(root=root)
        self.budget = Budget()
        self.var_values: dict[str, Any] = {}
        self.parsed: dict[Path, tuple[Body, dict[str, str]]] = {}
        auto = sorted(p for p in root.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
                      and p.is_file())
        default = [root / name for name in ("terraform.tfvars", "terraform.tfvars.json") if (root / name).is_file()]
        # Terraform's precedence, lowest first: TF_VAR_ environment variables, terraform.tfvars,
        # terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, -var-file in order.
        for key, value in sorted(os.environ.items()):
            if key.startswith("TF_VAR_") and len(key) > 7:
                self._set(key[7:], value)
        for path in [*default, *auto, *var_files]:
            self._read_tfvars(path)

    def _set(self, name: str, value: Any) -> None:
        self.var_values[name] = taint(value)
        self.config.redact.update(strings_in(value))

    def _read_tfvars(self, path: Path) -> None:
        display = _display(path, self.base)
        text = read_text(path)
        self.budget.read(len(text))
        if path.name.endswith(".json"):
            # A .tfvars.json file is one object of variable values (no blocks).
            data = parse_json(text, display)
            if not isinstance(data, dict):
                raise InputError(display, "a .tfvars.json file holds an object of variable values")
            if json_depth(data) > MAX_NESTING:
                raise InputError(display, f"values nested more than {MAX_NESTING} levels deep")
            for name, value in data.items():
                self._set(name, value)
            return
        body = parse_file(path, display)
        for name, attr in body.attributes.items():
            ev = Evaluator(lambda n, s, t: (Unknown(t, "tfvars values are literals"), len(s)), text,
                           budget=self.budget)
            try:
                self._set(name, ev.evaluate(attr.expr))
            except LimitError as exc:
                raise InputError(f"{display}:{attr.line}", str(exc), field=name) from None

    def read(self) -> Configuration:
        self.module = Module(self.root, self, "", {})
        self.module.collect()
        # Every string made from a tfvars value (a split part, a formatted name, a for_each key)
        # is as secret as the value: reports redact it too.
        self.config.redact |= {s for s in self.budget.secrets if s.strip()}
        return self.config

    def declared(self) -> dict[str, ResourceInstance]:
        out: dict[str, ResourceInstance] = {}
        self.module.declared(out)
        return out


def _reader(root: Path, var_files: list[Path] | None, wanted: frozenset[str], base: Path | None) -> Reader:
    if not root.is_dir():
        raise InputError(root, "not a directory")
    if not _config_files(root):
        raise InputError(root, "holds no .tf or .tf.json file")
    return Reader(root, list(var_files or []), wanted, base)


def read_configuration(root: Path, var_files: list[Path] | None = None, *,
                       wanted: frozenset[str], base: Path | None = None) -> Configuration:
    return _reader(root, var_files, wanted, base).read()


def read_declarations(root: Path, var_files: list[Path] | None = None, *, wanted: frozenset[str],
                      base: Path | None = None) -> tuple[Configuration, dict[str, ResourceInstance]]:
    """The evaluated configuration and every resource block by address (no instance key)."""
    reader = _reader(root, var_files, wanted, base)
    return reader.read(), reader.declared()


__all__ = ["Computed", "Configuration", "Location", "Note", "ResourceInstance", "Tainted", "read_configuration"]
