"""Issue 23, class 3 (outside Terraform): a pasted request keeps no credential from its body, and a
region or base URL carrying user information is refused without echoing it, wherever it is given.

Each test runs the real CLI (or the loader a CLI option goes through) and reads every byte written:
stdout, stderr and every report format, the HTML data island included.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import InputError
from auditor.nightly.orgs import load_orgs
from auditor.preflight.request import parse_curl, parse_request_file
from auditor.safety.redaction import REDACTED, is_secret_name, redact_secret_fields
from auditor.sources.collectors.regions import resolve_region
from tests.conftest import SAMPLES, run_cli

SNAPSHOT = str(SAMPLES / "demo-org")
PASSWORD = "Sup3r-Secret-Passw0rd"
CLIENT_SECRET = "cs-9f8e7d6c5b4a3210"
TOKEN = "tok-ABCDEF0123456789"
COOKIE = "sess-COOKIE-777888"
API_KEY = "apikey-XYZ-424242"
SECRETS = (PASSWORD, CLIENT_SECRET, TOKEN, COOKIE, API_KEY)

BODY = {
    "cobrowseType": "webmessaging",
    "password": PASSWORD,
    "routingData": {"queueId": "q-1", "wrapUpCode": "COBROWSE", "auth": {"client_secret": CLIENT_SECRET}},
    "participants": [{"name": "a", "refreshToken": TOKEN}, [{"X-Api-Key": API_KEY}]],
}


def _all_outputs(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run preflight in every format plus --html; return the exit statuses' max and every byte written."""
    texts, statuses = [], []
    for fmt in ("table", "json", "markdown"):
        out, html = tmp_path / f"out.{fmt}", tmp_path / f"out.{fmt}.html"
        result = run_cli("preflight", SNAPSHOT, *args, "--format", fmt, "-o", str(out), "--html", str(html))
        statuses.append(result.returncode)
        texts += [result.stdout, result.stderr]
        texts += [p.read_text(encoding="utf-8") for p in (out, html) if p.exists()]
    return max(statuses), "\n".join(texts)


def test_request_file_body_credentials_stay_out_of_every_report(tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"method": "POST", "path": "/api/v2/conversations/cobrowse", "body": BODY,
                                   "headers": {"Cookie": f"s={COOKIE}", "X-Api-Key": API_KEY}}), encoding="utf-8")
    status, written = _all_outputs(tmp_path, str(request))
    assert status in (0, 1, 3), written[-2000:]
    assert "cobrowseType" in written and "routingData" in written  # the body itself is still reported
    for secret in SECRETS:
        assert secret not in written
    assert REDACTED in written


def test_bare_body_and_stdin_credentials_stay_out(tmp_path):
    request = tmp_path / "body.json"
    request.write_text(json.dumps(BODY), encoding="utf-8")
    _, written = _all_outputs(tmp_path, str(request))
    for secret in SECRETS:
        assert secret not in written


def test_curl_json_body_credentials_stay_out(tmp_path):
    command = ("curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse "
               f"-H 'Cookie: sid={COOKIE}' -H 'X-Auth-Token: {TOKEN}' -d '{json.dumps(BODY)}'")
    _, written = _all_outputs(tmp_path, "--curl", command)
    for secret in SECRETS:
        assert secret not in written


@pytest.mark.parametrize("flag", ["-d", "--data-urlencode", "--data-raw"])
def test_curl_form_encoded_body_is_read_and_its_credentials_redacted(tmp_path, flag):
    command = (f"curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse {flag} "
               f"'grant_type=password&username=agent&password={PASSWORD}&client_secret={CLIENT_SECRET}'")
    request = parse_curl(command)
    assert request.body == {"grant_type": "password", "username": "agent", "password": REDACTED,
                            "client_secret": REDACTED}
    status, written = _all_outputs(tmp_path, "--curl", command)
    assert status in (0, 1, 3)
    assert "grant_type" in written
    for secret in SECRETS:
        assert secret not in written


def test_a_body_that_is_neither_json_nor_a_form_is_refused_without_echo():
    with pytest.raises(InputError) as info:
        parse_curl(f"curl -X POST https://api.mypurecloud.ie/x -d '{{\"password\": \"{PASSWORD}\", broken'")
    assert PASSWORD not in str(info.value)


