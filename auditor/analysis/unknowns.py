"""Values a snapshot marks unknown (`manifest.datasets[name].unknown`), and how a rule's reliance on
them is detected without the rule declaring which fields it reads.

The engine evaluates a rule whose datasets hold unknown values several times, each time with
every unknown value replaced by a different candidate (`fills`). Candidates cover each branch a
rule can take on the field: every documented enum value plus one the tool does not know, both
booleans, an empty and a non-empty list, a value on each side of a documented threshold. A result
whose verdict differs between fills (or that exists in some fills only) depends on an unknown
value: it becomes ERROR naming the expressions, found by varying one kind of field at a time. A
result whose verdict is the same but whose message quotes a filled-in value keeps the verdict with
a message that quotes nothing guessed. Paths are dotted API field paths of an entity; for per-parent datasets (keyed
by parent id) `*` is the whole list, `+` elements beside the known ones, `*.field` a field of
every element. A result that is the same under every fill does not depend on it (a division id
no rule reads, a flow id) and stands. The candidates are per API field, not per Terraform
attribute: the engine knows nothing about Terraform.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from auditor.results import Status
from auditor.rules.base import Outcome, Rule
from auditor.snapshot.datasets import BY_NAME
from auditor.snapshot.store import Snapshot

Evaluate = Callable[[Snapshot], list[Outcome]]

#: A value that no real entity holds, for fields without documented values.
OTHER = "gcaudit-unknown-value"

_COBROWSE_ON = {"enabled": True, "allowAgentControl": True, "allowAgentNavigation": True, "allowDraw": True,
                "channels": ["Webmessaging", "Voice"], "maskSelectors": [], "readonlySelectors": []}
_COBROWSE_OFF = {"enabled": False, "allowAgentControl": False, "allowAgentNavigation": False, "allowDraw": False,
                 "channels": [], "maskSelectors": ["input"], "readonlySelectors": []}


@dataclass(frozen=True)
class WithCompanions:
    """A candidate that only makes sense with other entities beside it: an unknown role id may
    name a role the snapshot does not hold, so that fill adds one (granting everything) to
    `roles`. Only rules reading both datasets see the companion."""

    value: Any
    companions: tuple[tuple[str, dict[str, Any]], ...] = ()


_ANY_ROLE = {"id": OTHER, "name": "(a role known only after apply)",
             "permissionPolicies": [{"domain": "*", "entityName": "*", "actionSet": ["*"]}]}


def _roles_everywhere(snapshot: Snapshot) -> list[Any]:
    roles = snapshot.data.get("roles") if isinstance(snapshot.data.get("roles"), list) else []
    return [[], [{"roleId": r["id"], "divisionId": "*"} for r in roles] or [{"roleId": OTHER}],
            WithCompanions([{"roleId": OTHER, "divisionId": "*"}], (("roles", _ANY_ROLE),))]


def _codes(snapshot: Snapshot) -> list[Any]:
    codes = snapshot.data.get("wrapupcodes") if isinstance(snapshot.data.get("wrapupcodes"), list) else []
    return [[], [{"id": OTHER, "name": OTHER}], *([[codes[0]]] if codes else [])]


_PUBLISHED_FLOW = {"id": f"{OTHER}-flow", "name": "(a flow known only after apply)", "type": "INBOUNDSHORTMESSAGE",
                   "publishedVersion": {"id": "1"}}

_MEMBER = {"id": OTHER, "name": OTHER, "user": {"id": OTHER, "name": OTHER}, "joined": True, "memberBy": "user"}

#: (dataset, API field path) -> candidates (or a function of the snapshot giving them).
#: Enum values: SDK models of PureCloudPlatformClientV2 (WebDeployment.status, AcwSettings.wrapup_prompt,
#: OAuthClient.authorized_grant_type, OAuthClient.state); 86400 s is the documented default validity.
CANDIDATES: dict[tuple[str, str], list[Any] | Callable[[Snapshot], list[Any]]] = {
    ("deployments", "status"): ["Active", "Inactive", "Pending", "Error", "Deleting", OTHER],
    ("deployments", "allowAllDomains"): [False, True],
    ("deployments", "allowedDomains"): [[], ["*"]],
    ("deployments", "configuration"): [
        {"id": OTHER, "cobrowse": _COBROWSE_ON, "status": "Active", "headlessMode": {"enabled": False},
         "messenger": {"enabled": True, "apps": {"conversations": {"enabled": True}}}},
        {"id": OTHER, "cobrowse": _COBROWSE_OFF, "status": "Pending", "headlessMode": {"enabled": True},
         "messenger": {"enabled": False}}],
    ("deployments", "configuration.id"): [OTHER],
    ("deployments", "configuration.cobrowse"): [_COBROWSE_ON, _COBROWSE_OFF, {**_COBROWSE_ON, "channels": ["Voice"]}],
    ("configurations", "cobrowse"): [_COBROWSE_ON, _COBROWSE_OFF],
    **{(dataset, f"{prefix}.{flag}"): [True, False]
       for dataset, prefix in (("deployments", "configuration.cobrowse"), ("configurations", "cobrowse"))
       for flag in ("enabled", "allowAgentControl", "allowAgentNavigation", "allowDraw")},
    ("configurations", "version"): ["1", "2"],
    ("queues", "acwSettings.wrapupPrompt"): ["MANDATORY", "OPTIONAL", "MANDATORY_TIMEOUT",
                                             "MANDATORY_FORCED_TIMEOUT", "AGENT_REQUESTED", OTHER],
    ("queues", "acwSettings.timeoutMs"): [None, 30000],
    ("queues", "mediaSettings.message"): [{}, None],
    ("queues", "mediaSettings.call"): [{}, None],
    ("oauth_clients", "authorizedGrantType"): ["CODE", "CLIENT-CREDENTIALS", "PASSWORD", "TOKEN", "SAML2-BEARER",
                                               OTHER],
    ("oauth_clients", "state"): ["active", "inactive"],
    ("oauth_clients", "accessTokenValiditySeconds"): [86400, 172800],
    ("oauth_clients", "scope"): [[], ["conversations"], ["conversations:readonly"]],
    ("oauth_clients", "registeredRedirectUri"): [[], ["http://localhost/*"]],
    ("oauth_clients", "roleDivisions"): _roles_everywhere,
    ("roles", "permissionPolicies"): [[], [{"domain": "*", "entityName": "*", "actionSet": ["*"]}]],
    ("queue_wrapupcodes", "*"): _codes,
    ("queue_wrapupcodes", "+"): _codes,
    ("queue_members", "*"): [[], [_MEMBER], [{**_MEMBER, "joined": False}]],
    ("queue_members", "*.joined"): [True, False],
    # Members beside the known ones (a queue's group members after an update whose effect on them is unknown).
    ("queue_members", "+"): [[], [{**_MEMBER, "memberBy": "group"}],
                             [{**_MEMBER, "memberBy": "group", "joined": False}]],
    ("role_subjectgrants", "*"): [[], [{"id": OTHER, "name": OTHER, "type": "PC_USER", "divisions": [{"id": "*"}]}]],
    # A grant's divisions: every division (`*`, datasets.ALL_DIVISIONS_ID) or one no queue is in.
    ("role_subjectgrants", "*.divisions"): [[{"id": "*"}], [{"id": OTHER}]],
    # The pinned version's switches (SDK 269 MessengerSettings.enabled, ConversationAppSettings.enabled,
    # WebDeploymentHeadlessMode.enabled) and status (WebDeploymentConfigurationVersion.status enum).
    **{(dataset, f"{prefix}{flag}"): [True, False]
       for dataset, prefix in (("deployments", "configuration."), ("configurations", ""))
       for flag in ("messenger.enabled", "messenger.apps.conversations.enabled", "headlessMode.enabled")},
    ("deployments", "configuration.messenger"): [{"enabled": True, "apps": {"conversations": {"enabled": True}}},
                                                 {"enabled": False}],
    ("configurations", "messenger"): [{"enabled": True, "apps": {"conversations": {"enabled": True}}},
                                      {"enabled": False}],
    ("deployments", "configuration.headlessMode"): [{"enabled": False}, {"enabled": True}],
    ("deployments", "configuration.status"): ["Active", "Pending", "Inactive", "Error", "Deleting", OTHER],
    ("configurations", "status"): ["Active", "Pending", "Inactive", "Error", "Deleting", OTHER],
    ("deployments", "configuration.cobrowse.pauseCriteria"): [[], [{"urlFragment": "/", "condition": "StartsWith"}]],
    # No flow, a flow the org does not hold, and a published flow (added to `flows`).
    ("deployments", "flow.id"): [None, OTHER, WithCompanions(f"{OTHER}-flow", (("flows", _PUBLISHED_FLOW),))],
    ("flows", "type"): ["INBOUNDSHORTMESSAGE", OTHER],
}
#: Any other field: absent, and a value no real entity holds.
GENERIC = [None, OTHER]


def unknowns(snapshot: Snapshot, datasets: tuple[str, ...] | list[str]) -> dict[str, dict[str, dict[str, str]]]:
    out = {}
    for name in datasets:
        status = snapshot.manifest.datasets.get(name)
        marked = getattr(status, "unknown", None) if status is not None else None
        if marked and snapshot.available(name):
            out[name] = marked
    return out


def _candidates(snapshot: Snapshot, dataset: str, path: str) -> list[Any]:
    found = CANDIDATES.get((dataset, path))
    if found is None:
        return GENERIC
    return found(snapshot) if callable(found) else found


def fill_count(snapshot: Snapshot, marked: dict[str, dict[str, dict[str, str]]]) -> int:
    sizes = [len(_candidates(snapshot, d, p)) for d, entities in marked.items() for paths in entities.values()
             for p in paths]
    return max([2, *sizes])


def _with_path(entity: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `entity` with `path` set: only the dicts along the path are copied, the rest is
    shared with the snapshot (filling 50 fields must not copy 500 queues)."""
    head, _, rest = path.partition(".")
    out = dict(entity)
    if rest:
        inner = out.get(head)
        out[head] = _with_path(inner if isinstance(inner, dict) else {}, rest, value)
    else:
        out[head] = copy.deepcopy(value)
    return out


def fills(snapshot: Snapshot, marked: dict[str, dict[str, dict[str, str]]],
          read: tuple[str, ...] | list[str] = ()) -> Iterator[Snapshot]:
    """One snapshot per fill: fill k gives every unknown value its k-th candidate (cycling).
    `read`: the datasets the rule reads (companion entities go only into those)."""
    marked_or_read = set(read) | set(marked)
    width = fill_count(snapshot, marked)
    # Positions count per entity id across datasets: a queue's media settings (queues) and its
    # members' joined state (queue_members) belong to one resource.
    positions: dict[tuple[str, str, str], int] = {}
    counters: dict[str, int] = {}
    for dataset, entities in marked.items():
        for entity_id, paths in entities.items():
            for path in sorted(paths):
                positions[(dataset, entity_id, path)] = counters.get(entity_id, 0)
                counters[entity_id] = counters.get(entity_id, 0) + 1
    per_entity = max(counters.values(), default=1)
    passes = 1 + max(1, (per_entity - 1).bit_length())
    # Pass 0 moves every unknown in step; pass b > 0 runs the unknowns whose position (within
    # their entity) has bit b-1 set backwards. Any two unknowns of one entity then meet in their
    # mixed combinations too (joined members but no call media, say): pairwise, not exhaustive.
    for name in marked:
        snapshot.raw(name)  # decoded now if it was loaded as columns: the fills change its entities
    # Columns of a dataset that fills change would show the original values: the fills' frames
    # read those datasets from the changed entities.
    columns = {name: view for name, view in snapshot.columns.items() if name not in marked}
    where = {name: {e.get("id"): i for i, e in enumerate(snapshot.data[name])}
             for name in marked if BY_NAME[name].parent is None}
    for k in range(passes * width):
        crossed, k = divmod(k, width)
        data = dict(snapshot.data)
        added: set[tuple[str, str]] = set()
        for dataset, entities in marked.items():
            content = copy.copy(data[dataset])
            keyed = BY_NAME[dataset].parent is not None
            for entity_id, paths in entities.items():
                if keyed:
                    rows = list(content.get(entity_id, []))
                elif entity_id in where[dataset]:
                    entity = content[where[dataset][entity_id]]
                else:
                    continue
                for path in sorted(paths):
                    position = positions[(dataset, entity_id, path)]
                    options = _candidates(snapshot, dataset, path)
                    backwards = crossed and (position >> (crossed - 1)) & 1
                    index = len(options) - 1 - (k % len(options)) if backwards else k
                    value = options[index % len(options)]
                    if isinstance(value, WithCompanions):
                        for other, companion in value.companions:
                            if isinstance(data.get(other), list) and other in marked_or_read \
                                    and (other, companion["id"]) not in added:
                                added.add((other, companion["id"]))
                                data[other] = [*data[other], copy.deepcopy(companion)]
                        value = value.value
                    if not keyed:
                        entity = _with_path(entity, path, value)
                    elif path == "*":
                        rows = copy.deepcopy(value)
                    elif path == "+":  # elements beside the known ones
                        rows = rows + copy.deepcopy(value)
                    elif path.startswith("*."):
                        rows = [_with_path(row, path[2:], value) for row in rows]
                if keyed:
                    content[entity_id] = rows
                else:
                    content[where[dataset][entity_id]] = entity
            data[dataset] = content
        yield Snapshot(path=snapshot.path, manifest=snapshot.manifest, data=data, lean=snapshot.lean,
                       columns=columns)


