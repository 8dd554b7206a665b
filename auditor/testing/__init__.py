"""Helpers for tests, benchmarks and the sample-org generator: entity factories in the real
Platform API shapes, and an in-memory snapshot builder. Not used by the product's run path."""
