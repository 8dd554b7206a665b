"""Collect every dataset of an org into a snapshot directory.

Order: the organization (names the snapshot), then the top-level datasets (listings and the
traffic query) concurrently, then each dataset hanging off them (per queue, per role, per group,
per permission; the referenced flows in lookups of 50) fanned out over the worker pool. A dataset that fails is
recorded as `error` in the manifest and the others are still written. Last, the datasets whose
objects live in divisions are checked against the divisions the client may see: any division it
cannot see makes them `partial` (auditor.sources.collectors.visibility).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import requests

from auditor import __version__
from auditor.errors import InputError
from auditor.snapshot import DATASETS, Dataset, DatasetStatus, Manifest, SnapshotWriter
from auditor.snapshot.datasets import (
    ADMIN_DATASETS,
    AUTH_SETTINGS_PERMISSION,
    FLOW_LOOKUP_ENDPOINT,
    FLOW_LOOKUP_IDS,
    OPTED_OUT_PREFIX,
    ORGANIZATION_ENDPOINT,
    SUBJECT_GRANTS_ENDPOINT,
    SUBJECT_GRANTS_PERMISSION,
    USAGE_RESULTS_ENDPOINT,
    visibility_permissions,
)
from auditor.snapshot.validate import check
from auditor.sources.collectors import traffic, usage
from auditor.sources.collectors.auth import Credentials, TokenProvider
from auditor.sources.collectors.client import ApiClient, CallStats, RetryPolicy, new_session
from auditor.sources.collectors.errors import MISSING_DIVISION_PERMISSION, ApiError, AuthError, CollectError
from auditor.sources.collectors.paging import Fetched, fetch_all
from auditor.sources.collectors.plan import CallPlan, Selection, referenced_ids
from auditor.sources.collectors.ratelimit import DEFAULT_RATE_PER_MINUTE, RateLimiter
from auditor.sources.collectors.regions import Region
from auditor.sources.collectors.traffic import DEFAULT_TRAFFIC_DAYS
from auditor.sources.collectors.visibility import Visibility, permitted_content
from auditor.sources.collectors.visibility import mark as mark_visibility

log = logging.getLogger(__name__)

#: Dataset kinds collected first, concurrently: they hang off nothing.
_TOP_LEVEL = ("listing", "query", "single", "usage_query")

DEFAULT_WORKERS = 8
_PLACEHOLDER = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True)
class CollectOptions:
    workers: int = DEFAULT_WORKERS
    rate_per_minute: float = DEFAULT_RATE_PER_MINUTE
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: None: progress bars when stderr is a terminal, one log line per dataset otherwise.
    progress: bool | None = None
    #: Read timeout per response, in seconds (connecting gets at most 10 s of it).
    timeout: float = 60.0
    #: Days of conversation aggregates to read (the traffic window, ending now).
    traffic_days: int = DEFAULT_TRAFFIC_DAYS
    #: Collect only what these rules need for this scope (auditor.sources.collectors.plan); None: everything.
    call_plan: CallPlan | None = None
    #: Days of OAuth client usage to query (auditor.sources.collectors.usage).
    usage_days: int = usage.DEFAULT_USAGE_DAYS
    #: Do not read the authentication settings (their only permission is an admin one): the
    #: datasets of ADMIN_DATASETS are recorded `not_collected` with SKIPPED_AUTH_SETTINGS.
    skip_auth_settings: bool = False


@dataclass
class CollectResult:
    path: Path
    manifest: Manifest

    @property
    def complete(self) -> bool:
        return self.manifest.complete


@dataclass
class _Outcome:
    status: DatasetStatus
    content: Any = None
    notes: list[str] = field(default_factory=list)
    #: Parent ids answered with 404 (deleted between the list call and this one).
    gone: set[str] = field(default_factory=set)
    #: per_permission: the permissions the API said are held in all divisions.
    all_divisions: set[str] = field(default_factory=set)
    #: Per-object datasets of a call plan: the objects they were collected for.
    selection: Selection | None = None


def _error_status(exc: Exception, stats: CallStats, seconds: float) -> DatasetStatus:
    status = DatasetStatus(status="error", calls=stats.calls, retries=stats.retries,
                           throttled=stats.throttled, seconds=round(seconds, 3))
    if isinstance(exc, ApiError):
        status.http_status, status.error_code, status.message = exc.status, exc.code, str(exc)
        status.message_with_params = exc.message_with_params
    elif isinstance(exc, AuthError):
        status.http_status, status.error_code, status.message = 401, "bad.credentials", str(exc)
    elif isinstance(exc, InputError):
        status.error_code, status.message = "invalid.response", str(exc)
    else:  # a bug must not take the other datasets down with it
        log.debug("dataset failed with an unexpected error", exc_info=exc)
        status.error_code, status.message = "internal.error", f"{type(exc).__name__}: {exc}"
    return status


def _ok_status(count: int, stats: CallStats, seconds: float, notes: list[str]) -> DatasetStatus:
    message = None
    if notes:
        message = "; ".join(notes[:3]) + (f" (+{len(notes) - 3} more)" if len(notes) > 3 else "")
    return DatasetStatus(status="ok", entities=count, calls=stats.calls, retries=stats.retries,
                         throttled=stats.throttled, seconds=round(seconds, 3), message=message)


def summary_line(name: str, status: DatasetStatus) -> str:
    counts = f"{status.calls} calls, {status.retries} retries, {status.throttled} throttled, {status.seconds:.1f} s"
    if status.ok:
        return f"{name}: {status.entities} entities ({counts})"
    if status.partial or status.not_collected:
        return f"{name}: {status.entities} entities, {status.reason()} ({counts})"
    return f"{name}: ERROR {status.reason()} ({counts})"


class _Progress:
    """A click progress bar on a terminal; on anything else, nothing (the log lines suffice)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @contextmanager
    def bar(self, length: int, label: str) -> Iterator[Callable[[int], None]]:
        if not self.enabled or length == 0:
            yield lambda n: None
            return
        with click.progressbar(length=length, label=label.ljust(18), file=sys.stderr,
                               show_pos=True, show_eta=False) as bar:
            yield bar.update


