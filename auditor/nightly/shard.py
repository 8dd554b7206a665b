"""`--shard I/N`: the I-th of N deterministic partitions of an orgs.yaml, for fanning orgs out over a
scheduler teams already run (a Kubernetes Indexed Job, a GitHub Actions matrix).

I counts from 0, like Kubernetes' `JOB_COMPLETION_INDEX` and a matrix index, so a pod passes
`--shard $(JOB_COMPLETION_INDEX)/N` unchanged. An org belongs to shard
`int(sha256(name)[:16 hex digits]) mod N`: it depends on the org's name (the lock key and output
folder) only, never on its position in the file, so reordering, adding or removing other orgs never
moves an org to another shard, and every org is in exactly one shard.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

_SHARD = re.compile(r"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")
#: More shards than this is a typo, not a fleet (each shard is one pod or runner).
MAX_SHARDS = 1000


class _Named(Protocol):
    name: str


T = TypeVar("T", bound=_Named)


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, name: str) -> bool:
        return shard_of(name, self.count) == self.index

    def select(self, entries: Sequence[T]) -> list[T]:
        """This shard's entries, in the file's order."""
        return [e for e in entries if self.owns(e.name)]

    @property
    def suffix(self) -> str:
        """Distinguishes this shard's combined index files when shards share an output folder."""
        return f"-shard-{self.index}-of-{self.count}"


def shard_of(name: str, count: int) -> int:
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return int(digest[:16], 16) % count


def parse_shard(text: str) -> Shard:
    """'I/N' with 0 <= I < N <= MAX_SHARDS; ValueError with a one-line reason otherwise."""
    match = _SHARD.match(text)
    if not match:
        raise ValueError("expected I/N (two whole numbers, e.g. 0/4)")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS:
        raise ValueError(f"N must be between 1 and {MAX_SHARDS}")
    if not 0 <= index < count:
        raise ValueError(f"I must be between 0 and {count - 1} (shards count from 0, like JOB_COMPLETION_INDEX)")
    return Shard(index, count)
