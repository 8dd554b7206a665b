"""A small org whose findings and configuration the history tests change run by run.

With the defaults it has exactly one FAIL: QUE-002 on Billing (mandatory wrap-up, no codes).
"""

from __future__ import annotations

from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

AGENT = f.new_id("user:agent")


def nightly_org(*, billing_codes: bool = False, sales_codes: bool = True, channels: tuple[str, ...] = ("Webmessaging",),
                extra_queue: bool = False, extra_role: bool = True, joined: int = 1,
                collected_at: str = "2026-11-24T02:00:00Z") -> OrgBuilder:
    b = OrgBuilder(collected_at=collected_at)
    cfg = f.configuration("Web", cobrowse_settings=f.cobrowse(channels=channels))
    inbound = f.flow("Web inbound")
    b.flows.append(inbound)
    b.deployments.append(f.deployment("Web", cfg, flow=f.flow_ref(inbound)))
    b.configurations.append(cfg)
    code = f.wrapup_code("Resolved")
    b.wrapupcodes.append(code)
    member = [f.queue_member(AGENT, "Agent")]
    b.add_queue(f.queue("Billing", wrapup_prompt="MANDATORY", joined_member_count=joined),
                [code] if billing_codes else [], member)
    b.add_queue(f.queue("Sales", wrapup_prompt="MANDATORY", joined_member_count=joined),
                [code] if sales_codes else [], member)
    if extra_queue:
        b.add_queue(f.queue("Returns", wrapup_prompt="OPTIONAL", joined_member_count=joined), [], member)
    # A nightly collection queries traffic: every queue took web messaging in the window.
    b.conversation_aggregates = [f.traffic(q["id"], "message", 5, message_type="webmessaging") for q in b.queues]
    b.add_role(f.role("Agent", ["conversation:cobrowse:add"]), [AGENT])
    if extra_role:
        b.add_role(f.role("Auditor", ["routing:queue:view"]), [])
    b.oauth_clients.append(f.oauth_client("Reporting", roles=[(f.new_id("role:Auditor"), "*")]))
    return b
