"""The history store on SQLite (always) and PostgreSQL (GCAUDIT_TEST_POSTGRES_URL; required in CI).

Each PostgreSQL test gets its own throwaway database, created and dropped through the server URL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.history import HistoryStore

POSTGRES_ENV = "GCAUDIT_TEST_POSTGRES_URL"


def postgres_server_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_ENV} is not set in CI: .ci/start-postgres should have started a server")
        pytest.skip(f"{POSTGRES_ENV} not set (run .ci/start-postgres)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the test server; dropped afterwards."""
    from sqlalchemy import create_engine, text

    from auditor.history import normalise_url

    server = normalise_url(postgres_server_url() or "")
    name = f"gcaudit_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url: str) -> Iterator[HistoryStore]:
    with HistoryStore(store_url) as s:
        yield s
