"""Paging through one endpoint with the envelope it really has (fact sheet §1, §3, §6).

- `page_number`: `pageNumber`/`pageSize` params; the envelope has `pageCount`, `total`, `nextUri`.
  Endpoints without paging parameters (OAuth clients) get no params and their `nextUri` is followed.
- `next_uri`: queue members; the envelope has `nextUri` but no `total` or `pageCount`.
- `cursor`: web deployments and configurations; the `after` cursor is read from `nextUri` and
  re-sent with our own parameters, so `expand=Configuration` survives every page.

Entities are de-duplicated by id (a page can shift while an org is being edited) and, where the
envelope has a `total`, the count is re-checked: any disagreement becomes a note in the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from auditor.collectors.client import ApiClient, CallStats
from auditor.collectors.errors import ApiError
from auditor.snapshot.datasets import Dataset

#: Far above any real org (50k queues / 500 per page = 100 pages); stops a server that never ends.
MAX_PAGES = 10_000


@dataclass
class Fetched:
    entities: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total: int | None = None


def _entities(body: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("entities", []), list):
        raise ApiError("GET", path, 200, "invalid.envelope", "response is not an entity listing")
    return [e for e in body.get("entities") or [] if isinstance(e, dict)]


def _total(body: dict[str, Any]) -> int | None:
    total = body.get("total")
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _base_params(dataset: Dataset) -> dict[str, Any]:
    params: dict[str, Any] = dict(dataset.params)
    if dataset.page_size:
        # Web deployments declare pageSize as a string; str() is what goes on the wire either way.
        params["pageSize"] = str(dataset.page_size)
    return params


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
        out.total = _total(body) if _total(body) is not None else out.total


def _page_number(client: ApiClient, dataset: Dataset, path: str, stats: CallStats, out: Fetched) -> None:
    params = _base_params(dataset)
    if not dataset.page_size:
        body = client.get(path, params or None, stats)
        out.entities.extend(_entities(body, path))
        out.total = _total(body)
        _follow_next_uri(client, body, path, stats, out)
        return
    for page in range(1, MAX_PAGES + 1):
        body = client.get(path, {**params, "pageNumber": page}, stats)
        entities = _entities(body, path)
        out.entities.extend(entities)
        out.total = _total(body) if _total(body) is not None else out.total
        page_count = body.get("pageCount")
        if isinstance(page_count, int):
            if page >= page_count:
                return
        elif not body.get("nextUri"):
            return
        if not entities:
            out.notes.append(f"{path}: page {page} was empty before pageCount {page_count}; stopped paging")
            return


def _next_uri(client: ApiClient, dataset: Dataset, path: str, stats: CallStats, out: Fetched) -> None:
    body = client.get(path, _base_params(dataset), stats)
    out.entities.extend(_entities(body, path))
    _follow_next_uri(client, body, path, stats, out)


def _cursor(client: ApiClient, dataset: Dataset, path: str, stats: CallStats, out: Fetched) -> None:
    params = _base_params(dataset)
    body = client.get(path, params, stats)
    out.entities.extend(_entities(body, path))
    out.total = _total(body)
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
        out.total = _total(body) if _total(body) is not None else out.total


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


def fetch_all(client: ApiClient, dataset: Dataset, path: str, stats: CallStats) -> Fetched:
    """Every entity behind `path`, de-duplicated, with notes on anything that did not add up."""
    out = Fetched()
    _PAGERS[dataset.paging](client, dataset, path, stats, out)
    out.entities, duplicates = dedupe(out.entities)
    if duplicates:
        out.notes.append(f"{path}: {duplicates} duplicate entities across pages dropped")
    if out.total is not None and out.total != len(out.entities):
        out.notes.append(f"{path}: the API's total says {out.total} but {len(out.entities)} were collected")
    return out
