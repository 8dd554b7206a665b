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

Paging = Literal["page_number", "next_uri", "cursor"]


@dataclass(frozen=True)
class Dataset:
    name: str
    endpoint: str
    paging: Paging
    page_size: int
    permission: str
    scope: str
    entity_schema: dict[str, Any]
    #: Per-parent datasets are fetched once per entity of `parent` and stored as {parentId: [entities]}.
    parent: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @property
    def filename(self) -> str:
        return f"{self.name}.json"

    @property
    def file_schema(self) -> dict[str, Any]:
        if self.parent:
            return schemas.keyed(self.entity_schema)
        return schemas.listing(self.entity_schema)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="queues",
        endpoint="/api/v2/routing/queues",
        paging="page_number",
        page_size=500,  # undocumented maximum; the Terraform provider pages queues by 500
        permission="routing:queue:view",
        scope="routing:readonly",
        entity_schema=schemas.QUEUE,
        description="Queues with mediaSettings and acwSettings",
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
        description="Members of each queue, with their joined state",
    ),
    Dataset(
        name="wrapupcodes",
        endpoint="/api/v2/routing/wrapupcodes",
        paging="page_number",
        page_size=500,
        permission="routing:wrapupCode:view",
        scope="routing:readonly",
        entity_schema=schemas.WRAPUP_CODE,
        description="The org's wrap-up codes",
    ),
    Dataset(
        name="roles",
        endpoint="/api/v2/authorization/roles",
        paging="page_number",
        page_size=500,
        permission="authorization:role:view",
        scope="authorization:readonly",
        entity_schema=schemas.ROLE,
        description="Roles with their permissionPolicies",
    ),
    Dataset(
        name="role_users",
        endpoint="/api/v2/authorization/roles/{roleId}/users",
        paging="page_number",
        page_size=500,
        permission="authorization:role:view",
        scope="authorization:readonly",
        entity_schema=schemas.USER_REFERENCE,
        parent="roles",
        description="Users holding each role",
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
)

# --- snapshot format v2 (CONTRACT.md; h2 stub, replaced by h1's declarations at merge) ---
DATASETS = (
    *DATASETS,
    Dataset(
        name="divisions",
        endpoint="/api/v2/authorization/divisions",
        paging="page_number",
        page_size=100,
        permission="",
        scope="authorization:readonly",
        entity_schema=schemas.DIVISION,
        description="The org's divisions",
    ),
    Dataset(
        name="divisions_permitted",
        endpoint="/api/v2/authorization/divisionspermitted/paged/me",
        paging="page_number",
        page_size=100,
        permission="",
        scope="authorization:readonly",
        entity_schema=schemas.DIVISION,
        parent="permissions",  # keyed by permission string
        description="Divisions where the auditing client holds each permission it relies on",
    ),
    Dataset(
        name="role_subjectgrants",
        endpoint="/api/v2/authorization/roles/{roleId}/subjectgrants",
        paging="page_number",
        page_size=100,
        permission="authorization:role:view",
        scope="authorization:readonly",
        entity_schema=schemas.SUBJECT_GRANT,
        parent="roles",
        description="Subjects holding each role, with the divisions of each grant",
    ),
    Dataset(
        name="group_individuals",
        endpoint="/api/v2/groups/{groupId}/individuals",
        paging="page_number",
        page_size=100,
        permission="directory:group:view",
        scope="groups:readonly",
        entity_schema=schemas.GROUP_MEMBER,
        parent="groups",
        description="Users of each group holding a role",
    ),
    Dataset(
        name="flows",
        endpoint="/api/v2/flows",
        paging="page_number",
        page_size=100,
        permission="architect:flow:view",
        scope="architect:readonly",
        entity_schema=schemas.FLOW,
        description="Flows referenced by web deployments",
    ),
    Dataset(
        name="conversation_aggregates",
        endpoint="/api/v2/analytics/conversations/aggregates/query",
        paging="page_number",
        page_size=0,
        permission="analytics:conversationAggregate:view",
        scope="analytics:readonly",
        entity_schema=schemas.CONVERSATION_AGGREGATE,
        description="Conversations and co-browse sessions per queue in the traffic window",
    ),
)

BY_NAME: dict[str, Dataset] = {d.name: d for d in DATASETS}

#: Read once per collection to name the org in the manifest; not a dataset of its own.
ORGANIZATION_ENDPOINT = "/api/v2/organizations/me"
ORGANIZATION_SCOPE = "organization:readonly"


def get(name: str) -> Dataset:
    return BY_NAME[name]
