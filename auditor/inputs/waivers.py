"""Waivers (`--waivers FILE`): accepted risks, each with an owner, a reason and an expiry date.

A waiver turns a FAIL of one rule on matching resources into WAIVED (the original status is
kept on the result). Only FAIL is ever waived: an ERROR means data is missing, and hiding that
would make an incomplete audit look complete.

An expired waiver no longer applies (the FAIL is back) and is reported loudly; a waiver that
waived nothing is reported too, so stale waivers get cleaned up. An `expires` further ahead
than the maximum horizon (default 90 days) is an input error: the horizon only shrinks as
time passes, so a file accepted today is never rejected tomorrow, and the person who wrote the
over-long waiver is the one who sees the error.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.inputs.validation import reject_unknown_keys, text_field
from auditor.results import AuditReport, Result, Status
from auditor.safety.fileio import read_yaml, shorten

log = logging.getLogger(__name__)

DEFAULT_MAX_DAYS = 90
_REQUIRED = ("rule", "resource", "reason", "owner", "expires")
_MAX_WAIVERS = 10_000


@dataclass(frozen=True)
class Waiver:
    index: int
    rule: str
    resource: str
    reason: str
    owner: str
    expires: date
    source: str = ""

    def label(self) -> str:
        return f"waivers[{self.index}] ({self.rule} on {self.resource!r}, owner {self.owner})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "rule": self.rule,
            "resource": self.resource,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
            "file": self.source,
        }

    def expired(self, today: date) -> bool:
        """A waiver is valid through its `expires` day and expired the day after."""
        return today > self.expires

    def matches(self, result: Result) -> bool:
        if result.rule_id.casefold() != self.rule.casefold():
            return False
        if result.resource_id == self.resource:
            return True
        # Names are matched case-insensitively, like the rollout plan's name references.
        return fnmatchcase(result.resource_name.casefold(), self.resource.casefold())


@dataclass
class WaiverOutcome:
    """What applying a waiver file did; goes into the report (JSON/HTML) and onto stderr."""

    file: str
    applied: dict[int, int] = field(default_factory=dict)  # waiver index -> results waived
    expired: list[Waiver] = field(default_factory=list)
    unmatched: list[tuple[Waiver, str]] = field(default_factory=list)

    def warnings(self) -> list[str]:
        lines = [
            f"EXPIRED WAIVER {w.label()} expired on {w.expires.isoformat()}; its findings are reported again"
            for w in self.expired
        ]
        lines += [f"unused waiver {w.label()}: {why}" for w, why in self.unmatched]
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "waived_results": sum(self.applied.values()),
            "expired": [w.to_dict() for w in self.expired],
            "unmatched": [{**w.to_dict(), "why": why} for w, why in self.unmatched],
        }


def _date(source: Path, where: str, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(source, f"expected a date YYYY-MM-DD, got {shorten(value)}", field=where)


def parse_waivers(data: Any, source: Path, today: date, max_days: int = DEFAULT_MAX_DAYS) -> list[Waiver]:
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"waivers"}, key=str)
        if unknown:
            raise InputError(source, "unknown key (expected only 'waivers')", field=shorten(unknown[0]))
        data = data.get("waivers")
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(source, f"expected a list of waivers, got {type(data).__name__}", field="waivers")
    if len(data) > _MAX_WAIVERS:
        raise InputError(source, f"more than {_MAX_WAIVERS} waivers", field="waivers")
    waivers = []
    for index, entry in enumerate(data):
        where = f"waivers[{index}]"
        if not isinstance(entry, dict):
            raise InputError(source, f"expected a mapping, got {type(entry).__name__}", field=where)
        reject_unknown_keys(source, entry, _REQUIRED, where)
        for key in _REQUIRED:
            if entry.get(key) is None:
                raise InputError(source, "missing (every waiver needs rule, resource, reason, owner, expires)",
                                 field=f"{where}.{key}")
        expires = _date(source, f"{where}.expires", entry["expires"])
        if (expires - today).days > max_days:
            raise InputError(
                source,
                f"{expires.isoformat()} is more than {max_days} days ahead (the maximum waiver horizon; "
                "renew the waiver closer to its expiry instead)",
                field=f"{where}.expires",
            )
        waivers.append(Waiver(
            index=index,
            rule=text_field(source, entry["rule"], f"{where}.rule"),
            resource=text_field(source, entry["resource"], f"{where}.resource"),
            reason=text_field(source, entry["reason"], f"{where}.reason"),
            owner=text_field(source, entry["owner"], f"{where}.owner"),
            expires=expires,
            source=str(source),
        ))
    return waivers


def load_waivers(path: Path, today: date | None = None, max_days: int = DEFAULT_MAX_DAYS) -> list[Waiver]:
    if max_days < 0:
        raise InputError(path, "the maximum waiver horizon must be 0 or more days", field="max_days")
    return parse_waivers(read_yaml(Path(path)), Path(path), today or utc_today(), max_days)


def utc_today() -> date:
    return datetime.now(UTC).date()


def apply_waivers(report: AuditReport, waivers: list[Waiver], today: date | None = None,
                  source: str = "") -> WaiverOutcome:
    """Waive matching FAIL results in place; record what happened on `report.waivers`."""
    today = today or utc_today()
    outcome = WaiverOutcome(file=source or (waivers[0].source if waivers else ""))
    active = [w for w in waivers if not w.expired(today)]
    outcome.expired = [w for w in waivers if w.expired(today)]
    touched: dict[int, bool] = {w.index: False for w in active}
    new_results = []
    for result in report.results:
        waiver = None
        for candidate in active:
            if candidate.matches(result):
                touched[candidate.index] = True
                if result.status is Status.FAIL:
                    waiver = candidate
                    break
        if waiver is None:
            new_results.append(result)
            continue
        outcome.applied[waiver.index] = outcome.applied.get(waiver.index, 0) + 1
        new_results.append(dataclasses.replace(
            result, status=Status.WAIVED, original_status=result.status, waiver=waiver.to_dict(),
        ))
    report.results = sorted(new_results, key=Result.sort_key)
    rule_ids = {r.rule_id.casefold() for r in report.results}
    for waiver in active:
        if waiver.index in outcome.applied:
            continue
        if waiver.rule.casefold() not in rule_ids:
            why = f"no result for rule {waiver.rule} in this audit"
        elif touched[waiver.index]:
            why = "the matching resources no longer fail (the waiver can be removed)"
        else:
            why = "no resource of that rule matches"
        outcome.unmatched.append((waiver, why))
    report.waivers = outcome.to_dict()
    return outcome
