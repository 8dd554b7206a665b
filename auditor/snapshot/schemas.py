"""JSON Schemas for the entities of each dataset, as the Platform API returns them.

Only what the rules read is constrained: the fields they need are `required`, the fields they
read have a type. Everything else is left open (`additionalProperties` is allowed) because the
API adds fields all the time, and enum values are checked as strings, never against a closed
list, so an enum value this tool does not know yet is tolerated (the rules treat it as unknown).
"""

from __future__ import annotations

from typing import Any

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
BOOLEAN = {"type": "boolean"}
#: The API's integers are int32/int64 (the SDK models' `int` fields are swagger int32/int64): a value
#: beyond 64 bits is damage, refused at load naming the field, not an OverflowError in a rule.
INTEGER = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
STRINGS = {"type": "array", "items": STRING}
REF = {"type": "object", "properties": {"id": STRING, "name": STRING}}
ID_REF = {"type": "object", "required": ["id"], "properties": {"id": STRING, "name": STRING}}

_MEDIA_SETTING = {"type": ["object", "null"]}

QUEUE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "division": REF,
        "joinedMemberCount": INTEGER,
        "memberCount": INTEGER,
        "mediaSettings": {
            "type": "object",
            "properties": {k: _MEDIA_SETTING for k in ("call", "callback", "chat", "email", "message")},
        },
        "acwSettings": {
            "type": "object",
            "properties": {"wrapupPrompt": STRING, "timeoutMs": INTEGER},
        },
    },
}

WRAPUP_CODE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": STRING, "name": STRING, "division": REF},
}

QUEUE_MEMBER: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "user": REF,
        "joined": BOOLEAN,
        "memberBy": STRING,
    },
}

PERMISSION_POLICY: dict[str, Any] = {
    "type": "object",
    "required": ["domain", "entityName", "actionSet"],
    "properties": {
        "domain": STRING,
        "entityName": STRING,
        "actionSet": STRINGS,
        # A policy that only applies under conditions (DomainPermissionPolicy, SDK models/
        # domain_permission_policy.py): kept so the rules can tell a conditional grant apart.
        "allowConditions": BOOLEAN,
        "resourceConditionNode": {"type": ["object", "null"]},
    },
}

ROLE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "defaultRoleId": STRING,
        "default": BOOLEAN,
        "permissionPolicies": {"type": "array", "items": PERMISSION_POLICY},
        # Legacy permission strings (DomainOrganizationRole.permissions), e.g. ["admin"].
        "permissions": STRINGS,
        # Absent when listed with userCount=false, as the collector lists roles.
        "userCount": INTEGER,
    },
}

USER_REFERENCE: dict[str, Any] = {"type": "object", "required": ["id"], "properties": {"id": STRING}}

#: AuthzDivision (SDK models/authz_division.py): GET /api/v2/authorization/divisions and
#: /divisionspermitted/paged/me list these.
AUTHZ_DIVISION: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": STRING, "name": STRING, "homeDivision": BOOLEAN},
}

#: SubjectDivisionGrants (SDK models/subject_division_grants.py): a subject holding a role, with
#: the divisions it holds it in. `type` is an enum (PC_USER, PC_GROUP, PC_OAUTH_CLIENT,
#: PC_TRUSTEE_USER, PC_TRUSTEE_GROUP, UNKNOWN), checked as a string like every enum here.
SUBJECT_GRANT: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "type": STRING,
        "divisions": {"type": "array", "items": ID_REF},
    },
}

#: User (SDK models/user.py), as GET /api/v2/groups/{groupId}/individuals lists them.
USER: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": STRING, "name": STRING, "state": STRING, "division": REF},
}

#: Flow (SDK models/flow.py): `publishedVersion` (FlowVersion) is absent on a flow never published.
FLOW: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "type": STRING,
        "division": REF,
        "active": BOOLEAN,
        "deleted": BOOLEAN,
        "publishedVersion": {"type": "object", "properties": {"id": STRING, "name": STRING}},
    },
}