def describe(marked: dict[str, dict[str, dict[str, str]]], resource_id: str, limit: int = 3) -> str:
    """The expressions a result may depend on: the resource's own first, else every one marked."""
    own = [expr for entities in marked.values() for eid, paths in entities.items() if eid == resource_id
           for expr in paths.values()]
    pool = own or [expr for entities in marked.values() for paths in entities.values() for expr in paths.values()]
    unique = list(dict.fromkeys(pool))
    shown = "; ".join(unique[:limit])
    more = f"; and {len(unique) - limit} more" if len(unique) > limit else ""
    return shown + more


def _verdicts(runs: list[list[Outcome]]) -> list[dict[str, tuple[Status, str]]]:
    return [{o.resource_id: (o.status, o.message) for o in run} for run in runs]


def _varies(verdicts: list[dict[str, tuple[Status, str]]], resource_id: str, statuses_only: bool) -> bool:
    seen = {(v.get(resource_id) or (None, ""))[0] if statuses_only else v.get(resource_id) for v in verdicts}
    return len(seen) > 1


def _relevant(snapshot: Snapshot, marked: dict[str, dict[str, dict[str, str]]], rule: Rule,
              evaluate: Evaluate, varying: set[str]) -> dict[str, dict[str, dict[str, str]]]:
    """Which kinds of unknown (dataset, field) each varying result depends on: fills that vary
    one kind at a time. Returns, per result, the marked entries of the kinds that move it."""
    kinds = sorted({(d, p) for d, entities in marked.items() for paths in entities.values() for p in paths})
    if len(kinds) > 12:
        return {}
    found: dict[str, dict[str, dict[str, str]]] = {}
    for dataset, path in kinds:
        only = {dataset: {eid: {p: e for p, e in paths.items() if p == path}
                          for eid, paths in marked[dataset].items() if path in paths}}
        runs = [evaluate(filled) for filled in fills(snapshot, only, rule.datasets)]
        verdicts = _verdicts(runs)
        for resource_id in varying:
            if _varies(verdicts, resource_id, statuses_only=False):
                slot = found.setdefault(resource_id, {})
                slot.setdefault(dataset, {}).update(
                    {eid: {**slot.get(dataset, {}).get(eid, {}), **paths} for eid, paths in only[dataset].items()})
    return found


