"""The reader's bounds: what a configuration may make the reader build and do, like Terraform's own
limits on a plan, so that a file well under the size limit cannot take minutes or gigabytes.

Every bound ends in `LimitError`; the configuration reader turns it into exit 2 naming the file
and line of the attribute (or block) being evaluated. Sizes are measured once per value and
remembered (`Budget.info`), so a value shared many times over (`[local.a, local.a]`, nested)
costs its own size once, and the walks over it (is any part unknown? tainted?) do not repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: One string a configuration builds (functions, templates): 1 MiB of text. Genesys names,
#: descriptions and scripts are far smaller; a longer value is built to exhaust memory.
MAX_STRING = 1024 * 1024
#: Elements of one value (lists, maps, sets, all levels together, shared parts counted each time
#: they appear): a for_each map of 50,000 queues with a dozen fields each fits.
MAX_ELEMENTS = 1_000_000
#: Nesting of one value (lists in maps in lists...), of blocks in a file and of JSON documents;
#: the provider's deepest schema (role conditions -> terms -> operands) is six levels.
MAX_NESTING = 64
#: Instances of one `count` / `for_each` (resource or module call).
MAX_EXPANSION = 100_000
#: Resource instances in the whole configuration (all modules).
MAX_RESOURCES = 500_000
#: Module instances in the whole configuration (all levels).
MAX_MODULES = 1_000
#: Evaluation steps (one per expression node evaluated): a fixed allowance plus an amount per byte
#: of input read, so the work is proportional to the input (a `for` inside a `for` over large
#: lists, templates re-expanded at every level, ... run out of steps, never of time).
BASE_STEPS = 2_000_000
STEPS_PER_BYTE = 4
#: Digits of a number literal (Terraform's numbers are 512-bit floats: about 155 digits).
MAX_DIGITS = 200
#: Integers past this magnitude become floats (as Terraform's arbitrary-precision floats lose
#: precision there), so repeated multiplication cannot build a million-digit integer.
MAX_INT_BITS = 512


class LimitError(Exception):
    """A configuration past one of the reader's bounds (the message names the bound, not a value)."""


@dataclass
class Info:
    size: int
    depth: int
    #: The first Unknown inside the value, if any.
    unknown: Any
    tainted: bool


class Budget:
    """The steps and sizes one configuration read may use (shared by every evaluator of a read)."""

    def __init__(self) -> None:
        self.steps = 0
        self.allowed = BASE_STEPS
        self.resources = 0
        self.modules = 0
        #: Every string made from a tfvars value that passed through `info`: redacted in reports.
        self.secrets: set[str] = set()
        # id -> (value, Info): the value is kept so its id cannot be reused while the entry lives.
        self._info: dict[int, tuple[Any, Info]] = {}

    def read(self, size: int) -> None:
        """Input was read: allow work in proportion."""
        self.allowed += STEPS_PER_BYTE * size

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.allowed:
            raise LimitError(f"the configuration takes more than {self.allowed:,} evaluation steps "
                             f"({STEPS_PER_BYTE} per byte of input plus {BASE_STEPS:,}): an expression "
                             "expands far beyond its size")

    def expansion(self, count: int, what: str) -> None:
        if count > MAX_EXPANSION:
            raise LimitError(f"{what} makes {count:,} instances; the limit is {MAX_EXPANSION:,}")

    def add_resources(self, count: int) -> None:
        self.resources += count
        if self.resources > MAX_RESOURCES:
            raise LimitError(f"more than {MAX_RESOURCES:,} resource instances in the configuration")

    def add_module(self) -> None:
        self.modules += 1
        if self.modules > MAX_MODULES:
            raise LimitError(f"more than {MAX_MODULES:,} module instances in the configuration")

    def info(self, value: Any) -> Info:
        """Size, depth, first Unknown and taint of a value, measured once per container."""
        from auditor.sources.terraform.values import Tainted, Unknown

        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise LimitError(f"a string of more than {MAX_STRING:,} characters")
            if isinstance(value, Tainted):
                self.secrets.add(str(value))
                return Info(1, 0, None, True)
            return Info(1, 0, None, False)
        if isinstance(value, Unknown):
            return Info(1, 0, value, False)
        if not isinstance(value, list | tuple | dict):
            return Info(1, 0, None, False)
        known = self._info.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        items = list(value.values()) if isinstance(value, dict) else value
        size, depth, unknown = 1 + len(items), 1, None
        taint = isinstance(value, dict) and any(isinstance(k, Tainted) for k in value)
        for item in items:
            sub = self.info(item)
            size += sub.size - 1
            depth = max(depth, sub.depth + 1)
            unknown = unknown if unknown is not None else sub.unknown
            taint = taint or sub.tainted
            if size > MAX_ELEMENTS:
                raise LimitError(f"a value of more than {MAX_ELEMENTS:,} elements")
            if depth > MAX_NESTING:
                raise LimitError(f"a value nested more than {MAX_NESTING} levels deep")
        info = Info(size, depth, unknown, taint)
        self._info[id(value)] = (value, info)
        return info

    def check(self, value: Any) -> Any:
        self.info(value)
        return value


def json_depth(value: Any) -> int:
    """Nesting depth of a decoded JSON value, without recursion (so no depth can overflow it)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_NESTING:
                return depth
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest
