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
