"""The call plan: which datasets, and which of their objects, the rules that will run need.

Collection is bound by the org's API rate, so the only way to be faster than the rate is to make
fewer calls. Each rule declares which objects of each dataset it reads (`Rule.needs`: every,
scope, plan, referenced); the planner takes the union over the rules that will run and derives,
before the per-object calls are made, the objects to fetch them for:

| dataset | `every` | `scope` | `referenced` |
|---|---|---|---|
| queue_members | every queue | the co-browse scope's queues | - |
| queue_wrapupcodes | every queue | the scope's queues | queues whose wrap-up prompt is MANDATORY* (QUE-002) |
| role_subjectgrants | every role | - | roles granting a co-browse permission, or per user** |
| group_individuals | every group holding a collected grant | | |
| flows | always the flows deployments reference (one lookup per 50) | | |

** When that is fewer calls, the grants of each user concerned: the joined members of the queues
whose members were collected (the scope's or the plan's) and the users a preflight names, one
GET /api/v2/authorization/subjects/{userId} each, against at least one call per role otherwise.

The co-browse scope is resolved with the audit's own code (`auditor.analysis.scope.Scope`) over the
listings just collected, so a targeted collection selects exactly the queues the audit will
check. A dataset no rule needs is not collected (`not_collected`, "not requested by this call
plan"), except those the planner itself needs (the queue listing to resolve the scope, the
traffic query for a scope inferred from traffic, the deployments for the channels and flows,
the roles for the grants) and the division checks every divisioned dataset needs.

What was selected is recorded per dataset in the manifest (`scope: all | ids | subjects`, the `ids`, and
`covers`: the needs the selection satisfies), so an audit of the snapshot with other rules or
another plan reports ERROR for what it cannot judge (auditor.analysis.coverage), never PASS.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.rules.base import EVERY, PLAN, REFERENCED, SCOPE, Rule
from auditor.snapshot.columnar import member_columns
from auditor.snapshot.datasets import BY_NAME, DATASETS, FLOW_LOOKUP_IDS, visibility_permissions

if TYPE_CHECKING:
    from auditor.inputs.plan import Plan
    from auditor.snapshot import Snapshot

#: The wrap-up prompts that make a queue's wrap-up codes matter (QUE-002: a mandatory prompt with
#: no code assigned). Same values as que_002 (QueueMediaSettings/AcwSettings.wrapupPrompt enum,
#: SDK 269 models/acw_settings.py: MANDATORY, OPTIONAL, MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT,
#: AGENT_REQUESTED).
MANDATORY_PROMPTS = frozenset({"MANDATORY", "MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT"})

#: Per-object datasets the planner can narrow, and the listing they hang off.
NARROWABLE = {"queue_members": "queues", "queue_wrapupcodes": "queues", "role_subjectgrants": "roles"}

#: What the planner reads itself to make its selections: a dataset needed -> the datasets it needs.
_PLANNER_INPUTS = {
    "queue_members": ("queues",),
    "queue_wrapupcodes": ("queues",),
    "role_subjectgrants": ("roles",),
    "group_individuals": ("role_subjectgrants",),
    "flows": ("deployments",),
}


@dataclass(frozen=True)
class Selection:
    """Which objects of a per-object dataset to fetch: all of the parent's (`ids` None) or some."""

    ids: tuple[str, ...] | None
    #: The needs this selection satisfies (what the manifest's `covers` records).
    covers: tuple[str, ...]
    #: "parent": `ids` are parent objects (queues, roles); "subjects": role grants were read per
    #: user instead (`ids` are user ids, see SUBJECT_GRANTS_ENDPOINT).
    by: str = "parent"

    @property
    def scope(self) -> str:
        if self.by == "subjects":
            return "subjects"
        return "all" if self.ids is None else "ids"


