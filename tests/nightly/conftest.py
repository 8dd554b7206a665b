"""Nightly tests share the history tests' PostgreSQL fixture (a throwaway database per test)."""

from tests.history.conftest import postgres_url  # noqa: F401 (re-exported fixture)
