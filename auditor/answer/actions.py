"""Blockers -> actions: one thing an admin does each, merged where one change resolves several
findings, ordered so that what a change depends on comes first.

Merging (the key of an action is the object it changes and what it changes there):
- a deployment: its activation (COB-003), the configuration version it pins (COB-012) and the
  flow it points at when that flow is gone (COB-008) are one edit of the deployment; COB-001 ("no
  co-browse deployment is Active") is resolved by the first activation, not repeated;
- a Messenger configuration: co-browse switched off or only in the draft (COB-002, COB-004), its
  channels (COB-004) and its Messenger or conversations switches (COB-009) are one edit and one
  publish, whatever number of deployments pin it;
- a flow without a published version (COB-008): one publish, whatever number of deployments use it;
- a permission: granting it in a role (AUTHZ-001) is one action, and giving the joined members of
  every queue that lacks it a role granting it (AUTHZ-002) is one more, which depends on the first;
- anything else: one action per failing object.

Order: the chain (deployment -> configuration -> queue -> members -> permissions -> client), then
severity, then name; an action's dependencies are moved before it (a role must grant the permission
before agents can be given that role).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.answer.chain import LINKS, link_of
from auditor.answer.words import action as action_text
from auditor.answer.words import resource_word
from auditor.results import Severity

if TYPE_CHECKING:
    from auditor.results import AuditReport, Result

# Actions follow the chain, except that granting a permission in a role (permissions) comes before
# giving agents a role with it (members): the member actions depend on the grant.
_ACTION_ORDER = ("deployment", "configuration", "queue", "permissions", "members", "client")
#: Queues a member action names before "and N more" (the values list them all).
_QUEUES_NAMED = 10
_LINK_ORDER = {key: _ACTION_ORDER.index(key) if key in _ACTION_ORDER else len(_ACTION_ORDER)
               for key, _ in LINKS}


@dataclass(frozen=True)
class Target:
    """The object an action changes."""

    type: str
    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class Change:
    """One exact change: a sentence, and its values (permission, channel, state, version...)."""

    text: str
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, **({"values": self.values} if self.values else {})}


@dataclass
class Action:
    """One thing an admin does. Strings are raw org text: each renderer sanitises them."""

    #: "A1", "A2"... in the order to do them (stable for one report).
    id: str
    #: The chain link the action repairs (`auditor.answer.chain.LINKS` keys).
    link: str
    target: Target
    changes: list[Change]
    #: What the action rests on: the failing results' messages, with the queue's traffic where known.
    evidence: list[str]
    #: The blockers it resolves (a result can need more than one action, e.g. two permissions).
    resolves: list[Result]
    #: Ids of the actions to do first.
    depends_on: list[str] = field(default_factory=list)
    key: tuple[str, ...] = field(default=(), repr=False)
    #: What `add` has seen, so merging stays linear in the number of blockers.
    _seen: set[object] = field(default_factory=set, repr=False, compare=False)
    #: An edit of one object with one or more changes ("Deployment 'X': activate it; ..."), or a
    #: change worded as a whole sentence ("Grant 'perm' in a role ...").
    edit: bool = True

    @property
    def severity(self) -> Severity:
        return min((r.severity for r in self.resolves), key=lambda s: s.rank)

    @property
    def rule_ids(self) -> list[str]:
        return sorted({r.rule_id for r in self.resolves})

    @property
    def text(self) -> str:
        """One line: the object, then every change, e.g. "Deployment 'X': activate it (now Inactive)"."""
        if not self.edit:
            return "; ".join(c.text for c in self.changes)
        word = resource_word(self.target.type)
        return f"{word[:1].upper()}{word[1:]} '{self.target.name}': " + "; ".join(c.text for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "link": self.link,
            "severity": self.severity.value,
            "text": self.text,
            "target": self.target.to_dict(),
            "changes": [c.to_dict() for c in self.changes],
            "evidence": list(self.evidence),
            # Rule id and fingerprint: the rest of each finding is its entry in `results`.
            "resolves": [{"rule_id": r.rule_id, "fingerprint": r.fingerprint} for r in self.resolves],
            "depends_on": list(self.depends_on),
        }


class _Builder:
    def __init__(self, report: AuditReport) -> None:
        self.report = report
        self.actions: dict[tuple[str, ...], Action] = {}
        self.deps: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        scope = report.scope or {}
        self.traffic = {q.get("id"): q for q in scope.get("queues") or () if isinstance(q, dict)}
        days = (report.datasets.get("conversation_aggregates") or {}).get("days")
        self.pins: dict[str, dict[str, Any]] = {}
        self.window = f"{days} days" if isinstance(days, int) and not isinstance(days, bool) else "the traffic window"

    def add(self, key: tuple[str, ...], link: str, target: Target, change: Change, result: Result,
            evidence: str | None = None, edit: bool = True) -> Action:
        act = self.actions.get(key)
        if act is None:
            act = self.actions[key] = Action("", link, target, [], [], [], key=key, edit=edit)
        if ("change", change.text) not in act._seen:
            act._seen.add(("change", change.text))
            act.changes.append(change)
        if id(result) not in act._seen:
            act._seen.add(id(result))
            act.resolves.append(result)
        text = evidence if evidence is not None else result.message
        if text and ("evidence", text) not in act._seen:
            act._seen.add(("evidence", text))
            act.evidence.append(text)
        return act

    def depend(self, key: tuple[str, ...], on: tuple[str, ...]) -> None:
        self.deps.setdefault(key, set()).add(on)

    # -- per rule -------------------------------------------------------------------------------
    def result(self, r: Result) -> None:
        facts = r.facts or {}
        link = link_of(r) or "queue"
        rid = r.rule_id
        deployment = Target("web_deployment", r.resource_id, r.resource_name)
        if rid == "COB-003":
            status = facts.get("status") or "not Active"
            self.add(("deployment", r.resource_id), "deployment", deployment,
                     Change(f"activate it (now {status})", {"state": "Active", "from_state": status}), r)
        elif rid == "COB-012" and facts.get("configuration_id"):
            version, status = facts.get("version"), facts.get("status")
            config = facts.get("configuration_name") or facts["configuration_id"]
            self.add(("deployment", r.resource_id), "deployment", deployment, Change(
                f"pin an Active version of configuration '{config}' (version {version or '?'} is {status})",
                {"configuration_id": facts["configuration_id"], "state": "Active", "from_version": version}), r)
        elif rid == "COB-008" and facts.get("flow_problem") == "unpublished":
            flow = Target("flow", str(facts.get("flow_id")), str(facts.get("flow_name") or facts.get("flow_id")))
            self.add(("flow", flow.id), "deployment", flow, Change("publish it", {"state": "published"}), r)
        elif rid == "COB-008":
            change = (f"point it at a published inbound message flow ('{facts.get('flow_name')}' does not exist)"
                      if facts.get("flow_problem") == "missing" else "give it an inbound message flow")
            self.add(("deployment", r.resource_id), "deployment", deployment, Change(change), r)
        elif rid in ("COB-002", "COB-004", "COB-009") and facts.get("configuration_id"):
            self.configuration(r, facts)
        elif rid == "AUTHZ-001" and facts.get("permission"):
            permission, channel = facts["permission"], facts.get("channel")
            self.add(("role_grant", permission), "permissions", Target("permission", permission, permission),
                     Change(f"Grant '{permission}' ({channel} co-browse) in a role for co-browse agents",
                            {"permission": permission, "channel": channel}), r, edit=False)
        elif rid == "AUTHZ-002" and facts.get("missing"):
            for missing in facts["missing"]:
                self.members(r, facts, missing["permission"], missing["channel"])
        else:
            self.add((rid, r.resource_type, r.resource_id), link,
                     Target(r.resource_type, r.resource_id, r.resource_name or r.resource_id),
                     Change(action_text(r)), r, edit=False)

    def configuration(self, r: Result, facts: dict[str, Any]) -> None:
        """One edit of the configuration; `finish` appends the publish and the pin, once."""
        config_id = facts["configuration_id"]
        if r.rule_id == "COB-002" and not facts.get("deployments"):
            # Co-browse is on, but no deployment serves the configuration: the change is a pin, no edit.
            name = r.resource_name
            change = Change("pin it in an Active deployment (no deployment pins it)", {"pinned": True})
            self.pins.setdefault(config_id, {})
        elif r.rule_id == "COB-002":
            name = r.resource_name
            change = Change("enable co-browse in the published version (only its draft has it)",
                            {"cobrowse.enabled": True})
            for d in facts.get("deployments") or ():
                self.pins.setdefault(config_id, {})[str(d.get("name"))] = d.get("version")
        else:
            name = facts.get("configuration_name") or config_id
            self.pins.setdefault(config_id, {})[r.resource_name] = facts.get("version")
            if r.rule_id == "COB-009":
                off = facts.get("off") or ()
                change = Change(" and ".join(f"set {s} to true" for s in off) or
                                "turn Messenger and its conversations app on", dict.fromkeys(off, True))
            elif not facts.get("cobrowse_enabled"):
                need = facts.get("need") or []
                change = Change(f"enable co-browse for {' and '.join(need) or 'the planned channels'}",
                                {"cobrowse.enabled": True, "cobrowse.channels": need})
            else:
                need, have = facts.get("need") or [], facts.get("have") or []
                change = Change(f"add {' and '.join(need)} to cobrowse.channels (now {', '.join(have) or 'none'})",
                                {"cobrowse.channels": sorted({*have, *need})})
        self.add(("configuration", config_id), "configuration", Target("messenger_configuration", config_id, name),
                 change, r)

    def finish(self) -> None:
        """Each configuration edit ends with one publish and one pin, naming the deployments to re-pin;
        each member action names every queue it covers."""
        for key, act in self.actions.items():
            if key[0] == "members":
                values = act.changes[0].values
                queues = [r.resource_name for r in act.resolves]
                listed = ", ".join(f"'{q}'" for q in queues[:_QUEUES_NAMED])
                if len(queues) > _QUEUES_NAMED:
                    listed += f" and {len(queues) - _QUEUES_NAMED} more"
                act.changes[:] = [Change(
                    f"Give the joined members of queue(s) {listed} a role granting '{values['permission']}' "
                    f"({values['channel']} co-browse), in the queue's division", {**values, "queues": queues})]
            if key[0] != "configuration":
                continue
            # COB-002 ("only the draft enables co-browse") and COB-004 ("co-browse disabled") on one
            # configuration are one change: keep the one naming the channels.
            if sum("cobrowse.enabled" in c.values for c in act.changes) > 1:
                act.changes[:] = [c for c in act.changes
                                  if "cobrowse.enabled" not in c.values or "cobrowse.channels" in c.values]
            pins = self.pins.get(key[1], {})
            if not pins and any("pinned" in c.values for c in act.changes):
                continue  # nothing to edit or publish: the pin is the whole action
            where = ", ".join(f"'{d}' (now version {v or '?'})" for d, v in sorted(pins.items()))
            act.changes.append(Change(
                f"publish it and pin the new version in {where}" if pins
                else "publish it and pin it in an Active deployment",
                {"state": "published", "deployments": sorted(pins)}))

    def members(self, r: Result, facts: dict[str, Any], permission: str, channel: str) -> None:
        key = ("members", permission)
        self.add(key, "members", Target("permission", permission, permission),
                 Change("", {"permission": permission, "channel": channel, "queues": []}),
                 r, evidence=self.queue_evidence(r, facts, permission, channel), edit=False)
        self.depend(key, ("role_grant", permission))

    def queue_evidence(self, r: Result, facts: dict[str, Any], permission: str, channel: str) -> str:
        """"'Web Support': Webmessaging co-browse works (37 sessions in 7 days); Voice co-browse gets 403"."""
        joined = facts.get("joined")
        parts = []
        traffic = self.traffic.get(r.resource_id) or {}
        sessions = traffic.get("cobrowse_sessions", facts.get("cobrowse_sessions"))
        for held in facts.get("held") or ():
            works = f"{held['channel']} co-browse works ({held['holders']} of {joined} hold {held['permission']}"
            if sessions:
                works += f"; {sessions} co-browse sessions in {self.window}"
            parts.append(works + ")")
        if not facts.get("held") and sessions:
            parts.append(f"{sessions} co-browse sessions in {self.window}, yet no joined member holds it now")
            return f"'{r.resource_name}': " + "; ".join(parts) + f"; {channel} co-browse needs {permission}"
        parts.append(f"{channel} co-browse gets 403: none of {joined} joined members holds {permission}")
        return f"'{r.resource_name}': " + "; ".join(parts)


def build(report: AuditReport, blockers: list[Result]) -> list[Action]:
    """The actions resolving `blockers` (FAIL results only: fast at any org size)."""
    b = _Builder(report)
    org_wide: list[Result] = []
    for r in blockers:
        if r.rule_id == "COB-001":
            org_wide.append(r)  # resolved by any activation: attached below, not repeated
        else:
            b.result(r)
    activations = sorted((a for k, a in b.actions.items() if k[0] == "deployment"
                          and any(c.values.get("state") == "Active" and "from_state" in c.values for c in a.changes)),
                         key=lambda a: a.target.name.casefold())
    for r in org_wide:
        if activations:
            first = activations[0]
            first.resolves.append(r)
            first.evidence.append(f"{r.message} Activating this deployment resolves COB-001 too.")
        else:
            b.add(("org", r.rule_id), "deployment", Target("organization", r.resource_id, r.resource_name),
                  Change(action_text(r)), r, edit=False)
    b.finish()
    return _ordered(b)


def _ordered(b: _Builder) -> list[Action]:
    def rank(a: Action) -> tuple[Any, ...]:
        return (_LINK_ORDER.get(a.link, 99), a.severity.rank, a.rule_ids[0], a.target.name.casefold(), a.target.id)

    pending = sorted(b.actions.values(), key=rank)
    done: list[Action] = []
    seen: set[tuple[str, ...]] = set()

    def visit(a: Action) -> None:
        if a.key in seen:
            return
        seen.add(a.key)
        for dep in sorted((b.actions[k] for k in b.deps.get(a.key, ()) if k in b.actions), key=rank):
            visit(dep)
        done.append(a)

    for a in pending:
        visit(a)
    ids = {a.key: f"A{n}" for n, a in enumerate(done, 1)}
    for a in done:
        a.id = ids[a.key]
        a.depends_on = sorted((ids[k] for k in b.deps.get(a.key, ()) if k in ids), key=lambda i: int(i[1:]))
    return done