#: One `results` entry of ConversationAggregateQueryResponse (SDK models/
#: conversation_aggregate_data_container.py, statistical_response.py, aggregate_metric_data.py,
#: statistical_summary.py): `group` is a dict(str, str) of the groupBy dimensions.
AGGREGATE_RESULT: dict[str, Any] = {
    "type": "object",
    "required": ["group", "data"],
    "properties": {
        "group": {"type": "object", "additionalProperties": STRING},
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "interval": STRING,
                    "metrics": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["metric"],
                            "properties": {
                                "metric": STRING,
                                "qualifier": NULLABLE_STRING,
                                "stats": {"type": "object", "properties": {"count": INTEGER}},
                            },
                        },
                    },
                },
            },
        },
    },
}

OAUTH_CLIENT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "authorizedGrantType"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "description": STRING,
        "authorizedGrantType": STRING,
        "state": STRING,
        "dateToDelete": NULLABLE_STRING,
        "accessTokenValiditySeconds": INTEGER,
        "registeredRedirectUri": STRINGS,
        "scope": STRINGS,
        "roleIds": STRINGS,
        "roleDivisions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["roleId"],
                "properties": {"roleId": STRING, "divisionId": STRING},
            },
        },
    },
}

COBROWSE_SETTINGS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "enabled": BOOLEAN,
        "allowAgentControl": BOOLEAN,
        "allowAgentNavigation": BOOLEAN,
        "allowDraw": BOOLEAN,
        "maskSelectors": STRINGS,
        "readonlySelectors": STRINGS,
        "channels": STRINGS,
        # PauseCriteria (SDK models/pause_criteria.py): {urlFragment, condition}.
        "pauseCriteria": {
            "type": "array",
            "items": {"type": "object", "properties": {"urlFragment": STRING, "condition": STRING}},
        },
    },
}

#: WebDeploymentHeadlessMode (SDK models/web_deployment_headless_mode.py): an object, not a bool.
HEADLESS_MODE: dict[str, Any] = {"type": "object", "properties": {"enabled": BOOLEAN}}

#: MessengerSettings (SDK models/messenger_settings.py): `enabled` and `apps.conversations.enabled`.
MESSENGER_SETTINGS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "enabled": BOOLEAN,
        "apps": {
            "type": "object",
            "properties": {"conversations": {"type": "object", "properties": {"enabled": BOOLEAN}}},
        },
    },
}

CONFIGURATION_VERSION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "version": STRING,
        "status": STRING,
        "headlessMode": HEADLESS_MODE,
        "messenger": MESSENGER_SETTINGS,
        "cobrowse": COBROWSE_SETTINGS,
    },
}

WEB_DEPLOYMENT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "status"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "status": STRING,
        "allowAllDomains": BOOLEAN,
        "allowedDomains": STRINGS,
        # With expand=Configuration the pinned version is inlined; without it, only a reference.
        "configuration": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": STRING,
                "name": STRING,
                "version": STRING,
                "status": STRING,
                "headlessMode": HEADLESS_MODE,
                "messenger": MESSENGER_SETTINGS,
                "cobrowse": COBROWSE_SETTINGS,
            },
        },
        # The inbound message flow (WebDeploymentFlowEntityRef, SDK models/web_deployment.py).
        "flow": {"type": "object", "required": ["id"], "properties": {"id": STRING, "name": STRING}},
    },
}


# --- auth setup (issue 21) ----------------------------------------------------------------------
# Each field below is the JSON name of the SDK model's attribute_map (PureCloudPlatformClientV2,
# the venv's SDK; same fields in the SDK docs build/docs/<Model>.md at f80f2db2).

#: PasswordRequirements (SDK models/password_requirements.py): all int, all optional.
PASSWORD_REQUIREMENTS: dict[str, Any] = {
    "type": "object",
    "properties": {k: INTEGER for k in ("minimumLength", "minimumDigits", "minimumLetters", "minimumUpper",
                                        "minimumLower", "minimumSpecials", "minimumAgeSeconds", "expirationDays")},
}

#: OrgAuthSettings (SDK models/org_auth_settings.py), GET /api/v2/organizations/authentication/settings.
AUTH_SETTINGS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "multifactorAuthenticationRequired": BOOLEAN,
        "domainAllowlistEnabled": BOOLEAN,
        "domainAllowlist": STRINGS,
        "ipAddressAllowlist": STRINGS,
        "passwordRequirements": PASSWORD_REQUIREMENTS,
        "inactivityTimeoutExclusions": STRINGS,
    },
}

