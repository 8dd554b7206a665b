"""`gcaudit nightly`: collect (or load), audit, store, compare, report and notify; one org or many."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.config import config_option
from auditor.cli.live_options import LiveSettings, live_options
from auditor.cli.options import SEVERITIES, AliasOption, deprecated
from auditor.cli.types import FiniteFloatRange, ShardType
from auditor.cli.waiver_options import waivers_option
from auditor.nightly.settings import default_history_url
from auditor.nightly.shard import Shard

_DEFAULT_OUT = "gcaudit-reports"


def _env(name: str) -> dict[str, object]:
    return {"envvar": f"GCAUDIT_{name}", "show_envvar": True}


@click.command()
@click.argument("snapshot_arg", metavar="[SNAPSHOT]", required=False,
                type=click.Path(file_okay=False, path_type=Path))
@config_option
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, path_type=Path), **_env("PLAN"),
              help="Rollout plan (YAML) naming the deployments, queues, sites and clients co-browse relies on.")
@click.option("--snapshot", type=click.Path(file_okay=False, path_type=Path), **_env("SNAPSHOT"), hidden=True,
              help="Deprecated on the command line (give SNAPSHOT as the argument); still read from "
              "GCAUDIT_SNAPSHOT and the settings file.")
@click.option("--label", **_env("LABEL"),
              help="Name of this org's runs: the lock key. Default: the snapshot's org id, or the OAuth client id.")
@click.option("--history", "history_url", **_env("HISTORY"),
              help="History database URL: sqlite:///PATH or postgresql://USER@HOST/DB "
              "[default: sqlite:///OUT/gcaudit-history.db].")
@click.option("--out-dir", "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=_DEFAULT_OUT,
              show_default=True, **_env("OUT"), cls=AliasOption, old="--out",
              help="Reports directory: date-stamped HTML/JSON/Markdown plus latest.*.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "blockers"]), default="high", show_default=True,
              **_env("FAIL_ON"),
              help="Exit 1 on a FAIL at or above this severity (also the notification threshold), or with "
                   "`blockers` exactly when co-browse is NOT READY (3 when INCOMPLETE; findings notified from high).")
@click.option("--fail-on-new-only", is_flag=True, **_env("FAIL_ON_NEW_ONLY"),
              help="Exit 1 only for NEW or REGRESSED failures at or above --fail-on.")
@waivers_option
@click.option("--notify", multiple=True, metavar="URL", **_env("NOTIFY"),
              help="Webhook to POST a summary to when something got worse (repeatable; the variable takes "
              "space-separated URLs).")
@click.option("--notify-format", type=click.Choice(["generic", "slack", "teams"]), default="generic",
              show_default=True, **_env("NOTIFY_FORMAT"),
              help="generic JSON, Slack incoming webhook, or Microsoft Teams (Workflows, Adaptive Card).")
@click.option("--keep", type=click.IntRange(min=0), default=30, show_default=True, **_env("KEEP"),
              help="Keep the newest N date-stamped reports and snapshots in --out-dir (0: keep all).")
@click.option("--keep-history-days", type=click.IntRange(min=0, max=36500), default=0, show_default=True,
              **_env("KEEP_HISTORY_DAYS"),
              help="After recording, delete this org's runs older than N days from the history (its newest run "
              "and every finding's first/last seen always stay; 0: keep all).")
@click.option("--orgs", "orgs_path", type=click.Path(dir_okay=False, path_type=Path), **_env("ORGS"),
              help="Audit every org in this YAML file (name, region, credential variable names) into OUT/NAME/.")
@click.option("--parallel", type=click.IntRange(1, 32), default=2, show_default=True, **_env("PARALLEL"),
              help="With --orgs: orgs audited at once, each in its own process with its own rate limiter.")
@click.option("--org-timeout", type=FiniteFloatRange(min=1, max=7 * 86400), default=4 * 3600, show_default=True,
              **_env("ORG_TIMEOUT"), help="With --orgs: seconds before one org's run is abandoned.")
@click.option("--shard", type=ShardType(), **_env("SHARD"),
              help="With --orgs: run only shard I of N (I from 0, like JOB_COMPLETION_INDEX); an org's shard "
              "follows from a hash of its name, so reordering the file moves nothing. See docs/nightly.md.")
@live_options
@click.option("--single", is_flag=True, hidden=True)  # a child of an --orgs run: ignore --orgs
@click.option("--notify-backoff", type=click.FloatRange(min=0), default=2.0, hidden=True)  # tests: fast retries
def nightly(
    snapshot_arg: Path | None,
    config_file: Path | None,
    plan_path: Path | None,
    snapshot: Path | None,
    label: str | None,
    history_url: str | None,
    out: Path,
    fail_on: str,
    fail_on_new_only: bool,
    waivers_path: Path | None,
    waiver_max_days: int,
    notify: tuple[str, ...],
    notify_format: str,
    keep: int,
    keep_history_days: int,
    orgs_path: Path | None,
    parallel: int,
    org_timeout: float,
    shard: Shard | None,
    live: LiveSettings,
    single: bool,
    notify_backoff: float,
) -> None:
    """The unattended run: collect (or audit SNAPSHOT, a snapshot directory, offline), audit, store the
    run in the history, compare with the org's previous run (NEW / UNCHANGED / REGRESSED / RESOLVED
    findings, configuration drift), write reports to --out-dir, and notify when something got worse.

    Settings come from flags, then GCAUDIT_* environment variables, then the --config file
    (default ./gcaudit.yaml). Credentials for live collection come only from the environment:
    GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET (or GENESYSCLOUD_ACCESS_TOKEN),
    or per org from the variables named in --orgs; GENESYSCLOUD_REGION. Every option's variable is
    shown beside it (GCAUDIT_PLAN, GCAUDIT_OUT, GCAUDIT_HISTORY, GCAUDIT_NOTIFY, ...); GCAUDIT_SNAPSHOT
    (or `snapshot:` in the file) gives SNAPSHOT.

    \b
    Examples:
      gcaudit nightly --plan plan.yaml --out-dir reports/
      gcaudit nightly samples/demo-org --plan samples/demo-org/plan.yaml --out-dir reports/

    Exit status: 0 nothing at or above --fail-on failed; 1 something did (with --fail-on-new-only:
    something new or regressed did); with --fail-on blockers, 1 co-browse is NOT READY (with
    --fail-on-new-only: it became NOT READY tonight) and 3 INCOMPLETE; 2 bad usage, input or
    credentials; 3 no such failure but the data is incomplete (or, with --orgs, some org did not
    finish); 4 internal error; 75 another run for the same org holds the lock (nothing was done).
    """
    from auditor.results import BLOCKERS, Severity

    if snapshot_arg is not None:
        if snapshot is not None and click.get_current_context().get_parameter_source("snapshot") \
                is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("give the snapshot once (as the argument)")
        snapshot = snapshot_arg
    elif not single and click.get_current_context().get_parameter_source("snapshot") \
            is click.core.ParameterSource.COMMANDLINE:
        deprecated("--snapshot DIR", "give the directory as an argument: gcaudit nightly DIR ...")
    if shard is not None and (orgs_path is None or single):
        raise click.UsageError("--shard needs --orgs (it selects a part of the orgs file)")
    history = history_url or default_history_url(out)
    from auditor.safety.redaction import register_url

    register_url(history)  # its password never reaches a log or report
    for url in notify:  # nor a webhook's secret path
        register_url(url, secret_path=True)
    from auditor.nightly.notify import check_webhook_url

    for url in notify:  # refused before the run, not when the night's news is to be sent
        check_webhook_url(url)
    if orgs_path is not None and not single:
        _run_orgs(orgs_path, out, history, parallel, org_timeout, fail_on, fail_on_new_only, waivers_path,
                  waiver_max_days, notify, notify_format, keep, keep_history_days, plan_path, live, notify_backoff,
                  shard)
        return
    from auditor.cli.config import load_auth_thresholds
    from auditor.nightly.run import NightlyOptions, run_nightly

    outcome = run_nightly(NightlyOptions(
        auth_thresholds=load_auth_thresholds(config_file),
        out=out, history_url=history, snapshot=snapshot, plan=plan_path, label=label,
        fail_on=fail_on if fail_on == BLOCKERS else Severity(fail_on), fail_on_new_only=fail_on_new_only,
        waivers=waivers_path,
        waiver_max_days=waiver_max_days, notify=list(notify), notify_format=notify_format, keep=keep,
        keep_history_days=keep_history_days, live=live, notify_backoff=notify_backoff,
    ))
    for line in outcome.summary_lines():
        click.echo(line)
    raise SystemExit(outcome.exit_code)


def _run_orgs(orgs_path: Path, out: Path, history: str, parallel: int, org_timeout: float, fail_on: str,
              fail_on_new_only: bool, waivers_path: Path | None, waiver_max_days: int, notify: tuple[str, ...],
              notify_format: str, keep: int, keep_history_days: int, plan_path: Path | None, live: LiveSettings,
              notify_backoff: float, shard: Shard | None) -> None:
    from auditor.nightly.orgs import EXIT_MEANING, combined_exit, load_orgs, run_all, write_index

    entries = load_orgs(orgs_path)  # the whole file is validated, whichever shard this is
    if shard is not None:
        entries = shard.select(entries)
        click.echo(f"shard {shard}: {len(entries)} org(s): {', '.join(e.name for e in entries) or 'none'}")
    # The history URL (database password) and webhook URLs (secret paths) go to the children
    # through their environment, not their command line: `ps` shows every user the latter.
    secrets = {"GCAUDIT_HISTORY": history}
    if notify:
        secrets["GCAUDIT_NOTIFY"] = " ".join(notify)
    args = ["--fail-on", fail_on, "--keep", str(keep),
            "--keep-history-days", str(keep_history_days), "--notify-format", notify_format,
            "--waiver-max-days", str(waiver_max_days), "--workers", str(live.workers), "--rate", str(live.rate),
            "--retries", str(live.retries), "--retry-budget", str(live.retry_budget),
            "--backoff-base", str(live.backoff_base), "--timeout", str(live.timeout),
            "--notify-backoff", str(notify_backoff), "--traffic-days", str(live.traffic_days),
            "--usage-days", str(live.usage_days)]
    if live.skip_auth_settings:
        args.append("--skip-auth-settings")
    if fail_on_new_only:
        args.append("--fail-on-new-only")
    # Org-level plan/waivers in orgs.yaml win; the command's --plan/--waivers apply to the rest.
    shared = [("--plan", plan_path), ("--waivers", waivers_path)]
    runs = run_all(entries, [*args, *_shared_flags(shared)], out, parallel, org_timeout, secrets)
    from auditor.safety.fileio import make_private_dirs

    make_private_dirs(out)  # a shard with no org of its own still writes its (empty) index
    index = write_index(out, runs, suffix=shard.suffix if shard else "")
    for run in runs:
        meaning = f"not run: {run.problem}" if run.problem else EXIT_MEANING.get(run.exit_code, "?")
        click.echo(f"{run.entry.name}: exit {run.exit_code} ({meaning}), "
                   f"log {run.log_path}")
    click.echo(f"index: {index}")
    raise SystemExit(combined_exit(runs))


def _shared_flags(shared: list[tuple[str, Path | None]]) -> list[str]:
    # Passing the shared file first lets an org's own flag (appended later by run_one) override it:
    # click keeps the last occurrence of a single-value option.
    flags: list[str] = []
    for flag, value in shared:
        if value is not None:
            flags += [flag, str(value)]
    return flags
