"""Entity factories returning dicts shaped exactly like the Platform API's JSON (camelCase,
real enum spellings). Every factory takes keyword overrides merged over realistic defaults."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

HOME_DIVISION = {
    "id": "5f0b7fb4-8e1a-4e0f-9a4c-2f1f0c8a6b11",
    "name": "Home",
    "selfUri": "/api/v2/authorization/divisions/5f0b7fb4-8e1a-4e0f-9a4c-2f1f0c8a6b11",
}


#: The division a grant "in all divisions" carries (see auditor.snapshot.datasets.ALL_DIVISIONS_ID).
ALL_DIVISIONS = {"id": "*"}


def division(name: str, *, id: str | None = None, home: bool = False) -> dict[str, Any]:
    """An AuthzDivision as GET /api/v2/authorization/divisions lists it."""
    division_id = id or new_id(f"division:{name}")
    return {
        "id": division_id,
        "name": name,
        "description": f"{name} division",
        "homeDivision": home,
        "selfUri": f"/api/v2/authorization/divisions/{division_id}",
    }


def division_ref(division: dict[str, Any]) -> dict[str, Any]:
    """The {id, name, selfUri} reference a divisioned object carries."""
    return {k: division[k] for k in ("id", "name", "selfUri") if k in division}


def authz_division_of(ref: dict[str, Any]) -> dict[str, Any]:
    """An AuthzDivision for a division reference (the home division when it is HOME_DIVISION)."""
    return {
        "id": ref["id"],
        "name": ref.get("name", ref["id"]),
        "description": f"{ref.get('name', ref['id'])} division",
        "homeDivision": ref.get("homeDivision", ref["id"] == HOME_DIVISION["id"]),
        "selfUri": ref.get("selfUri", f"/api/v2/authorization/divisions/{ref['id']}"),
    }


def new_id(seed: str | None = None) -> str:
    """A UUID; deterministic when `seed` is given (uuid5), so fixtures are stable across runs."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gcaudit:{seed}")) if seed is not None else str(uuid.uuid4())


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    base.update(overrides)
    return base


#: QueueMediaSettings keys (SDK models/queue_media_settings.py); a real org's queues carry all of
#: them: the Terraform provider marks every media_settings_* computed (the server fills them in).
MEDIA_TYPES = ("call", "callback", "chat", "email", "message")


def all_media_settings() -> dict[str, Any]:
    """What a real org serves for every queue: settings for all five media types."""
    return media_settings(**{m: True for m in MEDIA_TYPES})


def media_settings(
    *, message: bool = True, call: bool = False, chat: bool = False, email: bool = False, callback: bool = False
) -> dict[str, Any]:
    def setting(**extra: Any) -> dict[str, Any]:
        return {
            "enableAutoAnswer": False,
            "alertingTimeoutSeconds": 30,
            "serviceLevel": {"percentage": 0.8, "durationMs": 20000},
            **extra,
        }

    out: dict[str, Any] = {}
    if call:
        out["call"] = setting()
    if callback:
        out["callback"] = setting(mode="AgentFirst")
    if chat:
        out["chat"] = setting()
    if email:
        out["email"] = setting(alertingTimeoutSeconds=300, serviceLevel={"percentage": 0.8, "durationMs": 86400000})
    if message:
        out["message"] = setting(subTypeSettings={"webmessaging": {"enableAutoAnswer": False}})
    return out