#: IdleTokenTimeout (SDK models/idle_token_timeout.py), GET /api/v2/tokens/timeout.
TOKEN_TIMEOUT: dict[str, Any] = {
    "type": "object",
    "properties": {"idleTokenTimeoutSeconds": INTEGER, "enableIdleTokenTimeout": BOOLEAN},
}

#: EmbeddedIntegration (SDK models/embedded_integration.py), GET /api/v2/organizations/embeddedintegration.
EMBEDDED_INTEGRATION: dict[str, Any] = {
    "type": "object",
    "properties": {"enableWhitelist": BOOLEAN, "domainWhitelist": STRINGS},
}

#: PureCloud (SDK models/pure_cloud.py), GET /api/v2/identityproviders/purecloud: {id, name, disabled}.
GENESYS_LOGIN: dict[str, Any] = {
    "type": "object",
    "properties": {"id": STRING, "name": STRING, "disabled": BOOLEAN},
}

#: The entities of IdentityProviderEntityListing (SDK: list[SAMLProvider]), GET /api/v2/identityproviders.
IDENTITY_PROVIDER: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": STRING, "name": STRING, "disabled": BOOLEAN, "providerName": STRING},
}

#: Trustee (SDK models/trustee.py), GET /api/v2/orgauthorization/trustees (TrustEntityListing).
TRUSTEE: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": STRING,
        "enabled": BOOLEAN,
        "usesDefaultRole": BOOLEAN,
        "hasFullAccess": BOOLEAN,
        "isTrustedUser": BOOLEAN,
        "dateCreated": NULLABLE_STRING,
        "dateExpired": NULLABLE_STRING,
        "organization": REF,
    },
}

#: User (SDK models/user.py) with expand=lasttokenissued,dateLastLogin: `lastTokenIssued` is an
#: OAuthLastTokenIssued {dateIssued}; `dateLastLogin` is "The last time the user logged in using
#: username and password" (SDK docstring), so it says nothing about SSO sign-ins.
USER_ACTIVITY: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "state": STRING,
        "username": STRING,
        "lastTokenIssued": {"type": "object", "properties": {"dateIssued": NULLABLE_STRING}},
        "dateLastLogin": NULLABLE_STRING,
    },
}

#: ApiUsageRow (SDK models/api_usage_row.py), the `results` of GET /api/v2/usage/query/{executionId}/results.
OAUTH_USAGE_ROW: dict[str, Any] = {
    "type": "object",
    "properties": {
        "clientId": STRING,
        "clientName": STRING,
        "requests": INTEGER,
        "date": NULLABLE_STRING,
    },
}


def listing(entity: dict[str, Any]) -> dict[str, Any]:
    """A dataset stored as a list of entities."""
    return {"type": "array", "items": entity}


def keyed(entity: dict[str, Any]) -> dict[str, Any]:
    """A per-parent dataset stored as {parentId: [entities]}."""
    return {"type": "object", "additionalProperties": {"type": "array", "items": entity}}


MANIFEST: dict[str, Any] = {
    "type": "object",
    "required": ["schema_version", "collected_at", "datasets"],
    "properties": {
        "schema_version": INTEGER,
        "collected_at": STRING,
        "tool": {"type": "object", "properties": {"name": STRING, "version": STRING}},
        "source": {
            "type": "object",
            "properties": {"region": NULLABLE_STRING, "api_base": NULLABLE_STRING},
        },
        "organization": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": STRING, "name": STRING},
        },
        "datasets": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["status"],
                "properties": {
                    "status": {"enum": ["ok", "partial", "error", "not_collected"]},
                    "entities": INTEGER,
                    "calls": INTEGER,
                    "http_status": {"type": ["integer", "null"]},
                    "error_code": NULLABLE_STRING,
                    "message": NULLABLE_STRING,
                    "message_with_params": NULLABLE_STRING,
                    "reason": NULLABLE_STRING,
                    "divisions_not_visible": {"type": "array", "items": {"type": "object", "required": ["id"],
                                                                          "properties": {"id": STRING,
                                                                                         "name": STRING}}},
                    "interval": NULLABLE_STRING,
                    "days": INTEGER,
                    # auditor.sources.collectors.plan: which objects a per-object dataset was collected for.
                    "scope": {"enum": ["all", "ids", "subjects"]},
                    "ids": {"type": "array", "items": STRING},
                    "covers": {"type": "array", "items": {"enum": ["every", "scope", "plan", "referenced"]}},
                },
            },
        },
    },
}
