"""Paging through one endpoint with the envelope it really has (fact sheet §1, §3, §6).

- `page_number`: `pageNumber`/`pageSize` params; the envelope has `pageCount`, `total`, `nextUri`.
  Endpoints without paging parameters (OAuth clients) get no params and their `nextUri` is followed.
- `next_uri`: queue members; the envelope has `nextUri` but no `total` or `pageCount`.
- `cursor`: web deployments and configurations; the `after` cursor is read from `nextUri` and
  re-sent with our own parameters, so `expand=Configuration` survives every page.

Entities are de-duplicated by id (a page can shift while an org is being edited) and, where the
envelope has a `total`, the totals are re-checked: a total that changed between pages, or one that
disagrees with what was served, means the pages no longer line up (an entity added or deleted
while paging shifts the rest, so one can be skipped without any duplicate to show for it). The
listing is then paged again, up to `MAX_PASSES` times; if it never adds up the dataset fails with
`inconsistent.paging` rather than be written with a silent gap. Duplicates alone (the `nextUri`-only
envelope has no total) also cause a second pass; if they persist they are dropped with a note.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from auditor.snapshot.datasets import Dataset
from auditor.sources.collectors.client import ApiClient, CallStats
from auditor.sources.collectors.errors import ApiError

log = logging.getLogger(__name__)

#: Far above any real org (50k queues / 500 per page = 100 pages); stops a server that never ends.
#: A listing that reaches it fails its dataset (`paging.limit`): what lies past the cap is unknown.
MAX_PAGES = 10_000
#: Passes over a listing whose pages did not line up before its dataset is given up on.
MAX_PASSES = 3


@dataclass
class Fetched:
    entities: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total: int | None = None
    #: Every `total` the pages of this pass announced, in order.
    totals: list[int] = field(default_factory=list)
    #: `allDivsPermitted` of a DivsPermittedEntityListing: True only if every page said so.
    all_divisions: bool | None = None

    def saw(self, body: dict[str, Any]) -> None:
        """Record the page's `total` (when it has one): the latest wins, all are kept for the drift check."""
        total = _total(body)
        if total is not None:
            self.totals.append(total)
            self.total = total
        flag = body.get("allDivsPermitted")
        if isinstance(flag, bool):
            self.all_divisions = flag if self.all_divisions is None else (self.all_divisions and flag)


def _entities(body: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("entities", []), list):
        raise ApiError("GET", path, 200, "invalid.envelope", "response is not an entity listing")
    return [e for e in body.get("entities") or [] if isinstance(e, dict)]


