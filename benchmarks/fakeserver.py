"""The fake Platform API in its own process, so it never competes with the client for the GIL.

Child: `python -m benchmarks.fakeserver SNAPSHOT --latency S [--rate-limit N --rate-window S]`
prints one JSON line (url, client id and secret), then answers commands on stdin, one per line:
`stats` (JSON of answered requests by status), `reset` (zero the counters), `quit`.
Parent: `with FakeServer(snapshot, latency=0.08, rate_limit=1200) as server: server.url ...`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT


class FakeServer:
    def __init__(self, snapshot: Path, *, latency: float, rate_limit: int | None = None,
                 rate_window: float = 60.0) -> None:
        args = [PYTHON, "-m", "benchmarks.fakeserver", str(snapshot), "--latency", str(latency),
                "--rate-window", str(rate_window)]
        if rate_limit is not None:
            args += ["--rate-limit", str(rate_limit)]
        self._proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self._proc.stdout.readline() if self._proc.stdout else ""
        if not line:
            self._proc.kill()
            raise RuntimeError("the fake Platform API did not start")
        info = json.loads(line)
        self.url: str = info["url"]
        self.client_id: str = info["client_id"]
        self.client_secret: str = info["client_secret"]

    def _command(self, command: str) -> dict[str, Any]:
        assert self._proc.stdin and self._proc.stdout
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return json.loads(self._proc.stdout.readline())

    def stats(self) -> dict[str, Any]:
        """Requests answered: by status, API calls (token requests excluded), 200s among them, 429s."""
        return self._command("stats")

    def reset(self) -> None:
        self._command("reset")

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._command("quit")
                self._proc.wait(timeout=10)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(args: argparse.Namespace) -> None:
    from auditor.testing.fake_api import TOKEN_PATH, FakeConfig, FakePlatformApi

    config = FakeConfig(rate_limit=args.rate_limit, rate_window=args.rate_window, latency=args.latency)
    with FakePlatformApi(Path(args.snapshot), config) as api:
        print(json.dumps({"url": api.url, "client_id": config.client_id, "client_secret": config.client_secret}),
              flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                token_calls = api.calls(TOKEN_PATH)
                by_status = {str(k): v for k, v in sorted(api.by_status().items())}
                print(json.dumps({
                    "by_status": by_status,
                    "api_calls": api.calls() - token_calls,
                    "ok_api_calls": api.calls(status=200) - api.calls(TOKEN_PATH, 200),
                    "throttled": api.calls(status=429),
                    "token_calls": token_calls,
                    "errors": len(api.errors),
                }), flush=True)
            elif command == "reset":
                api.reset_counters()
                print("{}", flush=True)
            elif command == "quit":
                print("{}", flush=True)
                break


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("snapshot")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--rate-limit", type=int, default=None)
    parser.add_argument("--rate-window", type=float, default=60.0)
    _serve(parser.parse_args())


if __name__ == "__main__":
    main()