def test_credential_names():
    for name in ("password", "Password", "client_secret", "clientSecret", "access_token", "refreshToken",
                 "X-Api-Key", "api_key", "Authorization", "Cookie", "private_key", "sig", "code", "x-auth-token",
                 "SessionId", "passphrase", "credentials"):
        assert is_secret_name(name), name
    for name in ("queueId", "wrapUpCode", "cobrowseType", "routingData", "name", "keys", "description"):
        assert not is_secret_name(name), name


def test_redaction_reaches_any_depth_without_recursion():
    body: object = {"password": PASSWORD}
    for _ in range(50_000):
        body = {"a": [body]}
    cleaned, found = redact_secret_fields(body)
    assert found
    node = cleaned
    for _ in range(50_000):
        node = node["a"][0]
    assert node == {"password": REDACTED}


@settings(max_examples=60, deadline=None)
@given(body=st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["a", "queueId", "password", "Client-Secret", "myToken", "nested", "cookie"]),
        inner, max_size=3),
    max_leaves=12))
def test_any_body_keeps_no_value_under_a_credential_name(body):
    marker = "MARKER-VALUE-123456"

    def plant(value: object) -> object:
        if isinstance(value, dict):
            return {k: (marker if is_secret_name(k) else plant(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [plant(v) for v in value]
        return value

    planted = plant(body)
    cleaned, _ = redact_secret_fields(planted)
    assert marker not in json.dumps(cleaned)


def test_request_file_parse_keeps_no_credential(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"method": "POST", "path": "/api/v2/conversations/cobrowse", "body": BODY}))
    request = parse_request_file(path)
    text = json.dumps(request.to_dict()) + request.describe() + " ".join(request.notes)
    for secret in SECRETS:
        assert secret not in text


# --- regions and base URLs with user information ----------------------------------------------

USERINFO_REGIONS = [
    "https://admin:hunter22pw@api.mypurecloud.ie",
    "admin:hunter22pw@api.mypurecloud.ie",
    "admin:hunter22pw@mypurecloud.ie",
    "//admin:hunter22pw@api.mypurecloud.ie",
    "eu-west-1@admin:hunter22pw",
]


@pytest.mark.parametrize("region", USERINFO_REGIONS)
def test_region_with_user_information_is_refused_and_never_echoed(region):
    with pytest.raises(InputError) as info:
        resolve_region(region)
    assert "hunter22pw" not in str(info.value)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_cli_region_with_user_information(tmp_path, how):
    region = "admin:hunter22pw@api.mypurecloud.ie"
    args = ["collect", "--out", str(tmp_path / "snap")]
    env = {"GENESYSCLOUD_ACCESS_TOKEN": "token-abcdef"}
    if how == "flag":
        args += ["--region", region]
    else:
        env["GENESYSCLOUD_REGION"] = region
    result = run_cli(*args, env=env)
    assert result.returncode == 2
    assert "hunter22pw" not in result.stdout + result.stderr
    assert "user name or password" in result.stderr
    assert "Traceback" not in result.stderr


def test_gcaudit_yaml_region_with_user_information(tmp_path):
    config = tmp_path / "gcaudit.yaml"
    config.write_text(yaml.safe_dump({"region": "admin:hunter22pw@api.mypurecloud.ie"}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GENESYSCLOUD_", "GCAUDIT_"))}
    env |= {"GENESYSCLOUD_ACCESS_TOKEN": "token-abcdef"}
    result = run_cli("nightly", "--out", str(tmp_path / "out"), "--config", str(config), env=env, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "hunter22pw" not in result.stdout + result.stderr


def test_orgs_yaml_region_with_user_information_is_refused_at_load(tmp_path):
    path = tmp_path / "orgs.yaml"
    path.write_text(yaml.safe_dump({"orgs": [{"name": "acme", "region": "admin:hunter22pw@api.mypurecloud.ie",
                                              "client_id_env": "A_ID", "client_secret_env": "A_SECRET"}]}))
    with pytest.raises(InputError) as info:
        load_orgs(path)
    assert "hunter22pw" not in str(info.value)
    assert "orgs[0].region" in str(info.value)


def test_plan_region_with_user_information_is_not_echoed(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({"cobrowse": {"region": "admin:hunter22pw@api.mypurecloud.ie"}}))
    result = run_cli("preflight", SNAPSHOT, "--plan", str(plan), "--curl",
                     "curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse")
    assert result.returncode == 2
    assert "hunter22pw" not in result.stdout + result.stderr