def _not_collected(reason: str) -> _Outcome:
    return _Outcome(DatasetStatus(status="error", message=f"not collected: {reason}"))


#: The manifest reason of a dataset the call plan left out (CONTRACT.md: `not_collected`).
NOT_IN_PLAN = "not requested by this call plan"
#: The manifest reason of the authentication settings when the admin opted out of granting their permission.
SKIPPED_AUTH_SETTINGS = (f"{OPTED_OUT_PREFIX}the authentication settings need the admin permission "
                         f"{AUTH_SETTINGS_PERMISSION}, not granted on purpose (--skip-auth-settings)")


class _Collection:
    def __init__(self, client: ApiClient, pool: ThreadPoolExecutor, progress: _Progress,
                 traffic_days: int = DEFAULT_TRAFFIC_DAYS, call_plan: CallPlan | None = None,
                 org: dict[str, Any] | None = None, usage_days: int = usage.DEFAULT_USAGE_DAYS,
                 skip_auth_settings: bool = False) -> None:
        self.client = client
        self.usage_days = usage_days
        self.skip_auth_settings = skip_auth_settings
        self.call_plan = call_plan
        self.org = org or {}
        self.pool = pool
        self.progress = progress
        self.traffic_days = traffic_days
        self.outcomes: dict[str, _Outcome] = {}

    def run(self) -> dict[str, _Outcome]:
        # Top level first (the listings and the traffic query), concurrently.
        top = [d for d in DATASETS if d.kind in _TOP_LEVEL and self._wanted(d) and not self._skipped(d)]
        for dataset in DATASETS:
            if not self._wanted(dataset):
                self.outcomes[dataset.name] = _Outcome(DatasetStatus(status="not_collected",
                                                                     not_collected_reason=NOT_IN_PLAN))
            elif self._skipped(dataset):
                self.outcomes[dataset.name] = _Outcome(DatasetStatus(status="not_collected",
                                                                     not_collected_reason=SKIPPED_AUTH_SETTINGS))
        lines: list[str] = []
        with self.progress.bar(len(top), "datasets") as advance:
            futures = {self.pool.submit(self._top_level, d): d for d in top}
            for future in as_completed(futures):
                dataset = futures[future]
                self.outcomes[dataset.name] = future.result()
                lines.append(summary_line(dataset.name, self.outcomes[dataset.name].status))
                if not self.progress.enabled:
                    log.info("%s", lines[-1])
                advance(1)
        if self.progress.enabled:
            for line in lines:
                log.info("%s", line)
        # Then what hangs off them, in declaration order (group_individuals needs role_subjectgrants).
        for dataset in (d for d in DATASETS if d.kind not in _TOP_LEVEL and self._wanted(d)):
            try:
                self.outcomes[dataset.name] = self._dependent(dataset)
            except Exception as exc:  # one dataset's failure must not take the others down
                self.outcomes[dataset.name] = _Outcome(_error_status(exc, CallStats(), 0.0))
            log.info("%s", summary_line(dataset.name, self.outcomes[dataset.name].status))
        self._drop_gone_parents()
        return self.outcomes

    def _wanted(self, dataset: Dataset) -> bool:
        return self.call_plan is None or self.call_plan.wanted(dataset.name)

    def _skipped(self, dataset: Dataset) -> bool:
        return self.skip_auth_settings and dataset.name in ADMIN_DATASETS

    def _collected_so_far(self) -> Any:
        """The datasets collected so far as an in-memory Snapshot, for the planner's selections."""
        from auditor.snapshot import Snapshot

        statuses = {name: o.status for name, o in self.outcomes.items()}
        manifest = Manifest(collected_at="", organization_id=self.org.get("id", ""), datasets=statuses)
        data = {name: o.content for name, o in self.outcomes.items() if o.status.available}
        return Snapshot(None, manifest, data)

    def _selection(self, dataset: Dataset) -> Selection | None:
        if self.call_plan is None:
            return None
        try:
            return self.call_plan.select(dataset.name, self._collected_so_far())
        except Exception as exc:  # the scope could not be resolved: fetch them all
            log.warning("%s: call plan selection failed (%s); collecting it for every %s",
                        dataset.name, exc, dataset.parent)
            return Selection(None, ("every", "scope", "plan", "referenced"))

    def _dependent(self, dataset: Dataset) -> _Outcome:
        if dataset.kind == "per_parent":
            assert dataset.parent
            parent = self.outcomes.get(dataset.parent)
            if parent is None or not parent.status.available:
                reason = parent.status.reason() if parent else "not collected"
                return _not_collected(f"parent dataset {dataset.parent!r} failed ({reason})")
            selection = self._selection(dataset)
            ids = [e["id"] for e in parent.content]
            if selection is not None and selection.by == "subjects":
                outcome = self._subject_grants(dataset, list(selection.ids or ()), parent.content)
                if outcome is not None:
                    outcome.selection = selection
                    return outcome
                # Refused (403): list the holders of the co-browse roles instead.
                privileged = self.call_plan is not None and self.call_plan.privileged
                selection = Selection(tuple(referenced_ids(dataset.name, self._collected_so_far(),
                                                           privileged=privileged)),
                                      selection.covers)
            if selection is not None and selection.ids is not None:
                ids = list(selection.ids)
            outcome = self._fan_out(dataset, ids)
            outcome.selection = selection
            return outcome
        if dataset.kind == "per_group":
            grants = self.outcomes.get("role_subjectgrants")
            if grants is None or not grants.status.available:
                return _not_collected("role_subjectgrants failed, so the groups holding roles are unknown")
            groups = dict.fromkeys(s["id"] for subjects in grants.content.values() for s in subjects
                                   if s.get("type") == "PC_GROUP")
            outcome = self._fan_out(dataset, list(groups))
            if grants.selection is not None:
                # The groups of the grants collected: as narrow as role_subjectgrants was.
                narrowed = grants.selection.ids is not None
                outcome.selection = Selection(tuple(groups) if narrowed else None, grants.selection.covers)
            if outcome.gone:
                outcome.notes.append(f"{len(outcome.gone)} groups answered 404 (deleted during collection)")
            return outcome
        if dataset.kind == "per_reference":
            deployments = self.outcomes.get("deployments")
            if deployments is None or not deployments.status.available:
                return _not_collected("deployments failed, so the flows they reference are unknown")
            ids = dict.fromkeys(d["flow"]["id"] for d in deployments.content if isinstance(d.get("flow"), dict)
                                and isinstance(d["flow"].get("id"), str))
            return self._flows(dataset, list(ids))
        if dataset.kind == "per_permission":
            return self._fan_out(dataset, visibility_permissions())
        raise ValueError(f"no collection for dataset kind {dataset.kind!r}")

    def _top_level(self, dataset: Dataset) -> _Outcome:
        stats, started = CallStats(), time.monotonic()
        try:
            if dataset.kind == "query":
                return self._traffic(dataset, stats, started)
            if dataset.kind == "usage_query":
                return self._usage(dataset, stats, started)
            if dataset.kind == "single":
                return self._settings(dataset, stats, started)
            fetched = fetch_all(self.client, dataset, dataset.endpoint, stats)
            check(dataset.file_schema, fetched.entities, f"{dataset.endpoint} response")
        except Exception as exc:  # recorded per dataset; see _error_status
            return _Outcome(_error_status(exc, stats, time.monotonic() - started))
        seconds = time.monotonic() - started
        return _Outcome(_ok_status(len(fetched.entities), stats, seconds, fetched.notes),
                        fetched.entities, fetched.notes)

    def _traffic(self, dataset: Dataset, stats: CallStats, started: float) -> _Outcome:
        window = traffic.interval(datetime.now(UTC).replace(microsecond=0), self.traffic_days)
        body = self.client.post(dataset.endpoint, traffic.query(window), stats)
        try:
            found = traffic.results(body)
        except ValueError as exc:
            raise InputError(f"{dataset.endpoint} response", str(exc)) from None
        check(dataset.file_schema, found, f"{dataset.endpoint} response")
        status = _ok_status(len(found), stats, time.monotonic() - started, [])
        status.interval, status.days = window, self.traffic_days
        return _Outcome(status, found)

    def _settings(self, dataset: Dataset, stats: CallStats, started: float) -> _Outcome:
        """One GET of a settings object, stored as a one-element list (the loader's listing shape)."""
        body = self.client.get(dataset.endpoint, None, stats)
        if not isinstance(body, dict):
            raise InputError(f"{dataset.endpoint} response", "expected one object")
        found = [body]
        check(dataset.file_schema, found, f"{dataset.endpoint} response")
        return _Outcome(_ok_status(1, stats, time.monotonic() - started, []), found)

    def _usage(self, dataset: Dataset, stats: CallStats, started: float) -> _Outcome:
        """The usage query, then its results polled (auditor.sources.collectors.usage)."""
        window = usage.interval(datetime.now(UTC).replace(microsecond=0), self.usage_days)
        answer = self.client.post(dataset.endpoint, usage.query(window), stats)
        try:
            execution = usage.execution_id(answer)
            path = USAGE_RESULTS_ENDPOINT.replace("{executionId}", quote(execution, safe=""))
            rows, polls, more = usage.poll(lambda: self.client.get(path, None, stats))
        except ValueError as exc:
            raise InputError(f"{dataset.endpoint} response", str(exc)) from None
        check(dataset.file_schema, rows, f"{USAGE_RESULTS_ENDPOINT} response")
        notes: list[str] = []
        log.debug("%s: results read after %d polls", dataset.name, polls)
        if more:
            notes.append("the results carry a cursor to more rows, which the results endpoint offers no way to read: "
                         "clients in those rows may look unused")
        status = _ok_status(len(rows), stats, time.monotonic() - started, notes)
        status.interval, status.days = window, self.usage_days
        return _Outcome(status, rows, notes)

    def _fan_out(self, dataset: Dataset, keys: list[str]) -> _Outcome:
        """One paged listing per key (a parent id, a group id or a permission), concurrently."""
        stats, started = CallStats(), time.monotonic()
        failed = threading.Event()
        errors: list[Exception] = []

        def fetch(key: str) -> tuple[str, Fetched | None]:
            if failed.is_set():
                return key, None  # the dataset has already failed: save the calls
            if dataset.kind == "per_permission":
                path, params = dataset.endpoint, {"permission": key}
            else:
                path, params = _PLACEHOLDER.sub(quote(key, safe=""), dataset.endpoint), None
            try:
                return key, fetch_all(self.client, dataset, path, stats, params)
            except ApiError as exc:
                if exc.status == 404 and dataset.kind != "per_permission":
                    return key, None
                errors.append(exc)
            except Exception as exc:
                errors.append(exc)
            failed.set()
            return key, None

        content: dict[str, list[dict[str, Any]]] = {}
        outcome = _Outcome(DatasetStatus())
        with self.progress.bar(len(keys), dataset.name) as advance:
            futures: list[Future[tuple[str, Fetched | None]]] = [self.pool.submit(fetch, k) for k in keys]
            for future in as_completed(futures):
                key, fetched = future.result()
                if fetched is not None:
                    content[key] = fetched.entities
                    outcome.notes.extend(fetched.notes)
                    if fetched.all_divisions:
                        outcome.all_divisions.add(key)
                elif not failed.is_set():
                    outcome.gone.add(key)
                advance(1)
        seconds = time.monotonic() - started
        if errors:
            return _Outcome(_error_status(errors[0], stats, seconds))
        # Keep the keys' order, so a snapshot reads (and diffs) like the API listed it.
        ordered = {k: content[k] for k in keys if k in content}
        if dataset.kind == "per_permission":
            divisions = self.outcomes.get("divisions")
            org_divisions = divisions.content if divisions is not None and divisions.status.available else None
            ordered = {k: permitted_content(org_divisions, v, k in outcome.all_divisions) for k, v in ordered.items()}
        try:
            check(dataset.file_schema, ordered, f"{dataset.endpoint} responses")
        except InputError as exc:
            return _Outcome(_error_status(exc, stats, seconds))
        if outcome.gone and dataset.parent:
            outcome.notes.append(f"{len(outcome.gone)} {dataset.parent} answered 404 (deleted during collection)")
        count = sum(len(v) for v in ordered.values())
        outcome.status = _ok_status(count, stats, seconds, outcome.notes)
        outcome.content = ordered
        return outcome

    def _get_each(self, endpoint: str, ids: list[str], stats: CallStats) -> Iterator[tuple[str, Any]]:
        """GET `endpoint` for each id (its one {placeholder} filled), over the worker pool, in the
        order of `ids`: (id, the answer or the exception it raised), for the caller to judge."""

        def fetch(object_id: str) -> tuple[str, Any]:
            try:
                return object_id, self.client.get(_PLACEHOLDER.sub(quote(object_id, safe=""), endpoint), None, stats)
            except Exception as exc:  # judged by the caller, like every dataset's failure
                return object_id, exc

        return self.pool.map(fetch, ids)

    def _subject_grants(self, dataset: Dataset, user_ids: list[str],
                        roles: list[dict[str, Any]]) -> _Outcome | None:
        """role_subjectgrants built from GET /api/v2/authorization/subjects/{userId} of each user:
        every grant a user holds becomes that user's entry under the role, with the grant's division;
        a grant made to one of the user's groups is a separate entry carrying the group's `subjectId`
        (rules count it as held, the exporter never writes it as the user's own). A user answering
        404 does not exist and is left out with a note. None when the client may not read grants
        (403): the caller lists them per role."""
        stats, started = CallStats(), time.monotonic()
        entries: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        notes: list[str] = []
        for user_id, answer in self._get_each(SUBJECT_GRANTS_ENDPOINT, user_ids, stats):
            if isinstance(answer, ApiError) and answer.status == 404:
                notes.append(f"user {user_id} answered 404 (it does not exist)")
                continue
            if isinstance(answer, ApiError) and answer.status == 403:
                log.warning("%s answered 403 (%s needed): listing the holders of each co-browse role instead",
                            SUBJECT_GRANTS_ENDPOINT, SUBJECT_GRANTS_PERMISSION)
                return None
            if isinstance(answer, Exception):
                return _Outcome(_error_status(answer, stats, time.monotonic() - started))
            grants = answer.get("grants") if isinstance(answer, dict) else None
            if not isinstance(grants, list):
                error = InputError(f"{SUBJECT_GRANTS_ENDPOINT} response", "expected an AuthzSubject with grants[]")
                return _Outcome(_error_status(error, stats, time.monotonic() - started))
            name = answer.get("name") if isinstance(answer.get("name"), str) else user_id
            for grant in grants:
                role = grant.get("role") if isinstance(grant, dict) else None
                division = grant.get("division") if isinstance(grant, dict) else None
                if not isinstance(role, dict) or not isinstance(role.get("id"), str) or not isinstance(division, dict):
                    continue
                # AuthzGrant.subjectId (SDK models/authz_grant.py): who the grant was made to. A grant
                # made to one of the user's groups is the group's: kept apart, with its subjectId, so
                # only subjectId == userId counts as the user's own (genesyscloud_user_roles manages
                # those: updateUserRolesFn, user_roles/genesyscloud_user_roles_proxy.go).
                holder = grant.get("subjectId") if isinstance(grant.get("subjectId"), str) else user_id
                entry = entries.setdefault(role["id"], {}).setdefault((user_id, holder), {
                    "id": user_id, "name": name, "type": "PC_USER", "divisions": [],
                    "selfUri": f"/api/v2/users/{user_id}", **({"subjectId": holder} if holder != user_id else {})})
                kept = {k: division[k] for k in ("id", "name", "selfUri") if k in division}
                if kept.get("id") and kept not in entry["divisions"]:
                    entry["divisions"].append(kept)
        # In the roles listing's order, as a per-role collection would write them.
        order = [r["id"] for r in roles] + sorted(set(entries) - {r["id"] for r in roles})
        content = {role_id: list(entries[role_id].values()) for role_id in order if role_id in entries}
        try:
            check(dataset.file_schema, content, f"{SUBJECT_GRANTS_ENDPOINT} responses")
        except InputError as exc:
            return _Outcome(_error_status(exc, stats, time.monotonic() - started))
        notes.insert(0, f"the role grants of {len(user_ids)} users, read per user "
                        f"(GET {SUBJECT_GRANTS_ENDPOINT}): fewer calls than listing each role's holders")
        count = sum(len(v) for v in content.values())
        return _Outcome(_ok_status(count, stats, time.monotonic() - started, notes), content, notes)

    def _flows(self, dataset: Dataset, ids: list[str]) -> _Outcome:
        """The referenced flows: one GET /api/v2/flows/lookup per FLOW_LOOKUP_IDS ids, then
        GET /api/v2/flows/{flowId} only for the ids the lookup did not return, where a 404 is a flow
        that does not exist (recorded in the notes, absent from the list) and a 403
        missing.division.permission one the client cannot see (the dataset is then partial)."""
        stats, started = CallStats(), time.monotonic()
        found: dict[str, dict[str, Any]] = {}
        notes: list[str] = []
        hidden: list[str] = []
        lookup = replace(dataset, endpoint=FLOW_LOOKUP_ENDPOINT, paging="page_number", page_size=FLOW_LOOKUP_IDS)
        try:
            for start in range(0, len(ids), FLOW_LOOKUP_IDS):
                chunk = ids[start:start + FLOW_LOOKUP_IDS]
                fetched = fetch_all(self.client, lookup, FLOW_LOOKUP_ENDPOINT, stats, {"id": ",".join(chunk)})
                for flow in fetched.entities:
                    if flow.get("id") in chunk:
                        found[flow["id"]] = flow
        except Exception as exc:  # recorded per dataset, like every listing's failure
            return _Outcome(_error_status(exc, stats, time.monotonic() - started))
        missing = [i for i in ids if i not in found]
        for flow_id, answer in self._get_each(dataset.endpoint, missing, stats):
            if isinstance(answer, ApiError) and answer.status == 404:
                notes.append(f"flow {flow_id} answered 404 (it does not exist)")
                continue
            if isinstance(answer, ApiError) and answer.status == 403 and answer.code == MISSING_DIVISION_PERMISSION:
                hidden.append(flow_id)
                continue
            if isinstance(answer, Exception):
                return _Outcome(_error_status(answer, stats, time.monotonic() - started))
            if isinstance(answer, dict):
                found[flow_id] = answer
        flows = [found[i] for i in ids if i in found]
        try:
            check(dataset.file_schema, flows, f"{dataset.endpoint} responses")
        except InputError as exc:
            return _Outcome(_error_status(exc, stats, time.monotonic() - started))
        if hidden:
            notes.append(f"{len(hidden)} flows answered 403 missing.division.permission: {', '.join(hidden)}")
        status = _ok_status(len(flows), stats, time.monotonic() - started, notes)
        if hidden:
            status.status = "partial"
            status.divisions_not_visible = []
        return _Outcome(status, flows, notes)

    def _drop_gone_parents(self) -> None:
        """A parent deleted between the list call and its sub-resource calls is dropped everywhere,
        so the snapshot never shows a queue without its (unknowable) wrap-up codes or members."""
        for parent_name in {d.parent for d in DATASETS if d.parent}:
            assert parent_name
            children = [d.name for d in DATASETS if d.parent == parent_name]
            gone: set[str] = set()
            for child in children:
                gone |= self.outcomes[child].gone
            parent = self.outcomes[parent_name]
            if not gone or not parent.status.available:
                continue
            parent.content = [e for e in parent.content if e["id"] not in gone]
            parent.status.entities = len(parent.content)
            note = f"{len(gone)} deleted during collection and dropped: {', '.join(sorted(gone))}"
            parent.notes.append(note)
            parent.status.message = "; ".join(filter(None, [parent.status.message, note]))
            log.warning("%s: %s", parent_name, note)
            for child in children:
                outcome = self.outcomes[child]
                if outcome.status.available:
                    outcome.content = {k: v for k, v in outcome.content.items() if k not in gone}
                    outcome.status.entities = sum(len(v) for v in outcome.content.values())

    def visibility(self) -> Visibility:
        divisions = self.outcomes.get("divisions")
        permitted = self.outcomes.get("divisions_permitted")
        problems = []
        org = None
        if divisions is not None and divisions.status.available:
            org = {d["id"]: d.get("name") or d["id"] for d in divisions.content}
        else:
            problems.append(f"divisions: {divisions.status.reason() if divisions else 'not collected'}")
        held: dict[str, set[str]] = {}
        if permitted is not None and permitted.status.available:
            held = {p: {d["id"] for d in divs} for p, divs in permitted.content.items()}
        else:
            problems.append(f"divisions_permitted: {permitted.status.reason() if permitted else 'not collected'}")
        problem = ("division visibility could not be checked (" + "; ".join(problems) + ")") if problems else None
        return Visibility(org, held, problem)


