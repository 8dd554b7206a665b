"""Provider resources -> snapshot entities, attribute by attribute, as the Platform API returns them.

Semantics of set / unset / empty on create and update come from the provider's resource and proxy
code (MyPureCloud/terraform-provider-genesyscloud v1.84.1, `genesyscloud/<resource>/...go`), cited
next to each attribute below; attribute names, types and Optional/Computed flags from its
`resource_genesyscloud_<name>_schema.go`. Where the docs pages say otherwise (`members`: "If not set,
this resource will not manage members"), the code wins: docs/cx-as-code.md lists every mapped
attribute with its source.

Two unset cases depend on whether the apply creates or updates the object, which only an overlay
knows; the mapper marks them with a reason constant and `build.py` resolves them:
- `KEEP_ON_UPDATE` (Optional + Computed, not sent when unset): an update keeps the current value
  (Terraform plans the prior state for it), a create leaves it to the server: unknown.
- `FALSE_ON_CREATE` (a boolean inside a present block that the provider always sends,
  `enabled, _ := cfg["enabled"].(bool)`): false on create, the current value on update (the block's
  booleans are Optional + Computed, so the plan carries the prior state).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditor.errors import InputError
from auditor.sources.terraform.config import Location, Note, ResourceInstance
from auditor.sources.terraform.values import Computed, Tainted, Unknown, first_unknown

NOT_MANAGED = "not managed by this resource (unset: the org keeps what it has)"
HOME_DIVISION_UNSET = "unset: the home division, which the files do not declare"
KEEP_ON_UPDATE = "unset: Optional+Computed, kept on update, set by the server on create"
FALSE_ON_CREATE = "unset in a present block: false on create, kept on update"
#: Optional, not Computed, and not sent when unset: what the API then does is not documented.
NOT_SENT = "unset: not sent by the provider; the API's handling is not documented"
#: routing_queue `ignore_members = true`: updateQueueMembers returns before touching members
#: (resource_genesyscloud_routing_queue_members.go, updateQueueMembers).
IGNORED_MEMBERS = "ignore_members = true: the resource does not manage user members"


@dataclass
class Entity:
    """One snapshot entity built from Terraform, with where each field came from."""

    dataset: str
    data: dict[str, Any]
    instance: ResourceInstance
    #: API field path -> the expression whose value is unknown before apply.
    unknown: dict[str, str] = field(default_factory=dict)
    #: API field path -> source location of the attribute that set it.
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: For per-parent datasets (queue_members...): the parent entity id the list belongs to.
    parent: str | None = None
    #: Name as written, before display redaction: overlays match new objects by it.
    match_name: str | None = None
    #: What the provider does with the object beyond its fields (queue members: "users" is
    #: declared / removed / ignored, "groups" the declared member group ids or None when unset).
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.parent or str(self.data.get("id"))

    def located(self, path: str, attribute: str, instance: ResourceInstance | None = None) -> None:
        source = instance or self.instance
        loc: Location = source.line_of(attribute)
        self.fields[path] = {"file": loc.file, "line": loc.line, "address": source.address}

    def put(self, path: str, value: Any, attribute: str, instance: ResourceInstance | None = None) -> None:
        """Set `path` (dotted) to `value`; an Unknown is stored as null and recorded."""
        self.located(path, attribute, instance)
        unknown = first_unknown(value)
        if unknown is not None:
            self.unknown[path] = _describe(unknown)
            value = None
        _set(self.data, path, value)


#: The API's integer fields are 32- or 64-bit (snapshot schemas: signed 64-bit).
INT64 = (-(2**63), 2**63 - 1)


def number(instance: ResourceInstance, attribute: str, value: Any, *, whole: bool = True) -> Any:
    """A number attribute (`TypeInt` / `TypeFloat` in the provider's schema) as the provider takes
    it: a number, or a string holding one (Terraform converts "30"). Unknown and null pass. Text,
    a bool, a list, a fraction where a whole number belongs, or a number past 64 bits is the
    file's error: exit 2 naming the file, line and attribute, never a rule crashing later."""
    if value is None or isinstance(value, Unknown):
        return value
    parsed: Any = value
    if isinstance(value, str):
        try:
            parsed = float(value) if any(ch in value for ch in ".eEnN") else int(value)
        except ValueError:
            parsed = None
    ok = isinstance(parsed, int | float) and not isinstance(parsed, bool) and parsed == parsed \
        and INT64[0] <= parsed <= INT64[1] and (not whole or parsed == int(parsed))
    if not ok:
        where = instance.line_of(attribute)
        kind = "a whole number" if whole else "a number"
        raise InputError(f"{where.file}:{where.line}", f"must be {kind} of at most 64 bits",
                         field=f"{instance.address}.{attribute}")
    return int(parsed) if whole else parsed


def _describe(unknown: Unknown) -> str:
    return f"{unknown.expression} ({unknown.why})"


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def block(values: dict[str, Any], name: str) -> dict[str, Any] | Unknown | None:
    """A nested block, also when written in the older attribute syntax (`x = { ... }`)."""
    value = values.get(name)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


def blocks(values: dict[str, Any], name: str) -> list[dict[str, Any]] | Unknown:
    value = values.get(name)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return [value]
    return [v for v in value or () if isinstance(v, dict)]


def display_name(instance: ResourceInstance, key: str = "name") -> tuple[Any, str | None]:
    """The name to show, and the name as written. A name from a tfvars value is shown as the
    resource address: tfvars values are never echoed."""
    value = instance.values.get(key)
    if isinstance(value, Tainted):
        return instance.address, str(value)
    if isinstance(value, Unknown) or value is None:
        return instance.address, None
    return str(value), str(value)


def _strings(value: Any) -> Any:
    if isinstance(value, Unknown) or value is None:
        return value if value is not None else []
    if not isinstance(value, list):
        return Unknown(str(value)[:80], "expected a list")
    unknown = first_unknown(value)
    return unknown if unknown is not None else [str(v) for v in value]


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Context:
    """What a mapper may look up across resources: other instances by id; where it leaves notes."""

    def __init__(self, instances: list[ResourceInstance]) -> None:
        self.by_id = {i.id: i for i in instances}
        self.by_address = {i.address: i for i in instances}
        self.notes: list[Note] = []

    def identifier(self, instance: ResourceInstance, attribute: str, value: Any, type_: str | None = None) -> Any:
        """An id attribute's value, or Unknown when it holds a name where an id belongs
        (`division_id = "Home"`): the object it means cannot be known from the files."""
        if not isinstance(value, str) or value == "*" or _UUID.match(value):
            return value
        if type_ and self.find(type_, value) is not None:
            return value
        if value in self.by_address or value in self.by_id:
            return value
        where = instance.line_of(attribute)
        shown = "a tfvars value" if isinstance(value, Tainted) else repr(value[:60])
        self.notes.append(Note(where.file, where.line,
                               f"{instance.address}.{attribute} is {shown}, not an id: a name where an id belongs"))
        return Unknown(f"{instance.address}.{attribute}", "a name where an id belongs")

    def find(self, type_: str, ref: Any) -> ResourceInstance | None:
        if isinstance(ref, Computed) and ref.attribute == "id":
            ref = ref.address
        if not isinstance(ref, str):
            return None
        found = self.by_id.get(ref) or self.by_address.get(ref)
        return found if found is not None and found.type == type_ else None


# -- queues ----------------------------------------------------------------------------------------

#: API mediaSettings key -> provider block.
MEDIA = {"call": "media_settings_call", "callback": "media_settings_callback", "chat": "media_settings_chat",
         "email": "media_settings_email", "message": "media_settings_message"}
DEFAULT_WRAPUP_PROMPT = "MANDATORY_TIMEOUT"  # docs/resources/routing_queue.md: "Defaults to `MANDATORY_TIMEOUT`"


def map_queue(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    v = dict(instance.values)
    if "division_id" in v:
        v["division_id"] = ctx.identifier(instance, "division_id", v["division_id"], "genesyscloud_auth_division")
    name, written = display_name(instance)
    queue = Entity("queues", {"id": instance.id, "name": name}, instance, match_name=written)
    queue.located("name", "name")
    division = ctx.find("genesyscloud_auth_division", v.get("division_id"))
    if division is not None:
        queue.put("division", {"id": division.id, "name": display_name(division)[0]}, "division_id")
    elif isinstance(v.get("division_id"), str):
        queue.put("division", {"id": v["division_id"]}, "division_id")
    elif isinstance(v.get("division_id"), Unknown):
        queue.put("division.id", v["division_id"], "division_id")
    elif "division_id" not in v:
        # Optional + Computed, "If not set, the home division will be used" (routing_queue schema):
        # the home division when the files declare it, else unknown (an overlay keeps an existing
        # queue's division and puts a new one in the snapshot's home division).
        home = home_division(ctx)
        if home:
            queue.put("division", {"id": home}, "division_id")
        else:
            queue.put("division.id", Unknown(f"{instance.address}.division_id", HOME_DIVISION_UNSET), "division_id")
    media: dict[str, Any] = {}
    queue.data["mediaSettings"] = media
    for api_key, attribute in MEDIA.items():
        setting = block(v, attribute)
        if attribute not in v or v[attribute] == []:
            # Optional + Computed (schema); buildSdkMediaSettings sends nothing for an empty list
            # (routing_queue utils): a create leaves it to the server, an update keeps it.
            queue.put(f"mediaSettings.{api_key}", Unknown(f"{instance.address}.{attribute}", KEEP_ON_UPDATE),
                      attribute)
        elif isinstance(setting, Unknown):
            queue.put(f"mediaSettings.{api_key}", setting, attribute)
        else:
            media[api_key] = _media(instance, attribute, setting or {})
            queue.located(f"mediaSettings.{api_key}", attribute)
    # Default "MANDATORY_TIMEOUT" (schema); buildSdkAcwSettings always sends it (routing_queue utils).
    prompt = v.get("acw_wrapup_prompt", DEFAULT_WRAPUP_PROMPT)
    queue.put("acwSettings.wrapupPrompt", prompt, "acw_wrapup_prompt")
    if "acw_timeout_ms" in v:
        # Sent only for MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT and AGENT_REQUESTED
        # (buildSdkAcwSettings, `d.GetOk("acw_timeout_ms")`).
        timeout = v["acw_timeout_ms"]
        queue.put("acwSettings.timeoutMs", number(instance, "acw_timeout_ms", timeout), "acw_timeout_ms")
    groups = _member_groups(instance, v)
    if groups is not None:
        queue.put("memberGroups", groups, "groups")
    out = [queue]
    if "wrapup_codes" in v:
        # Optional + Computed; updateQueueWrapupCodes (resource_genesyscloud_routing_queue.go) removes
        # every code not listed and adds the listed ones when the set changed: `[]` empties the queue.
        # Unset, Terraform plans the prior state (an update keeps the codes, a plan's `after` carries them).
        raw = v["wrapup_codes"]
        entry = Entity("queue_wrapupcodes", {}, instance, parent=instance.id)
        partly = isinstance(raw, list) and any(isinstance(c, Unknown) for c in raw)
        codes = [str(c) for c in raw if not isinstance(c, Unknown)] if partly else _strings(raw)
        if partly:
            # Some codes known, some only after apply: the known ones stay, "+" marks the others.
            entry.unknown["+"] = _describe(next(c for c in raw if isinstance(c, Unknown)))
        if isinstance(codes, Unknown):
            entry.unknown["*"] = _describe(codes)
            entry.data["list"] = []
        else:
            listed = []
            for code_id in codes:
                code = ctx.find("genesyscloud_routing_wrapupcode", code_id)
                code_name = display_name(code)[0] if code else code_id
                listed.append({"id": code_id, "name": code_name})
            entry.data["list"] = listed
        entry.located("*", "wrapup_codes")
        out.append(entry)
    out.append(_queue_members(instance, v, groups))
    return out


#: routing_queue `groups` / `skill_groups` / `teams` -> Queue.memberGroups[].type (SDK MemberGroup.type:
#: TEAM, GROUP, SKILLGROUP); createRoutingQueue / updateRoutingQueue send the three together as
#: `MemberGroups` (buildMemberGroupList, routing_queue utils).
MEMBER_GROUPS = {"groups": "GROUP", "skill_groups": "SKILLGROUP", "teams": "TEAM"}


def _member_groups(instance: ResourceInstance, v: dict[str, Any]) -> Any:
    """The member groups the apply sends, or None when none of the three attributes is set
    (buildMemberGroupList then sends a nil list: `memberGroups: null` in the Go SDK's Queuerequest)."""
    if not any(attribute in v for attribute in MEMBER_GROUPS):
        return None
    out: list[dict[str, Any]] = []
    for attribute, kind in MEMBER_GROUPS.items():
        ids = _strings(v.get(attribute))
        if isinstance(ids, Unknown):
            return ids
        out += [{"id": group_id, "type": kind} for group_id in ids]
    return out


def _queue_members(instance: ResourceInstance, v: dict[str, Any], groups: Any) -> Entity:
    """The queue's members after the apply, per updateQueueMembers
    (resource_genesyscloud_routing_queue_members.go), which runs on every create and update:
    - `ignore_members = true`: returns at once, members untouched (`meta.users = "ignored"`);
    - `members` unset or empty: removeAllExistingUserMembersFromQueue removes every member with
      memberBy "user"; group members are not touched (`meta.users = "removed"`);
    - else: adds and removes users to match the set, then sets ring numbers (`"declared"`).
    Group members follow the queue's memberGroups (`meta.groups`), which the overlay resolves."""
    entry = Entity("queue_members", {}, instance, parent=instance.id)
    entry.located("*", "members" if "members" in v else "name")
    entry.meta["groups"] = groups
    if v.get("ignore_members") is True:
        entry.meta["users"] = "ignored"
        entry.unknown["*"] = f"{instance.address}.members ({IGNORED_MEMBERS})"
        entry.data["list"] = []
        return entry
    members = blocks(v, "members")
    if isinstance(members, Unknown) or first_unknown(members) is not None:
        entry.meta["users"] = "unknown"
        entry.unknown["*"] = _describe(members if isinstance(members, Unknown) else first_unknown(members))
        entry.data["list"] = []
        return entry
    entry.meta["users"] = "declared" if members else "removed"
    entry.data["list"] = [
        {"id": str(m.get("user_id")), "name": str(m.get("user_id")),
         "user": {"id": str(m.get("user_id"))}, "memberBy": "user", "joined": None,
         # ring_num: Optional, Default 1 (schema).
         "ringNumber": number(instance, "members.ring_num", m["ring_num"]) if m.get("ring_num") is not None else 1}
        for m in members
    ]
    if entry.data["list"]:
        # Joining is the agent's act (members has only user_id and ring_num): unknown.
        entry.unknown["*.joined"] = f"{instance.address}.members (joined is set by each agent, not by Terraform)"
    if groups:
        # The users of a declared group are the group's, not in these files.
        entry.unknown["+"] = f"{instance.address}.groups (the groups' users are not in the Terraform configuration)"
    elif isinstance(groups, Unknown):
        entry.unknown["+"] = _describe(groups)
    return entry


def _media(instance: ResourceInstance, attribute: str, setting: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    timeout = number(instance, f"{attribute}.alerting_timeout_sec", setting.get("alerting_timeout_sec"))
    if isinstance(timeout, int):
        out["alertingTimeoutSeconds"] = timeout
    level = {}
    percentage = number(instance, f"{attribute}.service_level_percentage", setting.get("service_level_percentage"),
                        whole=False)
    if isinstance(percentage, int | float):
        level["percentage"] = percentage
    duration = number(instance, f"{attribute}.service_level_duration_ms", setting.get("service_level_duration_ms"))
    if isinstance(duration, int):
        level["durationMs"] = duration
    if level:
        out["serviceLevel"] = level
    return out


def map_wrapupcode(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    name, written = display_name(instance)
    code = Entity("wrapupcodes", {"id": instance.id, "name": name}, instance, match_name=written)
    code.located("name", "name")
    division = ctx.find("genesyscloud_auth_division", instance.values.get("division_id"))
    if division is not None:
        code.put("division", {"id": division.id}, "division_id")
    elif isinstance(instance.values.get("division_id"), str):
        code.put("division", {"id": instance.values["division_id"]}, "division_id")
    return [code]


# -- web deployments ----------------------------------------------------------------------------

COBROWSE_FIELDS = {
    "enabled": "enabled", "allow_agent_control": "allowAgentControl", "allow_agent_navigation": "allowAgentNavigation",
    "allow_draw": "allowDraw",
}
COBROWSE_LISTS = {"channels": "channels", "mask_selectors": "maskSelectors", "readonly_selectors": "readonlySelectors"}


def put_cobrowse(entity: Entity, prefix: str, config: ResourceInstance) -> None:
    """Set `<prefix>` (the API's `cobrowse` object) from a configuration resource, field by field.

    An absent `cobrowse` block (Optional, not Computed) means co-browse off. Inside a present block,
    buildCobrowseSettings (webdeployments_configuration/utils/..._utils.go) always sends the four
    booleans (`enabled, _ := cfg["enabled"].(bool)`): unset is false on create; being Optional +
    Computed (schema `cobrowseSettings`), an update keeps the current value (FALSE_ON_CREATE). The
    lists are Optional only and always sent (unset: empty).
    """
    settings = block(config.values, "cobrowse")
    if isinstance(settings, Unknown):
        entity.put(prefix, settings, "cobrowse", config)
        return
    present = settings is not None
    settings = settings or {}
    _set(entity.data, prefix, {})
    for attribute, api in COBROWSE_FIELDS.items():
        if attribute in settings:
            value = settings[attribute]
            value = value if isinstance(value, Unknown) else bool(value)
        elif present:
            value = Unknown(f"{config.address}.cobrowse.{attribute}", FALSE_ON_CREATE)
        else:
            value = False
        entity.put(f"{prefix}.{api}", value, f"cobrowse.{attribute}", config)
    for attribute, api in COBROWSE_LISTS.items():
        entity.put(f"{prefix}.{api}", _strings(settings.get(attribute)), f"cobrowse.{attribute}", config)
    pauses = blocks(settings, "pause_criteria")
    entity.put(f"{prefix}.pauseCriteria", pauses if isinstance(pauses, Unknown) else [
        {"urlFragment": p.get("url_fragment"), "condition": pause_condition(p.get("condition"))} for p in pauses],
        "cobrowse.pause_criteria", config)


#: docs/resources/webdeployments_configuration.md, `cobrowse.pause_criteria.condition`: "Conditions are
#: 'includes', 'does_not_include', 'starts_with', 'ends_with', 'equals'"; the same page's example writes
#: the API spelling (`condition = "Includes"`), the PauseCriteria.condition enum of SDK 269
#: (models/pause_criteria.py: Includes, DoesNotInclude, StartsWith, EndsWith, Equals). Both are read.
PAUSE_CONDITIONS = {"includes": "Includes", "does_not_include": "DoesNotInclude", "starts_with": "StartsWith",
                    "ends_with": "EndsWith", "equals": "Equals"}


def pause_condition(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = value.casefold()
    return PAUSE_CONDITIONS.get(key) or next((api for api in PAUSE_CONDITIONS.values()
                                              if api.casefold() == key), value)


def put_messenger(entity: Entity, prefix: str, config: ResourceInstance) -> None:
    """`<prefix>.messenger` / `<prefix>.headlessMode` from a configuration resource.

    SDK 269 WebDeploymentConfigurationVersion.messenger (MessengerSettings.enabled, .apps ->
    MessengerApps.conversations -> ConversationAppSettings.enabled) and .headlessMode
    (WebDeploymentHeadlessMode.enabled). Provider: `messenger { enabled, apps { conversations {
    enabled } } }` and `headless_mode_enabled`, all Optional without default
    (docs/resources/webdeployments_configuration.md); the provider sends headlessMode only when set
    (BuildWebDeploymentConfigurationFromResourceData: `d.GetOk("headless_mode_enabled")`, so `false` is
    not sent either). Unset (Optional, not Computed): not sent, unknown on create and update. An
    explicit `false` is read as false: the API's handling of the absent field is not documented.
    """
    address = config.address
    headless = config.values.get("headless_mode_enabled",
                                 Unknown(f"{address}.headless_mode_enabled", NOT_SENT))
    entity.put(f"{prefix}headlessMode.enabled", headless if isinstance(headless, Unknown) else bool(headless),
               "headless_mode_enabled", config)
    messenger = block(config.values, "messenger")
    if isinstance(messenger, Unknown):
        entity.put(f"{prefix}messenger", messenger, "messenger", config)
        return
    if messenger is None:
        # buildMessengerSettings returns nil without the block (Optional, not Computed): nothing is sent.
        entity.put(f"{prefix}messenger", Unknown(f"{address}.messenger", NOT_SENT), "messenger", config)
        return
    # buildMessengerSettings (utils/..._messenger.go): `enabled, _ := cfg["enabled"].(bool)` is always sent.
    entity.put(f"{prefix}messenger.enabled", _switch(messenger, "enabled", f"{address}.messenger.enabled"),
               "messenger.enabled", config)
    apps = block(messenger, "apps")
    conversations = block(apps, "conversations") if isinstance(apps, dict) else apps
    if isinstance(conversations, dict):
        # buildAppConversations sends `conversation["enabled"].(bool)`: false when unset on create.
        value = _switch(conversations, "enabled", f"{address}.messenger.apps.conversations.enabled")
    else:
        # No `apps` / `conversations` block: buildMessengerApps / buildAppConversations return nil
        # and the settings are not sent (both blocks Optional + Computed).
        value = conversations if isinstance(conversations, Unknown) else Unknown(
            f"{address}.messenger.apps.conversations.enabled", KEEP_ON_UPDATE)
    entity.put(f"{prefix}messenger.apps.conversations.enabled", value,
               "messenger.apps.conversations.enabled", config)
    # A finding about either switch points at the `messenger` block that holds both.
    entity.located(f"{prefix}messenger", "messenger", config)


def _switch(values: dict[str, Any], key: str, expression: str) -> Any:
    value = values.get(key, Unknown(expression, FALSE_ON_CREATE))
    return value if isinstance(value, Unknown) else bool(value)


def map_configuration(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    name, written = display_name(instance)
    config = Entity("configurations", {"id": instance.id, "name": name}, instance, match_name=written)
    config.located("name", "name")
    # `status`: Optional + Computed in the configuration schema; unset, the server decides.
    config.put("status", instance.values.get("status", Unknown(f"{instance.address}.status",
                                                                KEEP_ON_UPDATE)), "status")
    # `version` is read-only: the provider publishes on apply and the server numbers the version.
    config.put("version", Computed(f"{instance.address}.version", "computed by the server at apply",
                                   instance.address, "version"), "name")
    # `languages` / `default_language`: Required (schema), always sent
    # (BuildWebDeploymentConfigurationFromResourceData) -> languages / defaultLanguage.
    languages = _strings(instance.values.get("languages"))
    if isinstance(languages, list) and languages:
        config.put("languages", languages, "languages")
    default = instance.values.get("default_language")
    if isinstance(default, str) and not isinstance(default, Tainted):
        config.put("defaultLanguage", default, "default_language")
    put_cobrowse(config, "cobrowse", instance)
    put_messenger(config, "", instance)
    return [config]


def map_deployment(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    v = instance.values
    name, written = display_name(instance)
    deployment = Entity("deployments", {"id": instance.id, "name": name}, instance, match_name=written)
    deployment.located("name", "name")
    status = v["status"] if "status" in v else Unknown(f"{instance.address}.status",
                                                       KEEP_ON_UPDATE)
    deployment.put("status", status, "status")
    deployment.put("allowAllDomains", v.get("allow_all_domains", False), "allow_all_domains")
    deployment.put("allowedDomains", _strings(v.get("allowed_domains")), "allowed_domains")
    # `flow_id` (Optional): "A reference to the inboundshortmessage flow used by this web deployment"
    # (docs/resources/webdeployments_deployment.md) -> WebDeployment.flow {id, name} (SDK 269).
    if "flow_id" in v:
        flow_ref = v["flow_id"]
        flow = ctx.find("genesyscloud_flow", flow_ref)
        if flow is not None:
            deployment.put("flow", {"id": flow.id, "name": flow_name(flow)}, "flow_id")
        elif isinstance(flow_ref, str):
            deployment.put("flow", {"id": flow_ref}, "flow_id")
        else:
            deployment.put("flow.id", flow_ref, "flow_id")
    pinned = block(v, "configuration")
    if isinstance(pinned, Unknown) or pinned is None:
        deployment.put("configuration", pinned or Unknown(f"{instance.address}.configuration", "no configuration"),
                       "configuration")
        return [deployment]
    config_ref = pinned.get("id")
    config = ctx.find("genesyscloud_webdeployments_configuration", config_ref)
    deployment.put("configuration.id", config.id if config else config_ref, "configuration.id")
    if config is not None:
        deployment.put("configuration.name", display_name(config)[0], "configuration.id")
    version = pinned.get("version", Unknown(f"{instance.address}.configuration.version",
                                             "unset: computed by the server at apply"))
    pins_current = isinstance(version, Computed) and config is not None and version.address == config.address
    deployment.located("configuration.version", "configuration.version")
    deployment.data["configuration"]["version"] = None if isinstance(version, Unknown) else str(version)
    if pins_current:
        # `version = <configuration>.version`: the version the provider publishes from this resource.
        put_cobrowse(deployment, "configuration.cobrowse", config)
        put_messenger(deployment, "configuration.", config)
        deployment.put("configuration.status", config.values.get("status", Unknown(
            f"{config.address}.status", KEEP_ON_UPDATE)), "status", config)
        return [deployment]
    if config is None:
        unknown = Unknown(_expr(config_ref, instance, "configuration.id"),
                          "the configuration is not declared in this Terraform configuration")
        attribute = "configuration.id"
    else:
        shown = f'version = "{version}"' if not isinstance(version, Unknown) else version.expression
        unknown = Unknown(f"{instance.address}.configuration {shown}",
                          "a pinned version other than the configuration's current one: "
                          "its settings are not in the files")
        attribute = "configuration.version"
    for path in PINNED_SETTINGS:
        deployment.put(f"configuration.{path}", unknown, attribute)
    return [deployment]


#: What a deployment's pinned configuration version carries that the rules read (besides its id and
#: version): unknown together when the pinned version is not the one the files describe.
PINNED_SETTINGS = ("cobrowse", "messenger", "headlessMode", "status")


def flow_name(flow: ResourceInstance) -> Any:
    """A declared flow's name: the `name` attribute ("Flow Name used for export purposes",
    docs/resources/flow.md), else the resource address (the name lives in the flow's YAML file)."""
    name = flow.values.get("name")
    return str(name) if isinstance(name, str) and not isinstance(name, Tainted) else flow.address


def map_flow(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    """genesyscloud_flow -> flows. The resource publishes the flow from its YAML file on apply
    (docs/resources/flow.md: POST /api/v2/flows/jobs; `force_unlock` "publishes the 'draft' architect
    flow and then publishes the flow named in this resource"), so after apply it has a published
    version (Flow.publishedVersion, SDK 269). `type` is Optional ("Flow Type used for export
    purposes"): unset, the type is in the YAML file and unknown here."""
    flow = Entity("flows", {"id": instance.id, "name": flow_name(instance),
                            "publishedVersion": {"id": "published by the provider at apply"}}, instance)
    flow.located("name", "name")
    kind = instance.values.get("type", Unknown(f"{instance.address}.type", "in the flow's YAML file"))
    flow.put("type", kind.upper() if isinstance(kind, str) else kind, "type")
    return [flow]


def _expr(ref: Any, instance: ResourceInstance, attribute: str) -> str:
    if isinstance(ref, Unknown):
        return ref.expression
    return f"{instance.address}.{attribute}"


# -- OAuth clients, roles, user roles, divisions -----------------------------------------------

DEFAULT_TOKEN_VALIDITY = 86400  # docs/resources/oauth_client.md: "Defaults to `86400`"
DEFAULT_CLIENT_STATE = "active"  # docs/resources/oauth_client.md: "Defaults to `active`"
#: Provider attributes marked Sensitive: never read into a snapshot.
SENSITIVE = {"genesyscloud_oauth_client": ("client_secret",), "genesyscloud_user": ("password",)}


def map_oauth_client(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    v = instance.values
    name, written = display_name(instance)
    client = Entity("oauth_clients", {"id": instance.id, "name": name}, instance, match_name=written)
    client.located("name", "name")
    grant = v.get("authorized_grant_type", Unknown(f"{instance.address}.authorized_grant_type", "required but unset"))
    client.put("authorizedGrantType", grant, "authorized_grant_type")
    if client.data.get("authorizedGrantType") is None:
        client.data["authorizedGrantType"] = ""
    client.put("state", v.get("state", DEFAULT_CLIENT_STATE), "state")
    client.put("accessTokenValiditySeconds",
               number(instance, "access_token_validity_seconds",
                      v.get("access_token_validity_seconds", DEFAULT_TOKEN_VALIDITY)),
               "access_token_validity_seconds")
    client.put("registeredRedirectUri", _strings(v.get("registered_redirect_uris")), "registered_redirect_uris")
    client.put("scope", _strings(v.get("scopes")), "scopes")
    grants = blocks(v, "roles")
    if not isinstance(grants, Unknown):
        grants = [{**g, "role_id": ctx.identifier(instance, "roles.role_id", g.get("role_id"),
                                                  "genesyscloud_auth_role"),
                   "division_id": ctx.identifier(instance, "roles.division_id", g.get("division_id"),
                                                 "genesyscloud_auth_division")} for g in grants]
    unknown = grants if isinstance(grants, Unknown) else first_unknown(grants)
    if unknown is not None:
        client.put("roleDivisions", unknown, "roles")
    else:
        client.put("roleDivisions", [
            {"roleId": _ref_id(ctx, "genesyscloud_auth_role", g.get("role_id")),
             # "If not set, the home division will be used": the home division's id is the org's.
             **({"divisionId": _ref_id(ctx, "genesyscloud_auth_division", g["division_id"])}
                if isinstance(g.get("division_id"), str | Computed) else {})}
            for g in grants
        ], "roles")
    out = [client]
    if isinstance(grants, Unknown):
        return out
    # The same grants seen from the role: GET /authorization/roles/{roleId}/subjectgrants lists the
    # client as a PC_OAUTH_CLIENT subject (SubjectDivisionGrants.type enum, SDK 269).
    by_role: dict[str, list[Any]] = {}
    for g in grants:
        by_role.setdefault(_ref_id(ctx, "genesyscloud_auth_role", g.get("role_id")), []).append(g.get("division_id"))
    for role_id, divisions in by_role.items():
        out.append(_subject_grant(instance, ctx, role_id, client.data["id"], name, "PC_OAUTH_CLIENT",
                                  divisions, "roles"))
    return out


def home_division(ctx: Context) -> str | None:
    """The id of the division declared `home = true` (docs/resources/auth_division.md: "True if
    this is the home division"), if the files declare it."""
    found = [i for i in ctx.by_address.values()
             if i.type == "genesyscloud_auth_division" and i.values.get("home") is True]
    return found[0].id if len(found) == 1 else None


def _subject_grant(instance: ResourceInstance, ctx: Context, role_id: str, subject_id: str, name: Any,
                   kind: str, divisions: list[Any], attribute: str) -> Entity:
    """One role_subjectgrants row (SubjectDivisionGrants {id, name, type, divisions}) for `role_id`.

    A grant without divisions is in the home division ("If not set, the home division will be
    used", docs/resources/user_roles.md and oauth_client.md): its id is known only when the files
    declare the home division; `*` is every division (datasets.ALL_DIVISIONS_ID).
    """
    entry = Entity("role_subjectgrants", {}, instance, parent=role_id)
    entry.located("*", attribute)
    ids: list[str] = []
    unknown: Unknown | None = None
    home = home_division(ctx)
    for division in divisions:
        if division is None:
            if home is None:
                unknown = Unknown(f"{instance.address}.{attribute} (home division: not declared here)",
                                  "the home division's id is the org's")
            else:
                ids.append(home)
        elif isinstance(division, Unknown) and not (isinstance(division, Computed) and ctx.find(
                "genesyscloud_auth_division", division)):
            unknown = division
        else:
            ids.append(_ref_id(ctx, "genesyscloud_auth_division", division))
    entry.data["list"] = [{"id": subject_id, "name": name, "type": kind,
                           "divisions": [{"id": d} for d in dict.fromkeys(ids)]}]
    if unknown is not None:
        entry.unknown["*.divisions"] = _describe(unknown)
    return entry


def _ref_id(ctx: Context, type_: str, ref: Any) -> str:
    found = ctx.find(type_, ref)
    return found.id if found else str(ref)


def map_role(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    v = instance.values
    name, written = display_name(instance)
    role = Entity("roles", {"id": instance.id, "name": name}, instance, match_name=written)
    role.located("name", "name")
    if isinstance(v.get("default_role_id"), str):
        role.put("defaultRoleId", v["default_role_id"], "default_role_id")
    policies = blocks(v, "permission_policies")
    if isinstance(policies, Unknown) or first_unknown([{k: p.get(k) for k in ("domain", "entity_name", "action_set")}
                                                        for p in policies]) is not None:
        unknown = policies if isinstance(policies, Unknown) else first_unknown(
            [{k: p.get(k) for k in ("domain", "entity_name", "action_set")} for p in policies])
        role.put("permissionPolicies", unknown, "permission_policies")
    else:
        role.put("permissionPolicies", [
            {"domain": str(p.get("domain")), "entityName": str(p.get("entity_name")),
             "actionSet": [str(a) for a in p.get("action_set") or []],
             # SDK DomainPermissionPolicy.resourceConditionNode (DomainResourceConditionNode:
             # variableName, operator, operands, conjunction, terms): the provider's `conditions`.
             **({"resourceConditionNode": _condition(block(p, "conditions"))} if block(p, "conditions") else {})}
            for p in policies
        ], "permission_policies")
    role.put("permissions", _strings(v.get("permissions")), "permissions")
    return [role]


def _condition(conditions: Any) -> dict[str, Any]:
    if not isinstance(conditions, dict):
        return {}
    terms = blocks(conditions, "terms")
    return {"conjunction": conditions.get("conjunction"),
            "terms": [] if isinstance(terms, Unknown) else [
                {"variableName": t.get("variable_name"), "operator": t.get("operator"),
                 "operands": [] if isinstance(blocks(t, "operands"), Unknown) else [
                     {k: v for k, v in (("type", o.get("type")), ("queueId", o.get("queue_id")),
                                        ("userId", o.get("user_id")), ("value", o.get("value")))
                      if isinstance(v, str)}
                     for o in blocks(t, "operands")]}
                for t in terms]}


def map_user_roles(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    """genesyscloud_user_roles -> one role_subjectgrants row (a PC_USER subject with the grant's
    divisions) per role the user holds. `roles` is a Block Set of `{role_id, division_ids}`
    (docs/resources/user_roles.md); the resource manages every role of the user."""
    v = instance.values
    user = v.get("user_id")
    grants = blocks(v, "roles")
    out: list[Entity] = []
    if isinstance(grants, Unknown) or isinstance(user, Unknown):
        return out
    for grant in grants:
        role_id = _ref_id(ctx, "genesyscloud_auth_role", grant.get("role_id"))
        divisions = grant.get("division_ids")
        if isinstance(divisions, Unknown):
            listed: list[Any] = [divisions]
        elif isinstance(divisions, list) and divisions:
            listed = [d if isinstance(d, Unknown) else ctx.identifier(instance, "roles.division_ids", d,
                                                                       "genesyscloud_auth_division")
                      for d in divisions]
        else:
            listed = [None]
        out.append(_subject_grant(instance, ctx, role_id, str(user), str(user), "PC_USER", listed, "roles"))
    return out


def map_division(instance: ResourceInstance, ctx: Context) -> list[Entity]:
    """genesyscloud_auth_division -> divisions (AuthzDivision {id, name, description, homeDivision}).
    `home` is Optional ("True if this is the home division", docs/resources/auth_division.md)."""
    name, written = display_name(instance)
    division = Entity("divisions", {"id": instance.id, "name": name,
                                    "homeDivision": instance.values.get("home") is True}, instance,
                      match_name=written)
    division.located("name", "name")
    if isinstance(instance.values.get("description"), str) and not isinstance(instance.values["description"], Tainted):
        division.data["description"] = instance.values["description"]
    return [division]


MAPPERS: dict[str, Callable[[ResourceInstance, Context], list[Entity]]] = {
    "genesyscloud_routing_queue": map_queue,
    "genesyscloud_routing_wrapupcode": map_wrapupcode,
    "genesyscloud_webdeployments_configuration": map_configuration,
    "genesyscloud_webdeployments_deployment": map_deployment,
    "genesyscloud_oauth_client": map_oauth_client,
    "genesyscloud_auth_role": map_role,
    "genesyscloud_user_roles": map_user_roles,
    "genesyscloud_auth_division": map_division,
    "genesyscloud_flow": map_flow,
}
WANTED = frozenset(MAPPERS)
