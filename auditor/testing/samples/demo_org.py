"""`sample_exports/demo-org`: Northwind Retail (eu-west-1), an org half-way through a co-browse
rollout. Co-browse was switched on in the live site's Messenger configuration draft but never
published; the pilots that do pin it are not Active. Every rule of the catalog fails here at
least once, on the object named in the comments below, and passes on another object, except
COB-001 (one org-wide result) and COB-003 (no co-browse deployment is Active, which is what
COB-001 reports), AUTHZ-002/003 (the plan needs Voice, which nobody holds): ready-org gives their
PASS. (QUE-001 is retired: like a real org's, every queue carries all five media settings.)
The plan is in `PLAN_YAML`.

Shaped like a real org (issue 11): two divisions (Home, Stores); subject grants with divisions
(A3 holds Co-browse Agent only in Stores; the "Web Chat Seniors" group holds it for A7 and A8);
inbound message flows (one unpublished, one deleted, one in Stores); a week of traffic
aggregates; a role with only the legacy `permissions: ["admin"]`; a `SAML2BEARER` client.
`build_partial()` is the same org as a client without grants in Stores collects it
(`sample_exports/demo-org-partial`).
"""

from __future__ import annotations

from typing import Any

from auditor.testing import factories as f
from auditor.testing.samples import (
    SampleOrg,
    SampleOrgBuilder,
    User,
    codes,
    division,
    members,
    queue,
    traffic,
    users,
)

ORG = "demo-org"
HOME = f.HOME_DIVISION
STORES = division("Stores", ORG)

AGENTS = users(
    [
        "Aisha Rahman", "Ben Carter", "Chloé Dubois", "Daniel Okafor", "Elena Petrova", "Finn O'Brien",
        "Grace Liu", "Hamza Ali", "Isabel Costa", "Jakub Nowak", "Kira Jensen", "Liam Walsh",
        "Maya Patel", "Noah Fischer", "Olivia Byrne", "Pedro Alves", "Quinn Murphy", "Rosa Martínez",
        "Samuel Adeyemi", "Tara Kelly", "Umar Siddiqui", "Vera Lindqvist", "William Hughes",
        "Ximena Torres", "Yusuf Demir", "Zoe Clarke", "Adam Kowalski", "Bianca Rossi", "Conor Doyle",
        "Dalia Haddad", "Emil Novák", "Fatima Zahra", "Gabriel Moreau", "Hannah Schmidt", "Ivan Horvat",
        "Julia Brennan", "Karim Mansour", "Laura Gallagher", "Marco Bianchi", "Nadia Popescu",
        "Oscar Berg", "Priya Nair", "Ronan Fitzgerald", "Sofia Andersson", "Tomás Ruiz", "Uma Reddy",
        "Victor Lefebvre", "Wiktoria Zielińska", "Yara Khalil", "Zainab Bello",
    ],
    ORG,
)
SUPERVISORS = users(
    ["Siobhan Keane", "Marcus Webb", "Ingrid Solberg", "Rafael Mendes", "Aoife Nolan", "Dmitri Volkov"], ORG
)
ADMINS = users(["Helen Park", "James Whitaker", "Nora Quinlan", "Patrick Lynch"], ORG)
HELEN, JAMES, NORA, PATRICK = ADMINS
A = AGENTS
S = SUPERVISORS

# --- wrap-up codes -------------------------------------------------------------------------------
CODE_NAMES = [
    "Resolved - First Contact", "Resolved - Follow-up Required", "Escalated to Tier 2",
    "Escalated to Supervisor", "Order Status Provided", "Order Cancelled", "Order Modified",
    "Delivery Delay - Carrier", "Delivery Address Changed", "Missing Item", "Damaged Item Reported",
    "Return Label Sent", "Exchange Arranged", "Refund Issued", "Refund Denied - Outside Policy",
    "Store Credit Issued", "Billing Query Resolved", "Payment Failed - Card Declined",
    "Duplicate Charge Investigated", "Invoice Sent", "Loyalty Points Adjusted", "Loyalty Enrolment",
    "Promo Code Issue", "Gift Card Balance", "Product Information", "Size & Fit Advice",
    "Stock Availability", "Click & Collect Query", "Store Hours / Location", "Account Locked",
    "Password Reset", "Fraud Suspected", "Complaint Logged", "Compliment", "Callback Scheduled",
    "Customer Abandoned", "Wrong Queue - Transferred", "Spam / Test", "Co-browse Session Completed",
    "Co-browse Declined by Customer", "Technical Issue - Website",
    # WRP-002 FAIL: a team lead re-created the first code with different capitalisation.
    "Resolved - first contact",
]
ORG_CODES = {name: f.wrapup_code(name, id=f.new_id(f"{ORG}:wrapup:{name}")) for name in CODE_NAMES}
# WRP-001 FAIL: still assigned to Billing Web after the code was deleted from the org.
DELETED_CODE = f.wrapup_code("Promo Code Applied", id=f.new_id(f"{ORG}:wrapup:Promo Code Applied"))