def evaluate_with_unknowns(rule: Rule, snapshot: Snapshot, evaluate: Evaluate) -> list[Outcome]:
    """The rule's outcomes, where an outcome that changes with a value unknown before apply is
    ERROR naming the expressions it depends on (see the module docstring)."""
    marked = unknowns(snapshot, rule.datasets)
    if not marked:
        return evaluate(snapshot)
    runs = [evaluate(filled) for filled in fills(snapshot, marked, rule.datasets)]
    verdicts = _verdicts(runs)
    order = list(dict.fromkeys(o.resource_id for run in runs for o in run))
    by_id = {o.resource_id: o for run in reversed(runs) for o in run}
    varying = {rid for rid in order if _varies(verdicts, rid, statuses_only=False)}
    causes = _relevant(snapshot, marked, rule, evaluate, varying) if varying else {}
    out: list[Outcome] = []
    for resource_id in order:
        outcome = by_id[resource_id]
        if resource_id not in varying:
            out.append(outcome)
            continue
        named = describe(causes.get(resource_id) or marked, resource_id)
        if not _varies(verdicts, resource_id, statuses_only=True) and all(resource_id in v for v in verdicts):
            # Same verdict under every fill; only the message quotes a filled-in value: keep the
            # verdict, never the guessed detail.
            out.append(Outcome(outcome.status, resource_id, outcome.resource_name,
                               f"{rule.title}: {outcome.status.value} whatever the values known only after apply "
                               f"turn out to be (details depend on {named}).", outcome.resource_type))
            continue
        out.append(Outcome(Status.ERROR, resource_id, outcome.resource_name,
                           f"Cannot evaluate before apply: the result depends on values known only after apply: "
                           f"{named}.", outcome.resource_type))
    return out
