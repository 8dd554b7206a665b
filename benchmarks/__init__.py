"""gcaudit benchmarks: `python -m benchmarks` (or `python benchmarks/run.py`), `--quick` for a short run.

Every figure is measured side by side in one run on the machine at hand and reported as the
median of repeated runs with min-max; claims are ratios (to the rate-limit bound, to a script on
the official SDK, between sizes), never absolute timings asserted in tests.
"""
