"""Which divisions the collecting client could not see, per dataset.

A client-credentials client sees the divisioned objects (queues, wrap-up codes, flows, queue
traffic...) only in the divisions its roles are granted in (issue 11). The collector asks, for each
permission a divisioned dataset relies on, GET /api/v2/authorization/divisionspermitted/paged/me
?permission=P (DivsPermittedEntityListing: `entities` are AuthzDivisions, `allDivsPermitted` a
bool) and compares with GET /api/v2/authorization/divisions. A dataset whose permission is missing
in some division is `partial`, naming those divisions; the per-queue datasets inherit their
parent's. When the check itself cannot be made, the dataset is `partial` too, with no names and a
message saying why: completeness cannot be claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.snapshot import DATASETS, DatasetStatus


@dataclass(frozen=True)
class Visibility:
    #: {division id: name} of every division of the org; None when the divisions were not collected.
    divisions: dict[str, str] | None
    #: permission -> the division ids the client holds it in; a permission missing here was not checked.
    permitted: dict[str, set[str]]
    #: Why a check could not be made (the divisions or a divisionspermitted call failed).
    problem: str | None = None

    def hidden(self, permission: str) -> list[dict[str, str]] | None:
        """[{id, name}] of the divisions `permission` is not held in; None when unknown."""
        if self.divisions is None or permission not in self.permitted:
            return None
        held = self.permitted[permission]
        return [{"id": i, "name": n} for i, n in self.divisions.items() if i not in held]


def permitted_content(divisions: list[dict[str, Any]] | None, entities: list[dict[str, Any]],
                      all_divisions: bool | None) -> list[dict[str, Any]]:
    """What divisions_permitted stores for one permission: the listed divisions, or, when the API
    says `allDivsPermitted`, every division of the org (so a reader needs no second rule)."""
    if all_divisions and divisions is not None:
        return list(divisions)
    return entities


def mark(statuses: dict[str, DatasetStatus], visibility: Visibility) -> None:
    """Turn each collected divisioned dataset (and its per-parent children) `partial` where needed."""
    for dataset in DATASETS:
        status = statuses.get(dataset.name)
        if status is None or not status.available or not dataset.divisioned or not dataset.permission:
            continue
        hidden = visibility.hidden(dataset.permission)
        if hidden is None:
            _partial(status, [], visibility.problem or f"division visibility of {dataset.permission} "
                                                       "could not be checked")
        elif hidden:
            _partial(status, hidden, None)
    for dataset in DATASETS:
        parent = statuses.get(dataset.parent) if dataset.parent else None
        status = statuses.get(dataset.name)
        if parent is not None and parent.partial and status is not None and status.available:
            inherited = (f"only for the {dataset.parent} that could be seen" if parent.divisions_not_visible
                         else parent.message)
            _partial(status, list(parent.divisions_not_visible or []), inherited)


def _partial(status: DatasetStatus, hidden: list[dict[str, str]], message: str | None) -> None:
    status.status = "partial"
    known = {d["id"] for d in status.divisions_not_visible or ()}
    status.divisions_not_visible = [*(status.divisions_not_visible or []),
                                    *(d for d in hidden if d["id"] not in known)]
    if message:
        status.message = "; ".join(filter(None, [status.message, message]))
