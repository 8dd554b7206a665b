"""Result -> the source location of what it judges (`Result.location`), for snapshots built from
Terraform (`manifest.datasets[name].locations`). API snapshots have none and results stay unlocated.

A result points at the attribute its rule judges where the snapshot records that attribute's line
(`RULE_FIELDS`, API field paths, not Terraform names), else at the resource's block.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from auditor.results import Result, Status
from auditor.snapshot.store import Snapshot

#: Rule id -> the API fields it judges, most telling first.
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "COB-001": ("configuration.cobrowse.enabled", "status"),
    "COB-002": ("cobrowse.enabled",),
    "COB-003": ("status",),
    "COB-004": ("configuration.cobrowse.enabled", "configuration.cobrowse.channels"),
    "COB-005": ("allowedDomains",),
    "COB-006": ("allowAllDomains",),
    "COB-007": ("configuration.cobrowse.allowAgentControl", "configuration.cobrowse.maskSelectors"),
    "COB-008": ("flow", "flow.id"),
    "COB-009": ("configuration.messenger",),
    "COB-010": ("configuration.cobrowse.pauseCriteria",),
    "COB-011": ("configuration.headlessMode.enabled",),
    "COB-012": ("configuration.status",),
    "QUE-002": ("acwSettings.wrapupPrompt",),
    "QUE-004": ("acwSettings.timeoutMs", "acwSettings.wrapupPrompt"),
    "WRP-002": ("name",),
    "OAUTH-001": ("authorizedGrantType",),
    "OAUTH-002": ("scope",),
    "OAUTH-003": ("authorizedGrantType",),
    "OAUTH-004": ("authorizedGrantType",),
    "OAUTH-005": ("registeredRedirectUri",),
    "OAUTH-006": ("roleDivisions",),
    "OAUTH-007": ("roleDivisions",),
    "OAUTH-008": ("state",),
    "OAUTH-009": ("accessTokenValiditySeconds",),
    "OAUTH-010": ("scope",),
    "OAUTH-011": ("state",),
    "OAUTH-012": ("authorizedGrantType",),
}


class Locator:
    def __init__(self, snapshot: Snapshot) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        #: Per dataset, its first located entity in file order: where a result about the dataset
        #: as a whole (an org-wide verdict, a permission nobody grants) points.
        self.first: dict[str, dict[str, Any]] = {}
        for name, status in snapshot.manifest.datasets.items():
            located = getattr(status, "locations", None) or {}
            for entity_id, location in located.items():
                self.by_id.setdefault(entity_id, location)
            if located:
                self.first[name] = min(located.values(), key=lambda loc: (loc["file"], loc["line"]))
        # What an apply takes away (APPLY rules): the resource whose change does it. Deleted objects
        # and users are in no dataset's locations.
        info = snapshot.manifest.extra.get("terraform") if isinstance(snapshot.manifest.extra, dict) else None
        for change in (info or {}).get("apply") or () if isinstance(info, dict) else ():
            if isinstance(change, dict) and isinstance(change.get("id"), str) and change.get("file"):
                self.by_id.setdefault(change["id"], {"file": change["file"], "line": change.get("line") or 1,
                                                     "address": change.get("address")})

    def __call__(self, result: Result) -> Result:
        if not self.by_id:
            return result
        found = self.by_id.get(result.resource_id)
        if found is None and result.status is Status.FAIL:
            # An org-wide verdict points at the first located object holding a field it judges.
            for path in RULE_FIELDS.get(result.rule_id, ()):
                for location in self.by_id.values():
                    if path in (location.get("fields") or {}):
                        return replace(result, location=dict(location["fields"][path]))
        if found is None:
            return self._dataset_fallback(result)
        fields = found.get("fields") or {}
        for path in RULE_FIELDS.get(result.rule_id, ()):
            if path in fields:
                return replace(result, location=dict(fields[path]))
        return replace(result, location={"file": found["file"], "line": found["line"], "address": found["address"]})

    def _dataset_fallback(self, result: Result) -> Result:
        from auditor.rules import get

        try:
            datasets = get(result.rule_id).datasets
        except KeyError:
            return result
        # A rule reading no dataset (APPLY: the apply itself) points at the configuration's first object.
        candidates = [self.first[name] for name in datasets if name in self.first] if datasets else \
            sorted(self.first.values(), key=lambda loc: (loc["file"], loc["line"]))
        if candidates:
            first = candidates[0]
            return replace(result, location={"file": first["file"], "line": first["line"], "address": first["address"]})
        return result
