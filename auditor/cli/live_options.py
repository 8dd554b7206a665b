"""Options for talking to a live org, shared by `collect` and `audit --live`.

Credentials are deliberately not options: the client secret would show in `ps` and in shell
history. They come from GENESYSCLOUD_OAUTHCLIENT_ID / _SECRET or GENESYSCLOUD_ACCESS_TOKEN.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from auditor.cli.types import FiniteFloatRange

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class LiveSettings:
    region: str | None
    workers: int
    rate: float
    retries: int
    retry_budget: float
    backoff_base: float
    #: Seconds to wait for a response (the read timeout; connecting gets at most 10 s).
    timeout: float = 60.0
    #: Days of conversation aggregates to read (the traffic window).
    traffic_days: int = 7
    #: Collect only what these rules need (auditor.sources.collectors.plan.CallPlan); None: everything.
    call_plan: Any = None
    #: Days of OAuth client usage to read (the usage query's window).
    usage_days: int = 90
    #: Do not read the authentication settings (admin permission not granted on purpose).
    skip_auth_settings: bool = False

    def collect(self, out: Path) -> Any:
        """Collect into `out`; returns a CollectResult. Imports lazily: `--help` stays fast."""
        from auditor.sources.collectors.auth import Credentials
        from auditor.sources.collectors.client import RetryPolicy
        from auditor.sources.collectors.collect import CollectOptions, collect
        from auditor.sources.collectors.regions import resolve_region

        region = resolve_region(self.region)
        options = CollectOptions(
            workers=self.workers,
            rate_per_minute=self.rate,
            retry=RetryPolicy(attempts=self.retries + 1, max_seconds=self.retry_budget,
                              backoff_base=self.backoff_base),
            timeout=self.timeout,
            traffic_days=self.traffic_days,
            call_plan=self.call_plan,
            usage_days=self.usage_days,
            skip_auth_settings=self.skip_auth_settings,
        )
        result = collect(out, region, Credentials.from_env(), options)
        extra = result.manifest.extra
        # Every live command ends with what the collection cost against what its plan needed.
        click.echo(f"gcaudit: {extra.get('calls', 0)} calls made, {extra.get('planned_calls', 0)} planned "
                   f"({extra.get('seconds', 0):.1f} s at {self.rate:g} requests/min)", err=True)
        return result

    @contextmanager
    def api_client(self) -> Iterator[Any]:
        """A logged-in-on-demand ApiClient with these settings (the nightly's audit-trail queries)."""
        from auditor.sources.collectors.auth import Credentials, TokenProvider
        from auditor.sources.collectors.client import ApiClient, RetryPolicy, new_session
        from auditor.sources.collectors.ratelimit import RateLimiter
        from auditor.sources.collectors.regions import resolve_region

        region = resolve_region(self.region)
        session = new_session(2)
        try:
            tokens = TokenProvider(session, region, Credentials.from_env(), timeout=self.timeout,
                                   budget=self.retry_budget)
            yield ApiClient(region, tokens, RateLimiter(self.rate),
                            RetryPolicy(attempts=self.retries + 1, max_seconds=self.retry_budget,
                                        backoff_base=self.backoff_base),
                            session, timeout=(min(10.0, self.timeout), self.timeout))
        finally:
            session.close()


_OPTIONS = [
    click.option("--region", envvar="GENESYSCLOUD_REGION", show_envvar=True,
                 help="Region (eu-west-1, eu_west_1, mypurecloud.ie) or API base URL."),
    click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True,
                 help="Concurrent requests (per-queue and per-role calls)."),
    click.option("--rate", type=FiniteFloatRange(min=1), default=300, show_default=True,
                 help="Requests per minute, shared by all workers (Genesys allows 300 per token)."),
    click.option("--retries", type=click.IntRange(0, 20), default=5, show_default=True,
                 help="Retries per call on 429/500/502/503/504 and connection errors."),
    # Upper bounds: a socket timeout must fit a C timeval; a week is past any real need.
    click.option("--retry-budget", type=FiniteFloatRange(min=1, max=7 * 86400), default=300, show_default=True,
                 help="Seconds one call may spend retrying before its dataset fails."),
    click.option("--timeout", type=FiniteFloatRange(min=0.1, max=86400), default=60, show_default=True,
                 help="Seconds to wait for each response before retrying it (slow proxies: raise it)."),
    click.option("--traffic-days", type=click.IntRange(1, 31), default=7, show_default=True,
                 help="Days of conversation traffic to read per queue (the aggregates query's window, "
                      "ending now)."),
    click.option("--usage-days", type=click.IntRange(1, 90), default=90, show_default=True,
                 envvar="GCAUDIT_USAGE_DAYS", show_envvar=True,
                 help="Days of OAuth client API usage to read (the usage query's window, ending now; "
                      "OAUTH-013 reports clients unused within it)."),
    click.option("--skip-auth-settings", is_flag=True, default=False,
                 envvar="GCAUDIT_SKIP_AUTH_SETTINGS", show_envvar=True,
                 help="Do not read the org's authentication settings: their only permission, "
                      "directory:organization:admin, is an admin one. Rules that need them are then "
                      "NOT_APPLICABLE (opted out) instead of ERROR."),
    # Tests shrink the backoff so that injected failures cost milliseconds, not seconds.
    click.option("--backoff-base", type=FiniteFloatRange(min=0, max=3600), default=1.0, hidden=True),
]


def live_options(fn: F) -> F:
    """Add the live-collection options; the command receives them as one `live: LiveSettings`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, region: str | None, workers: int, rate: float, retries: int,
                retry_budget: float, backoff_base: float, timeout: float, traffic_days: int, usage_days: int,
                skip_auth_settings: bool, **kwargs: Any) -> Any:
        live = LiveSettings(region, workers, rate, retries, retry_budget, backoff_base, timeout, traffic_days,
                            usage_days=usage_days, skip_auth_settings=skip_auth_settings)
        return fn(*args, live=live, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def live_snapshot(live: LiveSettings, save_to: Path | None) -> Any:
    """Collect and load a snapshot for `audit --live`: into `save_to` if given, else a temp dir
    removed once loaded (the loaded snapshot lives in memory). Loaded lean: audits read only the
    declared fields."""
    import tempfile

    from auditor.snapshot import load_snapshot

    if save_to is not None:
        return load_snapshot(live.collect(save_to).path, lean=True)
    with tempfile.TemporaryDirectory(prefix="gcaudit-live-") as tmp:
        return load_snapshot(live.collect(Path(tmp) / "snapshot").path, lean=True)


def live_mode_options(fn: F) -> F:
    """`--live` (collect first) and `--save-snapshot DIR` (keep what was collected)."""
    fn = click.option("--save-snapshot", type=click.Path(file_okay=False, path_type=Path),
                      help="With --live: keep the collected snapshot in this new directory.")(fn)
    return click.option("--live", "live_mode", is_flag=True,
                        help="Collect from the org first (credentials from the environment).")(fn)

