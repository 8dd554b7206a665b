"""The SARIF upload uses the maintained codeql-action major (v4; v3 is deprecated), and the documented
workflow grants what the upload needs in a private repository (`actions: read`)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]


def test_the_action_uploads_with_upload_sarif_v4():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    uses = [s.get("uses", "") for s in action["runs"]["steps"] if "upload-sarif" in s.get("uses", "")]
    assert uses == ["github/codeql-action/upload-sarif@v4"]


def test_the_documented_workflow_grants_actions_read_and_says_when_code_scanning_is_needed():
    page = (ROOT / "docs" / "cx-as-code.md").read_text()
    example = re.search(r"```yaml\nname: Genesys CX as Code\n(.*?)```", page, re.S)
    assert example is not None
    permissions = yaml.safe_load("name: x\n" + example.group(1))["permissions"]
    assert permissions == {"contents": "read", "actions": "read", "security-events": "write"}
    assert "private repository" in page and "code scanning must be enabled" in page
    assert "upload-sarif@v3" not in page
