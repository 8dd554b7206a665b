"""Synthetic orgs of any size, deterministic from a seed, in the real Platform API shapes.

Shared by tests (`SyntheticOrg(spec).builder()` gives an `OrgBuilder`), the fake Platform API
(which serves a snapshot directory written by `write()`) and the benchmarks (50,000-queue
snapshots). Every entity comes from `auditor.testing.factories`, so the shapes are the ones the
rules and the collectors are tested against.

Large orgs are written by streaming: the per-queue datasets (about 10 wrap-up codes and 20
members per queue) are generated one queue at a time and encoded straight into their files, so
memory stays flat however many queues there are. Generation order is fixed and all randomness
comes from one `random.Random(seed)`, so the same spec always gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from auditor import __version__
from auditor.snapshot import DATASETS, DatasetStatus, Manifest, columnar
from auditor.snapshot.store import DIR_MODE, FILE_MODE, MANIFEST_FILE
from auditor.testing import factories as f
from auditor.testing.builder import DEFAULT_ORG_ID, OrgBuilder

_FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kai", "Lena",
          "Malik", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Yara")
_LAST = ("Adams", "Bauer", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen",
         "Kowalski", "Lopez", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Weber")
_DEPARTMENTS = ("Billing", "Sales", "Support", "Retention", "Claims", "Onboarding", "Collections",
                "Returns", "Travel", "Loyalty", "Fraud", "Technical")
_QUEUE_KINDS = ("Web Messaging", "Voice", "Escalations", "Priority", "Callbacks", "VIP", "Overflow")
_CODE_NAMES = ("Resolved", "Callback scheduled", "Escalated", "Sale", "No sale", "Refund issued",
               "Wrong queue", "Customer hung up", "Information given", "Complaint", "Co-browse assisted",
               "Follow-up needed", "Duplicate", "Spam", "Transferred")
_DIVISIONS = (
    f.HOME_DIVISION,
    *({"id": f.new_id(f"division:{name}"), "name": name,
       "selfUri": f"/api/v2/authorization/divisions/{f.new_id(f'division:{name}')}"}
      for name in ("EMEA", "Americas", "APAC")),
)
#: GET /authorization/divisions: the same divisions as AuthzDivision.
_AUTHZ_DIVISIONS = tuple(f.authz_division_of(d) for d in _DIVISIONS)
_TRAFFIC_INTERVAL = "2026-11-17T02:00:00.000Z/2026-11-24T02:00:00.000Z"
# (prompt, weight): the mix of After Call Work settings seen in contact centres.
_PROMPTS = (("OPTIONAL", 40), ("MANDATORY_TIMEOUT", 35), ("MANDATORY", 15),
            ("MANDATORY_FORCED_TIMEOUT", 5), ("AGENT_REQUESTED", 5))
_TIMEOUT_PROMPTS = {"MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT", "AGENT_REQUESTED"}
_PERMISSIONS = (
    "routing:queue:view", "routing:queue:edit", "routing:queue:join", "routing:wrapupCode:view",
    "routing:wrapupCode:add,edit", "conversation:communication:accept,disconnect,transfer",
    "conversation:message:create", "conversation:webmessaging:view", "conversation:cobrowse:add",
    "conversation:cobrowseVoice:add", "conversation:participant:wrapup", "analytics:conversationDetail:view",
    "analytics:queueObservation:view", "quality:evaluation:view", "directory:user:view",
    "authorization:role:view", "oauth:client:view", "webDeployments:deployment:view",
    "webDeployments:configuration:view,edit", "routing:agent:view", "users:*:view", "telephony:phone:*",
    "architect:flow:view", "outbound:campaign:view",
)
_ROLE_NAMES = ("Supervisor", "Quality Evaluator", "Team Lead", "Reporting", "Workforce Planner",
               "Integration", "Messaging Admin", "Telephony Admin", "Trainer", "Back Office")
# (grant, weight): client-credentials integrations dominate real orgs.
_GRANTS = (("CLIENT-CREDENTIALS", 60), ("CODE", 15), ("TOKEN", 10), ("PASSWORD", 10), ("SAML2-BEARER", 5))
_SCOPES = ("routing", "routing:readonly", "conversations", "conversations:readonly", "users:readonly",
           "analytics:readonly", "webdeployments:readonly", "oauth:readonly", "authorization:readonly")
_MASK_SELECTORS = ("input[type=password]", "#card-number", ".ssn", "[data-private]")

#: json.dumps settings for the files: compact, UTF-8 (as the collector writes them without indent).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class OrgSpec:
    """How big an org to generate. `scaled(n)` keeps roles, clients, users and codes in proportion."""

    queues: int
    roles: int
    oauth_clients: int
    deployments: int
    users: int
    wrapupcodes: int
    codes_per_queue: int = 10
    members_per_queue: int = 20
    seed: int = 0
    org_id: str = DEFAULT_ORG_ID
    org_name: str = "Synthetic Contact Centre"

    @classmethod
    def scaled(cls, queues: int, *, seed: int = 0, **overrides: Any) -> OrgSpec:
        """An org around `queues` queues; 2,000 queues -> 200 roles, 300 clients, 20 deployments."""
        spec = cls(
            queues=queues,
            roles=max(6, queues // 10),
            oauth_clients=max(6, queues * 3 // 20),
            deployments=max(2, queues // 100),
            users=max(40, queues * 5),
            wrapupcodes=max(20, queues // 4),
            seed=seed,
        )
        return replace(spec, **overrides)


class SyntheticOrg:
    """Generates the entities of an `OrgSpec`. Cheap to construct; generation happens on use."""

    def __init__(self, spec: OrgSpec) -> None:
        self.spec = spec
        s = spec.seed
        self._user_ids = [f.new_id(f"synthetic:{s}:user:{i}") for i in range(spec.users)]
        self._code_entities = [self._wrapup_code(i) for i in range(spec.wrapupcodes)]
        self._role_ids = [f.new_id(f"synthetic:{s}:role:{i}") for i in range(spec.roles)]

    # -- names and ids ------------------------------------------------------------------------

    def user_name(self, index: int) -> str:
        first = _FIRST[index % len(_FIRST)]
        last = _LAST[(index // len(_FIRST)) % len(_LAST)]
        return f"{first} {last} {index:06d}"

    def queue_name(self, index: int) -> str:
        dept = _DEPARTMENTS[index % len(_DEPARTMENTS)]
        kind = _QUEUE_KINDS[(index // len(_DEPARTMENTS)) % len(_QUEUE_KINDS)]
        return f"{dept} {kind} {index:05d}"

    def _wrapup_code(self, index: int) -> dict[str, Any]:
        name = f"{_CODE_NAMES[index % len(_CODE_NAMES)]} {index:04d}"
        return f.wrapup_code(name, id=f.new_id(f"synthetic:{self.spec.seed}:wrapup:{index}"),
                             division=_DIVISIONS[index % len(_DIVISIONS)])

    # -- per-queue entities -------------------------------------------------------------------

    def iter_queues(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]:
        """(queue, its wrap-up codes, its members) for every queue, in a fixed order."""
        spec = self.spec
        rng = random.Random(f"{spec.seed}:queues")
        prompts = [p for p, _ in _PROMPTS]
        weights = [w for _, w in _PROMPTS]
        for index in range(spec.queues):
            prompt = rng.choices(prompts, weights)[0]
            message = rng.random() < 0.6
            call = not message or rng.random() < 0.5
            # ~10 codes per queue; a few mandatory-wrap-up queues have none (what QUE-002 catches).
            n_codes = max(0, rng.randint(spec.codes_per_queue // 2, spec.codes_per_queue * 3 // 2))
            if prompt.startswith("MANDATORY") and rng.random() < 0.03:
                n_codes = 0
            # ~20 members; about 1% of queues are large enough to need a second page of 100.
            low, high = spec.members_per_queue // 2, spec.members_per_queue * 3 // 2
            n_members = rng.randint(low, high) if rng.random() >= 0.01 else rng.randint(120, 250)
            n_members = min(n_members, spec.users)
            n_codes = min(n_codes, spec.wrapupcodes)
            code_idx = rng.sample(range(spec.wrapupcodes), n_codes)
            member_idx = rng.sample(range(spec.users), n_members)
            members = [
                f.queue_member(
                    self._user_ids[u], self.user_name(u),
                    joined=rng.random() < 0.85,
                    member_by="user" if rng.random() < 0.9 else "group",
                )
                for u in member_idx
            ]
            joined = sum(1 for m in members if m["joined"])
            # A real org's queues carry settings for all five media types (the server fills them
            # in); `message`/`call` now only decide which traffic the queue takes.
            queue = f.queue(
                self.queue_name(index),
                id=f.new_id(f"synthetic:{spec.seed}:queue:{index}"),
                message=message,
                call=call,
                wrapup_prompt=prompt,
                timeout_ms=rng.choice((30_000, 60_000, 120_000)) if prompt in _TIMEOUT_PROMPTS else None,
                joined_member_count=joined,
                member_count=n_members,
                division=_DIVISIONS[index % len(_DIVISIONS)],
                mediaSettings=f.all_media_settings(),
            )
            yield queue, [self._code_entities[c] for c in code_idx], members

    def aggregates(self) -> list[dict[str, Any]]:
        """The traffic window's conversation aggregates: web messaging on most message queues,
        voice on most call queues; some queues took nothing."""
        rng = random.Random(f"{self.spec.seed}:traffic")
        out = []
        for index in range(self.spec.queues):
            message = rng.random() < 0.6
            queue_id = f.new_id(f"synthetic:{self.spec.seed}:queue:{index}")
            if message and rng.random() < 0.8:
                n = rng.randint(1, 400)
                out.append(f.aggregate(queue_id, "message", _TRAFFIC_INTERVAL, conversations=n,
                                       message_type="webmessaging", cobrowse_sessions=rng.randint(0, n // 10)))
            if not message or rng.random() < 0.3:
                out.append(f.aggregate(queue_id, "voice", _TRAFFIC_INTERVAL, conversations=rng.randint(1, 900)))
        return out

    # -- org-level lists ----------------------------------------------------------------------

    def wrapupcodes(self) -> list[dict[str, Any]]:
        return list(self._code_entities)

    def roles(self) -> list[tuple[dict[str, Any], list[str]]]:
        """(role, ids of the users holding it). The first roles are the org's default roles."""
        spec = self.spec
        rng = random.Random(f"{spec.seed}:roles")
        users = self._user_ids
        out: list[tuple[dict[str, Any], list[str]]] = []
        for index, role_id in enumerate(self._role_ids):
            extra: dict[str, Any] = {}
            if index == 0:
                name, perms, holders = "Master Admin", ["*:*:*"], rng.sample(users, min(3, len(users)))
                extra = {"defaultRoleId": "admin", "default": True}
            elif index == 1:
                # Every user holds the default employee role: the largest role_users listing.
                name, perms, holders = "Employee", ["directory:user:view", "routing:agent:view"], users
                extra = {"defaultRoleId": "employee", "default": True}
            elif index == 2:
                name = "Agent - Web Messaging"
                perms = ["conversation:message:create", "conversation:cobrowse:add", "routing:queue:join",
                         "conversation:participant:wrapup"]
                holders = rng.sample(users, len(users) * 3 // 5)
            elif index == 3:
                name = "Agent - Voice"
                perms = ["conversation:communication:accept,disconnect,transfer", "conversation:cobrowseVoice:add",
                         "routing:queue:join"]
                holders = rng.sample(users, len(users) // 2)
            else:
                name = f"{_ROLE_NAMES[index % len(_ROLE_NAMES)]} {index:04d}"
                perms = rng.sample(_PERMISSIONS, rng.randint(3, 12))
                holders = rng.sample(users, min(len(users), rng.choice((0, 2, 5, 10, 25, 60))))
            role = f.role(name, perms, id=role_id, **extra)
            out.append((role, list(holders)))
        return out

    def group_id(self) -> str:
        return f.new_id(f"synthetic:{self.spec.seed}:group:web-agents")

    def group_members(self) -> list[str]:
        rng = random.Random(f"{self.spec.seed}:group")
        return rng.sample(self._user_ids, min(len(self._user_ids), 12))

    def subject_grants(self) -> dict[str, list[dict[str, Any]]]:
        """role id -> SubjectDivisionGrants: most holders in all divisions, some web-messaging agents
        only in one division, and the web-messaging role also granted to a group."""
        rng = random.Random(f"{self.spec.seed}:grants")
        index_of = {u: i for i, u in enumerate(self._user_ids)}
        out: dict[str, list[dict[str, Any]]] = {}
        for index, (role, holders) in enumerate(self.roles()):
            grants = []
            for user_id in holders:
                scoped = index == 2 and rng.random() < 0.2
                divisions = [_DIVISIONS[rng.randrange(len(_DIVISIONS))]] if scoped else ["*"]
                grants.append(f.subject_grant(user_id, name=self.user_name(index_of[user_id]), divisions=divisions))
            if index == 2:
                grants.append(f.subject_grant(self.group_id(), name="Web Messaging Agents", subject_type="PC_GROUP"))
            out[role["id"]] = grants
        return out

    def group_individuals(self) -> dict[str, list[dict[str, Any]]]:
        members = self.group_members()
        return {self.group_id(): [f.user(u, self.user_name(self._user_ids.index(u))) for u in members]}

    def oauth_clients(self) -> list[dict[str, Any]]:
        spec = self.spec
        rng = random.Random(f"{spec.seed}:clients")
        grants = [g for g, _ in _GRANTS]
        weights = [w for _, w in _GRANTS]
        out = []
        for index in range(spec.oauth_clients):
            # Cycle through every grant first so even tiny orgs have one of each.
            grant = grants[index] if index < len(grants) else rng.choices(grants, weights)[0]
            state = rng.choices(("active", "disabled", "inactive"), (90, 5, 5))[0]
            extra: dict[str, Any] = {}
            if state == "inactive":
                extra["dateToDelete"] = "2026-12-31T00:00:00.000Z"
            roles: list[tuple[str, str]] = []
            scopes: list[str] = []
            uris: list[str] = []
            if grant == "CLIENT-CREDENTIALS":
                picked = rng.sample(self._role_ids, min(len(self._role_ids), rng.randint(1, 3)))
                roles = [(r, rng.choice(("*", _DIVISIONS[0]["id"], _DIVISIONS[1]["id"]))) for r in picked]
            else:
                scopes = rng.sample(_SCOPES, rng.randint(1, 4))
            if grant in ("CODE", "TOKEN"):
                uris = [f"https://app{index}.example.com/oauth/callback"]
            client = f.oauth_client(
                f"Integration {index:04d} ({grant.lower()})", grant,
                id=f.new_id(f"synthetic:{spec.seed}:client:{index}"),
                roles=roles, scopes=scopes, redirect_uris=uris, state=state,
                token_validity=rng.choice((86400, 86400, 172800, 3600)), **extra,
            )
            out.append(client)
        return out

    def auth(self) -> dict[str, list[dict[str, Any]]]:
        """The auth-setup datasets (issue 21), as a real org of this size answers them: settings
        mostly hardened with a seeded chance of each common gap, every user with a last token (a
        few dormant, some signing in through SSO only, so with an old dateLastLogin), one or two
        authorized organizations, and daily API usage for most OAuth clients."""
        rng = random.Random(f"{self.spec.seed}:auth")
        # MFA required and no dormant admin: the high-severity auth rules pass, so a synthetic org's
        # high findings stay those of its co-browse setup; the medium and low gaps vary by seed.
        settings = f.auth_settings()
        admins = set(self.roles()[0][1]) if self._role_ids else set()
        if rng.random() < 0.3:
            settings["passwordRequirements"]["minimumLength"] = 6
        timeout = f.token_timeout(None if rng.random() < 0.3 else rng.choice((900, 1800, 3600, 28800)))
        users = []
        for index, user_id in enumerate(self._user_ids):
            dormant = rng.random() >= 0.95 and user_id not in admins
            days = rng.randint(91, 400) if dormant else rng.choice((0, 0, 0, 1, 2, 5, 12))
            issued = f"2026-11-{24 - min(days, 23):02d}T08:00:00.000Z" if days < 24 else "2026-06-01T08:00:00.000Z"
            sso = rng.random() < 0.5  # SSO sign-ins leave dateLastLogin where the last password login was
            users.append(f.user_activity(user_id, self.user_name(index), token_issued=issued,
                                         last_login="2025-01-10T08:00:00.000Z" if sso else issued))
        trustees = [f.trustee(f.new_id(f"synthetic:{self.spec.seed}:trustee:support"), "Genesys Product Support",
                              expires="2026-12-31T00:00:00Z")]
        if rng.random() < 0.5:
            trustees.append(f.trustee(f.new_id(f"synthetic:{self.spec.seed}:trustee:partner"), "Partner BPO",
                                      full_access=True, expires=None))
        usage = []
        for client in self.oauth_clients():
            if rng.random() < 0.85:
                usage.extend(f.usage_row(client, f"2026-11-{day:02d}", rng.randint(1, 5000))
                             for day in sorted(rng.sample(range(1, 24), 3)))
        return {"auth_settings": [settings], "token_timeout": [timeout],
                "embedded_integration": [f.embedded_integration()], "genesys_login": [f.genesys_login()],
                "identity_providers": [f.identity_provider("Okta")], "org_trustees": trustees,
                "users": users, "oauth_usage": usage}

    def deployments_and_configurations(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Deployments (expand=Configuration: the pinned version inlined) and the configuration drafts."""
        spec = self.spec
        rng = random.Random(f"{spec.seed}:deployments")
        deployments, configurations = [], []
        for index in range(spec.deployments):
            enabled = index == 0 or rng.random() < 0.5
            channels = ("Webmessaging", "Voice") if rng.random() < 0.3 else ("Webmessaging",)
            settings = f.cobrowse(enabled=enabled, channels=channels if enabled else (),
                                  allow_agent_control=rng.random() < 0.3,
                                  mask_selectors=rng.sample(_MASK_SELECTORS, rng.randint(0, 3)))
            config_id = f.new_id(f"synthetic:{spec.seed}:config:{index}")
            name = f"Messenger {_DEPARTMENTS[index % len(_DEPARTMENTS)]} {index:03d}"
            version = str(rng.randint(1, 12))
            pinned = f.configuration(name, id=config_id, version=version, cobrowse_settings=settings)
            # The draft is one version ahead and sometimes changes the co-browse setting.
            draft_settings = settings if rng.random() < 0.8 else f.cobrowse(enabled=not enabled)
            configurations.append(f.configuration(name, id=config_id, version=str(int(version) + 1),
                                                  status="Pending", cobrowse_settings=draft_settings))
            all_domains = rng.random() < 0.1
            deployments.append(f.deployment(
                name, pinned, id=f.new_id(f"synthetic:{spec.seed}:deployment:{index}"),
                status="Active" if index == 0 else rng.choices(("Active", "Inactive", "Pending"), (80, 15, 5))[0],
                allowed_domains=(f"www.site{index}.example.com", f"help.site{index}.example.com"),
                allow_all_domains=all_domains,
                flow=f.flow_ref(self._flow(index)),
            ))
        return deployments, configurations

    def _flow(self, index: int) -> dict[str, Any]:
        # Every tenth deployment's inbound message flow was saved but never published.
        return f.flow(f"Inbound Messaging {_DEPARTMENTS[index % len(_DEPARTMENTS)]} {index:03d}",
                      id=f.new_id(f"synthetic:{self.spec.seed}:flow:{index}"), published=index % 10 != 9,
                      division=_DIVISIONS[index % len(_DIVISIONS)])

    def flows(self) -> list[dict[str, Any]]:
        return [self._flow(index) for index in range(self.spec.deployments)]

    def plan(self) -> dict[str, Any]:
        """A rollout plan naming a few deployments and clients; queues left empty = every message queue."""
        deployments, _ = self.deployments_and_configurations()
        enabled = [d["name"] for d in deployments if d["configuration"]["cobrowse"]["enabled"]][:3]
        clients = [c["name"] for c in self.oauth_clients() if c["authorizedGrantType"] == "CLIENT-CREDENTIALS"][:3]
        return {
            "cobrowse": {
                "channels": ["Webmessaging"],
                "deployments": enabled,
                "sites": ["https://www.site0.example.com/help"],
                "integration_clients": clients,
            }
        }

    # -- outputs ------------------------------------------------------------------------------

    def builder(self) -> OrgBuilder:
        """The whole org in memory (tests and small orgs)."""
        org = OrgBuilder(org_id=self.spec.org_id, org_name=self.spec.org_name, divisions=list(_AUTHZ_DIVISIONS))
        for queue, codes, members in self.iter_queues():
            org.add_queue(queue, codes, members)
        org.wrapupcodes.extend(self.wrapupcodes())
        grants = self.subject_grants()
        for role, _ in self.roles():
            org.add_role(role, grants=grants[role["id"]])
        org.group_individuals.update(self.group_individuals())
        org.oauth_clients.extend(self.oauth_clients())
        deployments, configurations = self.deployments_and_configurations()
        org.deployments.extend(deployments)
        org.configurations.extend(configurations)
        org.flows.extend(self.flows())
        org.conversation_aggregates = [*(org.conversation_aggregates or []), *self.aggregates()]
        for name, content in self.auth().items():
            setattr(org, name, content)
        return org

    def write(self, target: Path | str) -> Path:
        """Write the org as a snapshot directory, streaming the per-queue datasets.

        Like `SnapshotWriter`, files go to a hidden temporary directory that is renamed into
        place once the manifest is written, so an interrupted run leaves no half snapshot.
        """
        target = Path(target)
        if target.exists() and any(target.iterdir()):
            raise FileExistsError(f"{target} exists and is not empty")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
        try:
            os.chmod(tmp, DIR_MODE)
            counts = self._write_queue_files(tmp)
            roles = self.roles()
            deployments, configurations = self.deployments_and_configurations()
            builder = OrgBuilder(divisions=list(_AUTHZ_DIVISIONS))
            lists: dict[str, Any] = {
                "divisions": list(_AUTHZ_DIVISIONS),
                "wrapupcodes": self.wrapupcodes(),
                "roles": [r for r, _ in roles],
                "role_subjectgrants": self.subject_grants(),
                "group_individuals": self.group_individuals(),
                "oauth_clients": self.oauth_clients(),
                "deployments": deployments,
                "configurations": configurations,
                "flows": self.flows(),
                "conversation_aggregates": self.aggregates(),
                "divisions_permitted": builder.permitted(),
                **self.auth(),
            }
            for name, content in lists.items():
                with _open(tmp / f"{name}.json") as out:
                    out.write(_ENCODER.encode(content))
                counts[name] = sum(map(len, content.values())) if isinstance(content, dict) else len(content)
            for name in columnar.LAYOUTS:  # as SnapshotWriter does
                columnar.write(name, tmp / f"{name}.json", FILE_MODE)
            manifest = Manifest(
                collected_at="2026-11-24T02:00:00Z",
                organization_id=self.spec.org_id,
                organization_name=self.spec.org_name,
                region="eu-west-1",
                tool_version=__version__,
                datasets={d.name: DatasetStatus(status="ok", entities=counts[d.name]) for d in DATASETS},
                extra={"synthetic": {"seed": self.spec.seed, "queues": self.spec.queues}},
            )
            traffic = manifest.datasets["conversation_aggregates"]
            traffic.interval, traffic.days = _TRAFFIC_INTERVAL, 7
            usage_status = manifest.datasets["oauth_usage"]
            usage_status.interval, usage_status.days = "2026-08-26T02:00:00/2026-11-24T02:00:00", 90
            with _open(tmp / MANIFEST_FILE) as out:
                out.write(json.dumps(manifest.to_dict(), indent=2) + "\n")
            if target.exists():
                target.rmdir()
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return target

    def _write_queue_files(self, root: Path) -> dict[str, int]:
        counts = {"queues": 0, "queue_wrapupcodes": 0, "queue_members": 0}
        with (_open(root / "queues.json") as queues, _open(root / "queue_wrapupcodes.json") as codes,
              _open(root / "queue_members.json") as members):
            queues.write("[")
            codes.write("{")
            members.write("{")
            for queue, queue_codes, queue_members in self.iter_queues():
                sep = "," if counts["queues"] else ""
                key = _ENCODER.encode(queue["id"])
                queues.write(sep + _ENCODER.encode(queue))
                codes.write(f"{sep}{key}:{_ENCODER.encode(queue_codes)}")
                members.write(f"{sep}{key}:{_ENCODER.encode(queue_members)}")
                counts["queues"] += 1
                counts["queue_wrapupcodes"] += len(queue_codes)
                counts["queue_members"] += len(queue_members)
            queues.write("]\n")
            codes.write("}\n")
            members.write("}\n")
        return counts


def _open(path: Path) -> IO[str]:
    """A new owner-only text file (snapshot files hold org configuration)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    return os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 20)


def synthetic_org(queues: int, *, seed: int = 0, **overrides: Any) -> SyntheticOrg:
    """Shorthand: `synthetic_org(2000).write(path)`."""
    return SyntheticOrg(OrgSpec.scaled(queues, seed=seed, **overrides))
