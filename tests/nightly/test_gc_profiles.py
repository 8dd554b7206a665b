"""orgs.yaml entries naming a profile of the gc CLI's config.toml: read (never written), the secret
only in memory and in the org process's environment: never in a log, report, index or command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.nightly import orgs as orgs_module
from auditor.nightly.orgs import child_env, load_orgs, run_one
from auditor.testing.fake_api import FakePlatformApi
from tests.conftest import run_cli
from tests.history.orgs import nightly_org


def _config(tmp_path: Path, api_url: str, secret: str) -> Path:
    path = tmp_path / "gc" / "config.toml"
    path.parent.mkdir()
    # The format of build/README.md in MyPureCloud/platform-client-sdk-cli.
    path.write_text(f'[DEFAULT]\nenvironment="mypurecloud.com"\nclient_credentials="someone-else"\n'
                    f'client_secret="not-this-one-either"\n\n'
                    f'[acme]\nenvironment="{api_url}"\nclient_credentials="{{id}}"\nclient_secret="{secret}"\n\n'
                    f'[browser]\nenvironment="mypurecloud.com"\nredirect_uri="http://localhost:0"\n')
    return path


def test_a_nightly_over_a_gc_profile_collects_and_never_shows_the_secret(tmp_path: Path) -> None:
    with FakePlatformApi(nightly_org()) as api:
        secret = api.config.client_secret
        config = _config(tmp_path, api.url, secret)
        config.write_text(config.read_text().replace("{id}", api.config.client_id))
        before = config.read_bytes()
        orgs = tmp_path / "orgs.yaml"
        orgs.write_text(f"orgs:\n  - {{name: acme, gc_profile: acme, gc_config: {config}}}\n")
        out = tmp_path / "r"
        # No credential variable anywhere: everything comes from the profile.
        env = {"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "", "GENESYSCLOUD_REGION": "",
               "GCAUDIT_CONFIG": "", "GCAUDIT_DEBUG": "1"}
        done = run_cli("nightly", "--orgs", str(orgs), "--out-dir", str(out), "--rate", "6000", env=env)
    assert done.returncode == 1, done.stdout + done.stderr + (out / "acme" / "nightly.log").read_text()
    assert api.logins >= 1
    assert json.loads((out / "acme" / "latest.json").read_text())["nightly"]["run_id"] == 1
    assert config.read_bytes() == before  # read, never written
    leaked = [p for p in out.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert leaked == [] and secret not in done.stdout + done.stderr


def test_the_secret_goes_to_the_environment_not_the_command_line(tmp_path: Path, monkeypatch) -> None:
    config = _config(tmp_path, "https://api.mypurecloud.ie", "s3cret-value-0123456789")
    config.write_text(config.read_text().replace("{id}", "client-id-1234"))
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text(f"orgs:\n  - {{name: acme, gc_profile: acme, gc_config: {config}}}\n")
    [entry] = load_orgs(orgs)
    assert "s3cret" not in repr(entry)
    env = child_env(entry, base={"PATH": "/bin", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "parent's"})
    assert env["GENESYSCLOUD_OAUTHCLIENT_SECRET"] == "s3cret-value-0123456789"
    assert env["GENESYSCLOUD_OAUTHCLIENT_ID"] == "client-id-1234"
    assert env["GENESYSCLOUD_REGION"] == "https://api.mypurecloud.ie"  # the profile's environment
    seen: list[list[str]] = []

    def fake_run(cmd, **kwargs):
        seen.append(cmd)
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(orgs_module.subprocess, "run", fake_run)
    run_one(entry, ["--fail-on", "high"], tmp_path / "out", None)
    assert seen and not any("s3cret" in part for part in seen[0])
    assert "s3cret" not in (tmp_path / "out" / "acme" / "nightly.log").read_text()


@pytest.mark.parametrize(("entry", "field", "words"), [
    ("{name: a, gc_profile: nope, gc_config: CONFIG}", "orgs[0].gc_profile", "no profile nope"),
    ("{name: a, gc_profile: browser, gc_config: CONFIG}", "browser", "neither client_credentials"),
    ("{name: a, gc_profile: acme, gc_config: CONFIG, access_token_env: T}", "orgs[0].gc_profile", "either"),
    ("{name: a, gc_profile: acme, gc_config: MISSING}", "orgs[0].gc_profile", "gc CLI configuration"),
    ("{name: a, gc_config: CONFIG, region: eu-west-1, access_token_env: T}", "orgs[0].gc_config", "needs gc_profile"),
    ("{name: a, gc_profile: acme, gc_config: BROKEN}", None, "not a valid TOML file"),
])
def test_bad_profiles_are_one_line_input_errors(tmp_path: Path, entry: str, field: str | None, words: str) -> None:
    config = _config(tmp_path, "https://api.mypurecloud.ie", "s3cret-value-0123456789")
    broken = tmp_path / "broken.toml"
    broken.write_text('[acme]\nclient_secret = "s3cret-value-0123456789\n')  # unterminated string
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text("orgs:\n  - " + entry.replace("CONFIG", str(config)).replace("MISSING", str(tmp_path / "no.toml"))
                    .replace("BROKEN", str(broken)) + "\n")
    with pytest.raises(InputError) as caught:
        load_orgs(orgs)
    message = str(caught.value)
    assert words in message and "s3cret" not in message and "\n" not in message
    if field:
        assert field in message
    done = run_cli("nightly", "--orgs", str(orgs), "--out-dir", str(tmp_path / "r"), env={"GCAUDIT_CONFIG": ""})
    assert done.returncode == 2 and "s3cret" not in done.stderr and "Traceback" not in done.stderr
