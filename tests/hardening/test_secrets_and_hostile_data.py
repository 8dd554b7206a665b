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
        debug_log = run("collect", "--out-dir", str(work / "snap"), *FAST, expect=(3,))
        assert faults[0].expired > 0, "the collection must have renewed an expired token"
        for fmt in available_formats():
            run("audit", str(work / "snap"), "--format", fmt, "-o", str(work / f"report.{fmt}"),
                "--html", str(work / f"report-{fmt}.html"))
        # A ready-made token cannot be renewed: from here on tokens last the whole run.
        faults[0].after_calls = 10**6
        ready_token = api.issue_token()
        run("audit", "--live", "--save-snapshot", str(work / "snap-token"), *FAST,
            env={"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
                 "GENESYSCLOUD_ACCESS_TOKEN": ready_token})
        api.revoke(ready_token)
        refused = run("collect", "--out-dir", str(work / "snap-refused"), *FAST, expect=(2,),
                      env={"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
                           "GENESYSCLOUD_ACCESS_TOKEN": ready_token})
        wrong = run("collect", "--out-dir", str(work / "snap-wrong"), *FAST, expect=(2,),
                    env={"GENESYSCLOUD_OAUTHCLIENT_SECRET": WRONG_SECRET})
        run("nightly", "--out-dir", str(work / "nightly"), "--label", "secret-test", *FAST, env={"GCAUDIT_CONFIG": ""})
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
        done = run_cli("collect", "--out-dir", str(tmp_path / "snap"), *FAST, env=api.env())
        nightly = run_cli("--quiet", "nightly", "--out-dir", str(tmp_path / "nightly"), "--label", "perm", *FAST,
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


# --- one sanitiser for every surface: nightly, history, notifications (issue 15, class 6) ------

IMAGE_NAME = "![t](https://evil.example/b.png)"
LINK_NAME = "[click](https://evil.example/x) <b>bold</b>"
OSC_ORG = "Acme \x1b]0;owned\x07 \x1b[2J\u202eSupport\u2066"
TERMINAL_NAME = "Sales \x1b]8;;https://evil.example\x07here\x1b]8;;\x07 \u202e\u2067txt"
#: Characters no terminal, HTML or Markdown surface may carry raw.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _hostile_nightly_org(*, second_night: bool) -> OrgBuilder:
    from tests.history.orgs import nightly_org

    org = nightly_org(sales_codes=not second_night)
    org.org_name = OSC_ORG
    org.queues[0]["name"] = IMAGE_NAME
    org.queues[1]["name"] = TERMINAL_NAME
    org.add_queue(f.queue(LINK_NAME, wrapup_prompt="MANDATORY"), codes=[], members=[])
    return org


def _rendered_markdown(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=["tables"])


def test_nightly_outputs_and_terminal_are_sanitised(tmp_path: Path) -> None:
    out = tmp_path / "r"
    printed: list[str] = []
    for night in (0, 1):  # the second night has changed findings and drift, so every table shows
        snap = _hostile_nightly_org(second_night=bool(night)).write(tmp_path / f"n{night}")
        done = run_cli("nightly", "--snapshot", str(snap), "--out-dir", str(out), env={"GCAUDIT_CONFIG": ""})
        assert done.returncode == 1, done.stderr
        printed += [done.stdout, done.stderr]
    for args in (("history",), ("diff", "1", "2"), ("history", "--format", "json"),
                 ("diff", "1", "2", "--format", "json")):
        shown = run_cli(*args, "--history", f"sqlite:///{out / 'gcaudit-history.db'}")
        assert shown.returncode == 0, shown.stderr
        printed.append(shown.stdout)
    assert "run 2:" in printed[2] and "Acme" in printed[2]
    for text in printed:
        assert not RAW_CONTROLS.search(text), f"raw control character on the terminal: {text!r:.300}"
    md = (out / "latest.md").read_text(encoding="utf-8")
    html = (out / "latest.html").read_text(encoding="utf-8")
    assert "Configuration drift" in md and "Findings changed" in md
    assert not RAW_CONTROLS.search(md) and not RAW_CONTROLS.search(html)
    rendered = _rendered_markdown(md)
    assert "<img" not in rendered and "<a " not in rendered and "<b>" not in rendered, rendered
    assert "evil.example/b.png" in rendered, "the name is shown, as text"
    assert 'id="drift"' in html and "evil.example/b.png" in html


def test_orgs_index_is_sanitised(tmp_path: Path) -> None:
    snap = _hostile_nightly_org(second_night=False).write(tmp_path / "snap")
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text(f"orgs:\n  - {{name: acme, snapshot: {snap}}}\n")
    done = run_cli("nightly", "--orgs", str(orgs), "--out-dir", str(tmp_path / "all"), env={"GCAUDIT_CONFIG": ""})
    assert done.returncode == 1, done.stdout + done.stderr
    index = (tmp_path / "all" / "index.html").read_text(encoding="utf-8")
    assert "Acme" in index and not RAW_CONTROLS.search(index)
    assert not RAW_CONTROLS.search(done.stdout)


def test_every_markdown_surface_keeps_no_link_or_image(tmp_path: Path) -> None:
    """audit --format markdown and preflight markdown, rendered by a real Markdown renderer."""
    org = _hostile_nightly_org(second_night=True)
    snap = org.write(tmp_path / "snap")
    audit = run_cli("audit", str(snap), "--format", "markdown")
    curl = ("curl -X POST 'https://api.mypurecloud.ie/api/v2/conversations/cobrowse' "
            f"-H 'Authorization: Bearer not-a-real-token' -d '{{\"queueId\": \"{org.queues[0]['id']}\"}}'")
    preflight = run_cli("preflight", "--snapshot", str(snap), "--curl", curl, "--format", "markdown")
    for done in (audit, preflight):
        assert done.returncode in (0, 1, 3), done.stderr
        assert "evil.example" in done.stdout, done.stdout
        rendered = _rendered_markdown(done.stdout)
        assert "<img" not in rendered and "<a " not in rendered, rendered
        assert not RAW_CONTROLS.search(done.stdout)


# --- secrets from places other than the environment (issue 15, class 5) ------------------------

def test_orgs_children_get_history_and_webhook_urls_only_through_their_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ps` shows every process's command line to every user: no child carries the webhook URL
    (its path is its secret) or the history URL there, and `--timeout` is passed on."""
    import subprocess

    from auditor.nightly import orgs as orgs_module
    from tests.history.orgs import nightly_org
    from tests.webhook_receiver import Receiver

    snap = nightly_org().write(tmp_path / "snap")
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text(f"orgs:\n  - {{name: acme, snapshot: {snap}}}\n")
    history = f"sqlite:///{tmp_path / 'hist-s3cr3t-name.db'}"
    launched: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def recording_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        launched.append((list(cmd), dict(kwargs["env"])))  # type: ignore[arg-type]
        return real_run(cmd, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(orgs_module.subprocess, "run", recording_run)
    monkeypatch.setenv("GCAUDIT_CONFIG", "")
    with Receiver() as rx:
        result = CliRunner().invoke(cli, ["nightly", "--orgs", str(orgs), "--out-dir", str(tmp_path / "all"),
                                          "--history", history, "--notify", rx.url, "--timeout", "17",
                                          "--notify-backoff", "0"])
    assert result.exit_code == 1, result.output
    [(cmd, env)] = launched
    command_line = " ".join(cmd)
    assert rx.url not in command_line and "s3cretpath" not in command_line
    assert history not in command_line and "hist-s3cr3t-name" not in command_line
    assert float(cmd[cmd.index("--timeout") + 1]) == 17
    assert env["GCAUDIT_NOTIFY"] == rx.url and env["GCAUDIT_HISTORY"] == history
    assert len(rx.requests) == 1, "the child found the webhook in its environment"
    assert (tmp_path / "hist-s3cr3t-name.db").is_file(), "and the history"


SECRET_QUERY = "tok-9f8e7d6c5b4a-SECRET"


@pytest.mark.parametrize("region", [
    f"https://api.mypurecloud.ie/?access_token={SECRET_QUERY}",
    f"https://[::1/?access_token={SECRET_QUERY}",
    f"https://api.mypurecloud.ie:99999/x?access_token={SECRET_QUERY}",
    f"https://api.mypurecloud.ie#access_token={SECRET_QUERY}",
    f"ftp://host/?access_token={SECRET_QUERY}",
    f"https://admin:{SECRET_QUERY}@api.mypurecloud.ie",
    f"https://admin:{SECRET_QUERY}@127.0.0.1:1",
])
def test_a_region_url_never_prints_its_secrets(region: str) -> None:
    done = run_cli("collect", "--out-dir", "/nonexistent/x", "--region", region,
                   env={"GENESYSCLOUD_OAUTHCLIENT_ID": CLIENT_ID, "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET})
    assert done.returncode == 2, done.stderr
    assert "gcaudit: error:" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert SECRET_QUERY not in done.stdout + done.stderr
    assert "<redacted>" in done.stderr or "[::1" in done.stderr


@pytest.mark.parametrize("url", [
    f"postgresql://gcaudit:{SECRET_QUERY}@127.0.0.1:1/db?connect_timeout=1",
    f"postgresql://gcaudit@127.0.0.1:1/db?password={SECRET_QUERY}&connect_timeout=1",
    f"mysql://u:{SECRET_QUERY}@h/db",
])
def test_a_history_url_never_prints_its_password(url: str, tmp_path: Path) -> None:
    done = run_cli("history", "--history", url)
    assert done.returncode == 2, done.stderr
    assert SECRET_QUERY not in done.stdout + done.stderr, done.stderr


def test_echoed_login_credentials_never_reach_stderr(tmp_path: Path) -> None:
    """A login endpoint that quotes the Basic header (and the pair it decoded) in its error."""
    org = SyntheticOrg(OrgSpec.scaled(2, seed=3)).builder()
    api = RecordingApi(org, FakeConfig(client_id=CLIENT_ID, client_secret=SECRET, echo_login_credentials=True))
    with api:
        done = run_cli("--debug", "collect", "--out-dir", str(tmp_path / "snap"), *FAST,
                       env={**api.env(), "GENESYSCLOUD_OAUTHCLIENT_SECRET": WRONG_SECRET})
    assert done.returncode == 2, done.stderr
    assert "login to" in done.stderr and "authentication failed for" in done.stderr and "<redacted>" in done.stderr
    for name, needle in _needles(api).items():
        assert needle.decode() not in done.stdout + done.stderr, name


def test_echoed_bearer_token_never_reaches_manifest_reports_or_logs(tmp_path: Path) -> None:
    """An API error body that quotes the Authorization header: the dataset's error is kept (ERROR,
    with the message), the token is not, in manifest.json, every report, the history or stderr."""
    from auditor.testing.fake_api import EchoCredentials

    org = SyntheticOrg(OrgSpec.scaled(3, seed=5)).builder()
    api = RecordingApi(org, FakeConfig(client_id=CLIENT_ID, client_secret=SECRET,
                                       faults=[EchoCredentials(start=1, length=10_000, dataset="oauth_clients")]))
    outputs: list[str] = []
    with api:
        for args in (("collect", "--out-dir", str(tmp_path / "snap")),
                     ("nightly", "--out-dir", str(tmp_path / "nightly"), "--label", "echo")):
            done = run_cli("--debug", *args, *FAST, env={**api.env(), "GCAUDIT_CONFIG": ""})
            assert done.returncode == 3, done.stderr
            outputs += [done.stdout, done.stderr]
    for fmt in available_formats():
        run = run_cli("audit", str(tmp_path / "snap"), "--format", fmt, "-o", str(tmp_path / f"report.{fmt}"))
        assert run.returncode in (1, 3), run.stderr
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    failed = manifest["datasets"]["oauth_clients"]
    assert failed["status"] == "error" and "denied for header" in failed["message"], failed
    assert "<redacted>" in failed["message"]
    assert "&lt;redacted&gt;" in (tmp_path / "report.html").read_text(), "the message is shown, scrubbed"
    _scan(tmp_path, outputs, _needles(api))


@pytest.mark.parametrize("url", [f"https://[::1/api?access_token={SECRET_QUERY}",
                                 f"https://u:{SECRET_QUERY}@[::1/api"])
def test_a_malformed_curl_url_never_prints_its_secrets(url: str) -> None:
    curl = f"curl -X POST '{url}' -d '{{}}'"
    done = run_cli("preflight", "--snapshot", str(SAMPLES / "demo-org"), "--curl", curl)
    assert done.returncode == 2, done.stderr
    assert "is not a URL" in done.stderr and SECRET_QUERY not in done.stdout + done.stderr


def test_hostile_server_messages_reach_no_terminal_raw(tmp_path: Path) -> None:
    """An API error message with terminal escapes and bidi controls: kept (scrubbed of nothing,
    escaped in JSON) in the manifest, printable on stderr and in every report."""
    from auditor.testing.fake_api import RawBody

    message = "denied \x1b]0;owned\x07\x1b[2J \u202eevil\u2066 \x9b31m"
    body = json.dumps({"message": message, "code": "missing.permissions\x1b[5m", "status": 403}).encode()
    org = SyntheticOrg(OrgSpec.scaled(2, seed=6)).builder()
    api = FakePlatformApi(org, FakeConfig(faults=[RawBody(dataset="roles", length=10**9, status=403, body=body,
                                                          content_type="application/json")]))
    with api:
        done = run_cli("collect", "--out-dir", str(tmp_path / "snap"), *FAST, env=api.env())
    assert done.returncode == 3, done.stderr
    assert "denied" in done.stderr and not RAW_CONTROLS.search(done.stderr), done.stderr
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text(encoding="utf-8"))
    assert "\u202eevil" in manifest["datasets"]["roles"]["message"], "the manifest keeps the server's text"
    assert not RAW_CONTROLS.search((tmp_path / "snap" / "manifest.json").read_text(encoding="utf-8"))
    for fmt in ("table", "markdown", "html", "csv"):
        shown = run_cli("audit", str(tmp_path / "snap"), "--format", fmt)
        assert shown.returncode in (1, 3), shown.stderr
        assert "roles" in shown.stdout, fmt
        assert not RAW_CONTROLS.search(shown.stdout + shown.stderr), fmt


def test_a_webhook_path_never_reaches_the_debug_log_or_outputs(tmp_path: Path) -> None:
    """urllib3's debug log names the request path, which is a webhook's secret."""
    from tests.history.orgs import nightly_org
    from tests.webhook_receiver import Receiver

    snap = nightly_org().write(tmp_path / "snap")
    with Receiver() as rx:
        done = run_cli("--debug", "nightly", "--snapshot", str(snap), "--out-dir", str(tmp_path / "out"),
                       "--notify", rx.url, env={"GCAUDIT_CONFIG": ""})
    assert done.returncode == 1, done.stderr
    assert len(rx.requests) == 1 and "POST <redacted>" in done.stderr
    _scan(tmp_path / "out", [done.stdout, done.stderr], {"webhook path": b"s3cretpath"})
