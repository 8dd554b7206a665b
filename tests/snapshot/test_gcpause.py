"""The cyclic GC is paused for a batch and comes back as it was, even when the batch fails."""

from __future__ import annotations

import gc

import pytest

from auditor.snapshot.gcpause import gc_paused


@pytest.fixture
def gc_state():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    gc.enable() if enabled else gc.disable()


def test_paused_inside_and_restored_after(gc_state) -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_when_the_block_raises_and_nothing_frozen(gc_state) -> None:
    gc.enable()
    frozen = gc.get_freeze_count()
    with pytest.raises(RuntimeError), gc_paused(freeze=True):
        [object() for _ in range(10)]
        raise RuntimeError("boom")
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_freeze_moves_live_objects_out_of_reach(gc_state) -> None:
    gc.enable()
    gc.unfreeze()
    with gc_paused(freeze=True):
        kept = [[i] for i in range(1000)]
    assert gc.get_freeze_count() >= len(kept)


def test_stays_disabled_when_it_was_disabled_before(gc_state) -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()