@dataclass(frozen=True)
class CallPlan:
    """The datasets to collect and, per dataset, which needs (every/scope/plan/referenced) to meet."""

    needs: dict[str, frozenset[str]]
    plan: Plan | None = None
    #: The rules the plan was made for (ids), for the manifest and the printed plan.
    rule_ids: tuple[str, ...] = ()
    #: Datasets collected although no rule reads them: the planner's own inputs.
    inputs: frozenset[str] = field(default_factory=frozenset)
    #: Users whose role grants are wanted besides the scope queues' members (a preflight's token
    #: user and the users its request names).
    users: tuple[str, ...] = ()

    @property
    def full(self) -> bool:
        """Every dataset, every object: what a collection without a plan does."""
        return all(self.needs.get(d.name) == frozenset({EVERY}) for d in DATASETS)

    def wanted(self, dataset: str) -> bool:
        return dataset in self.needs or dataset in self.inputs

    def select(self, dataset: str, snapshot: Snapshot) -> Selection:
        """The objects of a per-object `dataset` to fetch, given the listings in `snapshot`."""
        needs = self.needs.get(dataset, frozenset())
        if dataset not in NARROWABLE or EVERY in needs or not needs:
            return Selection(None, (EVERY, SCOPE, PLAN, REFERENCED))
        if dataset == "role_subjectgrants" and needs == {REFERENCED}:
            by_subject = self._grants_by_subject(snapshot)
            if by_subject is not None:
                return by_subject
        ids: dict[str, None] = {}
        if SCOPE in needs or PLAN in needs:
            ids.update(dict.fromkeys(scope_queue_ids(snapshot, self.plan)))
        if REFERENCED in needs:
            ids.update(dict.fromkeys(referenced_ids(dataset, snapshot)))
        parent_ids = [e["id"] for e in snapshot.raw(NARROWABLE[dataset])]
        # Keep the listing's order; an id not in the listing (an invisible queue) cannot be fetched.
        return Selection(tuple(i for i in parent_ids if i in ids), tuple(sorted(needs)))


    def _grants_by_subject(self, snapshot: Snapshot) -> Selection | None:
        """Role grants read per user, when that is fewer calls than listing the holders of every
        role granting a co-browse permission (at least one call per role, more for a role with more
        than a page of holders). The users are those whose grants the rules ask about: the joined
        members of the queues whose members were collected (the scope's, or the plan's) and `users`. None:
        list the holders per role (the members are unknown, or they outnumber the roles)."""
        if not snapshot.available("queue_members") or not snapshot.available("roles"):
            return None
        members = snapshot.raw("queue_members")
        users = dict.fromkeys(self.users)
        for queue_members in members.values():
            # Joined members only: AUTHZ-002/003 judge the members who take interactions, and a
            # preflight's named users are in `users` whether joined or not.
            for member in queue_members:
                _, user_id, _, joined, _ = member_columns(member)
                if joined and isinstance(user_id, str):
                    users[user_id] = None
        if len(users) >= len(referenced_ids("role_subjectgrants", snapshot)):
            return None
        return Selection(tuple(users), (REFERENCED,), by="subjects")


def make_plan(rules: Iterable[Rule], plan: Plan | None = None, *, only_named: bool = False,
              extra: dict[str, str] | None = None, users: Iterable[str] = ()) -> CallPlan:
    """The call plan for `rules` (usually the catalog, or the rules a command runs) and a rollout plan.

    `only_named`: the caller keeps only verdicts on the objects `plan` names (a preflight), so the
    per-object datasets are collected for those objects alone, whatever the rules' needs.
    `extra`: datasets (and the need) a non-rule reader wants too (the preflight's own checks).
    `users`: users whose role grants a non-rule reader wants (the preflight's token user).
    """
    rules = list(rules)
    needs: dict[str, set[str]] = {}
    for rule in rules:
        for dataset in rule.datasets:
            needs.setdefault(dataset, set()).add(rule.need(dataset))
    for dataset, need in (extra or {}).items():
        needs.setdefault(dataset, set()).add(need)
    if only_named:
        for dataset in NARROWABLE:
            if dataset in needs and dataset != "role_subjectgrants":
                needs[dataset] = {PLAN}
    inputs: set[str] = set()
    pending = list(needs)
    while pending:
        for source in _PLANNER_INPUTS.get(pending.pop(), ()):
            if source not in needs and source not in inputs:
                inputs.add(source)
                pending.append(source)
    if any(SCOPE in n for n in needs.values()):
        # Resolving the co-browse scope reads the queues, the deployments (their channels) and,
        # without plan queues, the traffic the queues took. With plan queues the traffic is read all
        # the same (one call): it is the evidence the chain rules weigh their consequences against
        # (AUTHZ-001/002, QUE-003: co-browse sessions in the window), so a targeted snapshot says
        # what a full one says.
        inputs |= {"queues", "deployments"} - set(needs)
        if "conversation_aggregates" not in needs:
            inputs.add("conversation_aggregates")
    if any(BY_NAME[d].divisioned for d in set(needs) | inputs if d in BY_NAME):
        inputs |= {"divisions", "divisions_permitted"} - set(needs)
    return CallPlan({d: frozenset(n) for d, n in needs.items()}, plan,
                    tuple(r.id for r in rules), frozenset(inputs), tuple(dict.fromkeys(users)))


