"""The provider's accepted values for every enum attribute `export-terraform` writes, as data.

Copied as lists (not code) from the `ValidateFunc: validation.StringInSlice(...)` of the provider's
schema files at MyPureCloud/terraform-provider-genesyscloud v1.84.1 (the file is named per entry).
`case_insensitive` mirrors StringInSlice's second argument. tests/sources/terraform/test_export_safety.py
checks every enum of an export against these lists.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVIDER_VERSION = "v1.84.1"


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]
    source: str
    case_insensitive: bool = False

    def accepts(self, value: str) -> bool:
        if self.case_insensitive:
            return value.casefold() in {v.casefold() for v in self.values}
        return value in self.values


_QUEUE = "genesyscloud/routing_queue/resource_genesyscloud_routing_queue_schema.go"
_CONFIG = "genesyscloud/webdeployments_configuration/resource_genesyscloud_webdeployments_configuration_schema.go"
_DEPLOYMENT = "genesyscloud/webdeployments_deployment/resource_genesyscloud_webdeployments_deployment_schema.go"
_CLIENT = "genesyscloud/oauth_client/resource_genesyscloud_oauth_client_schema.go"

#: (resource type, attribute path with blocks joined by ".") -> accepted values.
ENUMS: dict[tuple[str, str], Enum] = {
    ("genesyscloud_routing_queue", "acw_wrapup_prompt"): Enum(
        ("MANDATORY", "OPTIONAL", "MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT", "AGENT_REQUESTED"),
        f"{_QUEUE} ResourceRoutingQueue `acw_wrapup_prompt`"),
    ("genesyscloud_webdeployments_configuration", "status"): Enum(
        ("Pending", "Active", "Inactive", "Error", "Deleting"),
        f"{_CONFIG} ResourceWebDeploymentConfiguration `status`"),
    ("genesyscloud_webdeployments_configuration", "cobrowse.channels"): Enum(
        ("Webmessaging", "Voice"), f"{_CONFIG} cobrowseSettings `channels`"),
    ("genesyscloud_webdeployments_configuration", "cobrowse.pause_criteria.condition"): Enum(
        ("Includes", "DoesNotInclude", "StartsWith", "EndsWith", "Equals"),
        f"{_CONFIG} cobrowseSettings `pause_criteria.condition`", case_insensitive=True),
    ("genesyscloud_webdeployments_deployment", "status"): Enum(
        ("Pending", "Active", "Inactive", "Error", "Deleting"),
        f"{_DEPLOYMENT} ResourceWebDeployment `status`"),
    ("genesyscloud_oauth_client", "authorized_grant_type"): Enum(
        ("CODE", "TOKEN", "SAML2BEARER", "SAML2-BEARER", "PASSWORD", "CLIENT-CREDENTIALS"),
        f"{_CLIENT} ResourceOAuthClient `authorized_grant_type`"),
    ("genesyscloud_oauth_client", "state"): Enum(("active", "inactive"), f"{_CLIENT} ResourceOAuthClient `state`"),
}
