from auditor.results import Status
from auditor.testing import factories as f
from tests.rules.helpers import evaluate, statuses


def test_timeout_must_match_the_prompt(org):
    org.add_queue(f.queue("Timed No Timeout", wrapup_prompt="MANDATORY_TIMEOUT"))
    org.add_queue(f.queue("Forced Zero", wrapup_prompt="MANDATORY_FORCED_TIMEOUT", timeout_ms=0))
    org.add_queue(f.queue("Agent Requested", wrapup_prompt="AGENT_REQUESTED", timeout_ms=60000))
    org.add_queue(f.queue("Timed", wrapup_prompt="MANDATORY_TIMEOUT", timeout_ms=30000))
    org.add_queue(f.queue("Mandatory With Timeout", wrapup_prompt="MANDATORY", timeout_ms=30000))
    org.add_queue(f.queue("Optional", wrapup_prompt="OPTIONAL"))
    org.add_queue(f.queue("Future", wrapup_prompt="outdated_sdk_version", timeout_ms=5000))
    results = evaluate(org, "QUE-004")
    assert statuses(results) == {
        "Timed No Timeout": Status.FAIL,
        "Forced Zero": Status.FAIL,
        "Agent Requested": Status.PASS,
        "Timed": Status.PASS,
        "Mandatory With Timeout": Status.FAIL,
        "Optional": Status.PASS,
        "Future": Status.NOT_APPLICABLE,  # unknown enum: reported, never guessed, never a crash
    }
    by_name = {r.resource_name: r for r in results}
    assert "sets no timeoutMs" in by_name["Timed No Timeout"].message
    assert "ignores" in by_name["Mandatory With Timeout"].message


def test_queue_without_acw_settings_is_tolerated(org):
    queue = f.queue("Bare")
    del queue["acwSettings"]
    org.add_queue(queue)
    [result] = evaluate(org, "QUE-004")
    assert result.status is Status.NOT_APPLICABLE
    assert "not set" in result.message
