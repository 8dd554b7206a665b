"""Secrets never reach disk or output; snapshot permissions are owner-only; hostile org strings
cannot break any report format.

The secret test runs collect, audit (every format), audit --live with a ready token, a refused
token, nightly and preflight --curl, all at --debug, then reads back every byte they wrote (files,
the history database, lock files, stdout, stderr, error output) looking for the client secret,
every token and their Basic/base64 forms.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.reporters import available_formats
from auditor.testing import factories as f
from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_api import ErrorBurst, ExpireTokens, FakeConfig, FakePlatformApi, Forbidden
from auditor.testing.synthetic import OrgSpec, SyntheticOrg
from tests.conftest import SAMPLES, run_cli

CLIENT_ID = "2f9c1a77-5d0e-4c1b-9a53-0c0ffee00042"
SECRET = "Sup3r-S3cret_value-0f-the-client~Zq"
WRONG_SECRET = "Wr0ng-but-still-s3cret-Xy"
CURL_TOKEN = "curl-bearer-TOKEN-5c1d9e0f7a2b"
FAST = ("--rate", "100000", "--backoff-base", "0.01", "--workers", "4")


class RecordingApi(FakePlatformApi):
    """The fake API, remembering every token it issues so the test can look for them."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.issued: list[str] = []

    def issue_token(self) -> str:
        token = super().issue_token()
        self.issued.append(token)
        return token


def _needles(api: RecordingApi) -> dict[str, bytes]:
    needles = {"client secret": SECRET, "wrong secret": WRONG_SECRET, "curl token": CURL_TOKEN}
    for secret in (SECRET, WRONG_SECRET):
        basic = base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode()
        needles[f"Basic form of {secret[:4]}…"] = basic
        needles[f"base64 of {secret[:4]}…"] = base64.b64encode(secret.encode()).decode()
    for index, token in enumerate(api.issued):
        needles[f"issued token {index}"] = token
    return {name: value.encode() for name, value in needles.items()}


def _scan(root: Path, outputs: list[str], needles: dict[str, bytes]) -> None:
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files, "nothing was written?"
    for path in files:
        data = path.read_bytes()
        for name, needle in needles.items():
            assert needle not in data, f"{name} found in {path}"
    for index, text in enumerate(outputs):
        for name, needle in needles.items():
            assert needle.decode() not in text, f"{name} found in captured output #{index}"


def test_no_secret_or_token_is_ever_written(tmp_path: Path) -> None:
    org = SyntheticOrg(OrgSpec.scaled(8, seed=4)).builder()
    faults = [ExpireTokens(after_calls=15), ErrorBurst(start=5, length=2, status=503), Forbidden("oauth_clients")]
    api = RecordingApi(org, FakeConfig(client_id=CLIENT_ID, client_secret=SECRET, faults=faults))
    outputs: list[str] = []
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str, env: dict[str, str] | None = None, expect: tuple[int, ...] = (0, 1, 3)) -> str:
        done = run_cli("--debug", *args, env={**api.env(), **(env or {})}, cwd=work)
        outputs.extend([done.stdout, done.stderr])
        assert done.returncode in expect, done.stderr
        return done.stderr

    with api:
        debug_log = run("collect", "--out", str(work / "snap"), *FAST, expect=(3,))
        for fmt in available_formats():
            run("audit", str(work / "snap"), "--format", fmt, "-o", str(work / f"report.{fmt}"),
                "--html", str(work / f"report-{fmt}.html"))
        ready_token = api.issue_token()
        run("audit", "--live", "--save-snapshot", str(work / "snap-token"), *FAST,
            env={"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
                 "GENESYSCLOUD_ACCESS_TOKEN": ready_token})
        api.revoke(ready_token)
        refused = run("collect", "--out", str(work / "snap-refused"), *FAST, expect=(2,),
                      env={"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
                           "GENESYSCLOUD_ACCESS_TOKEN": ready_token})
        wrong = run("collect", "--out", str(work / "snap-wrong"), *FAST, expect=(2,),
                    env={"GENESYSCLOUD_OAUTHCLIENT_SECRET": WRONG_SECRET})
        run("nightly", "--out", str(work / "nightly"), "--label", "secret-test", *FAST, env={"GCAUDIT_CONFIG": ""})
        curl = (f"curl -X POST '{api.url}/api/v2/conversations/cobrowse' -H 'Authorization: Bearer {CURL_TOKEN}' "
                f"-u '{CLIENT_ID}:{SECRET}' -d '{{\"queueId\": \"{org.queues[0]['id']}\"}}'")
        for fmt in ("table", "json", "markdown"):
            run("preflight", str(work / "snap"), "--curl", curl, "--format", fmt,
                "-o", str(work / f"preflight.{fmt}"), "--html", str(work / f"preflight-{fmt}.html"))
        run("preflight", "--live", "--save-snapshot", str(work / "snap-preflight"), "--curl", curl, *FAST)

    assert "gcaudit: error:" in refused and "gcaudit: error:" in wrong
    # --debug shows the calls, with the credentials redacted rather than absent from the log.
    assert "'Authorization': '<redacted>'" in debug_log
    assert "token body redacted" in debug_log
    assert not re.search(r"Bearer [A-Za-z0-9_\-]{8,}", "\n".join(outputs))
    assert len(api.issued) >= 3, "token expiry should have forced more logins"
    _scan(tmp_path, outputs, _needles(api))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_snapshots_are_owner_only(tmp_path: Path) -> None:
    org = SyntheticOrg(OrgSpec.scaled(3, seed=1)).builder()
    with FakePlatformApi(org) as api:
        done = run_cli("collect", "--out", str(tmp_path / "snap"), *FAST, env=api.env())
        nightly = run_cli("--quiet", "nightly", "--out", str(tmp_path / "nightly"), "--label", "perm", *FAST,
                          env={**api.env(), "GCAUDIT_CONFIG": ""})
    assert done.returncode == 0, done.stderr
    assert nightly.returncode in (0, 1, 3), nightly.stderr
    snapshots = [tmp_path / "snap", *(tmp_path / "nightly" / "snapshots").iterdir()]
    for snapshot in snapshots:
        assert _mode(snapshot) == 0o700, snapshot
        files = list(snapshot.iterdir())
        assert files
        for file in files:
            assert _mode(file) == 0o600, file
    assert _mode(tmp_path / "nightly" / "gcaudit-history.db") & 0o077 == 0, "the history holds org data too"


