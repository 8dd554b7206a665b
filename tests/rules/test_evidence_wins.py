"""Chain rules never state a consequence the snapshot's own traffic contradicts (issue 19)."""

from __future__ import annotations

from auditor.inputs.plan import Plan
from auditor.results import Status
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from tests.rules.helpers import evaluate


def _queue_with_sessions(org: OrgBuilder, *, joined: bool, sessions: int, call: bool = False) -> str:
    uid = f.new_id("user:ann")
    org.add_queue(f.queue("Web Support", call=call, joined_member_count=int(joined), member_count=1),
                  members=[f.queue_member(uid, "Ann Lee", joined=joined)])
    queue_id = org.queues[0]["id"]
    org.conversation_aggregates = [f.aggregate(queue_id, "message", org.traffic_interval(), conversations=20,
                                               cobrowse_sessions=sessions, message_type="webmessaging")]
    return uid


def test_authz_001_does_not_claim_403_for_everyone_when_sessions_happened() -> None:
    org = OrgBuilder()
    _queue_with_sessions(org, joined=True, sessions=6)
    [result] = evaluate(org, "AUTHZ-001", Plan(queues=("Web Support",)))
    assert result.status is Status.FAIL
    assert "yet the co-browse queues had 6 co-browse session(s)" in result.message
    assert "for every agent" not in result.message
    quiet = OrgBuilder()
    _queue_with_sessions(quiet, joined=True, sessions=0)
    [result] = evaluate(quiet, "AUTHZ-001", Plan(queues=("Web Support",)))
    assert "Webmessaging co-browse gets 403 missing.any.permissions" in result.message


def test_que_003_says_members_were_joined_when_sessions_happened() -> None:
    org = OrgBuilder()
    _queue_with_sessions(org, joined=False, sessions=3)
    [result] = evaluate(org, "QUE-003", Plan(queues=("Web Support",)))
    assert result.status is Status.FAIL
    assert "3 co-browse session(s) took place on it" in result.message


def test_que_005_sends_a_voice_gap_to_the_call_flow_not_the_message_flow() -> None:
    org = OrgBuilder()
    _queue_with_sessions(org, joined=True, sessions=0, call=True)
    [result] = evaluate(org, "QUE-005", Plan(queues=("Web Support",), channels=("Webmessaging", "Voice")))
    assert result.status is Status.FAIL
    assert "No voice conversation" in result.message
    assert "inbound call flow" in result.message and "inbound message flow" not in result.message
