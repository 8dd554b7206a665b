"""`gcaudit history` (past nightly runs) and `gcaudit diff RUN_A RUN_B` (what changed between two runs)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

from auditor.cli.config import config_option
from auditor.cli.options import deprecated, output_option
from auditor.nightly.settings import default_history_url
from auditor.safety.sanitise import json_document

_DEFAULT_OUT = "gcaudit-reports"
#: Run ids and row limits: SQLite and PostgreSQL (BIGINT) integers are signed 64-bit; a larger
#: number is a usage error (exit 2), not an OverflowError inside the driver.
MAX_ROW_ID = 2**63 - 1


def _out_dir_note(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    # `--out-dir` names where reports go; the history is located by --history (nightly's `out` setting
    # and GCAUDIT_OUT still place its default, quietly: they are the nightly's own settings).
    if not ctx.resilient_parsing and ctx.get_parameter_source(param.name or "") \
            is click.core.ParameterSource.COMMANDLINE:
        deprecated("--out-dir here", "use --history URL")
    return value


def _history_options(fn: Any) -> Any:
    fn = click.option("--out-dir", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
                      default=_DEFAULT_OUT, hidden=True, envvar="GCAUDIT_OUT", callback=_out_dir_note,
                      help="Deprecated: the nightly reports directory whose history to read.")(fn)
    fn = click.option("--history", "history_url", envvar="GCAUDIT_HISTORY", show_envvar=True,
                      help="History database URL: sqlite:///PATH or postgresql://USER@HOST/DB [default: "
                      f"the nightly's, sqlite:///{_DEFAULT_OUT}/gcaudit-history.db, or under the `out` "
                      "setting].")(fn)
    return config_option(fn)


def _open(history_url: str | None, out: Path) -> Any:
    from auditor.errors import GcauditError
    from auditor.history import HistoryStore

    url = history_url or default_history_url(out)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        # Reading must not create an empty database somewhere unexpected.
        raise GcauditError(f"no history at {url} (run `gcaudit nightly` first, or give --history URL)")
    return HistoryStore(url)



@click.group(invoke_without_command=True, subcommand_metavar="[prune ...]")
@_history_options
@click.option("--org", help="Only runs of this org (id, name or label).")
@click.option("--limit", type=click.IntRange(min=1, max=MAX_ROW_ID), default=30, show_default=True,
              help="Most recent N runs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
@click.pass_context
def history(ctx: click.Context, config_file: Path | None, history_url: str | None, out: Path, org: str | None,
            limit: int, fmt: str) -> None:
    """Past nightly runs, most recent first, one table per org: time, the co-browse verdict with its
    blockers and actions, open failures, and new/regressed/fixed (resolved) findings since the run
    before; runs whose data was incomplete are named under the table. `gcaudit history prune`
    deletes old runs.

    Environment: GCAUDIT_CONFIG, GCAUDIT_HISTORY (see the options).

    \b
    Examples:
      gcaudit history --history sqlite:///reports/gcaudit-history.db --org "Northwind Retail" --limit 7
      gcaudit history prune --older-than-days 400 --dry-run

    Exit status: 0; 2 the history cannot be opened.
    """
    if ctx.invoked_subcommand is not None:
        return  # `history prune`: the subcommand does the work
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


#: A run as `diff` takes it: an id, `latest`, `previous`, or -N (the Nth newest run: -1 is latest).
_RUN_REF = re.compile(r"^(?:\d+|-[1-9]\d*|latest|previous)$", re.ASCII)


def _run_ref(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value.startswith("--"):
        raise click.NoSuchOption(value, ctx=ctx)  # a mistyped option, let in by ignore_unknown_options
    if value is not None and not _RUN_REF.match(value):
        raise click.BadParameter(f"{value[:40]!r}: give a run id (gcaudit history), latest, previous or -N",
                                 ctx=ctx, param=param)
    if value is not None and value.lstrip("-").isdigit() and not 1 <= abs(int(value)) <= MAX_ROW_ID:
        # A run id the database cannot hold: one line, exit 2 (as the integer ranges elsewhere).
        raise click.BadParameter(f"{value[:40]}: run ids go from 1 to {MAX_ROW_ID}", ctx=ctx, param=param)
    return value


def resolve_runs(store: Any, refs: tuple[str, str], org: str | None) -> tuple[int, int]:
    """Run ids for two refs. Relative refs count back through one org's runs: --org's, else the org
    of a run given by id, else the org of the newest run in the history."""
    from auditor.errors import GcauditError

    if org is None:
        given = next((int(r) for r in refs if r.isdigit()), None)
        if given is not None:
            org = store.run(given)["org_id"]
    depth = max((_back(r) for r in refs if not r.isdigit()), default=0)
    recent = [run["id"] for run in store.runs(org, depth or 1)] if depth else []
    if depth and org is None and recent:
        # No org named: the newest run's org, counted back through its runs only.
        org = store.run(recent[0])["org_id"]
        recent = [run["id"] for run in store.runs(org, depth)]
    ids = []
    for ref in refs:
        if ref.isdigit():
            ids.append(int(ref))
            continue
        back = _back(ref)
        if back > len(recent):
            whose = f" of {org}" if org else ""
            raise GcauditError(f"run {ref}: the history holds {len(recent)} run(s){whose}")
        ids.append(recent[back - 1])
    return ids[0], ids[1]


def _back(ref: str) -> int:
    return {"latest": 1, "previous": 2}.get(ref) or -int(ref)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("run_a", required=False, default="previous", callback=_run_ref, metavar="[RUN_A]")
@click.argument("run_b", required=False, default="latest", callback=_run_ref, metavar="[RUN_B]")
@_history_options
@click.option("--org", help="Count latest/previous/-N through this org's runs (id, name or label).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option
def diff(run_a: str, run_b: str, config_file: Path | None, history_url: str | None, out: Path, org: str | None,
         fmt: str) -> None:
    """Findings and configuration changes from RUN_A to RUN_B, two runs of the same org. A run is a
    run id (`gcaudit history`), `latest`, `previous`, or -N: the Nth newest run (-1 is latest, -2
    previous). Without runs: previous to latest.

    Environment: GCAUDIT_CONFIG, GCAUDIT_HISTORY (see the options).

    \b
    Examples:
      gcaudit diff --history sqlite:///reports/gcaudit-history.db
      gcaudit diff 41 42 --history sqlite:///reports/gcaudit-history.db
      gcaudit diff -3 latest --org "Northwind Retail"

    Exit status: 0; 2 the history cannot be opened, a run does not exist, or the runs are of two
    different orgs.
    """
    from auditor.errors import GcauditError
    from auditor.history.views import diff_lines, diff_verdict

    with _open(history_url, out) as store:
        run_a, run_b = resolve_runs(store, (run_a, run_b), org)  # type: ignore[assignment]
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


def _prune_command(name: str, hidden: bool) -> click.Command:
    @click.command(name, hidden=hidden)
    @_history_options
    @click.option("--older-than-days", type=click.IntRange(min=1, max=36500), required=True,
                  help="Delete runs started more than N days ago.")
    @click.option("--org", help="Only runs of this org (id, name or label).")
    @click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
    @click.pass_context
    def prune(ctx: click.Context, config_file: Path | None, history_url: str | None, out: Path,
              older_than_days: int, org: str | None, dry_run: bool) -> None:
        """Delete old runs from the history, with their results and configuration hashes.

        Each org's newest run always stays (the next night compares with it), and so does every
        finding's first-seen, last-seen and resolved date: a finding that comes back later is still
        REGRESSED. On SQLite the file is compacted afterwards. `gcaudit nightly --keep-history-days N`
        does the same for its org after every run.

        Environment: GCAUDIT_CONFIG, GCAUDIT_HISTORY (see the options).

        \b
        Example:
          gcaudit history prune --history sqlite:///reports/gcaudit-history.db --older-than-days 400 --dry-run

        Exit status: 0; 2 the history cannot be opened.
        """
        if hidden:
            deprecated("history-prune", "use `gcaudit history prune`")
        parent = ctx.parent.params if ctx.parent is not None and ctx.parent.command.name == "history" else {}
        # `gcaudit history --history URL prune` works too: the group's option, unless prune has its own.
        history_url = history_url or parent.get("history_url")
        with _open(history_url, out) as store:
            pruned = store.prune(older_than_days, org=org, dry_run=dry_run)
            if pruned.run_ids and not dry_run:
                store.compact()
        verb = "would delete" if dry_run else "deleted"
        click.echo(f"{verb} {len(pruned.run_ids)} run(s), {pruned.results} result(s), "
                   f"{pruned.objects} object hash(es) older than {older_than_days} days")

    return prune


history.add_command(_prune_command("prune", hidden=False))
#: The old spelling, hidden from `gcaudit --help`, with a note on stderr.
history_prune = _prune_command("history-prune", hidden=True)
