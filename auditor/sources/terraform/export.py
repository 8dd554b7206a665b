"""`gcaudit export-terraform SNAPSHOT DIR`: an audited org as exporter-style Terraform.

The output follows the provider exporter's style (`genesyscloud_tf_export`): one resource per
object, named after the object (lower case, other characters replaced by `_`), references between
exported objects instead of ids, literal ids where the referenced object is not exported. What the
provider cannot express (`CANNOT_EXPRESS`) is left out and listed in `README.txt` next to the files.
Attribute names and defaults: see `mappers.py` (the same provider docs, read in the other direction).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from auditor.errors import InputError, OutputError
from auditor.safety.fileio import atomic_write_bytes, make_private_dirs
from auditor.snapshot.store import Snapshot
from auditor.sources.terraform.mappers import COBROWSE_FIELDS, COBROWSE_LISTS, MEDIA, MEMBER_GROUPS
from auditor.sources.terraform.provider_enums import ENUMS

#: What a configuration cannot say, so a round trip (snapshot -> export -> audit) differs there.
CANNOT_EXPRESS = {
    "queue_members.joined": "Joining a queue is each agent's act: `members` has only user_id and ring_num.",
    "queue_members.group": "Members through a group are the group's, not `members` entries: the queue's "
                           "member groups are written as `groups` / `skill_groups` / `teams` (memberGroups).",
    "queues.mediaSettings (absent)": "media_settings_* are Optional+Computed: leaving one out keeps the current "
                                     "settings on update and lets the server decide on create.",
    "deployments.configuration (older version)": "A deployment pinning an older version than the configuration's "
                                                 "current one: that version's settings are not a resource.",
    "oauth_clients.dateToDelete": "A client scheduled for deletion: no attribute.",
    "role_subjectgrants (groups)": "Roles granted to groups (PC_GROUP subjects) and the groups' users "
                                   "(group_individuals): group membership is not exported, so rules needing "
                                   "it report that group_individuals is not in the Terraform configuration.",
    "flows": "Inbound message flows are Architect YAML files (genesyscloud_flow `filepath`), not in a "
             "snapshot: deployments keep the flow id, and flows are not in the Terraform configuration.",
    "conversation_aggregates": "Traffic is not configuration: the co-browse queue scope falls back to "
                               "message media settings, and QUE-005 cannot be evaluated.",
    "divisions_permitted": "The auditing client's own division visibility: not configuration.",
}

_NAME = re.compile(r"[^a-zA-Z0-9_-]")


def _label(name: str, used: set[str]) -> str:
    label = _NAME.sub("_", name.strip()).lower() or "unnamed"
    if label[0].isdigit() or label[0] == "-":
        label = "_" + label
    base, n = label, 2
    while label in used:
        label, n = f"{base}_{n}", n + 1
    used.add(label)
    return label


class Unwritable(ValueError):
    """A value HCL cannot hold (a lone surrogate, a non-finite number)."""


#: HCL's escapes (native syntax spec, "Template Literals"): \n \r \t \" \\ and \uNNNN.
_ESCAPE = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _str(value: Any) -> str:
    """A quoted HCL string that reads back (in Terraform and in gcaudit's reader) as exactly
    `value`: quotes, backslashes and controls escaped the HCL way (JSON's `\b` and `\f` are not
    HCL), and the template sequences `${` / `%{` written `$${` / `%%{` so they stay text."""
    out = []
    for ch in str(value):
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise Unwritable("a lone surrogate (not a character; it cannot be written as UTF-8)")
        if ch in _ESCAPE:
            out.append(_ESCAPE[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + _literal_templates("".join(out)) + '"'


def _literal_templates(text: str) -> str:
    """`${` and `%{` kept as text: `$${` / `%%{` (HCL's escapes) when a `}` follows later in the
    string, else `${"$"}{` / `${"%"}{` (an interpolation of the one character), which HCL reads
    the same and python-hcl2, gcaudit's parser, can also lex (its escape token needs the `}`)."""
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in ("${", "%{"):
            out.append(pair[0] + pair if "}" in text[i + 2:] else '${"' + pair[0] + '"}{')
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _value(value: Any) -> str:
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise Unwritable("not a finite number")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return _str(value)


class Ref:
    def __init__(self, text: str) -> None:
        self.text = text


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def resource(self, rtype: str, label: str, body: list[tuple[str, Any]]) -> None:
        self.lines.append(f'resource "{rtype}" "{label}" {{')
        self._body(body, 1, f"{rtype}.{label}")
        self.lines.append("}")
        self.lines.append("")

    def _body(self, body: list[tuple[str, Any]], depth: int, where: str) -> None:
        pad = "  " * depth
        width = max((len(k) for k, v in body if not isinstance(v, Block)), default=0)
        for key, value in body:
            if isinstance(value, Block):
                self.lines.append(f"{pad}{key} {{")
                self._body(value.body, depth + 1, f"{where}.{key}")
                self.lines.append(f"{pad}}}")
            elif value is not None:
                try:
                    self.lines.append(f"{pad}{key.ljust(width)} = {_value(value)}")
                except Unwritable as exc:
                    # Named by resource and attribute (the label is the object's name made safe).
                    raise InputError("export", f"cannot be written as Terraform: {exc}", field=f"{where}.{key}") \
                        from None


class Block:
    def __init__(self, body: list[tuple[str, Any]]) -> None:
        self.body = body


def _list(snapshot: Snapshot, name: str) -> list[dict[str, Any]]:
    return snapshot.raw(name) or [] if snapshot.available(name) else []


def _keyed(snapshot: Snapshot, name: str) -> dict[str, list[dict[str, Any]]]:
    return snapshot.raw(name) or {} if snapshot.available(name) else {}


def _enum(rtype: str, attribute: str, value: Any) -> bool:
    """Whether the provider's ValidateFunc accepts `value` (provider_enums.ENUMS)."""
    accepted = ENUMS.get((rtype, attribute))
    return accepted is None or (isinstance(value, str) and accepted.accepts(value))


#: OAuthClient.state "disabled" (SDK models/o_auth_client.py: active, disabled, inactive) is not in the
#: provider's list (active, inactive); unset means the Default "active" (oauth_client schema `state`),
#: and "inactive" means something else to the API (the client is scheduled for deletion, OAUTH-008):
#: no accepted value keeps the client as it is, so such a client is left out with a note.


def user_roles_complete(snapshot: Snapshot) -> str | None:
    """Why `genesyscloud_user_roles` cannot be exported, or None. The resource replaces every direct
    grant of its user (updateUserRolesFn, user_roles/genesyscloud_user_roles_proxy.go): only a complete,
    org-wide role-grant listing says what a user holds."""
    if not snapshot.available("role_subjectgrants"):
        return "role_subjectgrants was not collected"
    status = snapshot.status("role_subjectgrants")
    if status.status != "ok":
        return f"role_subjectgrants is {status.status} (not every division was visible)"
    if status.scope not in (None, "all"):
        return f"role_subjectgrants was collected for a call plan (scope {status.scope!r}), not org-wide"
    return None


def direct_grants(snapshot: Snapshot) -> dict[str, list[tuple[str, list[str]]]]:
    """User id -> (role id, division ids) of the grants the user holds directly: PC_USER subjects whose
    grant was made to the user (`subjectId` absent or the user's own; a grant through a group is the
    group's, AuthzGrant.subjectId in SDK models/authz_grant.py)."""
    holders: dict[str, list[tuple[str, list[str]]]] = {}
    for role_id, subjects in _keyed(snapshot, "role_subjectgrants").items():
        for subject in subjects:
            if subject.get("type") != "PC_USER" or subject.get("subjectId", subject["id"]) != subject["id"]:
                continue
            divisions = [d["id"] for d in subject.get("divisions") or [] if isinstance(d, dict) and d.get("id")]
            holders.setdefault(subject["id"], []).append((role_id, divisions))
    return holders


def render_terraform(snapshot: Snapshot, notes: list[str] | None = None) -> str:
    """The exporter-style configuration; what it leaves out, and why, goes to `notes`."""
    notes = notes if notes is not None else []
    out = Writer()
    used: set[str] = set()
    refs: dict[str, str] = {}  # entity id -> "type.label"

    def ref(entity_id: Any, attribute: str = "id") -> Any:
        target = refs.get(str(entity_id))
        return Ref(f"{target}.{attribute}") if target else entity_id

    # Referenced objects first, so every reference names an exported resource.
    for division in _list(snapshot, "divisions"):
        label = _label(division["name"], used)
        refs[division["id"]] = f"genesyscloud_auth_division.{label}"
        # `home` "can be set to manage the pre-existing home division" (docs/resources/auth_division.md).
        out.resource("genesyscloud_auth_division", label, [
            ("name", division["name"]), ("description", division.get("description")),
            ("home", True if division.get("homeDivision") else None)])
    for code in _list(snapshot, "wrapupcodes"):
        label = _label(code["name"], used)
        refs[code["id"]] = f"genesyscloud_routing_wrapupcode.{label}"
        out.resource("genesyscloud_routing_wrapupcode", label, [
            ("name", code["name"]), ("division_id", ref((code.get("division") or {}).get("id")))])
    for role in _list(snapshot, "roles"):
        label = _label(role["name"], used)
        refs[role["id"]] = f"genesyscloud_auth_role.{label}"
        body: list[tuple[str, Any]] = [("name", role["name"]), ("default_role_id", role.get("defaultRoleId"))]
        if role.get("permissions"):
            body.append(("permissions", list(role["permissions"])))
        for policy in role.get("permissionPolicies") or []:
            inner: list[tuple[str, Any]] = [
                ("domain", policy["domain"]), ("entity_name", policy["entityName"]),
                ("action_set", list(policy.get("actionSet") or []))]
            node = policy.get("resourceConditionNode")
            if isinstance(node, dict) and node.get("terms"):
                inner.append(("conditions", Block([("conjunction", node.get("conjunction") or "AND")] + [
                    ("terms", Block([("variable_name", t.get("variableName")), ("operator", t.get("operator"))] + [
                        ("operands", Block([("type", o.get("type")), ("queue_id", o.get("queueId")),
                                            ("user_id", o.get("userId")), ("value", o.get("value"))]))
                        for o in t.get("operands") or []]))
                    for t in node["terms"] if isinstance(t, dict)])))
            body.append(("permission_policies", Block(inner)))
        out.resource("genesyscloud_auth_role", label, body)
    configs = {c["id"]: c for c in _list(snapshot, "configurations")}
    for config in list(configs.values()):
        # `languages` (Required, MinItems 1) and `default_language` (Required): configuration schema.
        if not config.get("languages") or not config.get("defaultLanguage"):
            notes.append(f"configuration {config['name']!r}: left out, the snapshot has no languages / "
                         "default_language (both required by the provider; none is invented)")
            del configs[config["id"]]
            continue
        if not _enum("genesyscloud_webdeployments_configuration", "status", config.get("status")):
            notes.append(f"configuration {config['name']!r}: status {config.get('status')!r} is not one the "
                         "provider accepts; left unset")
        label = _label(config["name"], used)
        refs[config["id"]] = f"genesyscloud_webdeployments_configuration.{label}"
        status = config.get("status") if _enum("genesyscloud_webdeployments_configuration", "status",
                                               config.get("status")) else None
        body = [("name", config["name"]), ("languages", list(config["languages"])),
                ("default_language", config["defaultLanguage"]), ("status", status)]
        if "headlessMode" in config:
            body.append(("headless_mode_enabled", bool((config.get("headlessMode") or {}).get("enabled"))))
        messenger = _messenger(config.get("messenger"))
        if messenger is not None:
            body.append(("messenger", messenger))
        body.append(("cobrowse", Block(_cobrowse(config.get("cobrowse") or {}, config["name"], notes))))
        out.resource("genesyscloud_webdeployments_configuration", label, body)
    wrapups = _keyed(snapshot, "queue_wrapupcodes")
    members = _keyed(snapshot, "queue_members")
    for queue in _list(snapshot, "queues"):
        label = _label(queue["name"], used)
        refs[queue["id"]] = f"genesyscloud_routing_queue.{label}"
        acw = queue.get("acwSettings") or {}
        if acw.get("wrapupPrompt") is not None and not _enum("genesyscloud_routing_queue", "acw_wrapup_prompt",
                                                             acw["wrapupPrompt"]):
            # Unset means MANDATORY_TIMEOUT (the schema's Default): the queue would change.
            notes.append(f"queue {queue['name']!r}: left out, acw_wrapup_prompt {acw['wrapupPrompt']!r} is not one "
                         "the provider accepts")
            used.discard(label)
            del refs[queue["id"]]
            continue
        body = [("name", queue["name"]), ("division_id", ref((queue.get("division") or {}).get("id"))),
                ("acw_wrapup_prompt", acw.get("wrapupPrompt")), ("acw_timeout_ms", acw.get("timeoutMs"))]
        for api_key, attribute in MEDIA.items():
            setting = (queue.get("mediaSettings") or {}).get(api_key)
            if setting is not None:
                level = setting.get("serviceLevel") or {}
                body.append((attribute, Block([
                    ("alerting_timeout_sec", setting.get("alertingTimeoutSeconds")),
                    ("service_level_percentage", level.get("percentage")),
                    ("service_level_duration_ms", level.get("durationMs"))])))
        if queue["id"] in wrapups:
            body.append(("wrapup_codes", [ref(c["id"]) for c in wrapups[queue["id"]]]))
        # Queue.memberGroups by type -> `groups` / `skill_groups` / `teams` (updateRoutingQueue sends them
        # as memberGroups; unset, it sends null, whose effect is undocumented: written whenever known).
        for attribute, kind in MEMBER_GROUPS.items():
            ids = [g["id"] for g in queue.get("memberGroups") or [] if isinstance(g, dict) and g.get("type") == kind]
            if ids:
                body.append((attribute, ids))
        for member in members.get(queue["id"], []):
            if member.get("memberBy", "user") == "user":
                body.append(("members", Block([("user_id", (member.get("user") or {}).get("id") or member["id"]),
                                               ("ring_num", member.get("ringNumber"))])))
        out.resource("genesyscloud_routing_queue", label, body)
    for deployment in _list(snapshot, "deployments"):
        label = _label(deployment["name"], used)
        pinned = deployment.get("configuration") or {}
        config = configs.get(pinned.get("id"))
        current = config is not None and all(_same(config, pinned, key) for key in PINNED_KEYS)
        version = ref(pinned["id"], "version") if current else pinned.get("version")
        status = deployment.get("status")
        if not _enum("genesyscloud_webdeployments_deployment", "status", status):
            notes.append(f"deployment {deployment['name']!r}: status {status!r} is not one the provider accepts; "
                         "left unset")
            status = None
        body = [("name", deployment["name"]), ("status", status),
                ("allow_all_domains", bool(deployment.get("allowAllDomains", False))),
                ("allowed_domains", list(deployment.get("allowedDomains") or [])),
                ("flow_id", (deployment.get("flow") or {}).get("id")),
                ("configuration", Block([("id", ref(pinned.get("id"))), ("version", version)]))]
        out.resource("genesyscloud_webdeployments_deployment", label, body)
    for client in _list(snapshot, "oauth_clients"):
        grant_type = client.get("authorizedGrantType")
        if not _enum("genesyscloud_oauth_client", "authorized_grant_type", grant_type):
            # Required, and no accepted value means the same grant: the client is left out.
            notes.append(f"OAuth client {client['name']!r}: left out, authorized_grant_type {grant_type!r} is not "
                         "one the provider accepts")
            continue
        state = client.get("state")
        if state is not None and not _enum("genesyscloud_oauth_client", "state", state):
            notes.append(f"OAuth client {client['name']!r}: left out, state {state!r} is not one the provider "
                         "accepts (unset would be `active`)")
            continue
        label = _label(client["name"], used)
        body = [("name", client["name"]), ("authorized_grant_type", grant_type),
                ("access_token_validity_seconds", client.get("accessTokenValiditySeconds")),
                ("registered_redirect_uris", list(client.get("registeredRedirectUri") or [])),
                ("scopes", list(client.get("scope") or [])), ("state", state)]
        granted = set()
        for grant in client.get("roleDivisions") or []:
            granted.add(grant["roleId"])
            body.append(("roles", Block([("role_id", ref(grant["roleId"])),
                                         ("division_id", ref(grant.get("divisionId")))])))
        for role_id in client.get("roleIds") or []:
            if role_id not in granted:
                body.append(("roles", Block([("role_id", ref(role_id))])))
        out.resource("genesyscloud_oauth_client", label, body)
    # Users' direct grants as genesyscloud_user_roles `roles { role_id, division_ids }`; `*` is every
    # division (docs/resources/user_roles.md). Group and other subjects: CANNOT_EXPRESS. Only from a
    # complete org-wide listing: the resource removes every direct grant it does not list.
    why_not = user_roles_complete(snapshot)
    if why_not is not None:
        notes.append(f"genesyscloud_user_roles: left out, {why_not}; the resource replaces every direct role "
                     "grant of its user (updateUserRolesFn), so an incomplete listing would remove roles")
        return "\n".join(out.lines)
    holders = direct_grants(snapshot)
    for queue_members in members.values():
        for member in queue_members:
            if member.get("memberBy", "user") == "user":
                holders.setdefault((member.get("user") or {}).get("id") or member["id"], [])
    for user_id, grants in sorted(holders.items()):
        body = [("user_id", user_id)] + [
            ("roles", Block([("role_id", ref(r)), ("division_ids", [ref(d) for d in divisions] or None)]))
            for r, divisions in grants]
        out.resource("genesyscloud_user_roles", _label(f"user_{user_id}", used), body)
    return "\n".join(out.lines)


#: What a deployment's pinned version carries beside its cobrowse settings: the deployment pins the
#: exported configuration (`version = <configuration>.version`) only when all of these match it.
PINNED_KEYS = ("cobrowse", "messenger", "headlessMode", "status")


def _same(config: dict[str, Any], pinned: dict[str, Any], key: str) -> bool:
    if key == "messenger":
        return _messenger_switches(config.get(key)) == _messenger_switches(pinned.get(key))
    if key == "headlessMode":
        return bool((config.get(key) or {}).get("enabled")) == bool((pinned.get(key) or {}).get("enabled"))
    if key == "status":
        return config.get(key) == pinned.get(key) or pinned.get(key) is None
    return (config.get(key) or {}) == (pinned.get(key) or {})


def _messenger_switches(messenger: Any) -> tuple[Any, Any]:
    messenger = messenger if isinstance(messenger, dict) else {}
    return messenger.get("enabled"), ((messenger.get("apps") or {}).get("conversations") or {}).get("enabled")


def _messenger(messenger: Any) -> Block | None:
    """`messenger { enabled  apps { conversations { enabled } } }` (docs/resources/
    webdeployments_configuration.md) from MessengerSettings; only the switches the rules read."""
    if not isinstance(messenger, dict):
        return None
    enabled, conversations = _messenger_switches(messenger)
    body: list[tuple[str, Any]] = [("enabled", enabled if isinstance(enabled, bool) else None)]
    if isinstance(conversations, bool):
        body.append(("apps", Block([("conversations", Block([("enabled", conversations)]))])))
    return Block(body)


def _cobrowse(settings: dict[str, Any], name: str, notes: list[str]) -> list[tuple[str, Any]]:
    body: list[tuple[str, Any]] = []
    rtype = "genesyscloud_webdeployments_configuration"
    for attribute, api in COBROWSE_FIELDS.items():
        body.append((attribute, bool(settings.get(api, False))))
    for attribute, api in COBROWSE_LISTS.items():
        values = list(settings.get(api) or [])
        kept = [v for v in values if _enum(rtype, f"cobrowse.{attribute}", v)]
        if kept != values:
            notes.append(f"configuration {name!r}: cobrowse {attribute} {sorted(set(values) - set(kept))} not "
                         "accepted by the provider; left out")
        body.append((attribute, kept))
    for pause in settings.get("pauseCriteria") or []:
        if not _enum(rtype, "cobrowse.pause_criteria.condition", pause.get("condition")):
            notes.append(f"configuration {name!r}: pause criterion condition {pause.get('condition')!r} not "
                         "accepted by the provider; left out")
            continue
        body.append(("pause_criteria", Block([("url_fragment", pause.get("urlFragment")),
                                              ("condition", pause.get("condition"))])))
    return body


PROVIDER = """terraform {
  required_providers {
    genesyscloud = {
      source = "mypurecloud/genesyscloud"
    }
  }
}
"""


def export_terraform(snapshot: Snapshot, directory: Path) -> list[Path]:
    """Write `provider.tf`, `genesyscloud.tf` and `README.txt` into a new or empty directory.

    All or nothing: everything is rendered and encoded first (a value that cannot be written is
    exit 2 before any file exists), then written into a private directory beside the target and
    renamed onto it, so a failure never leaves a half-written export."""
    if os.path.lexists(directory) and (not directory.is_dir() or directory.is_symlink() or any(directory.iterdir())):
        raise InputError(directory, "exists and is not an empty directory; choose a new one")
    left_out: list[str] = []
    text = render_terraform(snapshot, left_out)
    notes = ["Exported by gcaudit from an audited snapshot. Not expressible in the provider:", ""]
    notes += [f"- {field}: {why}" for field, why in CANNOT_EXPRESS.items()]
    if left_out:
        notes += ["", "Left out or changed in this export (the provider's accepted values: provider v1.84.1):", ""]
        notes += [f"- {line}" for line in left_out]
    texts = {"provider.tf": PROVIDER, "genesyscloud.tf": text, "README.txt": "\n".join(notes) + "\n"}
    files = {name: text.encode("utf-8") for name, text in texts.items()}
    existed = os.path.lexists(directory)
    # Created (owner-only) or checked first: a file or a dangling link in the way, an unwritable
    # parent are exit 2 naming DIR (make_private_dirs words them).
    make_private_dirs(directory)
    staging: Path | None = None
    try:
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        except OSError as exc:
            raise OutputError(directory, f"cannot create a staging directory beside it: "
                                         f"{(exc.strerror or str(exc)).lower()}") from None
        for name, data in files.items():
            atomic_write_bytes(staging / name, data, streams=False)
        # rename(2) replaces an empty directory: the export appears whole, or not at all.
        try:
            os.rename(staging, directory)
        except OSError as exc:  # filled or replaced since the check above
            raise OutputError(directory, f"cannot be replaced: {exc.strerror or exc}") from None
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not existed:
            with contextlib.suppress(OSError):
                directory.rmdir()  # ours, and still empty
        raise
    return [directory / name for name in files]
