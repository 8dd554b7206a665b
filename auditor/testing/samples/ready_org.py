"""`sample_exports/ready-org`: Lakeside Outfitters (us-west-2), an org ready for co-browse on web
messaging and voice. `gcaudit audit` with its plan reports no FAIL: the Active deployment pins a
published configuration with co-browse on both channels and mask selectors, the plan's sites are
https hosts the deployment allows, the plan's queues have message and call settings, wrap-up codes
and joined members who all hold both co-browse permissions, and the integration client uses an
authorization-code grant with the `conversations` scope. No OAuth client is risky.
"""

from __future__ import annotations

from typing import Any

from auditor.testing import factories as f
from auditor.testing.samples import SampleOrg, SampleOrgBuilder, codes, members, queue, traffic, users

ORG = "ready-org"
HOME = f.HOME_DIVISION

AGENTS = users(
    [
        "Amelia Brooks", "Diego Herrera", "Hana Sato", "Jordan Mitchell", "Leila Farahani", "Mateo Silva",
        "Nina Kowalczyk", "Owen Fraser", "Ravi Shankar", "Sara Lindgren", "Theo Marchetti", "Wei Zhang",
        "Beatriz Campos", "Callum Reid", "Esther Mbeki", "Felix Hoffmann",
    ],
    ORG,
)
SUPERVISORS = users(["Megan O'Connell", "Tobias Klein"], ORG)
ADMINS = users(["Rachel Green-Adeyemi", "Sam Whitfield"], ORG)
A = AGENTS

CODE_NAMES = [
    "Resolved - First Contact", "Resolved - Co-browse Assisted", "Co-browse Declined by Customer",
    "Escalated to Supervisor", "Order Status Provided", "Order Changed", "Delivery Query",
    "Return Started", "Refund Issued", "Exchange Arranged", "Product Advice", "Callback Scheduled",
    "Technical Issue - Website", "Customer Abandoned", "Transferred",
]
ORG_CODES = {name: f.wrapup_code(name, id=f.new_id(f"{ORG}:wrapup:{name}")) for name in CODE_NAMES}
CORE = ["Resolved - First Contact", "Resolved - Co-browse Assisted", "Co-browse Declined by Customer",
        "Escalated to Supervisor", "Customer Abandoned", "Transferred"]


def _queues(org: SampleOrgBuilder) -> None:
    window = org.traffic_interval()
    org.conversation_aggregates = []  # the traffic query was made (None would mean it was not)

    def add(name: str, media: list[str], prompt: str, code_names: list[str], queue_members: list[dict[str, Any]],
            timeout_ms: int | None = None, cobrowse_sessions: int = 0) -> None:
        body = queue(ORG, name, media, prompt=prompt, timeout_ms=timeout_ms, queue_members=queue_members)
        org.add_queue(body, codes(ORG_CODES, code_names), queue_members)
        org.conversation_aggregates += traffic(body, media, window, cobrowse_sessions=cobrowse_sessions)

    # The rollout's queues: message + call, codes assigned, every joined member holds both permissions,
    # web messaging and voice traffic in the window, and co-browse sessions on each.
    add("Online Help", ["message", "call"], "MANDATORY_TIMEOUT",
        [*CORE, "Product Advice", "Technical Issue - Website"], members(A[0:6], [A[12]]), timeout_ms=90000,
        cobrowse_sessions=41)
    add("Orders & Delivery", ["message", "call", "email"], "MANDATORY",
        [*CORE, "Order Status Provided", "Order Changed", "Delivery Query"], members(A[6:10], by_group=A[10:12]),
        cobrowse_sessions=12)
    add("Returns", ["message", "call", "callback"], "OPTIONAL",
        [*CORE, "Return Started", "Refund Issued", "Exchange Arranged"], members([*A[0:3], SUPERVISORS[0]]),
        cobrowse_sessions=9)
    # Outside the rollout.
    add("Email Support", ["email"], "OPTIONAL", [*CORE, "Order Status Provided"], members(A[12:16]))
    add("Callbacks", ["callback", "call"], "AGENT_REQUESTED", [*CORE, "Callback Scheduled"], members(A[13:16]),
        timeout_ms=60000)
    add("Store Appointments", ["call"], "OPTIONAL", ["Product Advice", "Callback Scheduled"], members(A[14:16]))
    org.wrapupcodes = list(ORG_CODES.values())


COBROWSE_PERMISSIONS = ["conversation:cobrowse:add", "conversation:cobrowseVoice:add"]
ROLES: list[tuple[str, list[str], list[Any], dict[str, Any]]] = [
    ("employee", ["directory:user:view", "directory:group:view", "presence:userPresence:edit"],
     AGENTS + SUPERVISORS + ADMINS, {"defaultRoleId": "employee", "default": True}),
    ("Contact Center Agent", ["conversation:call:accept,pickup", "conversation:message:accept,create",
                              "conversation:email:accept", "conversation:callback:accept",
                              "conversation:communication:transfer,disconnect", "conversation:participant:wrapup",
                              "routing:queue:join"], AGENTS, {"defaultRoleId": "user"}),
    # Every agent: with a Voice deployment, every queue taking calls is a co-browse queue.
    ("Co-browse Agent", COBROWSE_PERMISSIONS, AGENTS, {}),
    ("Supervisor", [*COBROWSE_PERMISSIONS, "analytics:queueObservation:view", "routing:queueMember:manage",
                    "conversation:communication:monitor"], SUPERVISORS, {}),
    ("Audit Read-Only", ["routing:queue:view", "routing:wrapupCode:view", "authorization:role:view",
                         "authorization:grant:view", "oauth:client:view", "webDeployments:deployment:view",
                         "webDeployments:configuration:view"], [], {}),
    ("Master Admin", ["*:*:*"], ADMINS, {"defaultRoleId": "admin"}),
]
ROLE_IDS = {name: f.new_id(f"{ORG}:role:{name}") for name, *_ in ROLES}


