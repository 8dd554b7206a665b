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
INTEGER = {"type": "integer"}
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
    "properties": {"domain": STRING, "entityName": STRING, "actionSet": STRINGS},
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
        "userCount": INTEGER,
    },
}

USER_REFERENCE: dict[str, Any] = {"type": "object", "required": ["id"], "properties": {"id": STRING}}

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
            "properties": {"id": STRING, "name": STRING, "version": STRING, "cobrowse": COBROWSE_SETTINGS},
        },
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
                    "status": {"enum": ["ok", "error", "not_collected"]},
                    "entities": INTEGER,
                    "calls": INTEGER,
                    "http_status": {"type": ["integer", "null"]},
                    "error_code": NULLABLE_STRING,
                    "message": NULLABLE_STRING,
                },
            },
        },
    },
}
