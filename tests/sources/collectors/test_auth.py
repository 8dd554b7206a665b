"""Login, tokens from the environment, and keeping secrets out of every output."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from auditor.sources.collectors.auth import Credentials
from auditor.sources.collectors.errors import AuthError
from auditor.testing.fake_api import FakePlatformApi, FakeRequest, Fault, Reply, error_reply
from tests.sources.collectors.conftest import DEMO_ORG, FAST, FAST_CLI, collect_from

WRONG_SECRET = "Wr0ng-S3cret-zz9-plural-z-alpha"


def _all_text(root: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())


def test_wrong_secret_fails_fast_with_a_clear_message_and_no_secret_anywhere(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    out = tmp_path / "snap"
    done = cli("--debug", "collect", "--out-dir", str(out), *FAST_CLI, env=api.env(secret=WRONG_SECRET))
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("gcaudit: error:")]
    assert len(lines) == 1
    message = lines[0]
    assert api.url in message and "invalid_client" in message and "wrong region is the usual cause" in message
    assert WRONG_SECRET not in done.stdout + done.stderr
    assert not out.exists() and WRONG_SECRET not in _all_text(tmp_path)
    assert api.calls("/oauth/token") == 1  # a refused login is not retried
    assert api.calls("/api/v2/") == 0


def test_debug_logs_redact_the_authorization_header_and_tokens(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    out = tmp_path / "snap"
    done = cli("--debug", "collect", "--out-dir", str(out), *FAST_CLI, env=api.env())
    assert done.returncode == 0, done.stderr
    assert "GET http://127.0.0.1" in done.stderr and "<redacted>" in done.stderr
    assert "token body redacted" in done.stderr
    secret = api.config.client_secret
    for leaked in (secret, *api.issued):
        assert leaked not in done.stdout + done.stderr
        assert leaked not in _all_text(out)


def test_a_ready_access_token_is_used_without_logging_in(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    env = {"GENESYSCLOUD_REGION": api.url, "GENESYSCLOUD_ACCESS_TOKEN": api.issue_token(),
           "GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": ""}
    done = cli("collect", "--out-dir", str(tmp_path / "snap"), *FAST_CLI, env=env)
    assert done.returncode == 0, done.stderr
    assert api.logins == 0


def test_a_refused_access_token_is_a_credentials_error(fake_api, cli, tmp_path: Path) -> None:
    api = fake_api(DEMO_ORG)
    env = {"GENESYSCLOUD_REGION": api.url, "GENESYSCLOUD_ACCESS_TOKEN": "not-a-token",
           "GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": ""}
    done = cli("collect", "--out-dir", str(tmp_path / "snap"), *FAST_CLI, env=env)
    assert done.returncode == 2
    assert "GENESYSCLOUD_ACCESS_TOKEN was refused" in done.stderr
    assert "not-a-token" not in done.stderr


def test_missing_credentials_name_the_variables(cli, tmp_path: Path) -> None:
    env = {k: "" for k in os.environ if k.startswith("GENESYSCLOUD_")}
    done = cli("collect", "--out-dir", str(tmp_path / "snap"), "--region", "eu-west-1",
               env={**env, "GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
                    "GENESYSCLOUD_ACCESS_TOKEN": ""})
    assert done.returncode == 2
    assert "GENESYSCLOUD_OAUTHCLIENT_ID" in done.stderr and "GENESYSCLOUD_ACCESS_TOKEN" in done.stderr


def test_the_secret_is_not_a_command_line_option(cli) -> None:
    help_text = cli("collect", "--help").stdout + cli("audit", "--help").stdout
    assert "--client-secret" not in help_text and "--secret" not in help_text
    rejected = cli("collect", "--client-secret", "x", "--out-dir", "y")
    assert rejected.returncode == 2 and "No such option" in rejected.stderr


def test_credentials_repr_hides_the_secret() -> None:
    creds = Credentials.from_env({"GENESYSCLOUD_OAUTHCLIENT_ID": "id", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "s3cr3t"})
    assert "s3cr3t" not in repr(creds)
    with pytest.raises(AuthError):
        Credentials.from_env({"GENESYSCLOUD_OAUTHCLIENT_ID": "id"})


@dataclass
class _RevokeTwice(Fault):
    """Calls 2 and 3 revoke the token they carry: the renewed token dies before the repeat lands."""

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.call_number in (2, 3) and request.token:
            api.revoke(request.token)
            return error_reply(401, "Invalid login credentials.", "bad.credentials")
        return None


def test_a_renewed_token_that_expires_before_the_repeat_is_renewed_again(fake_api, tmp_path: Path) -> None:
    api = fake_api(faults=[_RevokeTwice()])
    result = collect_from(api, tmp_path / "snap", replace(FAST, workers=1))
    assert result.complete
    assert api.logins == 3