def _roles(org: SampleOrgBuilder) -> None:
    # Every holder in all divisions (the org has only Home).
    for name, permissions, holders, extra in ROLES:
        body = f.role(name, permissions, id=ROLE_IDS[name], **extra)
        org.add_role(body, grants=[f.subject_grant(u.id, name=u.name) for u in holders])


def _client(name: str, grant: str, **kwargs: Any) -> dict[str, Any]:
    return f.oauth_client(name, grant, id=f.new_id(f"{ORG}:client:{name}"), **kwargs)


def _oauth_clients(org: SampleOrgBuilder) -> None:
    org.oauth_clients = [
        _client("Cobrowse Launcher", "CODE", scopes=["conversations", "users:readonly"],
                redirect_uris=["https://apps.lakeside-outfitters.com/cobrowse/oauth/callback"], token_validity=3600),
        # A least-privilege collector for gcaudit itself: view-only role, home division, no scope list.
        _client("gcaudit Nightly Snapshot", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Audit Read-Only"], HOME["id"])]),
        _client("Okta SSO", "SAML2-BEARER", scopes=["users:readonly"]),
    ]


def _deployments(org: SampleOrgBuilder) -> None:
    help_center = f.configuration(
        "Help Center Messenger", id=f.new_id(f"{ORG}:config:Help Center Messenger"), version="5",
        cobrowse_settings=f.cobrowse(
            channels=["Webmessaging", "Voice"], allow_agent_control=True, allow_agent_navigation=True,
            mask_selectors=["input[type=password]", "input[name=cardNumber]", ".payment-details"],
            readonlySelectors=["#place-order"], pauseCriteria=[{"urlFragment": "/account/security",
                                                                "condition": "Includes"}],
        ),
    )
    careers = f.configuration("Careers Messenger", id=f.new_id(f"{ORG}:config:Careers Messenger"), version="2")
    # The Help Center routes web messaging through a published inbound message flow.
    help_flow = f.flow("Help Center Inbound Messaging", id=f.new_id(f"{ORG}:flow:Help Center Inbound Messaging"))
    org.flows = [help_flow]
    org.deployments = [
        f.deployment("Lakeside Help Center", help_center, id=f.new_id(f"{ORG}:deployment:Lakeside Help Center"),
                     allowed_domains=["www.lakeside-outfitters.com", "help.lakeside-outfitters.com"],
                     flow=f.flow_ref(help_flow)),
        f.deployment("Lakeside Careers", careers, id=f.new_id(f"{ORG}:deployment:Lakeside Careers"),
                     allowed_domains=["careers.lakeside-outfitters.com"]),
    ]
    # The drafts match what is published.
    org.configurations = [help_center, careers]


PLAN_YAML = """\
# Rollout plan for Lakeside Outfitters' co-browse launch (gcaudit audit --plan).
cobrowse:
  channels: [Webmessaging, Voice]
  deployments: [Lakeside Help Center]
  queues: [Online Help, Orders & Delivery, Returns]
  sites:
    - https://www.lakeside-outfitters.com/help
    - https://help.lakeside-outfitters.com/orders/track
  integration_clients: [Cobrowse Launcher]
  region: us-west-2
"""


def build() -> SampleOrg:
    org = SampleOrgBuilder(
        org_id=f.new_id(f"{ORG}:organization"),
        org_name="Lakeside Outfitters",
        region="us-west-2",
        api_base="https://api.usw2.pure.cloud",
        collected_at="2026-11-24T03:00:00Z",
    )
    _queues(org)
    _roles(org)
    _oauth_clients(org)
    _deployments(org)
    _auth(org)
    return SampleOrg(name=ORG, builder=org, plan_yaml=PLAN_YAML)


def _auth(org: SampleOrgBuilder) -> None:
    """Auth setup that passes every rule: the builder's hardened defaults, the HIPAA feature on with a
    15-minute idle timeout, SSO alongside Genesys login, both admins able to reset MFA devices (Master
    Admin's `*:*:*`), every user and client active recently, and one trusted organization with an expiry."""
    org.features = {"hipaa": True}
    org.auth_settings = [f.auth_settings()]  # Genesys Cloud login on, MFA required
    org.genesys_login = [f.genesys_login(disabled=False)]
    org.token_timeout = [f.token_timeout(900)]
    org.identity_providers = [f.identity_provider("Okta")]
    org.org_trustees = [f.trustee(f.new_id(f"{ORG}:trustee:Genesys Product Support"), "Genesys Product Support",
                                  expires="2026-12-31T00:00:00Z")]
    org.users = [f.user_activity(p.id, p.name, token_issued="2026-11-23T08:30:00.000Z",
                                 last_login="2026-11-23T08:30:00.000Z") for p in [*AGENTS, *SUPERVISORS, *ADMINS]]
    org.oauth_usage = [f.usage_row(c, "2026-11-23", 300) for c in org.oauth_clients]
