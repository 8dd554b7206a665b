"""The datasets a snapshot holds: one declaration each, read by the collectors, the loader and the docs.

Each declaration says where the data comes from in the Platform API (endpoint, paging envelope,
page size, permission and scope to read it) and what one entity must look like. Collectors page
the endpoint; the loader validates the file; the README's least-privilege list is generated
from the permissions and scopes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from auditor.snapshot import schemas

Paging = Literal["page_number", "next_uri", "cursor", "none"]

#: How a dataset is fetched:
#: - `listing`: one paged GET of `endpoint`;
#: - `per_parent`: one paged GET per entity of `parent`, stored as {parentId: [entities]};
#: - `per_permission`: one paged GET per permission the collector relies on, stored as {permission: [...]};
#: - `per_group`: one paged GET per PC_GROUP subject of `role_subjectgrants`, stored as {groupId: [...]};
#: - `per_reference`: one GET per flow a web deployment references, stored as a list;
#: - `query`: one POST of an analytics query, stored as the list of its `results`;
#: - `single`: one GET of one settings object, stored as a list holding that object;
#: - `usage_query`: one POST of an asynchronous usage query, then bounded polls of its results
#:   (USAGE_RESULTS_ENDPOINT), stored as the list of its `results`.
Kind = Literal["listing", "per_parent", "per_permission", "per_group", "per_reference", "query", "single",
               "usage_query"]

#: How the Platform API marks a grant "in all divisions": a division whose id is `*`.
#: Source: Terraform provider docs/resources/user_roles.md ("'*' may be set for all divisions")
#: and genesyscloud/user_roles/resource_genesyscloud_user_roles_schema.go, whose exporter accepts
#: `*` as an alternative value of the division ids it reads back from the API's grants; the same
#: `*` is the documented `divisionId` of OAuth client roleDivisions (fact sheet §3.1). Not stated
#: for GET /authorization/roles/{roleId}/subjectgrants in particular: no public source shows that
#: endpoint's answer for an all-divisions grant.
ALL_DIVISIONS_ID = "*"


@dataclass(frozen=True)
class Dataset:
    name: str
    endpoint: str
    paging: Paging
    page_size: int
    #: The permission the endpoint requires (None: "Requires no permissions").
    permission: str | None
    scope: str
    entity_schema: dict[str, Any]
    #: Per-parent datasets are fetched once per entity of `parent` and stored as {parentId: [entities]}.
    parent: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    description: str = ""
    kind: Kind = "listing"
    method: Literal["GET", "POST"] = "GET"
    #: Its entities live in divisions: a client that lacks `permission` in some division sees
    #: only part of them, and the dataset is then `partial` (see collectors/visibility.py).
    divisioned: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.json"

    @property
    def keyed(self) -> bool:
        """Stored as {key: [entities]} rather than a list."""
        return self.kind in ("per_parent", "per_permission", "per_group")

    @property
    def file_schema(self) -> dict[str, Any]:
        if self.keyed:
            return schemas.keyed(self.entity_schema)
        return schemas.listing(self.entity_schema)



#: ArchitectApi.get_flows_lookup (SDK 269): GET /api/v2/flows/lookup?id=..., "Look up flows by ID.
#: Returns only flows matching the specified ID(s). Returns an empty listing if no flows match the
#: given IDs." (FlowEntityListing, page_number/page_size paging). The ids go comma-joined in one
#: `id=` as the SDK sends a list (ApiClient.to_path_value: ','.join). It replaces
#: GET /api/v2/flows?id=, deprecated in the same SDK.
FLOW_LOOKUP_ENDPOINT = "/api/v2/flows/lookup"
#: Ids per lookup, and the page size asked for: the SDK documents no maximum for either, so 50
#: keeps the URL near 2 KB and one page answers a chunk (the collector pages on regardless).
FLOW_LOOKUP_IDS = 50


#: AuthorizationApi.get_authorization_subject (SDK 269): GET /api/v2/authorization/subjects/{subjectId},
#: "Returns a listing of roles and permissions for a user" -> AuthzSubject {id, name, grants[]
#: {subjectId, division, role {id, name}, grantMadeAt}}; permission `authorization:grant:view`
#: (SDK docs). Its `includeDuplicates` parameter ("Include multiple entries with the same role and
#: division but different subjects") is what says the listing of a user also holds the grants the
#: user has through other subjects (groups), each with that subject's id. A call plan reads role
#: grants this way, per user, when the users concerned are fewer than the roles to list
#: (auditor.sources.collectors.plan).
SUBJECT_GRANTS_ENDPOINT = "/api/v2/authorization/subjects/{subjectId}"
SUBJECT_GRANTS_PERMISSION = "authorization:grant:view"

#: OrganizationApi.get_organizations_authentication_settings (SDK 269 apis/organization_api.py ->
#: OrgAuthSettings): "Requires ANY permissions: directory:organization:admin" (SDK docs
#: build/docs/OrganizationApi.md at f80f2db2). That is the only permission listed: there is no
#: view-only one, so reading the settings needs an admin-level permission (issue 21). An admin who
#: will not grant it opts out (`--skip-auth-settings`, gcaudit.yaml `skip-auth-settings`).
AUTH_SETTINGS_PERMISSION = "directory:organization:admin"
#: The datasets only AUTH_SETTINGS_PERMISSION can read.
ADMIN_DATASETS = ("auth_settings",)
#: How a `not_collected` reason starts when the admin opted out of a read on purpose: rules that
#: need such a dataset are NOT_APPLICABLE with the reason instead of ERROR (auditor.engine).
OPTED_OUT_PREFIX = "opted out: "

#: UsageApi.get_usage_query_execution_id_results (SDK 269 -> ApiUsageQueryResult {results: [ApiUsageRow],
#: queryStatus: Complete | Failed | Running, cursors}); "Requires ANY permissions: oauth:client:view,
#: usage:organization:view" (SDK docs build/docs/UsageApi.md).
USAGE_RESULTS_ENDPOINT = "/api/v2/usage/query/{executionId}/results"

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="divisions",
        endpoint="/api/v2/authorization/divisions",  # AuthorizationApi.get_authorization_divisions
        paging="page_number",
        page_size=100,  # no documented maximum: 100, as the provider pages listings without one
        permission=None,  # "Requires no permissions" (SDK docs, get_authorization_divisions)
        scope="authorization:readonly",
        entity_schema=schemas.AUTHZ_DIVISION,
        description="The org's divisions (AuthzDivision)",
    ),
    Dataset(
        name="queues",
        endpoint="/api/v2/routing/queues",
        paging="page_number",
        page_size=500,  # undocumented maximum; the Terraform provider pages queues by 500
        permission="routing:queue:view",
        scope="routing:readonly",
        entity_schema=schemas.QUEUE,
        description="Queues with mediaSettings and acwSettings",
        divisioned=True,  # Queue.division
    ),
    Dataset(
        name="queue_wrapupcodes",
        endpoint="/api/v2/routing/queues/{queueId}/wrapupcodes",
        paging="page_number",
        page_size=100,
        permission="routing:queue:view",
        scope="routing:readonly",
        entity_schema=schemas.WRAPUP_CODE,
        parent="queues",
        kind="per_parent",
        description="Wrap-up codes assigned to each queue",
    ),
    Dataset(
        name="queue_members",
        endpoint="/api/v2/routing/queues/{queueId}/members",
        paging="next_uri",  # QueueMemberEntityListing has no total/pageCount
        page_size=100,  # documented maximum
        permission="routing:queue:view",
        scope="routing:readonly",
        entity_schema=schemas.QUEUE_MEMBER,
        parent="queues",
        kind="per_parent",
        description="Members of each queue, with their joined state",
    ),
    Dataset(
        name="wrapupcodes",
        endpoint="/api/v2/routing/wrapupcodes",
        paging="page_number",
        page_size=100,  # no documented maximum; the provider pages wrap-up codes by 100
        permission="routing:wrapupCode:view",
        scope="routing:readonly",
        entity_schema=schemas.WRAPUP_CODE,
        description="The org's wrap-up codes",
        divisioned=True,  # WrapupCode.division
    ),
    Dataset(
        name="roles",
        endpoint="/api/v2/authorization/roles",
        paging="page_number",
        # No documented maximum; the Terraform provider lists roles with pageSize 100 and
        # userCount=false (genesyscloud auth_role getAllAuthRoles: GetAuthorizationRoles(100, ..., false, nil)).
        page_size=100,
        permission="authorization:role:view",
        scope="authorization:readonly",
        entity_schema=schemas.ROLE,
        # userCount defaults to true and makes the call slow (issue 11); nothing here reads it.
        params={"userCount": "false"},
        description="Roles with their permissionPolicies",
    ),
    Dataset(
        name="role_subjectgrants",
        # AuthorizationApi.get_authorization_role_subjectgrants -> SubjectDivisionGrantsEntityListing;
        # "Requires ANY permissions: authorization:role:view" (SDK docs, AuthorizationApi.md).
        endpoint="/api/v2/authorization/roles/{roleId}/subjectgrants",
        paging="page_number",
        page_size=100,  # no documented maximum: 100
        permission="authorization:role:view",
        scope="authorization:readonly",
        entity_schema=schemas.SUBJECT_GRANT,
        parent="roles",
        kind="per_parent",
        description="Subjects (users, groups, OAuth clients...) holding each role, with their divisions",
    ),
    Dataset(
        name="group_individuals",
        # GroupsApi.get_group_individuals -> UserEntityListing; "Requires no permissions".
        endpoint="/api/v2/groups/{groupId}/individuals",
        paging="page_number",
        page_size=0,  # the SDK declares no paging parameters; nextUri is followed if present
        permission=None,
        scope="groups:readonly",
        entity_schema=schemas.USER,
        kind="per_group",
        description="The users of each group holding a role (PC_GROUP subjects of role_subjectgrants)",
    ),
    Dataset(
        name="oauth_clients",
        endpoint="/api/v2/oauth/clients",
        paging="page_number",
        page_size=0,  # the endpoint takes no paging parameters; nextUri is followed if present
        permission="oauth:client:view",
        scope="oauth:readonly",
        entity_schema=schemas.OAUTH_CLIENT,
        description="OAuth clients: grant type, scopes, role/division grants, state",
    ),
    Dataset(
        name="deployments",
        endpoint="/api/v2/webdeployments/deployments",
        paging="cursor",
        page_size=300,  # pageSize is a string parameter, "Defaults to 300"
        permission="webDeployments:deployment:view",
        scope="webdeployments:readonly",
        entity_schema=schemas.WEB_DEPLOYMENT,
        params={"expand": "Configuration"},
        description="Web deployments with their pinned Messenger configuration version",
    ),
    Dataset(
        name="configurations",
        endpoint="/api/v2/webdeployments/configurations",
        paging="cursor",
        page_size=300,
        permission="webDeployments:configuration:view",
        scope="webdeployments:readonly",
        entity_schema=schemas.CONFIGURATION_VERSION,
        description="Messenger configuration drafts (what the next publish would pin)",
    ),
    Dataset(
        name="flows",
        # ArchitectApi.get_flow -> Flow; "Requires ANY permissions: architect:flow:view" (SDK docs).
        # The flows deployments reference (WebDeployment.flow), looked up in one call per
        # FLOW_LOOKUP_IDS ids (FLOW_LOOKUP_ENDPOINT); a flow the lookup does not return is fetched
        # alone, because a single GET tells a deleted flow (404) from one in a division the client
        # cannot see (403 missing.division.permission).
        endpoint="/api/v2/flows/{flowId}",
        paging="none",
        page_size=0,
        permission="architect:flow:view",
        scope="architect:readonly",
        entity_schema=schemas.FLOW,
        kind="per_reference",
        description="The inbound message flows web deployments reference",
        divisioned=True,  # Flow.division
    ),
    Dataset(
        name="conversation_aggregates",
        # AnalyticsApi.post_analytics_conversations_aggregates_query (ConversationAggregationQuery ->
        # ConversationAggregateQueryResponse); "Requires ANY permissions: analytics:conversationAggregate:view".
        endpoint="/api/v2/analytics/conversations/aggregates/query",
        paging="none",
        page_size=0,
        permission="analytics:conversationAggregate:view",
        scope="analytics:readonly",
        entity_schema=schemas.AGGREGATE_RESULT,
        kind="query",
        method="POST",
        description="Conversations per queue and media type over the traffic window",
        divisioned=True,  # queue traffic is reported for the queues the client can see
    ),
    Dataset(
        name="divisions_permitted",
        # AuthorizationApi.get_authorization_divisionspermitted_paged_me -> DivsPermittedEntityListing
        # (entities: AuthzDivision, allDivsPermitted: bool); "Requires NO permissions".
        endpoint="/api/v2/authorization/divisionspermitted/paged/me",
        paging="page_number",
        page_size=100,  # no documented maximum: 100
        permission=None,
        scope="authorization:readonly",
        entity_schema=schemas.AUTHZ_DIVISION,
        kind="per_permission",
        description="For each permission the collector relies on, the divisions the client holds it in",
    ),    # --- auth setup (issue 21). Scopes are for user-context grants only; those not in the fact
    # sheet's §4.2 list (Terraform provider docs) are marked as inferred from the API's path.
    Dataset(
        name="auth_settings",
        # OrganizationApi.get_organizations_authentication_settings -> OrgAuthSettings.
        endpoint="/api/v2/organizations/authentication/settings",
        paging="none",
        page_size=0,
        permission=AUTH_SETTINGS_PERMISSION,  # an admin permission: see AUTH_SETTINGS_PERMISSION
        scope="organization:readonly",
        entity_schema=schemas.AUTH_SETTINGS,
        kind="single",
        description="Authentication settings: MFA required, password requirements, IP and embedding allowlists",
    ),
    Dataset(
        name="token_timeout",
        # TokensApi.get_tokens_timeout -> IdleTokenTimeout; "Requires no permissions" (SDK docs TokensApi.md).
        endpoint="/api/v2/tokens/timeout",
        paging="none",
        page_size=0,
        permission=None,
        scope="oauth:readonly",  # inferred: no source names the scope of /tokens/timeout
        entity_schema=schemas.TOKEN_TIMEOUT,
        kind="single",
        description="The idle token timeout (automatic inactivity sign-out)",
    ),
    Dataset(
        name="embedded_integration",
        # OrganizationApi.get_organizations_embeddedintegration -> EmbeddedIntegration; "Requires no
        # permissions"; deprecated ("please use /api/v2/organizations/authentication/settings instead",
        # SDK docs OrganizationApi.md). Read because it needs no admin permission: AUTH-007 falls back
        # to it when the authentication settings are not readable.
        endpoint="/api/v2/organizations/embeddedintegration",
        paging="none",
        page_size=0,
        permission=None,
        scope="organization:readonly",
        entity_schema=schemas.EMBEDDED_INTEGRATION,
        kind="single",
        description="Domains allowed to embed Genesys Cloud (deprecated twin of the auth settings' allowlist)",
    ),
    Dataset(
        name="genesys_login",
        # IdentityProviderApi.get_identityproviders_purecloud -> PureCloud {id, name, disabled};
        # "Requires ANY permissions: sso:provider:view" (SDK docs IdentityProviderApi.md).
        endpoint="/api/v2/identityproviders/purecloud",
        paging="none",
        page_size=0,
        permission="sso:provider:view",
        scope="identity-providers:readonly",
        entity_schema=schemas.GENESYS_LOGIN,
        kind="single",
        description="The Genesys Cloud (username and password) identity provider: disabled means SSO only",
    ),
    Dataset(
        name="identity_providers",
        # IdentityProviderApi.get_identityproviders -> IdentityProviderEntityListing; "Requires ANY
        # permissions: sso:provider:view"; takes no paging parameters (SDK docs).
        endpoint="/api/v2/identityproviders",
        paging="page_number",
        page_size=0,  # no paging parameters: nextUri is followed if present
        permission="sso:provider:view",
        scope="identity-providers:readonly",
        entity_schema=schemas.IDENTITY_PROVIDER,
        description="The org's identity providers (SSO)",
    ),
    Dataset(
        name="org_trustees",
        # OrganizationAuthorizationApi.get_orgauthorization_trustees -> TrustEntityListing; "Requires
        # ANY permissions: authorization:orgTrustee:view"; pageSize defaults to 25 (SDK docs).
        endpoint="/api/v2/orgauthorization/trustees",
        paging="page_number",
        page_size=100,  # no documented maximum: 100
        permission="authorization:orgTrustee:view",
        scope="organization-authorization:readonly",
        entity_schema=schemas.TRUSTEE,
        description="Authorized (trustee) organizations with access to this org",
    ),
    Dataset(
        name="users",
        # UsersApi.get_users -> UserEntityListing; "Requires no permissions"; `expand` values include
        # lasttokenissued and dateLastLogin, `state` defaults to active (SDK docs UsersApi.md).
        endpoint="/api/v2/users",
        paging="page_number",
        page_size=100,  # no documented maximum: 100
        permission=None,
        scope="users:readonly",
        entity_schema=schemas.USER_ACTIVITY,
        params={"expand": "lasttokenissued,dateLastLogin", "state": "active"},
        description="Active users with the date their last token was issued",
    ),
    Dataset(
        name="oauth_usage",
        # UsageApi.post_usage_query (ApiUsageOrganizationQuery -> UsageExecutionResult {executionId,
        # resultsUri}): "Query organization API Usage - After calling this method, you will then need
        # to poll for the query results based on the returned execution Id"; "Requires ANY
        # permissions: oauth:client:view, usage:organization:view" (SDK docs UsageApi.md).
        endpoint="/api/v2/usage/query",
        paging="none",
        page_size=0,
        permission="oauth:client:view",
        scope="oauth:readonly",  # inferred: the usage API's scope is not named in the fact sheet
        entity_schema=schemas.OAUTH_USAGE_ROW,
        kind="usage_query",
        method="POST",
        description="API requests per OAuth client and day over the usage window",
    ),
)

BY_NAME: dict[str, Dataset] = {d.name: d for d in DATASETS}

#: Read once per collection to name the org in the manifest; not a dataset of its own.
ORGANIZATION_ENDPOINT = "/api/v2/organizations/me"
ORGANIZATION_SCOPE = "organization:readonly"


def get(name: str) -> Dataset:
    return BY_NAME[name]


def visibility_permissions() -> list[str]:
    """The permissions whose division coverage decides whether a divisioned dataset is complete."""
    return sorted({d.permission for d in DATASETS if d.divisioned and d.permission})


def is_all_divisions(division: dict[str, Any] | None) -> bool:
    """True for the division a grant in "all divisions" carries (see ALL_DIVISIONS_ID)."""
    return isinstance(division, dict) and division.get("id") == ALL_DIVISIONS_ID
