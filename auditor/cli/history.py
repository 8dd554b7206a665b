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



@click.command()
@_history_options
@click.option("--org", help="Only runs of this org (id, name or label).")
@click.option("--limit", type=click.IntRange(min=1, max=MAX_ROW_ID), default=30, show_default=True,
              help="Most recent N runs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def history(config_file: Path | None, history_url: str | None, out: Path, org: str | None, limit: int,
            fmt: str) -> None:
    """Past nightly runs, most recent first, one table per org: time, the co-browse verdict with its
    blockers and actions, open failures, and new/regressed/fixed (resolved) findings since the run
    before; runs whose data was incomplete are named under the table.

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
    if not runs:
        click.echo("no runs recorded")
        return
    from auditor.history.views import history_lines

    click.echo("\n".join(history_lines(runs)))


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
    from auditor.history.views import diff_lines, diff_verdict

    with _open(history_url, out) as store:
        org_a, org_b = store.run(run_a)["org_id"], store.run(run_b)["org_id"]
        if org_a != org_b:
            raise GcauditError(f"runs {run_a} and {run_b} are of two different orgs ({org_a}, {org_b}); "
                               "compare runs of one org")
        findings, drift = store.diff(run_a, run_b)
        verdicts = diff_verdict(store.run(run_a), store.run(run_b))
        from auditor.nightly.attribution import drift_who, finding_who, stored

        # Who changed what: the audit-trail entries the runs after RUN_A up to RUN_B recorded.
        attribution, types = stored(store, org_b, run_a, run_b)
    found_findings = [(c, finding_who(attribution, c, types)) for c in findings.changes]
    found_drift = [(c, drift_who(attribution, c)) for c in drift.changes]
    if fmt == "json":
        data = {"from_run": run_a, "to_run": run_b, "cobrowse": verdicts, "findings": findings.to_dict(),
                "drift": drift.to_dict()}
        if attribution is not None:
            shown = [(c, f) for c, f in found_findings if c.change.value != "UNCHANGED"]
            for row, (_, found) in zip(data["findings"]["changes"], shown, strict=True):
                if found is not None:
                    row["attributed"] = found
            for row, (_, found) in zip(data["drift"]["changes"], found_drift, strict=True):
                row["attributed"] = found
        click.echo(json_document(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    from auditor.history.objects import KINDS

    who = [f"{c.change.value} {c.rule_id} '{c.resource_name}': {found['who']}"
           for c, found in found_findings if found]
    who += [f"{c.change} {KINDS[c.kind][0].rstrip('s')} '{c.name}': {found['who']}"
            for c, found in found_drift if found]
    click.echo("\n".join(diff_lines(run_a, run_b, verdicts, findings, drift, who=who)))


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