# --- hostile org strings --------------------------------------------------------------------

HOSTILE = [
    "<script>alert('q')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE gcaudit_runs;--",
    "ctrl\x1b[2J\x00\x07\x08\rFAIL  injected row\nERROR  another",
    "\u202eevil.exe\u202c txt",
    "x" * 5000,
    "pipe | cell ]]> <![CDATA[ & &amp; </testcase>",
    "emoji 🧨 \ud7ff \ufeff zero\u200bwidth",
]


def _hostile_org() -> OrgBuilder:
    org = OrgBuilder(org_name=HOSTILE[0] + HOSTILE[3])
    for index, name in enumerate(HOSTILE):
        # Mandatory wrap-up without codes (QUE-002 FAIL) and a PASSWORD-grant client (OAUTH-003 FAIL):
        # every hostile name lands in a FAIL result, so every report format must show it.
        org.add_queue(f.queue(name, id=f.new_id(f"hq:{index}"), wrapup_prompt="MANDATORY"), codes=[], members=[])
        org.oauth_clients.append(f.oauth_client(name, "PASSWORD", id=f.new_id(f"hc:{index}")))
        org.add_role(f.role(name, ["conversation:cobrowse:add"], id=f.new_id(f"hr:{index}")), [])
    config = f.configuration(HOSTILE[1], cobrowse_settings=f.cobrowse())
    org.deployments.append(f.deployment(HOSTILE[0], config, allow_all_domains=True))
    return org


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile")
    snapshot = _hostile_org().write(root / "snap")
    reports: dict[str, str] = {}
    for fmt in available_formats():
        out = root / f"report.{fmt}"
        result = CliRunner().invoke(cli, ["audit", str(snapshot), "--format", fmt, "-o", str(out)])
        assert result.exit_code in (0, 1, 3), result.output
        reports[fmt] = out.read_text(encoding="utf-8")
    reports["json-results"] = reports["json"]
    return reports


def test_hostile_strings_round_trip_in_json(hostile_reports: dict[str, str]) -> None:
    report = json.loads(hostile_reports["json"])
    names = {r["resource_name"] for r in report["results"]}
    for name in HOSTILE:
        assert name in names, f"{name[:30]!r} lost or altered in JSON"


def test_hostile_strings_are_valid_sarif_json(hostile_reports: dict[str, str]) -> None:
    sarif = json.loads(hostile_reports["sarif"])
    texts = json.dumps(sarif, ensure_ascii=False)
    assert "evil.exe" in texts


def test_hostile_strings_keep_junit_xml_well_formed(hostile_reports: dict[str, str]) -> None:
    root = ET.fromstring(hostile_reports["junit"].encode("utf-8"))
    text = ET.tostring(root, encoding="unicode")
    assert "DROP TABLE" in text
    assert "\x00" not in hostile_reports["junit"] and "\x1b" not in hostile_reports["junit"]


def test_hostile_strings_are_escaped_in_html(hostile_reports: dict[str, str]) -> None:
    html = hostile_reports["html"]
    assert "<script>alert('q')</script>" not in html
    assert "<img src=x onerror" not in html
    assert "]]> <![CDATA[" not in html and "</testcase>" not in html
    assert "&lt;script&gt;" in html
    assert "\x00" not in html and "\x1b" not in html


def test_hostile_strings_keep_csv_parseable(hostile_reports: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(hostile_reports["csv"])))
    report = json.loads(hostile_reports["json"])
    assert len(rows) - 1 == len(report["results"]), "one CSV row per result"


def test_hostile_strings_do_not_break_the_table(hostile_reports: dict[str, str]) -> None:
    table = hostile_reports["table"]
    report = json.loads(hostile_reports["json"])
    shown = [r for r in report["results"] if r["status"] in ("FAIL", "ERROR")]
    lines = table.splitlines()
    first_rule = next(i for i, line in enumerate(lines) if re.match(r"^[A-Z]+-\d{3} \[", line))
    row_starts = [line for line in lines[first_rule:] if re.match(r"^  (FAIL|ERROR)\s", line)]
    assert len(row_starts) == len(shown), "one table row per FAIL/ERROR result"
    assert not [ch for ch in table if not ch.isprintable() and ch != "\n"], "raw control characters in the table"


def test_hostile_strings_keep_markdown_free_of_control_characters(hostile_reports: dict[str, str]) -> None:
    markdown = hostile_reports["markdown"]
    assert "\x00" not in markdown and "\x1b" not in markdown and "\r" not in markdown


def test_sample_org_table_has_no_raw_escape_codes_without_color() -> None:
    done = run_cli("audit", str(SAMPLES / "demo-org"), "--no-color")
    assert "\x1b" not in done.stdout
