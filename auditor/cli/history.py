"""`gcaudit history` (past nightly runs) and `gcaudit diff RUN_A RUN_B` (what changed between two runs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from auditor.nightly.settings import config_option, default_history_url
from auditor.safety.sanitise import json_document

_DEFAULT_OUT = "gcaudit-reports"
#: Run ids and row limits: SQLite and PostgreSQL (BIGINT) integers are signed 64-bit; a larger
#: number is a usage error (exit 2), not an OverflowError inside the driver.
MAX_ROW_ID = 2**63 - 1


def _history_options(fn: Any) -> Any:
    fn = click.option("--out-dir", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
                      default=_DEFAULT_OUT,
                      show_default=True, envvar="GCAUDIT_OUT", show_envvar=True,
                      help="The nightly --out-dir directory (locates the default SQLite history).")(fn)
    fn = click.option("--history", "history_url", envvar="GCAUDIT_HISTORY", show_envvar=True,
                      help="History database URL [default: sqlite:///OUT/gcaudit-history.db].")(fn)
    return config_option(fn)


def _open(history_url: str | None, out: Path) -> Any:
    from auditor.errors import GcauditError
    from auditor.history import HistoryStore

    url = history_url or default_history_url(out)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        # Reading must not create an empty database somewhere unexpected.
        raise GcauditError(f"no history at {url} (run `gcaudit nightly` first, or give --history / --out-dir)")
    return HistoryStore(url)


def _severity_text(counts: dict[str, int]) -> str:
    return " ".join(f"{k[0].upper()}{v}" for k, v in counts.items() if v) or "0"


@click.command()
@_history_options
@click.option("--org", help="Only runs of this org (id, name or label).")
@click.option("--limit", type=click.IntRange(min=1, max=MAX_ROW_ID), default=30, show_default=True,
              help="Most recent N runs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def history(config_file: Path | None, history_url: str | None, out: Path, org: str | None, limit: int,
            fmt: str) -> None:
    """Past nightly runs, most recent first: time, org, open failures by severity, new/regressed/resolved,
    and whether the data was complete.

    Environment: GCAUDIT_CONFIG, GCAUDIT_HISTORY, GCAUDIT_OUT (see the options).

    \b
    Example:
      gcaudit history --out-dir reports/ --org "Northwind Retail" --limit 7

    Exit status: 0; 2 the history cannot be opened.
    """
    with _open(history_url, out) as store:
        runs = store.runs(org, limit)
    if fmt == "json":
        click.echo(json_document(json.dumps(runs, indent=2, ensure_ascii=False, default=str)))
        return
    from tabulate import tabulate

    from auditor.safety.sanitise import printable as clean

    rows = [
        [r["id"], r["started_at"], clean(r["org_name"] or r["org_id"], 40),
         clean(_severity_text(r["summary"].get("failures_by_severity", {})), 60),
         r["new_count"], r["regressed_count"], r["resolved_count"],
         "yes" if r["complete"]
         else "NO: " + clean(", ".join(r["summary"].get("failed_datasets") or ["rule errors"]), 200)]
        for r in runs
    ]
    if not rows:
        click.echo("no runs recorded")
        return
    click.echo(tabulate(rows, headers=["run", "started (UTC)", "org", "open", "new", "regressed", "resolved",
                                       "complete"]))


@click.command()
@click.argument("run_a", type=click.IntRange(min=1, max=MAX_ROW_ID))
@click.argument("run_b", type=click.IntRange(min=1, max=MAX_ROW_ID))
@_history_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def diff(run_a: int, run_b: int, config_file: Path | None, history_url: str | None, out: Path, fmt: str) -> None:
    """Findings and configuration changes from RUN_A to RUN_B (run ids from `gcaudit history`),
    two runs of the same org.

    Environment: GCAUDIT_CONFIG, GCAUDIT_HISTORY, GCAUDIT_OUT (see the options).

    \b
    Example:
      gcaudit diff 41 42 --out-dir reports/

    Exit status: 0; 2 the history cannot be opened, a run does not exist, or the runs are of two
    different orgs.
    """
    from auditor.errors import GcauditError

    with _open(history_url, out) as store:
        org_a, org_b = store.run(run_a)["org_id"], store.run(run_b)["org_id"]
        if org_a != org_b:
            raise GcauditError(f"runs {run_a} and {run_b} are of two different orgs ({org_a}, {org_b}); "
                               "compare runs of one org")
        findings, drift = store.diff(run_a, run_b)
    if fmt == "json":
        data = {"from_run": run_a, "to_run": run_b, "findings": findings.to_dict(), "drift": drift.to_dict()}
        click.echo(json_document(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    from tabulate import tabulate

    from auditor.history.objects import KINDS
    from auditor.safety.sanitise import printable as clean

    counts = findings.counts()
    click.echo(f"run {run_a} -> run {run_b}: {counts['NEW']} new, {counts['REGRESSED']} regressed, "
               f"{counts['RESOLVED']} resolved, {counts['UNCHANGED']} unchanged")
    rows = [[c.change.value, clean(c.severity, 16), clean(c.rule_id, 40), clean(c.resource_name, 60)]
            for c in findings.changes if c.change.value != "UNCHANGED"]
    if rows:
        click.echo(tabulate(rows, headers=["change", "severity", "rule", "resource"]))
    click.echo("")
    if drift.changes:
        click.echo(tabulate(
            [[c.change, KINDS[c.kind][0], clean(c.name, 60), clean(", ".join(c.fields), 200)]
             for c in drift.changes],
            headers=["drift", "kind", "object", "changed fields"],
        ))
    else:
        click.echo("no configuration changes")
    for kind, why in drift.not_compared.items():
        click.echo(f"{KINDS[kind][0]} not compared: {clean(why, 200)}")


@click.command("history-prune")
@_history_options
@click.option("--older-than-days", type=click.IntRange(min=1, max=36500), required=True,
              help="Delete runs started more than N days ago.")
@click.option("--org", help="Only runs of this org (id, name or label).")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
def history_prune(config_file: Path | None, history_url: str | None, out: Path, older_than_days: int,
                  org: str | None, dry_run: bool) -> None:
    """Delete old runs from the history, with their results and configuration hashes.

    Each org's newest run always stays (the next night compares with it), and so does every
    finding's first-seen, last-seen and resolved date: a finding that comes back later is still
    REGRESSED. On SQLite the file is compacted afterwards. `gcaudit nightly --keep-history-days N`
    does the same for its org after every run.

    Environment: GCAUDIT_CONFIG, GCAUDIT_HISTORY, GCAUDIT_OUT (see the options).

    \b
    Example:
      gcaudit history-prune --out-dir reports/ --older-than-days 400 --dry-run

    Exit status: 0; 2 the history cannot be opened.
    """
    with _open(history_url, out) as store:
        pruned = store.prune(older_than_days, org=org, dry_run=dry_run)
        if pruned.run_ids and not dry_run:
            store.compact()
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {len(pruned.run_ids)} run(s), {pruned.results} result(s), "
               f"{pruned.objects} object hash(es) older than {older_than_days} days")