def queue(
    name: str,
    *,
    id: str | None = None,
    message: bool = True,
    call: bool = False,
    wrapup_prompt: str = "OPTIONAL",
    timeout_ms: int | None = None,
    joined_member_count: int = 0,
    member_count: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    queue_id = id or new_id(f"queue:{name}")
    acw: dict[str, Any] = {"wrapupPrompt": wrapup_prompt}
    if timeout_ms is not None:
        acw["timeoutMs"] = timeout_ms
    return _merge(
        {
            "id": queue_id,
            "name": name,
            "division": HOME_DIVISION,
            "dateCreated": "2025-03-11T09:24:51.000Z",
            "dateModified": "2026-10-02T14:03:12.000Z",
            "memberCount": member_count if member_count is not None else joined_member_count,
            "userMemberCount": member_count if member_count is not None else joined_member_count,
            "joinedMemberCount": joined_member_count,
            "mediaSettings": media_settings(message=message, call=call),
            "routingRules": [],
            "acwSettings": acw,
            "skillEvaluationMethod": "ALL",
            "scoringMethod": "TimestampAndPriority",
            "lastAgentRoutingMode": "Disabled",
            "autoAnswerOnly": False,
            "enableTranscription": False,
            "enableManualAssignment": False,
            "selfUri": f"/api/v2/routing/queues/{queue_id}",
        },
        overrides,
    )


def wrapup_code(name: str, *, id: str | None = None, **overrides: Any) -> dict[str, Any]:
    code_id = id or new_id(f"wrapup:{name}")
    return _merge(
        {
            "id": code_id,
            "name": name,
            "division": HOME_DIVISION,
            "dateCreated": "2025-01-20T08:00:00.000Z",
            "createdBy": {"id": new_id("user:admin"), "selfUri": f"/api/v2/users/{new_id('user:admin')}"},
            "selfUri": f"/api/v2/routing/wrapupcodes/{code_id}",
        },
        overrides,
    )


def user_ref(user_id: str) -> dict[str, Any]:
    return {"id": user_id, "selfUri": f"/api/v2/users/{user_id}"}


def queue_member(
    user_id: str, name: str, *, joined: bool = True, member_by: str = "user", **overrides: Any
) -> dict[str, Any]:
    return _merge(
        {
            "id": user_id,
            "name": name,
            "user": {"id": user_id, "name": name, "selfUri": f"/api/v2/users/{user_id}"},
            "ringNumber": 1,
            "joined": joined,
            "memberBy": member_by,
            "routingStatus": {"userId": user_id, "status": "OFF_QUEUE"},
            "selfUri": f"/api/v2/users/{user_id}",
        },
        overrides,
    )


def policy(permission: str, **overrides: Any) -> dict[str, Any]:
    """A permission policy from `domain:entity:action` (an action may be `*`; several actions as `a,b`)."""
    domain, entity, actions = permission.split(":")
    return _merge(
        {
            "domain": domain,
            "entityName": entity,
            "policyName": "default",
            "actionSet": actions.split(","),
            "allowConditions": False,
        },
        overrides,
    )


def role(
    name: str, permissions: Iterable[str] = (), *, id: str | None = None, user_count: int | None = None,
    **overrides: Any
) -> dict[str, Any]:
    """A DomainOrganizationRole. `userCount` only when `user_count` is given: the collector lists
    roles with userCount=false, and then the API leaves it out."""
    role_id = id or new_id(f"role:{name}")
    policies = [policy(p) for p in permissions]
    body: dict[str, Any] = {
        "id": role_id,
        "name": name,
        "description": f"{name} role",
        "permissions": [],
        "permissionPolicies": policies,
        "default": False,
        "base": False,
        "selfUri": f"/api/v2/authorization/roles/{role_id}",
    }
    if user_count is not None:
        body["userCount"] = user_count
    return _merge(body, overrides)


def oauth_client(
    name: str,
    grant: str = "CLIENT-CREDENTIALS",
    *,
    id: str | None = None,
    roles: Iterable[tuple[str, str]] = (),
    scopes: Iterable[str] = (),
    redirect_uris: Iterable[str] = (),
    state: str = "active",
    token_validity: int = 86400,
    **overrides: Any,
) -> dict[str, Any]:
    """`roles` are (roleId, divisionId) pairs; divisionId `*` means all divisions."""
    client_id = id or new_id(f"client:{name}")
    body: dict[str, Any] = {
        "id": client_id,
        "name": name,
        "description": f"{name} integration",
        "accessTokenValiditySeconds": token_validity,
        "authorizedGrantType": grant,
        "state": state,
        "dateCreated": "2025-06-01T10:00:00.000Z",
        "createdBy": {"id": new_id("user:admin"), "selfUri": f"/api/v2/users/{new_id('user:admin')}"},
        "selfUri": f"/api/v2/oauth/clients/{client_id}",
    }
    if grant == "CLIENT-CREDENTIALS":
        body["roleDivisions"] = [{"roleId": r, "divisionId": d} for r, d in roles]
    scopes = list(scopes)
    if scopes:
        body["scope"] = scopes
    uris = list(redirect_uris)
    if uris or grant in ("CODE", "TOKEN"):
        body["registeredRedirectUri"] = uris
    return _merge(body, overrides)


def cobrowse(
    enabled: bool = True,
    channels: Iterable[str] = ("Webmessaging",),
    *,
    allow_agent_control: bool = False,
    allow_agent_navigation: bool = False,
    mask_selectors: Iterable[str] = ("input[type=password]",),
    **overrides: Any,
) -> dict[str, Any]:
    return _merge(
        {
            "enabled": enabled,
            "allowAgentControl": allow_agent_control,
            "allowAgentNavigation": allow_agent_navigation,
            "allowDraw": True,
            "maskSelectors": list(mask_selectors),
            "readonlySelectors": [],
            "channels": list(channels),
            "pauseCriteria": [],
        },
        overrides,
    )


def configuration(
    name: str,
    *,
    id: str | None = None,
    version: str = "3",
    status: str = "Active",
    cobrowse_settings: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    config_id = id or new_id(f"config:{name}")
    body: dict[str, Any] = {
        "id": config_id,
        "name": name,
        "version": version,
        "description": f"Messenger configuration for {name}",
        "languages": ["en-us"],
        "defaultLanguage": "en-us",
        "headlessMode": {"enabled": False},  # WebDeploymentHeadlessMode
        # MessengerSettings with MessengerApps.conversations (ConversationAppSettings.enabled).
        "messenger": {"enabled": True, "launcherButton": {"visibility": "On"}, "fileUpload": {"modes": []},
                      "apps": {"conversations": {"enabled": True, "showAgentTypingIndicator": True,
                                                 "showUserTypingIndicator": True}}},
        "cobrowse": cobrowse_settings if cobrowse_settings is not None else cobrowse(enabled=False, channels=()),
        "journeyEvents": {"enabled": False},
        "status": status,
        "dateCreated": "2025-04-01T12:00:00.000Z",
        "dateModified": "2026-09-14T16:30:00.000Z",
        "selfUri": f"/api/v2/webdeployments/configurations/{config_id}/versions/{version}",
    }
    return _merge(body, overrides)


def deployment(
    name: str,
    config: dict[str, Any],
    *,
    id: str | None = None,
    status: str = "Active",
    allowed_domains: Iterable[str] = ("www.example.com",),
    allow_all_domains: bool = False,
    **overrides: Any,
) -> dict[str, Any]:
    """A web deployment with `expand=Configuration`: the pinned configuration version inlined."""
    deployment_id = id or new_id(f"deployment:{name}")
    return _merge(
        {
            "id": deployment_id,
            "name": name,
            "description": f"{name} Messenger deployment",
            "allowAllDomains": allow_all_domains,
            "allowedDomains": [] if allow_all_domains else list(allowed_domains),
            "configuration": config,
            "status": status,
            "snippet": '<script type="text/javascript" charset="utf-8">/* Genesys bootstrap */</script>',
            "dateCreated": "2025-04-02T12:00:00.000Z",
            "dateModified": "2026-09-14T16:35:00.000Z",
            "selfUri": f"/api/v2/webdeployments/deployments/{deployment_id}",
        },
        overrides,
    )


def subject_grant(subject_id: str, name: str | None = None, divisions: Iterable[dict[str, Any] | str] = ("*",), *,
                  subject_type: str = "PC_USER", type: str | None = None) -> dict[str, Any]:
    """A SubjectDivisionGrants entry of GET /authorization/roles/{roleId}/subjectgrants.

    `divisions` are division dicts or ids; `*` is the all-divisions marker. `type` is the
    subject type under its API name (an alias of `subject_type`)."""
    subject_type = type or subject_type
    refs = []
    for division in divisions:
        if isinstance(division, str):
            refs.append(dict(ALL_DIVISIONS) if division == "*" else
                        {"id": division, "selfUri": f"/api/v2/authorization/divisions/{division}"})
        else:
            refs.append(dict(ALL_DIVISIONS) if division.get("id") == "*" else division_ref(division))
    base = {"PC_USER": "users", "PC_GROUP": "groups", "PC_OAUTH_CLIENT": "oauth/clients"}.get(subject_type, "users")
    return {
        "id": subject_id,
        "name": name or f"Subject {subject_id[:8]}",
        "type": subject_type,
        "divisions": refs,
        "selfUri": f"/api/v2/{base}/{subject_id}",
    }


def user(user_id: str, name: str, *, division: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A User as GET /api/v2/groups/{groupId}/individuals lists it."""
    slug = ".".join(name.lower().split()) or user_id
    return _merge(
        {
            "id": user_id,
            "name": name,
            "division": division_ref(division or HOME_DIVISION),
            "email": f"{slug}@example.com",
            "state": "active",
            "username": f"{slug}@example.com",
            "version": 3,
            "acdAutoAnswer": False,
            "selfUri": f"/api/v2/users/{user_id}",
        },
        overrides,
    )


def flow(name: str, *, id: str | None = None, flow_type: str = "INBOUNDSHORTMESSAGE", published: bool = True,
         division: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A Flow (GET /api/v2/flows/{flowId}); `publishedVersion` only when published.

    Web messaging is routed by inbound message flows: Flow.type INBOUNDSHORTMESSAGE (SDK models/flow.py)."""
    flow_id = id or new_id(f"flow:{name}")
    body: dict[str, Any] = {
        "id": flow_id,
        "name": name,
        "division": division_ref(division or HOME_DIVISION),
        "description": f"{name} flow",
        "type": flow_type,
        "active": published,
        "system": False,
        "deleted": False,
        "savedVersion": {"id": "2.0", "name": "2.0", "selfUri": f"/api/v2/flows/{flow_id}/versions/2.0"},
        "selfUri": f"/api/v2/flows/{flow_id}",
    }
    if published:
        body["publishedVersion"] = {"id": "1.0", "name": "1.0", "selfUri": f"/api/v2/flows/{flow_id}/versions/1.0"}
    return _merge(body, overrides)


def flow_ref(flow: dict[str, Any]) -> dict[str, Any]:
    """The `flow` a WebDeployment carries (WebDeploymentFlowEntityRef: id, name, selfUri)."""
    return {"id": flow["id"], "name": flow["name"], "selfUri": f"/api/v2/flows/{flow['id']}"}


#: Metrics the collector asks for (ConversationAggregationView.target / ConversationAggregationSort
#: metric enum, SDK 269): conversations, offers, handle time and co-browse sessions.
AGGREGATE_METRICS = ("nConversations", "nOffered", "tHandle", "nCobrowseSessions")


def aggregate(queue_id: str, media_type: str, interval: str, *, conversations: int, cobrowse_sessions: int = 0,
              message_type: str | None = None, handle_ms: int = 240_000) -> dict[str, Any]:
    """One `results` entry of POST /analytics/conversations/aggregates/query grouped by queueId,
    mediaType (and messageType for messages), over one interval with no granularity."""
    group = {"queueId": queue_id, "mediaType": media_type}
    if message_type:
        group["messageType"] = message_type
    metrics: list[dict[str, Any]] = [
        {"metric": "nConversations", "stats": {"count": conversations}},
        {"metric": "nOffered", "stats": {"count": conversations}},
        {"metric": "tHandle", "stats": {"max": handle_ms * 3, "min": handle_ms // 4, "count": conversations,
                                        "sum": handle_ms * conversations}},
    ]
    if cobrowse_sessions:
        metrics.append({"metric": "nCobrowseSessions", "stats": {"count": cobrowse_sessions}})
    return {"group": group, "data": [{"interval": interval, "metrics": metrics}]}


def traffic(
    queue_id: str, media_type: str, count: int, *, message_type: str | None = None, metric: str = "nConversations",
    interval: str = "2026-11-17T00:00:00.000Z/2026-11-24T00:00:00.000Z",
) -> dict[str, Any]:
    """One `results` entry of a ConversationAggregateQueryResponse with a single metric
    [SDK 269 models/conversation_aggregate_data_container.py, statistical_response.py, aggregate_metric_data.py]."""
    group = {"queueId": queue_id, "mediaType": media_type}
    if message_type is not None:
        group["messageType"] = message_type
    metrics = [{"metric": metric, "stats": {"count": count}}]
    return {"group": group, "data": [{"interval": interval, "metrics": metrics}]}


# --- auth setup (issue 21): the shapes of the SDK models named in auditor.snapshot.schemas ---------

#: A public IPv4 block (Genesys honours IPv4 CIDRs only and refuses private ones: Resource Center
#: "Allow IP addresses"), used as the default allowlist of a test org.
PUBLIC_CIDR = "81.2.69.0/24"


def auth_settings(**overrides: Any) -> dict[str, Any]:
    """OrgAuthSettings (GET /api/v2/organizations/authentication/settings), hardened: MFA required, the
    Genesys default password requirements (8 characters, 1 of each class: Resource Center "Set Genesys
    Cloud password requirements"), an IP allowlist and an embedding allowlist."""
    return _merge(
        {
            "multifactorAuthenticationRequired": True,
            "domainAllowlistEnabled": True,
            "domainAllowlist": ["*.example.com"],
            "ipAddressAllowlist": [PUBLIC_CIDR],
            "passwordRequirements": {"minimumLength": 12, "minimumDigits": 1, "minimumLetters": 0, "minimumUpper": 1,
                                     "minimumLower": 1, "minimumSpecials": 1, "minimumAgeSeconds": 0,
                                     "expirationDays": 0},
            "inactivityTimeoutExclusions": [],
            "universalLogout": False,
            "tokenStorageLocation": "session",
        },
        overrides,
    )


def token_timeout(seconds: int | None = 1800, **overrides: Any) -> dict[str, Any]:
    """IdleTokenTimeout (GET /api/v2/tokens/timeout); `seconds` None: the timeout is off."""
    body: dict[str, Any] = {"enableIdleTokenTimeout": seconds is not None, "inactivityTimeoutUnit": "Minutes",
                            "inactivityTimeoutGroupsEnabled": False, "inactivityTimeoutGroupBundles": []}
    if seconds is not None:
        body["idleTokenTimeoutSeconds"] = seconds
    return _merge(body, overrides)


def embedded_integration(domains: list[str] | None = None) -> dict[str, Any]:
    """EmbeddedIntegration (GET /api/v2/organizations/embeddedintegration)."""
    domains = ["*.example.com"] if domains is None else domains
    return {"enableWhitelist": bool(domains), "domainWhitelist": list(domains)}


def genesys_login(disabled: bool = False) -> dict[str, Any]:
    """PureCloud (GET /api/v2/identityproviders/purecloud): disabled = the org signs in through SSO only."""
    return {"id": "purecloud", "name": "PureCloud", "disabled": disabled,
            "selfUri": "/api/v2/identityproviders/purecloud"}


def identity_provider(name: str, *, disabled: bool = False) -> dict[str, Any]:
    """A SAMLProvider as GET /api/v2/identityproviders lists it."""
    slug = "".join(name.lower().split())
    return {"id": slug, "name": name, "disabled": disabled, "issuerURI": f"https://{slug}.example.com/saml",
            "ssoTargetURI": f"https://{slug}.example.com/sso", "displayOnLogin": True,
            "selfUri": f"/api/v2/identityproviders/{slug}"}


def trustee(org_id: str, name: str, *, enabled: bool = True, full_access: bool = False, default_role: bool = False,
            expires: str | None = "2027-06-30T00:00:00Z", created: str = "2026-01-15T09:00:00Z") -> dict[str, Any]:
    """A Trustee (GET /api/v2/orgauthorization/trustees): an organization granted access to this one."""
    body: dict[str, Any] = {
        "id": org_id, "enabled": enabled, "usesDefaultRole": default_role, "hasFullAccess": full_access,
        "isTrustedUser": False, "dateCreated": created,
        "organization": {"id": org_id, "name": name, "selfUri": f"/api/v2/organizations/{org_id}"},
        "selfUri": f"/api/v2/orgauthorization/trustees/{org_id}",
    }
    if expires is not None:
        body["dateExpired"] = expires
    return body


def user_activity(user_id: str, name: str, *, token_issued: str | None, last_login: str | None = None,
                  state: str = "active") -> dict[str, Any]:
    """A User as GET /api/v2/users?expand=lasttokenissued,dateLastLogin lists it: `lastTokenIssued`
    is an OAuthLastTokenIssued {dateIssued}; `dateLastLogin` only records username-and-password logins."""
    body = user(user_id, name)
    body["state"] = state
    if token_issued is not None:
        body["lastTokenIssued"] = {"dateIssued": token_issued}
    if last_login is not None:
        body["dateLastLogin"] = last_login
    return body


def usage_row(client: dict[str, Any], day: str, requests: int) -> dict[str, Any]:
    """An ApiUsageRow of GET /api/v2/usage/query/{executionId}/results (granularity Day)."""
    return {"clientId": client["id"], "clientName": client.get("name", ""), "organizationId": "",
            "requests": requests, "status200": requests, "status300": 0, "status400": 0, "status500": 0,
            "status429": 0, "date": f"{day}T00:00:00.000Z"}