def _organization(client: ApiClient) -> tuple[dict[str, Any], CallStats]:
    stats = CallStats()
    try:
        org = client.get(ORGANIZATION_ENDPOINT, None, stats)
    except ApiError as exc:
        if exc.status == 401:
            raise AuthError(f"{client.region.label} refused the token: {exc}") from None
        raise CollectError(f"cannot read the organization from {client.region.label}: {exc}") from None
    if not isinstance(org, dict) or not isinstance(org.get("id"), str):
        raise CollectError(f"{ORGANIZATION_ENDPOINT} on {client.region.label} returned no organization id")
    return org, stats


def _planned_calls(call_plan: CallPlan | None, collected: Any) -> int:
    from auditor.sources.collectors.plan import estimate

    # Without a call plan, a full collection: every dataset, every object.
    plan = call_plan or CallPlan({d.name: frozenset({"every"}) for d in DATASETS})
    return sum(row.calls for row in estimate(plan, collected))


def collect(out: Path | str, region: Region, credentials: Credentials,
            options: CollectOptions | None = None) -> CollectResult:
    """Collect into `out` (which must not exist or be empty). Raises AuthError/CollectError when
    nothing can be collected at all; otherwise returns, with failed datasets in the manifest."""
    options = options or CollectOptions()
    progress = _Progress(sys.stderr.isatty() if options.progress is None else options.progress)
    started = time.monotonic()
    session = new_session(options.workers + 2)
    try:
        return _collect(out, region, credentials, options, progress, session, started)
    finally:
        session.close()


