"""Helpers for preflight tests: a small co-browse-ready org and one-call predictions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.inputs.plan import Plan
from auditor.preflight.request import PlannedRequest, from_document
from auditor.preflight.verdict import PreflightReport, run_preflight
from auditor.results import Severity, Status
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder

ANN = f.new_id("user:ann")  # co-browse agent
CARL = f.new_id("user:carl")  # employee without the permission
START = "/api/v2/conversations/{conversationId}/cobrowse"
IE = "https://api.mypurecloud.ie"  # the OrgBuilder org lives in eu-west-1


def ready_org(org: OrgBuilder) -> OrgBuilder:
    """Queue with an assigned code and joined members, a co-browse role, a CODE client with the
    `conversations` scope, an Active deployment pinning a co-browse configuration."""
    code = f.wrapup_code("Resolved")
    other = f.wrapup_code("Escalated")
    org.wrapupcodes.extend([code, other])
    org.add_queue(f.queue("Web Support", joined_member_count=1), codes=[code],
                  members=[f.queue_member(ANN, "Ann Lee")])
    org.add_role(f.role("Cobrowse Agent", ["conversation:cobrowse:add"]), [ANN])
    org.add_role(f.role("Employee", ["directory:user:view"]), [ANN, CARL])
    org.oauth_clients.append(f.oauth_client("Cobrowse Launcher", "CODE", scopes=["conversations"],
                                            redirect_uris=["https://app.example.com/callback"]))
    org.oauth_clients.append(f.oauth_client("Agent Desktop", "CODE", scopes=["users:readonly"],
                                            redirect_uris=["https://desk.example.com/callback"]))
    org.oauth_clients.append(f.oauth_client("Nightly Export", "CLIENT-CREDENTIALS"))
    config = f.configuration("Support", cobrowse_settings=f.cobrowse())
    org.configurations.append(config)
    inbound = f.flow("Web messaging inbound")
    org.flows.append(inbound)
    org.deployments.append(f.deployment("Support Site", config, flow=f.flow_ref(inbound)))
    # Real traffic: web messaging reached the queue in the window (QUE-005, the no-plan scope).
    org.conversation_aggregates = [f.traffic(org.queues[0]["id"], "message", 12, message_type="webmessaging")]
    off = f.configuration("Careers", cobrowse_settings=f.cobrowse(enabled=False, channels=()))
    org.configurations.append(off)
    org.deployments.append(f.deployment("Careers Site", off, allowed_domains=("careers.example.com",)))
    return org


def good_request(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "method": "POST",
        "url": f"{IE}{START}",
        "token": {"grant": "code", "client": "Cobrowse Launcher", "user": ANN},
    }
    doc.update(overrides)
    return doc


def preflight(org: OrgBuilder, doc: dict[str, Any] | None = None, plan: Plan | None = None,
              fail_on: Severity = Severity.HIGH) -> PreflightReport:
    request: PlannedRequest | None = from_document(doc, "request.json") if doc is not None else None
    return run_preflight(org.snapshot(), request=request, plan=plan, fail_on=fail_on)


def fired(report: PreflightReport, rule_id: str) -> list[Any]:
    """FAIL predictions of `rule_id`."""
    return [p for p in report.predictions if p.rule_id == rule_id and p.status is Status.FAIL]


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path