def scope_queue_ids(snapshot: Snapshot, plan: Plan | None) -> list[str]:
    """The co-browse scope's queues, resolved by the audit's own Scope over the collected listings."""
    from auditor.analysis.frames import Frames
    from auditor.analysis.scope import Scope

    return list(Scope(Frames(snapshot), plan).queue_ids)


def referenced_ids(dataset: str, snapshot: Snapshot) -> list[str]:
    if dataset == "queue_wrapupcodes":
        return [q["id"] for q in snapshot.raw("queues")
                if ((q.get("acwSettings") or {}).get("wrapupPrompt")) in MANDATORY_PROMPTS]
    if dataset == "role_subjectgrants":
        from auditor.analysis.frames import Frames
        from auditor.genesys.permissions import COBROWSE_PERMISSION, roles_granting

        policies = Frames(snapshot).role_policies
        found: set[str] = set()
        for permission in COBROWSE_PERMISSION.values():
            found |= roles_granting(policies, permission)  # with and without conditions: the rules name both
        return sorted(found)
    return []


# --- the estimate -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetCalls:
    name: str
    calls: int
    what: str
    #: True when the count is a lower bound (objects or pages not known before calling).
    at_least: bool = False


def _pages(count: int, page_size: int) -> int:
    return max(1, math.ceil(count / page_size)) if page_size else 1


def estimate(call_plan: CallPlan, reference: Snapshot | None = None) -> list[DatasetCalls]:
    """Calls per dataset, without calling. With `reference` (an earlier snapshot of the org) the
    object counts and the selections come from it; without, listings count one page and per-object
    datasets are named with what decides their count."""
    out = [DatasetCalls("organization", 1, "GET /api/v2/organizations/me")]
    for dataset in DATASETS:
        if not call_plan.wanted(dataset.name):
            continue
        out.append(_dataset_calls(call_plan, dataset.name, reference))
    return out


def _count(reference: Snapshot | None, name: str) -> int | None:
    if reference is None or not reference.available(name):
        return None
    content = reference.raw(name)
    return len(content)


def _dataset_calls(call_plan: CallPlan, name: str, reference: Snapshot | None) -> DatasetCalls:
    dataset = BY_NAME[name]
    if dataset.kind in ("listing",):
        n = _count(reference, name)
        if n is None:
            return DatasetCalls(name, 1, "listing, pages unknown", at_least=True)
        return DatasetCalls(name, _pages(n, dataset.page_size), f"listing of {n}")
    if dataset.kind == "query":
        return DatasetCalls(name, 1, "one analytics query")
    if dataset.kind == "per_permission":
        n = len(visibility_permissions())
        return DatasetCalls(name, n, f"one per permission ({n})")
    if dataset.kind == "per_reference":
        if reference is None or not reference.available("deployments"):
            return DatasetCalls(name, 1, f"one lookup per {FLOW_LOOKUP_IDS} flows the deployments reference",
                                at_least=True)
        flows = {d["flow"]["id"] for d in reference.raw("deployments") if isinstance(d.get("flow"), dict)
                 and isinstance(d["flow"].get("id"), str)}
        known = {fl.get("id") for fl in reference.raw("flows")} if reference.available("flows") else flows
        # Plus one GET per flow the lookup does not return (deleted or hidden), as last time.
        alone = len(flows - known)
        return DatasetCalls(name, _pages(len(flows), FLOW_LOOKUP_IDS) + alone,
                            f"{len(flows)} referenced flows: lookups, {alone} fetched alone")
    if dataset.kind == "per_group":
        if reference is None or not reference.available("role_subjectgrants"):
            return DatasetCalls(name, 0, "one per group holding a collected role grant", at_least=True)
        selection = _reference_selection(call_plan, "role_subjectgrants", reference)
        grants = reference.raw("role_subjectgrants")
        roles = grants if selection is None or selection.ids is None else {
            r: grants.get(r, []) for r in selection.ids}
        groups = {s["id"] for subjects in roles.values() for s in subjects if s.get("type") == "PC_GROUP"}
        return DatasetCalls(name, len(groups), f"one per group holding a grant ({len(groups)})")
    # per_parent
    assert dataset.parent
    needs = ", ".join(sorted(call_plan.needs.get(name, ()))) or "planner input"
    selection = _reference_selection(call_plan, name, reference)
    if selection is None:
        per_user = ", or one per user concerned when fewer" if name == "role_subjectgrants" else ""
        return DatasetCalls(name, 0, f"one per {dataset.parent[:-1]} needed ({needs}){per_user}, known after the "
                            "listing", at_least=True)
    if selection.by == "subjects":
        return DatasetCalls(name, len(selection.ids or ()),
                            f"the grants of {len(selection.ids or ())} users, one GET /authorization/subjects each")
    ids = selection.ids if selection.ids is not None else [e["id"] for e in reference.raw(dataset.parent)]  # type: ignore[union-attr]
    calls = 0
    content = reference.raw(name) if reference is not None and reference.available(name) else {}
    for object_id in ids:
        calls += _pages(len(content.get(object_id, ())), dataset.page_size)
    return DatasetCalls(name, calls, f"{len(ids)} {dataset.parent} ({needs})")