def _collect(out: Path | str, region: Region, credentials: Credentials, options: CollectOptions,
             progress: _Progress, session: requests.Session, started: float) -> CollectResult:
    collected_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with SnapshotWriter(out) as writer:  # refuses a non-empty --out before we log in
        tokens = TokenProvider(session, region, credentials, timeout=options.timeout,
                               budget=options.retry.max_seconds)
        limiter = RateLimiter(options.rate_per_minute)
        client = ApiClient(region, tokens, limiter, options.retry, session,
                           timeout=(min(10.0, options.timeout), options.timeout))
        org, org_stats = _organization(client)
        log.info("collecting %s (%s) from %s with %d workers at %g requests/min",
                 org.get("name", ""), org["id"], region.label, options.workers, options.rate_per_minute)
        with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="collect") as pool:
            collection = _Collection(client, pool, progress, options.traffic_days, options.call_plan, org,
                                     options.usage_days, options.skip_auth_settings)
            outcomes = collection.run()
        planned = _planned_calls(options.call_plan, collection._collected_so_far())
        statuses = {d.name: outcomes[d.name].status for d in DATASETS}
        for outcome in outcomes.values():
            if outcome.selection is not None and outcome.status.available:
                selection = outcome.selection
                outcome.status.scope = selection.scope
                outcome.status.ids = list(selection.ids) if selection.ids is not None else None
                outcome.status.covers = list(selection.covers)
        mark_visibility(statuses, collection.visibility())
        for name, outcome in outcomes.items():
            if outcome.status.available:
                writer.write_dataset(name, outcome.content)
            if outcome.status.partial:
                log.warning("%s", summary_line(name, outcome.status))
        manifest = Manifest(
            collected_at=collected_at,
            organization_id=org["id"],
            organization_name=org.get("name") or "",
            region=region.name,
            api_base=region.api_base,
            tool_version=__version__,
            datasets=statuses,
            extra={
                "workers": options.workers,
                "rate_per_minute": options.rate_per_minute,
                "calls": org_stats.calls + sum(s.calls for s in statuses.values()),
                "retries": org_stats.retries + sum(s.retries for s in statuses.values()),
                "throttled": org_stats.throttled + sum(s.throttled for s in statuses.values()),
                "rate_limit_pauses": limiter.pauses,
                # What the call plan needed, counted on what was collected (pages of what was listed,
                # one call per selected object): the made/planned ratio is the collector's overhead.
                "planned_calls": planned,
                "logins": tokens.logins,
                "seconds": round(time.monotonic() - started, 3),
                "notes": {name: o.notes for name, o in outcomes.items() if o.notes},
                # Organization.features (dict(str, bool), SDK models/organization.py): AUTH-006 reads `hipaa`.
                "features": {str(k)[:100]: v for k, v in (org.get("features") or {}).items() if isinstance(v, bool)}
                if isinstance(org.get("features"), dict) else {},
            },
        )
        path = writer.commit(manifest)
    failed = manifest.failed()
    partial = [name for name, status in failed.items() if status.partial]
    log.info("snapshot written to %s: %d datasets ok, %d partial, %d failed, %d calls in %.1f s", path,
             len(statuses) - len(failed), len(partial), len(failed) - len(partial), manifest.extra["calls"],
             manifest.extra["seconds"])
    return CollectResult(path=path, manifest=manifest)
