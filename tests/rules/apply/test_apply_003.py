from __future__ import annotations

from auditor.results import Status
from tests.rules.apply.helpers import failures, overlay, results

CONFIG = '''
resource "genesyscloud_webdeployments_configuration" "careers" {{
  name             = "Careers Messenger"
  languages        = ["en-us"]
  default_language = "en-us"
  messenger {{
{messenger}
  }}
}}
'''


def test_messenger_turned_off_under_an_active_deployment_fails_with_the_traffic(tmp_path):
    found = failures(overlay(tmp_path, CONFIG.format(messenger="    enabled = false")), "APPLY-003")
    assert [r.resource_name for r in found] == ["Careers Site"]
    assert "turns Messenger off in configuration 'Careers Messenger'" in found[0].message
    assert "co-browse session(s)" in found[0].message and "web messaging conversation(s)" in found[0].message


def test_an_unset_messenger_switch_in_a_new_block_is_off_and_fails(tmp_path):
    # buildMessengerSettings sends `enabled` as false when unset: on this update it keeps the current value.
    after = overlay(tmp_path, CONFIG.format(messenger="    apps {\n      conversations {\n        enabled = false\n"
                                                      "      }\n    }"))
    found = failures(after, "APPLY-003")
    assert [r.resource_name for r in found] == ["Careers Site"]
    assert "conversations app off" in found[0].message


def test_keeping_messenger_on_is_quiet(tmp_path):
    after = overlay(tmp_path, CONFIG.format(messenger="    enabled = true"))
    assert [r.status for r in results(after, "APPLY-003")] == [Status.PASS]
