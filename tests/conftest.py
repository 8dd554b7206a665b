"""Shared fixtures. Rule tests build small orgs in the test with `org` (an OrgBuilder) and the
factories in `auditor.testing.factories`; end-to-end tests run the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.testing.builder import OrgBuilder

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"


@pytest.fixture
def org() -> OrgBuilder:
    return OrgBuilder()


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m auditor ARGS` as a user would, capturing output."""
    # PYTHONPATH: the tree under test, even when `cwd` is elsewhere (else the installed copy runs).
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": path, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli():
    return run_cli