CORE = ["Resolved - First Contact", "Resolved - Follow-up Required", "Escalated to Tier 2",
        "Escalated to Supervisor", "Wrong Queue - Transferred", "Customer Abandoned"]
ORDERS = ["Order Status Provided", "Order Cancelled", "Order Modified", "Delivery Delay - Carrier",
          "Delivery Address Changed", "Missing Item"]
BILLING = ["Billing Query Resolved", "Payment Failed - Card Declined", "Duplicate Charge Investigated",
           "Invoice Sent", "Refund Issued"]
RETURNS = ["Return Label Sent", "Exchange Arranged", "Refund Issued", "Refund Denied - Outside Policy",
           "Store Credit Issued", "Damaged Item Reported"]
COBROWSE = ["Co-browse Session Completed", "Co-browse Declined by Customer", "Technical Issue - Website"]


def _queues(org: SampleOrgBuilder) -> None:
    window = org.traffic_interval()
    org.conversation_aggregates = []  # the traffic query was made (None would mean it was not)

    def add(name: str, media: list[str], prompt: str, code_names: list[str], queue_members: list[dict[str, Any]],
            *, timeout_ms: int | None = None, extra_codes: list[dict[str, Any]] | None = None,
            queue_division: dict[str, Any] | None = None, took: list[str] | None = None,
            cobrowse_sessions: int = 0) -> None:
        """`media`: what the queue is for; `took`: the media it took traffic on in the window
        (default: all of `media`)."""
        body = queue(ORG, name, media, prompt=prompt, timeout_ms=timeout_ms, queue_members=queue_members,
                     queue_division=queue_division)
        org.add_queue(body, codes(ORG_CODES, code_names) + (extra_codes or []), queue_members)
        org.conversation_aggregates += traffic(body, media if took is None else took, window,
                                               cobrowse_sessions=cobrowse_sessions)

    # --- the rollout's queues (plan.yaml) ---
    # AUTHZ-003 FAIL: A7..A11 are joined but lack conversation:cobrowse:add. (AUTHZ-002 FAILs on
    # every plan queue with call settings: nobody in the org holds conversation:cobrowseVoice:add.)
    # Co-browse has worked here: 37 sessions in the traffic window. AUTHZ-003 (division-scoped) FAIL
    # too: A3 holds Co-browse Agent only in the Stores division, and this queue is in Home; A7 and A8
    # hold it through the "Web Chat Seniors" group grant.
    add("Web Support", ["message", "call", "callback"], "MANDATORY",
        [*CORE, ORDERS[0], *COBROWSE, "Product Information"], members(A[0:4], A[12:14], by_group=A[4:12]),
        cobrowse_sessions=37)
    # QUE-004 FAIL (forced timeout without timeoutMs), WRP-001 FAIL (deleted code still assigned),
    # QUE-005 FAIL for Voice (web only: no voice traffic). AUTHZ-002 and AUTHZ-003 PASS: every joined member holds
    # conversation:cobrowse:add (S0 through `conversation:cobrowse:*`).
    add("Billing Web", ["message"], "MANDATORY_FORCED_TIMEOUT", CORE + BILLING,
        members([*A[14:20], S[0]]), extra_codes=[DELETED_CODE], cobrowse_sessions=4)
    # QUE-002 FAIL (mandatory, no codes) and AUTHZ-002 FAIL (no joined member may start co-browse).
    add("Returns & Exchanges", ["message", "call", "email"], "MANDATORY_TIMEOUT", [],
        members(A[20:28]), timeout_ms=60000)
    # QUE-003 FAIL: members were added but nobody has joined yet.
    # QUE-005 FAIL: a plan queue that took no web messaging (nor anything else) in the window.
    add("Loyalty Club", ["message", "email"], "OPTIONAL", [*CORE, "Loyalty Points Adjusted", "Loyalty Enrolment"],
        members(not_joined=A[28:33]), took=[])
    # Email and callback only (no web messaging traffic); QUE-004 FAIL: timeoutMs on OPTIONAL.
    add("Order Tracking", ["email", "callback"], "OPTIONAL", CORE + ORDERS, members(A[33:38]), timeout_ms=30000)
    # Voice only (no web messaging traffic).
    add("Voice - Tier 2", ["call", "callback"], "AGENT_REQUESTED", CORE + RETURNS[:3], members([*A[38:44], S[1]]),
        timeout_ms=120000)

    # --- the rest of the contact centre (not in the plan) ---
    add("Voice - General Enquiries", ["call", "callback"], "MANDATORY_TIMEOUT", [*CORE, "Store Hours / Location"],
        members(A[0:20], A[44:46]), timeout_ms=45000)
    add("Voice - Tier 1", ["call"], "MANDATORY", CORE + ORDERS, members(A[20:38]))
    add("Voice - Spanish", ["call", "callback"], "OPTIONAL", CORE, members([A[23], A[44]], [A[8]]))
    add("Click & Collect", ["message", "call"], "MANDATORY", [*CORE, "Click & Collect Query", "Stock Availability"],
        members(A[10:16]), queue_division=STORES)
    add("Store Locator", ["message"], "OPTIONAL", ["Store Hours / Location", "Stock Availability"],
        members(A[16:20]), queue_division=STORES)
    add("Appointments - In Store", ["call", "callback"], "OPTIONAL", ["Callback Scheduled", "Size & Fit Advice"],
        members(A[44:48]), queue_division=STORES)
    add("Delivery Issues", ["message", "call", "email"], "MANDATORY_TIMEOUT", CORE + ORDERS,
        members(A[33:40]), timeout_ms=60000)
    add("Damaged Items", ["email", "message"], "MANDATORY", [*CORE, "Damaged Item Reported", "Return Label Sent"],
        members(A[24:28]))
    add("Refunds - Email", ["email"], "OPTIONAL", CORE + RETURNS, members(A[20:24], [A[27]]))
    add("Product Questions", ["message", "chat"], "OPTIONAL", ["Product Information", "Size & Fit Advice",
                                                                  "Stock Availability"], members(A[0:8]))
    add("Size & Fit Advice", ["message"], "OPTIONAL", ["Size & Fit Advice", "Product Information"], members(A[4:8]))
    add("Gift Cards & Vouchers", ["message", "call"], "MANDATORY", [*CORE, "Gift Card Balance", "Promo Code Issue"],
        members(A[14:18]))
    add("Corporate Gifting", ["email", "call"], "OPTIONAL", CORE, members(A[46:48]))
    add("Marketplace Sellers", ["email"], "OPTIONAL", CORE, members([A[48]], [A[49]]))
    add("Fraud & Security", ["call", "email"], "MANDATORY", [*CORE, "Fraud Suspected", "Account Locked"],
        members([S[3], A[40], A[41]]))
    add("Account Access", ["message", "call"], "MANDATORY_TIMEOUT", ["Account Locked", "Password Reset", *CORE],
        members(A[40:44]), timeout_ms=30000)
    add("Accessibility Support", ["call", "message", "email"], "OPTIONAL", CORE, members([A[11], A[25]]))
    add("Warranty Claims", ["email"], "OPTIONAL", [*CORE, "Damaged Item Reported"], members(A[26:28]))
    add("Social Media Care", ["message"], "MANDATORY", [*CORE, "Complaint Logged", "Compliment"], members(A[5:9]))
    add("Complaints Escalation", ["call", "email", "message"], "MANDATORY", [*CORE, "Complaint Logged"],
        members([S[2], S[4]]))
    add("Executive Office", ["email"], "OPTIONAL", ["Complaint Logged", "Resolved - Follow-up Required"],
        members([S[5]]))
    add("Callback - Overflow", ["callback"], "AGENT_REQUESTED", [*CORE, "Callback Scheduled"],
        members(A[30:34]), timeout_ms=60000)
    add("After Hours Messaging", ["message"], "OPTIONAL", CORE, members(not_joined=A[44:48]), took=[])
    add("Store Staff Helpdesk", ["call", "email"], "OPTIONAL", ["Technical Issue - Website", "Password Reset"],
        members([JAMES], A[48:50]), queue_division=STORES)
    add("Training Sandbox", ["message", "call", "email", "callback", "chat"], "MANDATORY", [], members(), took=[])

    org.wrapupcodes = list(ORG_CODES.values())


