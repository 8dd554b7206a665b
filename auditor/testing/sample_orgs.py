"""Regenerate the bundled sample orgs: `python -m auditor.testing.sample_orgs [--out sample_exports]`.

Writes `<out>/demo-org/`, `<out>/demo-org-partial/` (demo-org as a client that cannot see the
Stores division collects it) and `<out>/ready-org/`, each a snapshot directory plus its `plan.yaml`.
Ids are seeded and timestamps fixed, so regenerating reproduces the committed files byte for
byte (tests/test_sample_orgs.py checks it). Each org is built in a staging directory next to its
target and swapped in, so an interrupted run never leaves a half-written sample.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from auditor.errors import InputError
from auditor.safety.fileio import atomic_write_text
from auditor.snapshot.store import MANIFEST_FILE
from auditor.testing.samples import SampleOrg, demo_org, ready_org

PLAN_FILE = "plan.yaml"
SAMPLES: dict[str, Callable[[], SampleOrg]] = {
    "demo-org": demo_org.build,
    "demo-org-partial": demo_org.build_partial,
    "ready-org": ready_org.build,
}


def _replaceable(target: Path) -> bool:
    """Only an empty directory or a previous snapshot may be replaced: never wipe anything else."""
    return target.is_dir() and (not any(target.iterdir()) or (target / MANIFEST_FILE).is_file())


def write_sample(sample: SampleOrg, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / sample.name
    if target.exists() and not _replaceable(target):
        raise InputError(target, "exists and is not a snapshot directory; refusing to replace it")
    staging = Path(tempfile.mkdtemp(prefix=f".{sample.name}.", suffix=".regen", dir=out))
    try:
        built = sample.builder.write(staging / sample.name, indent=2, columns=False)  # committed: JSON only
        atomic_write_text(built / PLAN_FILE, sample.plan_yaml)
        if target.exists():
            shutil.rmtree(target)
        os.replace(built, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def generate(out: Path, names: Sequence[str] = tuple(SAMPLES)) -> list[Path]:
    return [write_sample(SAMPLES[name](), out) for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auditor.testing.sample_orgs", description="Regenerate the bundled sample orgs."
    )
    parser.add_argument("--out", type=Path, default=Path("sample_exports"), help="directory holding the samples")
    args = parser.parse_args(argv)
    try:
        for path in generate(args.out):
            print(f"wrote {path}")
    except InputError as exc:
        parser.exit(2, f"error: {exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
