"""Pausing Python's cyclic garbage collector around big batches of allocation.

Loading a 50,000-queue snapshot and evaluating the rules over it allocate tens of millions of
objects, almost none in reference cycles: refcounting frees them, and every run of the cyclic
collector only walks them again (it cost 2-3 s of a 7 s audit at that size). The collector is
paused for the batch and resumed after it, so any cycle made meanwhile is still collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with the cyclic GC off. `freeze=True` moves everything alive at the end out of
    the collector's reach for good (for data loaded once and read until exit, like a snapshot)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