# --- roles ---------------------------------------------------------------------------------------
# No role grants `conversation:cobrowseVoice:add` (not even by wildcard): AUTHZ-001 FAILs for the
# plan's Voice channel and PASSes for Webmessaging.
ROLES: list[tuple[str, list[str], list[User], dict[str, Any]]] = [
    ("employee", ["directory:user:view", "directory:group:view", "directory:organization:view",
                  "presence:userPresence:edit", "conversation:message:view"],
     AGENTS + SUPERVISORS + ADMINS, {"defaultRoleId": "employee", "default": True}),
    ("Contact Center Agent", ["conversation:call:accept,pickup,record", "conversation:message:accept,create",
                              "conversation:email:accept,create", "conversation:callback:accept,create",
                              "conversation:communication:transfer,disconnect", "conversation:participant:wrapup",
                              "routing:queue:join", "routing:wrapupCode:view"],
     AGENTS, {"defaultRoleId": "user"}),
    ("Co-browse Agent", ["conversation:cobrowse:add"], A[0:7] + A[14:20] + [A[44]], {}),
    ("Co-browse Team Lead", ["conversation:cobrowse:*", "conversation:communication:monitor"], S[0:2], {}),
    ("Supervisor", ["analytics:conversationDetail:view", "analytics:queueObservation:view",
                    "routing:queueMember:manage", "conversation:communication:monitor,coach,bargein",
                    "quality:evaluation:view"], SUPERVISORS, {}),
    ("Quality Evaluator", ["quality:evaluation:add,edit,view", "recording:recording:view"], S[2:4], {}),
    ("Trainer", ["learning:module:add,edit,view", "coaching:appointment:add,edit,view"], [S[4]], {}),
    ("Reporting Analyst", ["analytics:*:view", "analytics:dashboard:add,edit"], [S[5], HELEN], {}),
    ("Contact Center Admin", ["routing:queue:*", "routing:wrapupCode:*", "routing:skill:*",
                              "webDeployments:deployment:*", "webDeployments:configuration:*"], [HELEN], {}),
    ("Telephony Admin", ["telephony:plugin:all", "telephony:phone:*", "telephony:station:*", "telephony:trunk:*"],
     [NORA], {}),
    ("Workforce Integration", ["wfm:schedule:view", "wfm:agentSchedule:view", "routing:queue:view",
                               "analytics:queueObservation:view"], [], {}),
    ("Messaging Bot Integration", ["conversation:webmessaging:view", "conversation:message:create",
                                   "messaging:integration:view"], [], {}),
    # Only Helen may reset MFA devices (all three mfa:verifier permissions, Resource Center "Reset MFA
    # devices of users"): AUTH-002 would fail if MFA were required (it is not: AUTH-001's fault).
    ("MFA Support", ["mfa:verifier:view,edit,delete"], [HELEN], {}),
    # Domain `*`: read everything. An admin-level role in OAUTH-006's sense.
    ("Read-Only Auditor", ["*:*:view"], [], {}),
    ("Master Admin", ["authorization:role:*", "authorization:grant:*", "oauth:client:*", "routing:*:*",
                      "directory:*:*", "webDeployments:*:*", "telephony:*:*", "integrations:*:*",
                      "architect:*:*", "analytics:*:*"], [PATRICK, JAMES], {"defaultRoleId": "admin"}),
]
ROLE_IDS = {name: f.new_id(f"{ORG}:role:{name}") for name, *_ in ROLES}