def _total(body: dict[str, Any]) -> int | None:
    total = body.get("total")
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _base_params(dataset: Dataset, extra: dict[str, str] | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {**dataset.params, **(extra or {})}
    if dataset.page_size:
        # Web deployments declare pageSize as a string; str() is what goes on the wire either way.
        params["pageSize"] = str(dataset.page_size)
    return params


def _page_limit(path: str) -> ApiError:
    """A listing still going after MAX_PAGES pages: its end was never seen, so it is not complete."""
    return ApiError("GET", path, None, "paging.limit",
                    f"the listing was still going after {MAX_PAGES} pages (the cap per listing); the dataset "
                    "is not written rather than written without its end")


def _follow_next_uri(client: ApiClient, body: dict[str, Any], path: str, stats: CallStats,
                     out: Fetched) -> None:
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        next_uri = body.get("nextUri")
        if not next_uri:
            return
        if next_uri in seen:
            out.notes.append(f"{path}: nextUri repeated ({next_uri}); stopped paging")
            return
        seen.add(next_uri)
        body = client.get(next_uri, None, stats)
        out.entities.extend(_entities(body, path))
        out.saw(body)
    if body.get("nextUri"):
        raise _page_limit(path)


def _page_number(client: ApiClient, dataset: Dataset, path: str, stats: CallStats, out: Fetched,
                 extra: dict[str, str] | None = None) -> None:
    params = _base_params(dataset, extra)
    if not dataset.page_size:
        body = client.get(path, params or None, stats)
        out.entities.extend(_entities(body, path))
        out.saw(body)
        _follow_next_uri(client, body, path, stats, out)
        return
    for page in range(1, MAX_PAGES + 1):
        body = client.get(path, {**params, "pageNumber": page}, stats)
        entities = _entities(body, path)
        out.entities.extend(entities)
        out.saw(body)
        page_count = body.get("pageCount")
        if isinstance(page_count, int):
            if page >= page_count:
                return
        elif not body.get("nextUri"):
            return
        if not entities:
            out.notes.append(f"{path}: page {page} was empty before pageCount {page_count}; stopped paging")
            return
    raise _page_limit(path)


def _next_uri(client: ApiClient, dataset: Dataset, path: str, stats: CallStats, out: Fetched,
              extra: dict[str, str] | None = None) -> None:
    body = client.get(path, _base_params(dataset, extra), stats)
    out.entities.extend(_entities(body, path))
    _follow_next_uri(client, body, path, stats, out)


def _cursor(client: ApiClient, dataset: Dataset, path: str, stats: CallStats, out: Fetched,
            extra: dict[str, str] | None = None) -> None:
    params = _base_params(dataset, extra)
    body = client.get(path, params, stats)
    out.entities.extend(_entities(body, path))
    out.saw(body)
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        next_uri = body.get("nextUri")
        if not next_uri:
            return
        after = parse_qs(urlsplit(next_uri).query).get("after")
        if not after:
            _follow_next_uri(client, body, path, stats, out)
            return
        if after[0] in seen:
            out.notes.append(f"{path}: cursor repeated; stopped paging")
            return
        seen.add(after[0])
        body = client.get(path, {**params, "after": after[0]}, stats)
        out.entities.extend(_entities(body, path))
        out.saw(body)
    if body.get("nextUri"):
        raise _page_limit(path)


_PAGERS = {"page_number": _page_number, "next_uri": _next_uri, "cursor": _cursor}


def dedupe(entities: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Keep the first copy of each id (entities without an id are kept as they are)."""
    seen: set[str] = set()
    unique: list[dict[str, Any]] = []
    for entity in entities:
        entity_id = entity.get("id")
        if isinstance(entity_id, str):
            if entity_id in seen:
                continue
            seen.add(entity_id)
        unique.append(entity)
    return unique, len(entities) - len(unique)


def _misalignment(out: Fetched, unique: int) -> str | None:
    """Why the pages of one pass cannot be trusted to hold every entity exactly once, or None."""
    if len(set(out.totals)) > 1:
        return f"the API's total changed from {out.totals[0]} to {out.totals[-1]} while paging"
    if out.total is not None and out.total != unique:
        return f"the API's total says {out.total} but {unique} were served"
    return None


def fetch_all(client: ApiClient, dataset: Dataset, path: str, stats: CallStats,
              params: dict[str, str] | None = None) -> Fetched:
    """Every entity behind `path` (with `params` on top of the dataset's), each exactly once, with
    notes on anything that did not add up.

    Raises ApiError (`inconsistent.paging`) when no pass of the listing adds up."""
    notes: list[str] = []
    for attempt in range(1, MAX_PASSES + 1):
        out = Fetched()
        _PAGERS[dataset.paging](client, dataset, path, stats, out, params)
        out.entities, duplicates = dedupe(out.entities)
        problem = _misalignment(out, len(out.entities))
        if problem is None and (not duplicates or attempt == MAX_PASSES):
            if duplicates:
                out.notes.append(f"{path}: {duplicates} duplicate entities across pages dropped")
            out.notes[:0] = notes
            return out
        if problem is None:
            problem = f"{duplicates} entities were served on two pages"
        if attempt < MAX_PASSES:
            log.warning("%s: %s (the listing changed while it was paged); paging it again", path, problem)
            notes.append(f"{path}: {problem}; paged again")
    raise ApiError("GET", path, None, "inconsistent.paging",
                   f"{problem} in each of {MAX_PASSES} passes (entities added or deleted while paging, or a "
                   "wrong total); the dataset is not written rather than written with a gap: collect again")
