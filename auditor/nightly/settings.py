"""Nightly helpers: where the default history lives, and a child's environment.

The settings layer (gcaudit.yaml, GCAUDIT_*) that nightly once had alone is now every command's:
auditor/cli/config.py.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_history_url(out: Path) -> str:
    # The directory resolved, the file name not: a link planted at the name is refused when the
    # history opens, instead of being followed here.
    return f"sqlite:///{out.resolve() / 'gcaudit-history.db'}"


def env_without(names: set[str]) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}