#: A group holding Co-browse Agent (a PC_GROUP subject grant, expanded by GET /groups/{id}/individuals).
WEB_CHAT_SENIORS = f.new_id(f"{ORG}:group:Web Chat Seniors")
#: Holds Co-browse Agent only in the Stores division, yet is a joined member of Web Support (Home).
STORES_ONLY_HOLDER = A[3]
#: A role with only the legacy `permissions: ["admin"]` and no `*` policy (OAUTH-006).
LEGACY_ADMIN = "Legacy Integration Admin"
ROLE_IDS[LEGACY_ADMIN] = f.new_id(f"{ORG}:role:{LEGACY_ADMIN}")


def _roles(org: SampleOrgBuilder) -> None:
    for name, permissions, holders, extra in ROLES:
        body = f.role(name, permissions, id=ROLE_IDS[name], **extra)
        if name == "Co-browse Agent":
            grants = [f.subject_grant(u.id, name=u.name, divisions=[STORES] if u is STORES_ONLY_HOLDER else ["*"])
                      for u in holders]
            grants.append(f.subject_grant(WEB_CHAT_SENIORS, name="Web Chat Seniors", subject_type="PC_GROUP"))
            org.add_role(body, grants=grants)
        else:
            org.add_role(body, grants=[f.subject_grant(u.id, name=u.name) for u in holders])
    org.add_group(WEB_CHAT_SENIORS, [A[7].id, A[8].id], {A[7].id: A[7].name, A[8].id: A[8].name})
    legacy = f.role(LEGACY_ADMIN, [], id=ROLE_IDS[LEGACY_ADMIN], description="Created before permission policies")
    legacy["permissions"] = ["admin"]
    org.add_role(legacy)


