"""Section 6: start-up time of `gcaudit --help` and `gcaudit rules` next to `python -c pass`."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT, Stat

#: Modules that must not be imported just to print help or the rule catalog.
HEAVY = ("pandas", "numpy", "jinja2", "requests", "fastjsonschema", "msgspec", "sqlalchemy",
         "PureCloudPlatformClientV2")
_IMPORT_PROBE = """
import json, sys
sys.argv = ["gcaudit", *json.loads(sys.argv[1])]
from auditor.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nGCAUDIT-MODULES " + json.dumps([m for m in {heavy} if m in sys.modules]) + "\\n")
"""


def _gcaudit() -> list[str]:
    script = Path(PYTHON).parent / "gcaudit"
    return [str(script)] if script.exists() else [PYTHON, "-m", "auditor"]


def _wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def heavy_imports(args: list[str]) -> list[str]:
    probe = _IMPORT_PROBE.format(heavy=repr(HEAVY))
    proc = subprocess.run([PYTHON, "-c", probe, json.dumps(args)], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    for line in proc.stderr.splitlines():
        if line.startswith("GCAUDIT-MODULES "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"import probe failed: {proc.stderr[-500:]}")


def startup_section(repeat: int) -> dict[str, Any]:
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "gcaudit --help": [*_gcaudit(), "--help"],
        "gcaudit rules": [*_gcaudit(), "rules"],
    }
    for args in commands.values():  # warm the page cache and bytecode before timing
        _wall(args)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, args in commands.items():  # interleaved, so load drift hits all alike
            times[name].append(_wall(args))
    base = Stat.of(times["python -c pass"]).median
    rows = []
    for name, values in times.items():
        stat = Stat.of(values)
        row: dict[str, Any] = {"command": name, "seconds": stat.to_dict(), "vs_python": stat.median / base}
        if name.startswith("gcaudit"):
            row["heavy_modules_imported"] = heavy_imports(name.split()[1:])
        rows.append(row)
    return {"rows": rows}
