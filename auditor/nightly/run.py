"""One org's nightly run: collect (or load) -> audit -> waivers -> record + compare -> reports -> notify.

The run is recorded in the history before any report or notification, so nothing after it can
lose the results; a failing notification is logged and never changes the exit status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditor.history import Change, HistoryStore, RecordedRun
from auditor.nightly import output
from auditor.nightly.render import NightlyContext, render_html, render_json, render_markdown
from auditor.results import BLOCKERS, AuditReport, Severity, Status
from auditor.safety import sanitise
from auditor.safety.fileio import make_private_dirs

log = logging.getLogger(__name__)


@dataclass
class NightlyOptions:
    out: Path
    history_url: str
    snapshot: Path | None = None
    plan: Path | None = None
    label: str | None = None
    #: A severity, or "blockers": exit by the co-browse verdict (`AuditReport.exit_status`).
    fail_on: Severity | str = Severity.HIGH
    fail_on_new_only: bool = False
    waivers: Path | None = None
    waiver_max_days: int = 90
    notify: list[str] = field(default_factory=list)
    notify_format: str = "generic"
    keep: int = 30
    #: Delete the org's history runs older than this many days after recording (0: keep all).
    keep_history_days: int = 0
    #: LiveSettings from auditor.cli.live_options (None: offline only).
    live: Any = None
    #: Notification retry tuning (tests shrink the back-off).
    notify_attempts: int = 4
    notify_backoff: float = 2.0


@dataclass
class NightlyOutcome:
    exit_code: int
    report: AuditReport
    recorded: RecordedRun
    reports: dict[str, Path]
    deliveries: list[dict[str, Any]]
    #: Who changed what (auditor.nightly.attribution.Attribution); None offline and on a first run.
    attribution: Any = None
    #: Why the run is not in the history (locked past the wait, a full disk), or None.
    not_recorded: str | None = None

    def summary_lines(self, width: int | None = None) -> list[str]:
        """Changes first (NEW / REGRESSED / RESOLVED, drift with old -> new values), then where the
        reports are, and last the one-line co-browse verdict with the counts."""
        from auditor.nightly.changes import terminal_lines
        from auditor.reporters.table import terminal_width, wrap

        counts = self.recorded.findings.counts()
        drift = self.recorded.drift
        failures = self.report.failures_by_severity()
        org_name = sanitise.printable(self.report.org_name or self.report.org_id, 120)
        lines = [
            f"{'NOT RECORDED' if self.not_recorded else f'run {self.recorded.run_id}'}: {org_name} "
            f"({sanitise.printable(self.report.org_id, 120)}), {sum(failures.values())} open failure(s) "
            f"[{', '.join(f'{k} {v}' for k, v in failures.items() if v) or 'none'}]",
            f"compared with run {self.recorded.previous_run_id}: " if self.recorded.previous_run_id
            else "first run for this org: ",
        ]
        lines[-1] += (f"{counts['NEW']} new, {counts['REGRESSED']} regressed, {counts['RESOLVED']} resolved, "
                      f"{counts['UNCHANGED']} unchanged; {len(drift.changes)} configuration change(s)")
        width = terminal_width(width)
        if self.not_recorded:
            lines[-1] = f"not recorded in the history ({sanitise.printable(self.not_recorded, 300)}): nothing compared"
        lines = [part for line in lines for part in wrap(line, width, "    ", first="")]
        lines += terminal_lines(self.recorded.findings, drift, width, self.attribution,
                                _resource_types(self.report) if self.attribution is not None else None)
        if not self.report.complete:
            lines.append("DATA INCOMPLETE: " + sanitise.printable(", ".join(sorted(self.report.failed_datasets))
                                                                  or "rule errors", 400))
        for ext, path in self.reports.items():
            lines.append(f"{ext}: {path}")
        lines += _action_lines(self.report, width)
        change = self.recorded.verdict_change()
        if change:  # right above the verdict line: the last screen says what changed about the answer
            lines.append(f"{change} since run {self.recorded.previous_run_id}")
        lines += wrap(self.report.answer.verdict_line(), width, "    ", first="")  # the answer, last
        return lines


#: Actions listed in the terminal summary (the reports have all of them).
MAX_ACTIONS = 10


def _action_lines(report: AuditReport, width: int) -> list[str]:
    """The answer's actions, in order, as the audit's fix-first list names them (the first few)."""
    from auditor.reporters.table import wrap

    answer = report.answer
    if not answer.actions:
        return []
    n, b = len(answer.actions), len(answer.blockers)
    out = [f"fix first: {n} action{'' if n == 1 else 's'} resolve{'s' if n == 1 else ''} "
           f"{b} blocker{'' if b == 1 else 's'}"]
    for number, action in enumerate(answer.actions[:MAX_ACTIONS], 1):
        text = sanitise.printable(action.text, 400) + f"  [{', '.join(action.rule_ids)}]"
        out += wrap(text, width, "        ", first=f"  {number:>3}. ")
    if n > MAX_ACTIONS:
        out.append(f"  ... and {n - MAX_ACTIONS} more (see the HTML or Markdown report)")
    return out


def _resource_types(report: AuditReport) -> dict[str, str]:
    """fingerprint -> Result.resource_type (built only when a run is attributed: 260,000 results at 50k queues)."""
    return {r.fingerprint: r.resource_type for r in report.results}


def exit_status(report: AuditReport, recorded: RecordedRun, fail_on: Severity | str, new_only: bool) -> int:
    """0 clean, 1 a FAIL at/above fail_on (only NEW/REGRESSED ones with new_only), 3 incomplete.
    With "blockers": the verdict's (0 READY, 1 NOT READY, 3 INCOMPLETE); with new_only, 1 only on
    the night co-browse went NOT READY (the change, not the state, is the news)."""
    if fail_on == BLOCKERS:
        code = report.exit_status(BLOCKERS)
        if new_only and code == 1 and recorded.previous_verdict is not None \
                and recorded.previous_verdict.verdict == "not_ready":
            return 0
        return code
    if new_only:
        worse = [c for c in recorded.findings.changes if c.change in (Change.NEW, Change.REGRESSED)
                 and Severity(c.severity).at_least(fail_on)]
        if worse:
            return 1
    elif report.failures_at_or_above(fail_on):
        return 1
    if not report.complete or any(r.status is Status.ERROR for r in report.results):
        return 3
    return 0


def _planned(opts: NightlyOptions) -> Any:
    """The live settings with the call plan of the whole catalog for this run's plan: per-queue
    members only for the co-browse scope, role holders only of co-browse roles (results identical
    to a full collection: tests/sources/collectors/test_plan.py). Wrap-up assignments stay complete (WRP-001
    reads every queue's), so the drift report compares like with like."""
    from dataclasses import replace

    from auditor.inputs.plan import load_plan
    from auditor.rules import catalog
    from auditor.sources.collectors.plan import make_plan

    if opts.live.call_plan is not None:
        return opts.live
    return replace(opts.live, call_plan=make_plan(catalog(), load_plan(opts.plan) if opts.plan else None))


def _snapshot(opts: NightlyOptions, started: datetime) -> Any:
    # Loaded full, not lean: the drift report hashes whole entities, so a change to any field shows.
    from auditor.snapshot import load_snapshot

    if opts.snapshot is not None:
        return load_snapshot(opts.snapshot)
    if opts.live is None:
        from auditor.errors import GcauditError

        raise GcauditError("give --snapshot DIR, or run with live collection settings")
    target = opts.out / output.SNAPSHOTS_DIR / output.stamp(started)
    result = _planned(opts).collect(target)
    return load_snapshot(result.path)


def lock_label(opts: NightlyOptions) -> str:
    """The lock key: --label, else the snapshot's org id (offline) or the OAuth client id (live)."""
    if opts.label:
        return opts.label
    if opts.snapshot is not None:
        from auditor.safety.fileio import read_json

        manifest = read_json(opts.snapshot / "manifest.json")
        org = manifest.get("organization") if isinstance(manifest, dict) else None
        if isinstance(org, dict) and isinstance(org.get("id"), str):
            return org["id"]
        return str(opts.snapshot.resolve())
    import os

    return "client:" + (os.environ.get("GENESYSCLOUD_OAUTHCLIENT_ID") or "token")


def org_lock_label(org_id: str) -> str:
    """The second lock key, held while a run audits and records: the org id itself."""
    return f"org:{org_id}"


def _open_history(opts: NightlyOptions) -> tuple[HistoryStore | None, str | None]:
    """The history, or (None, why) when another process holds it locked past the wait: the night is
    then audited and reported all the same, and the reports say that it was not recorded."""
    from auditor.history.store import HistoryBusy

    try:
        return HistoryStore(opts.history_url), None
    except HistoryBusy as exc:
        log.warning("%s; the run goes ahead and is not recorded", exc)
        return None, str(exc)


def _record(store: HistoryStore, opts: NightlyOptions, report: AuditReport, snapshot: Any,
            started: datetime) -> tuple[RecordedRun, list[dict[str, Any]], str | None, str | None]:
    """(recorded run, trend, previous run's start, None), or placeholders and why the run could not be
    recorded: the database locked past its wait, or a full disk. Either way the night's reports
    are still written (a run that is not recorded only loses its comparison)."""
    from sqlalchemy.exc import SQLAlchemyError

    from auditor.safety.redaction import scrub

    try:
        recorded = store.record_run(report, snapshot, label=opts.label or report.org_id, started_at=started)
        trend = store.trend(report.org_id, 30)
        previous = store.run(recorded.previous_run_id)["started_at"] if recorded.previous_run_id else None
    except SQLAlchemyError as exc:
        reason = scrub(str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] or type(exc).__name__)
        log.warning("history: this run could not be recorded (%s); writing its reports all the same", reason)
        return _unrecorded(), [], None, f"the history could not record it: {reason}"
    if opts.keep_history_days:  # after reading what tonight's report quotes from earlier runs
        try:
            pruned = store.prune(opts.keep_history_days, org=report.org_id, now=started)
        except SQLAlchemyError as exc:  # recorded already: a prune left for another night
            log.warning("history: old runs not removed (%s)", type(exc).__name__)
        else:
            if pruned.run_ids:
                log.info("history: removed %d run(s) older than %d days", len(pruned.run_ids),
                         opts.keep_history_days)
    return recorded, trend, previous, None