# --- OAuth clients -------------------------------------------------------------------------------
def _client(name: str, grant: str, **kwargs: Any) -> dict[str, Any]:
    return f.oauth_client(name, grant, id=f.new_id(f"{ORG}:client:{name}"), **kwargs)


def _oauth_clients(org: SampleOrgBuilder) -> None:
    home = HOME["id"]
    org.oauth_clients = [
        # The plan's integration client done right: user grant, `conversations` scope, https redirect.
        _client("Cobrowse Launcher", "CODE", scopes=["conversations", "users:readonly", "webdeployments:readonly"],
                redirect_uris=["https://apps.northwind-retail.com/cobrowse/oauth/callback"]),
        # OAUTH-001 FAIL: planned, but a client-credentials token carries no agent.
        _client("Agent Desktop Cobrowse", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Co-browse Agent"], home)]),
        # OAUTH-002 FAIL (no `conversations`), OAUTH-004 FAIL (implicit), OAUTH-005 FAIL (http + wildcard).
        _client("Store Kiosk Widget", "TOKEN", scopes=["webdeployments:readonly", "users:readonly"],
                redirect_uris=["http://kiosk.northwind-retail.com/*"], token_validity=7200),
        # OAUTH-003 FAIL: resource-owner password grant.
        _client("Legacy Reporting Sync", "PASSWORD", scopes=["analytics:readonly"]),
        # OAUTH-006 FAIL: Master Admin on every division.
        _client("Data Warehouse Export", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Master Admin"], "*")]),
        # OAUTH-006 FAIL: a domain-`*` role, home division only.
        _client("BI Dashboard Sync", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Read-Only Auditor"], home)]),
        # OAUTH-007 FAIL: client credentials with no role at all.
        _client("Ops Automation (gc CLI)", "CLIENT-CREDENTIALS"),
        # OAUTH-010 FAIL: a scope list on client credentials is ignored by the platform.
        _client("WFM Connector", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Workforce Integration"], home)],
                scopes=["workforce-management", "routing:readonly"]),
        # OAUTH-008 FAIL: disabled.
        _client("Old IVR Connector", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Telephony Admin"], home)],
                state="disabled"),
        # OAUTH-008 and OAUTH-011 FAIL: the plan still names the first pilot's client, now inactive
        # and scheduled for deletion.
        _client("Cobrowse Pilot 2025 (retired)", "CODE", scopes=["conversations"],
                redirect_uris=["https://pilot.northwind-retail.com/cobrowse/callback"], state="inactive",
                dateToDelete="2026-12-15T00:00:00.000Z"),
        # OAUTH-012 FAIL: a grant type outside the documented enum. The API field description
        # mentions a PKCE-enabled code grant the enum does not list; a snapshot can hold such a
        # newer value (this spelling is illustrative, not confirmed from a live org).
        _client("Store Associate Mobile App", "PKCE", scopes=["conversations", "users:readonly"],
                redirect_uris=["https://associate.northwind-retail.com/oauth/callback"], token_validity=3600),
        # OAUTH-009 FAIL: 48-hour tokens.
        _client("Okta SSO Bridge", "SAML2-BEARER", scopes=["users:readonly", "conversations"], token_validity=172800),
        # `SAML2BEARER` (no hyphen): accepted by Genesys tooling, so not an unknown grant (OAUTH-012 PASS).
        _client("Azure AD SAML Bridge", "SAML2BEARER", scopes=["users:readonly"], token_validity=3600),
        # OAUTH-006 FAIL: the role's only grant is the legacy `permissions: ["admin"]`.
        _client("Legacy CRM Sync", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS[LEGACY_ADMIN], home)]),
        # OAUTH-005 PASS: plain http is fine on loopback.
        _client("Local Dev Sandbox", "CODE", scopes=["conversations:readonly"],
                redirect_uris=["http://localhost:8080/callback", "http://127.0.0.1:8080/callback"],
                token_validity=3600),
        # A clean client-credentials client (OAUTH-006/007/010 PASS).
        _client("Digital Bot Connector", "CLIENT-CREDENTIALS", roles=[(ROLE_IDS["Messaging Bot Integration"], home)]),
    ]


# --- web deployments and Messenger configurations -----------------------------------------------
MASKS = ["input[type=password]", "input[name=cardNumber]", "input[name=cvv]", ".payment-details"]


def _config(name: str, version: str, cobrowse: dict[str, Any] | None = None) -> dict[str, Any]:
    return f.configuration(name, id=f.new_id(f"{ORG}:config:{name}"), version=version,
                           cobrowse_settings=cobrowse)


def _deployment(name: str, config: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return f.deployment(name, config, id=f.new_id(f"{ORG}:deployment:{name}"), **kwargs)


def _flow(name: str, *, published: bool = True, division: dict[str, Any] | None = None) -> dict[str, Any]:
    return f.flow(name, id=f.new_id(f"{ORG}:flow:{name}"), published=published, division=division)


def _deployments(org: SampleOrgBuilder) -> None:
    both = ("Webmessaging", "Voice")
    support_v7 = _config("Support Messenger", "7")
    support_draft = _config("Support Messenger", "8", f.cobrowse(channels=both, mask_selectors=MASKS))
    # COB-010 FAIL: co-browse pauses on pages whose URL includes /checkout: the plan's checkout site.
    checkout = _config("Checkout Messenger", "3", f.cobrowse(
        channels=["Webmessaging"], allow_agent_control=True, mask_selectors=[],
        pauseCriteria=[{"urlFragment": "/checkout", "condition": "Includes"}]))
    # COB-011 FAIL (info): headless mode. COB-012 FAIL: the pinned version is still Pending.
    loyalty = _config("Loyalty Messenger", "2", f.cobrowse(channels=both, allow_agent_control=True,
                                                           allow_agent_navigation=True, mask_selectors=MASKS))
    loyalty.update(headlessMode={"enabled": True}, status="Pending")
    # COB-009 FAIL: Messenger is on but its conversations app is off: no web messaging can start.
    partner = _config("Partner Messenger", "5", f.cobrowse(channels=[], allow_agent_navigation=True, mask_selectors=[]))
    partner["messenger"]["apps"]["conversations"]["enabled"] = False
    # The inbound message flows the deployments route web messaging through.
    support_flow = _flow("Support Inbound Messaging")
    # COB-008 FAIL: saved but never published.
    checkout_flow = _flow("Checkout Inbound Messaging", published=False)
    # COB-008 FAIL: Loyalty Portal names a flow that no longer exists (GET /flows/{id} answers 404).
    deleted_flow = _flow("Loyalty Inbound Messaging (deleted)")
    # In the Stores division: invisible to the collecting client of demo-org-partial.
    partner_flow = _flow("Partner Inbound Messaging", division=STORES)
    org.flows = [support_flow, checkout_flow, partner_flow]
    careers = _config("Careers Messenger", "4")
    holiday = _config("Holiday Campaign Messenger", "1", f.cobrowse(channels=both, mask_selectors=MASKS))
    org.deployments = [
        # COB-002 FAIL: live, but pins v7; co-browse is enabled only in the unpublished v8 draft.
        _deployment("Northwind Support Site", support_v7, flow=f.flow_ref(support_flow),
                    allowed_domains=["www.northwind-retail.com", "help.northwind-retail.com"]),
        # COB-003 FAIL (Inactive), COB-004 FAIL (no Voice), COB-007 FAIL (agent control, no masks).
        _deployment("Northwind Store Checkout", checkout, status="Inactive", flow=f.flow_ref(checkout_flow),
                    allowed_domains=["shop.northwind-retail.com"]),
        # COB-003 FAIL (Pending), COB-006 FAIL (all domains); COB-004 and COB-007 PASS.
        _deployment("Loyalty Portal", loyalty, status="Pending", allow_all_domains=True,
                    flow=f.flow_ref(deleted_flow)),
        # COB-003 FAIL (Inactive), COB-004 FAIL (empty channels), COB-007 FAIL (navigation, no masks).
        _deployment("Partner Portal", partner, status="Inactive", allowed_domains=["partners.northwind-retail.com"],
                    flow=f.flow_ref(partner_flow)),
        # No inbound message flow at all (co-browse is off here, so COB-008 does not apply).
        _deployment("Careers Site", careers, allowed_domains=["careers.northwind-retail.com"]),
    ]
    # GET /webdeployments/configurations lists the drafts. COB-002 FAIL: Holiday Campaign enables
    # co-browse but no deployment pins it.
    org.configurations = [support_draft, checkout, loyalty, partner, careers, holiday]


PLAN_YAML = """\
# Rollout plan for Northwind Retail's co-browse launch (gcaudit audit --plan).
cobrowse:
  channels: [Webmessaging, Voice]
  deployments:
    - Northwind Support Site
    - Northwind Store Checkout
    - Loyalty Portal
    - Partner Portal
  queues:
    - Web Support
    - Billing Web
    - Returns & Exchanges
    - Loyalty Club
    - Order Tracking
    - Voice - Tier 2
    - Gift Cards          # PLAN-001: no such queue (it is called "Gift Cards & Vouchers")
  sites:
    - https://www.northwind-retail.com/help
    - http://shop.northwind-retail.com/checkout    # COB-005: not https
    - https://partners.northwind-retail.com/orders
  integration_clients:
    - Cobrowse Launcher
    - Agent Desktop Cobrowse
    - Store Kiosk Widget
    - Cobrowse Pilot 2025 (retired)
  region: eu-west-1
"""


# --- Auth setup (issue 21) ------------------------------------------------------------------------
#: Token dates of the users: everyone signed in during the last days before the collection, except:
#: USER-001 FAIL: Ronan Fitzgerald's last token is from May (a leaver never deactivated);
#: USER-002 FAIL: Patrick Lynch holds Master Admin and has not signed in since March;
#: Aisha Rahman signs in through SSO only: a token yesterday, a dateLastLogin from 2025 (PASS).
DORMANT = {"Ronan Fitzgerald": "2026-05-02T09:12:00.000Z", "Patrick Lynch": "2026-03-15T17:40:00.000Z"}
SSO_USER = "Aisha Rahman"
CONTOSO = f.new_id(f"{ORG}:trustee:Contoso BPO")
SUPPORT_ORG = f.new_id(f"{ORG}:trustee:Genesys Product Support")


def _auth(org: SampleOrgBuilder) -> None:
    # AUTH-001 FAIL: Genesys Cloud login is on (an SSO provider exists but is optional) and MFA is not
    # required. AUTH-003 FAIL: 6 characters, no special character. AUTH-004 FAIL: a private range in
    # the IP allowlist (AUTH-005 PASS: there is one). AUTH-007 FAIL: embedding not restricted.
    org.auth_settings = [f.auth_settings(
        multifactorAuthenticationRequired=False,
        passwordRequirements={"minimumLength": 6, "minimumDigits": 1, "minimumLetters": 0, "minimumUpper": 1,
                              "minimumLower": 1, "minimumSpecials": 0, "minimumAgeSeconds": 0, "expirationDays": 0},
        ipAddressAllowlist=["81.2.69.0/24", "10.20.0.0/16"],
        domainAllowlistEnabled=False, domainAllowlist=[],
    )]
    org.embedded_integration = [f.embedded_integration([])]
    # AUTH-006 FAIL: the idle token timeout is off.
    org.token_timeout = [f.token_timeout(None)]
    org.genesys_login = [f.genesys_login(disabled=False)]
    org.identity_providers = [f.identity_provider("Azure AD")]
    # TRUST-001 FAIL: Contoso BPO has full access and no expiry; Genesys Product Support expires (PASS).
    org.org_trustees = [
        f.trustee(SUPPORT_ORG, "Genesys Product Support", expires="2026-12-31T00:00:00Z"),
        f.trustee(CONTOSO, "Contoso BPO", full_access=True, expires=None),
    ]
    org.users = []
    for person in [*AGENTS, *SUPERVISORS, *ADMINS]:
        issued = DORMANT.get(person.name, "2026-11-23T08:30:00.000Z")
        last_login = "2025-02-01T08:00:00.000Z" if person.name == SSO_USER else issued
        org.users.append(f.user_activity(person.id, person.name, token_issued=issued, last_login=last_login))
    # OAUTH-013 FAIL: Data Warehouse Export (active) was last used on 30 August; every other client
    # made requests in the last days.
    org.oauth_usage = []
    for client in org.oauth_clients:
        stale = client["name"] == "Data Warehouse Export"
        days = ["2026-08-29", "2026-08-30"] if stale else ["2026-11-21", "2026-11-23"]
        org.oauth_usage.extend(f.usage_row(client, day, 120) for day in days)


def _org() -> SampleOrgBuilder:
    org = SampleOrgBuilder(
        org_id=f.new_id(f"{ORG}:organization"),
        org_name="Northwind Retail",
        region="eu-west-1",
        api_base="https://api.mypurecloud.ie",
        collected_at="2026-11-24T02:00:00Z",
    )
    org.add_division(STORES)
    _queues(org)
    _roles(org)
    _oauth_clients(org)
    _deployments(org)
    _auth(org)
    return org


def build() -> SampleOrg:
    return SampleOrg(name=ORG, builder=_org(), plan_yaml=PLAN_YAML)


#: `demo-org-partial`: the plan also names a queue of the Stores division.
PARTIAL_PLAN_YAML = PLAN_YAML.replace(
    "    - Gift Cards          # PLAN-001: no such queue (it is called \"Gift Cards & Vouchers\")\n",
    "    - Gift Cards          # PLAN-001: no such queue (it is called \"Gift Cards & Vouchers\")\n"
    "    - Click & Collect     # PLAN-001: in the Stores division, which the collecting client cannot see\n",
).replace("# Rollout plan for Northwind Retail", "# demo-org as collected by a client without grants in Stores.\n"
          "# Rollout plan for Northwind Retail")


def build_partial() -> SampleOrg:
    """demo-org as a client whose roles are granted in the Home division only collects it: the
    Stores queues, their members and codes, the Stores flow and the Stores queues' traffic are
    missing, and every divisioned dataset is `partial` naming Stores."""
    org = _org()
    hidden = {q["id"] for q in org.queues if (q.get("division") or {}).get("id") == STORES["id"]}
    org.queues = [q for q in org.queues if q["id"] not in hidden]
    org.queue_wrapupcodes = {k: v for k, v in org.queue_wrapupcodes.items() if k not in hidden}
    org.queue_members = {k: v for k, v in org.queue_members.items() if k not in hidden}
    org.flows = [fl for fl in org.flows if fl["division"]["id"] != STORES["id"]]
    org.conversation_aggregates = [r for r in org.conversation_aggregates if r["group"]["queueId"] not in hidden]
    org.wrapupcodes = [c for c in org.wrapupcodes if c["division"]["id"] != STORES["id"]]
    for name in ("queues", "queue_wrapupcodes", "queue_members", "wrapupcodes", "flows", "conversation_aggregates"):
        org.partial(name, [STORES])
    return SampleOrg(name=f"{ORG}-partial", builder=org, plan_yaml=PARTIAL_PLAN_YAML)