def _reference_selection(call_plan: CallPlan, name: str, reference: Snapshot | None) -> Selection | None:
    parent = NARROWABLE.get(name) or BY_NAME[name].parent
    if reference is None or parent is None or not reference.available(parent):
        return None
    try:
        return call_plan.select(name, reference)
    except Exception:  # a reference missing what the selection reads: no estimate rather than a crash
        return None


def render_estimate(rows: list[DatasetCalls], rate_per_minute: float) -> str:
    width = max(len(r.name) for r in rows)
    lines = [f"{'dataset'.ljust(width)}  {'calls':>7}  objects"]
    for r in rows:
        calls = f"{'>=' if r.at_least else ''}{r.calls}"
        lines.append(f"{r.name.ljust(width)}  {calls:>7}  {r.what}")
    total = sum(r.calls for r in rows)
    bound = any(r.at_least for r in rows)
    minutes = total / rate_per_minute
    lines.append(f"{'total'.ljust(width)}  {('>=' if bound else '') + str(total):>7}  "
                 f"about {minutes * 60:.1f} s at {rate_per_minute:g} requests/min")
    return "\n".join(lines) + "\n"


def manifest_fields(selection: Selection) -> dict[str, Any]:
    return {"scope": selection.scope, "ids": list(selection.ids) if selection.ids is not None else None,
            "covers": list(selection.covers)}


# --- the nightly's audit-trail queries (after collection) ------------------------------------------

#: Not a dataset: `gcaudit nightly` asks the audit trail who changed tonight's NEW / REGRESSED findings
#: and drift (auditor.nightly.attribution, auditor.sources.collectors.audit_trail) once the run is
#: recorded. Its calls do not grow with the org or the number of objects: one service mapping, then
#: one query per audit service recording the objects' entity types, for the window since the last run.
AUDIT_TRAIL = "audit_trail"


def audit_trail_calls(services: int, window_days: float) -> DatasetCalls:
    """Calls of the attribution step: GET servicemapping + per service one POST realtime query
    (window <= 14 days; more pages when a service holds more entries than one page), or per service
    POST query + at least one status poll + at least one results page (older windows)."""
    from auditor.sources.collectors.audit_trail import REALTIME_DAYS

    if services == 0:
        return DatasetCalls(AUDIT_TRAIL, 1, "the service mapping; no service records these objects")
    if window_days <= REALTIME_DAYS:
        return DatasetCalls(AUDIT_TRAIL, 1 + services,
                            f"the service mapping + one realtime query per service ({services}), "
                            "more pages if needed", at_least=True)
    return DatasetCalls(AUDIT_TRAIL, 1 + 3 * services,
                        f"the service mapping + per service ({services}) one asynchronous query, its status "
                        "polls and result pages", at_least=True)