def _unrecorded() -> RecordedRun:
    """A run the history does not hold: run id 0 (report names `-run0`), nothing compared."""
    from auditor.history import Drift, FindingComparison

    return RecordedRun(0, None, FindingComparison(None), Drift(None, None))


def run_nightly(opts: NightlyOptions) -> NightlyOutcome:
    from contextlib import ExitStack

    from auditor.engine import run_audit
    from auditor.inputs.plan import load_plan
    from auditor.inputs.waivers import apply_waivers, load_waivers

    started = datetime.now(UTC)
    plan = load_plan(opts.plan) if opts.plan else None
    # Validate the waiver file before collecting: a typo must not cost a full collection.
    waivers = load_waivers(opts.waivers, max_days=opts.waiver_max_days) if opts.waivers else None
    make_private_dirs(opts.out)  # owner-only before anything (the history, a lock) lands in it
    trend: list[dict[str, Any]] = []
    previous = None
    with ExitStack() as stack:
        store, not_recorded = _open_history(opts)
        if store is not None:
            stack.enter_context(store)
            stack.enter_context(store.lock(lock_label(opts)))
        snapshot = _snapshot(opts, started)
        # The label lock is taken before collecting, when a live run knows only its client id. Runs
        # under other labels (a live and an offline run, two clients) can still reach the same org:
        # a second lock on the org id keeps their compare-and-record steps from interleaving.
        if store is not None:
            stack.enter_context(store.lock(org_lock_label(snapshot.org_id)))
        report = run_audit(snapshot, plan)
        if waivers is not None:
            outcome = apply_waivers(report, waivers, source=str(opts.waivers))
            for line in outcome.warnings():
                log.warning("%s", line)
        recorded = _unrecorded()
        if store is not None:
            recorded, trend, previous, not_recorded = _record(store, opts, report, snapshot, started)
    # Attribution is stored with the run: none for a run the history does not hold.
    attribution = _attribute(opts, report, snapshot, recorded, previous) if not_recorded is None else None
    if attribution is not None:
        with HistoryStore(opts.history_url) as store:
            store.record_attribution(recorded.run_id, attribution.to_dict())
    deliveries = _notify(opts, report, recorded, attribution)
    ctx = NightlyContext(recorded.run_id, recorded.previous_run_id, previous, recorded.findings, recorded.drift,
                         trend, deliveries, recorded.verdict, recorded.previous_verdict,
                         attribution=attribution,
                         resource_types=_resource_types(report) if attribution is not None else {},
                         not_recorded=not_recorded)
    rendered = {"json": render_json(report, ctx), "md": render_markdown(report, ctx)}
    html = render_html(report, ctx)
    if html is not None:
        rendered["html"] = html
    reports = output.write_reports(opts.out, output.report_stem(started, recorded.run_id), rendered)
    output.prune(opts.out, opts.keep, protect=[*reports.values(), *([snapshot.path] if snapshot.path else [])])
    code = exit_status(report, recorded, opts.fail_on, opts.fail_on_new_only)
    if not_recorded is not None and code == 0:
        code = 3  # nothing failed, but the night is missing from the history: not a clean run
    return NightlyOutcome(code, report, recorded, reports, deliveries, attribution, not_recorded)


