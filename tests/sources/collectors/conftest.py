"""Fixtures for the collector tests: a fake Platform API on a free 127.0.0.1 port, serving the
demo org, and collector settings that make injected failures cost milliseconds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.snapshot import Snapshot, load_snapshot
from auditor.sources.collectors.auth import Credentials
from auditor.sources.collectors.client import RetryPolicy
from auditor.sources.collectors.collect import CollectOptions, CollectResult, collect
from auditor.sources.collectors.regions import resolve_region
from auditor.testing.fake_api import FakeConfig, FakePlatformApi
from tests.conftest import SAMPLES

DEMO_ORG = SAMPLES / "demo-org"
#: Hidden CLI flags for the same fast settings as FAST below.
FAST_CLI = ["--rate", "60000", "--backoff-base", "0.01", "--workers", "6"]
FAST = CollectOptions(workers=6, rate_per_minute=60000, progress=False,
                      retry=RetryPolicy(attempts=6, max_seconds=30, backoff_base=0.01, backoff_max=0.05))


@pytest.fixture(scope="session")
def demo_snapshot() -> Snapshot:
    return load_snapshot(DEMO_ORG)


@pytest.fixture
def fake_api() -> Iterator[Callable[..., FakePlatformApi]]:
    """`fake_api(source=DEMO_ORG, **FakeConfig fields)` starts a fake; all are stopped afterwards."""
    started: list[FakePlatformApi] = []

    def start(source: Any = DEMO_ORG, **config: Any) -> FakePlatformApi:
        api = FakePlatformApi(source, FakeConfig(**config)).start()
        started.append(api)
        return api

    yield start
    for api in started:
        api.stop()


def collect_from(api: FakePlatformApi, out: Path, options: CollectOptions = FAST,
                 secret: str | None = None) -> CollectResult:
    return collect(out, resolve_region(api.url), Credentials.from_env(api.env(secret)), options)


def normalised(snapshot: Snapshot) -> dict[str, Any]:
    """Dataset contents, with a per-parent key holding [] treated like an absent key."""
    out: dict[str, Any] = {}
    for name, content in snapshot.data.items():
        out[name] = {k: v for k, v in content.items() if v} if isinstance(content, dict) else content
    return out
