"""Click parameter types shared by several commands (kept apart from options.py: no heavy imports)."""

from __future__ import annotations

import math
from typing import Any

import click


class FiniteFloatRange(click.FloatRange):
    """A FloatRange that also refuses nan and inf (`--rate nan` crashed the limiter; nan passes
    every range comparison, so FloatRange alone lets it through)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


class ShardType(click.ParamType):
    """`--shard I/N` (auditor.nightly.shard): a bad value is a usage error, exit 2."""

    name = "I/N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from auditor.nightly.shard import Shard, parse_shard

        if isinstance(value, Shard):
            return value
        try:
            return parse_shard(str(value))
        except ValueError as exc:
            self.fail(f"{str(value)[:40]!r}: {exc}", param, ctx)