def _attribute(opts: NightlyOptions, report: AuditReport, snapshot: Any, recorded: RecordedRun,
               previous: str | None) -> Any:
    """Who changed tonight's NEW / REGRESSED findings and drift (auditor.nightly.attribution): live
    runs only (an offline snapshot comes with no trail to read), and not on an org's first run
    (there is no "since the last run" to search)."""
    if opts.live is None or opts.snapshot is not None or previous is None:
        return None
    from auditor.nightly.attribution import Attribution, attribute, unknown_reason

    start = datetime.fromisoformat(previous)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    names = {}
    if snapshot.available("oauth_clients"):  # AuditLogMessage.client has an id only: names from here
        names = {c["id"]: str(c.get("name") or "") for c in snapshot.raw("oauth_clients")
                 if isinstance(c, dict) and isinstance(c.get("id"), str)}
    resource_types = _resource_types(report)
    try:
        with opts.live.api_client() as client:
            return attribute(client, recorded.findings, recorded.drift, resource_types, start, datetime.now(UTC),
                             names)
    except Exception as exc:  # attribution never changes the run: it says why it could not tell
        log.warning("attribution skipped: %s", type(exc).__name__)
        return Attribution(unknown=unknown_reason(exc))


def _notify(opts: NightlyOptions, report: AuditReport, recorded: RecordedRun,
            attribution: Any = None) -> list[dict[str, Any]]:
    if not opts.notify:
        return []
    from auditor.nightly.notify import Notifier, build_summary

    try:
        # With `blockers`, the findings a message lists are those a blocker has: high and above.
        threshold = Severity.HIGH if opts.fail_on == BLOCKERS else Severity(opts.fail_on)
        summary = build_summary(report, recorded.findings.changes, threshold, recorded.run_id,
                                verdict=recorded.verdict, verdict_change=recorded.verdict_change(),
                                attribution=attribution)
        notifier = Notifier(opts.notify, opts.notify_format, attempts=opts.notify_attempts,
                            backoff=opts.notify_backoff)
        return [d.to_dict() for d in notifier.send(summary)]
    except Exception as exc:  # never let a notification problem fail a recorded run
        log.warning("notifications skipped: %s", type(exc).__name__)
        return []
