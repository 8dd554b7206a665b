"""Property-based tests for the user-supplied inputs the snapshot/plan tests do not cover: waiver
files, preflight request files and curl commands, gcaudit.yaml and region strings.

Arbitrary and mutated inputs (wrong types, missing keys, huge strings, unicode, deep nesting,
unknown enum values) either give a valid result that the rest of the pipeline accepts, or a
one-line InputError naming the input. Never another exception. A few cases go through the CLI
for the exit status (2) and the absence of a traceback.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.engine import run_audit
from auditor.errors import InputError
from auditor.inputs.waivers import apply_waivers, load_waivers
from auditor.preflight.render import render, render_html
from auditor.preflight.request import parse_curl, parse_request_file
from auditor.preflight.verdict import run_preflight
from auditor.results import Severity
from auditor.sources.collectors.regions import resolve_region
from tests.conftest import SAMPLES, run_cli
from tests.hardening.test_snapshot_properties import BASE, HOSTILE_TEXT, JSON, _paths, _set

TODAY = date(2026, 11, 24)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Values a user (or an attacker) can put anywhere: every JSON type, hostile strings, unknown enums.
ANY_VALUE = (JSON | HOSTILE_TEXT | st.sampled_from(["CLIENT-CREDENTIALS", "client credentials", "2026-13-45",
                                                     "9999-12-31", "x" * 5000, "ININ-WRAP-UP-TIMEOUT"]))
BASE_REPORT = run_audit(BASE.snapshot())
SECRET_TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLTQy.Zm9v"


def _one_line(exc: InputError, source: object) -> None:
    text = str(exc)
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(str(source)), text


def _deep(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


# --- waiver files ---------------------------------------------------------------------------

VALID_WAIVERS = {"waivers": [
    {"rule": "OAUTH-003", "resource": "Legacy*", "reason": "decommissioned in Q1", "owner": "iam@example.com",
     "expires": "2026-12-31"},
    {"rule": "QUE-002", "resource": BASE.queues[0]["id"], "reason": "codes being added", "owner": "wfm",
     "expires": "2026-12-01"},
]}


def _check_waiver_file(path: Path) -> None:
    try:
        waivers = load_waivers(path, today=TODAY)
    except InputError as exc:
        _one_line(exc, path)
        return
    report = copy.deepcopy(BASE_REPORT)
    before = len(report.results)
    outcome = apply_waivers(report, waivers, today=TODAY, source=str(path))
    assert len(report.results) == before
    for line in outcome.warnings():
        assert "\n" not in line


@SETTINGS
@given(data=st.data(), delete=st.booleans(), replacement=ANY_VALUE)
def test_mutated_waiver_files_load_or_fail_cleanly(tmp_path_factory, data, delete, replacement):
    path = tmp_path_factory.mktemp("w") / "waivers.yaml"
    doc = copy.deepcopy(VALID_WAIVERS)
    where = data.draw(st.sampled_from(_paths(doc)))
    path.write_text(yaml.safe_dump(_set(doc, where, replacement, delete), allow_unicode=True), encoding="utf-8")
    _check_waiver_file(path)


@SETTINGS
@given(doc=ANY_VALUE | st.dictionaries(st.sampled_from(["waivers", "rules", ""]), ANY_VALUE, max_size=2)
       | st.lists(st.dictionaries(st.sampled_from(["rule", "resource", "reason", "owner", "expires", "extra"]),
                                  ANY_VALUE, max_size=6), max_size=3))
def test_arbitrary_waiver_documents(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("w") / "waivers.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _check_waiver_file(path)


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_as_a_waiver_file(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("w") / "waivers.yaml"
    path.write_bytes(raw)
    _check_waiver_file(path)


@pytest.mark.parametrize("text", [
    "[" * 20_000, "a: " * 5_000 + "1", "waivers: &a [*a]", "waivers: !!python/object/apply:os.system [id]",
    "waivers:\n  - rule: X\n    resource: '" + "y" * 100_000
    + "'\n    reason: r\n    owner: o\n    expires: 2026-12-01",
    yaml.safe_dump({"waivers": [_deep(300)]}),
])
def test_hostile_waiver_text(tmp_path, text):
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path, today=TODAY)
    _one_line(info.value, path)


# --- preflight request files and curl -------------------------------------------------------

VALID_REQUEST = {
    "method": "POST", "url": "https://api.mypurecloud.ie/api/v2/conversations/cobrowse",
    "body": {"cobrowseType": "webmessaging", "routingData": {"queueId": BASE.queues[0]["id"],
                                                            "wrapUpCode": "COBROWSE_INITIATED"}},
    "token": {"grant": "client_credentials", "client": "Launcher", "user": "user-1"},
    "headers": {"Authorization": f"Bearer {SECRET_TOKEN}"},
}


def _check_request(parse: Any, source: object, token_is_credential: bool = True) -> None:
    """`token_is_credential`: the token sits where a credential goes (not pasted into a URL or body)."""
    try:
        request = parse()
    except InputError as exc:
        _one_line(exc, source)
        assert not token_is_credential or SECRET_TOKEN not in str(exc)
        return
    report = run_preflight(BASE.snapshot(), request=request, plan=None, fail_on=Severity.HIGH)
    outputs = [render(report, fmt, color=False) for fmt in ("table", "json", "markdown")]
    outputs.append(render_html(report))
    assert report.exit_status in (0, 1, 3)
    assert not token_is_credential or not any(SECRET_TOKEN in text for text in outputs)


@SETTINGS
@given(data=st.data(), delete=st.booleans(), replacement=ANY_VALUE)
def test_mutated_request_files_check_or_fail_cleanly(tmp_path_factory, data, delete, replacement):
    path = tmp_path_factory.mktemp("r") / "request.json"
    doc = copy.deepcopy(VALID_REQUEST)
    where = data.draw(st.sampled_from(_paths(doc)))
    path.write_text(json.dumps(_set(doc, where, replacement, delete)), encoding="utf-8")
    _check_request(lambda: parse_request_file(path), path)


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_as_a_request_file(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("r") / "request.json"
    path.write_bytes(raw)
    _check_request(lambda: parse_request_file(path), path)


@pytest.mark.parametrize("depth", [200, 900, 5_000, 100_000])
def test_deeply_nested_request_bodies(tmp_path, depth):
    path = tmp_path / "request.json"
    text = '{"method": "POST", "path": "/api/v2/conversations/cobrowse", "body": ' + '{"a": ' * depth + "1"
    path.write_text(text + "}" * depth + "}", encoding="utf-8")
    _check_request(lambda: parse_request_file(path), path)


CURL = (f"curl -s -X POST 'https://api.mypurecloud.ie/api/v2/conversations/cobrowse' "
        f"-H 'Authorization: Bearer {SECRET_TOKEN}' -H 'Content-Type: application/json' "
        f"-d '{json.dumps(VALID_REQUEST['body'])}'")
_AUTH = f"'Authorization: Bearer {SECRET_TOKEN}'"
HEADER = (CURL.index(_AUTH) - 3, CURL.index(_AUTH) + len(_AUTH))  # "-H " through the closing quote
CURL_WORDS = st.sampled_from([
    "-X", "-H", "-d", "--data", "--json", "--url", "-u", "-b", "--oauth2-bearer", "'", '"', "\\\n", "\\", "-",
    "--", "=", "@", "$(id)", "`id`", "\u202e", "\x00", "\t", "https://", "/api/v2/conversations/cobrowse",
    SECRET_TOKEN, f"Authorization: Bearer {SECRET_TOKEN}", "{", "}", "ü" * 3000,
])


@SETTINGS
@given(position=st.integers(min_value=0, max_value=len(CURL)), words=st.lists(CURL_WORDS | st.text(max_size=20),
                                                                               min_size=1, max_size=4),
       cut=st.integers(min_value=0, max_value=40))
def test_mutated_curl_commands_check_or_fail_cleanly(position, words, cut):
    """Insertions and deletions in a real pasted curl; the bearer token never comes back out."""
    command = CURL[:position] + " ".join(words) + CURL[position + cut:]
    # A mutation that moves the token out of its header (into the URL or the body) makes it data.
    header_intact = position + cut <= HEADER[0] or position >= HEADER[1]
    inserted_token = any(SECRET_TOKEN in word for word in words)
    _check_request(lambda: parse_curl(command), "--curl", header_intact and not inserted_token)


# --- gcaudit.yaml and regions ---------------------------------------------------------------


@SETTINGS
@given(settings_doc=st.dictionaries(
    st.sampled_from(["plan", "out", "history", "fail-on", "notify", "keep", "parallel", "org_timeout", "rate",
                     "waiver-max-days", "label", "unknown", "region", "workers"]), ANY_VALUE, max_size=5) | ANY_VALUE)
def test_arbitrary_config_files_load_or_fail_cleanly(tmp_path_factory, settings_doc):
    from auditor.cli.config import load_config

    path = tmp_path_factory.mktemp("c") / "gcaudit.yaml"
    path.write_text(yaml.safe_dump(settings_doc, allow_unicode=True), encoding="utf-8")
    try:
        loaded = load_config(path)
    except InputError as exc:
        _one_line(exc, path)
        return
    assert isinstance(loaded, dict)


VALID_ORGS = {"orgs": [
    {"name": "acme-eu", "region": "eu-west-1", "client_id_env": "ACME_ID", "client_secret_env": "ACME_SECRET",
     "plan": "plans/acme.yaml"},
    {"name": "beta", "snapshot": "snaps/beta", "waivers": "w.yaml"},
]}


@SETTINGS
@given(data=st.data(), delete=st.booleans(), replacement=ANY_VALUE)
def test_mutated_orgs_files_load_or_fail_cleanly(tmp_path_factory, data, delete, replacement):
    from auditor.nightly.orgs import load_orgs

    path = tmp_path_factory.mktemp("o") / "orgs.yaml"
    doc = copy.deepcopy(VALID_ORGS)
    where = data.draw(st.sampled_from(_paths(doc)))
    path.write_text(yaml.safe_dump(_set(doc, where, replacement, delete), allow_unicode=True), encoding="utf-8")
    try:
        entries = load_orgs(path)
    except InputError as exc:
        _one_line(exc, path)
        return
    assert entries and all(e.name for e in entries)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80) | st.sampled_from(["eu_west_1", "API.MYPURECLOUD.IE", "http://[::1", "https://",
                                                     "https://api.mypurecloud.ie/?x=1", "ftp://a", "http://a:99999"]))
def test_arbitrary_region_strings(text):
    try:
        region = resolve_region(text)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert region.api_base.startswith(("http://", "https://"))


# --- through the CLI: exit status 2, one line, no traceback ---------------------------------

def _assert_exit_2(result: Any, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcaudit: error:"), result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_cli_bad_waiver_file(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [{"rule": "QUE-002", "resource": ["x"], "reason": "r", "owner": "o",
                                                  "expires": "2026-12-01"}]}))
    _assert_exit_2(run_cli("audit", str(SAMPLES / "ready-org"), "--waivers", str(path)), str(path), "resource")


def test_cli_deeply_nested_waiver_file(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("[" * 50_000)
    _assert_exit_2(run_cli("audit", str(SAMPLES / "ready-org"), "--waivers", str(path)), str(path))


def test_cli_bad_request_file(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"method": "POST", "path": "/api/v2/conversations/cobrowse",
                                "token": {"access_token": SECRET_TOKEN}}))
    result = run_cli("preflight", str(path), str(SAMPLES / "ready-org"))
    _assert_exit_2(result, str(path), "token.access_token")
    assert SECRET_TOKEN not in result.stderr + result.stdout


def test_cli_bad_curl_never_echoes_the_token():
    result = run_cli("preflight", str(SAMPLES / "ready-org"),
                     "--curl", f"curl -H 'Authorization: Bearer {SECRET_TOKEN}' -d '{{\"unclosed\": '")
    _assert_exit_2(result, "--curl")
    assert SECRET_TOKEN not in result.stderr + result.stdout


def test_cli_bad_config_file(tmp_path):
    path = tmp_path / "gcaudit.yaml"
    path.write_text("fail-on: catastrophic\n")
    _assert_exit_2(run_cli("nightly", "--config", str(path), str(SAMPLES / "ready-org"),
                           "--out-dir", str(tmp_path / "out")), str(path), "fail-on")


# --- round two: unbounded inputs and bad values (issue 15) ------------------------------------

#: Nine levels of nine-fold anchors: 9**9 nodes once expanded, in under 300 bytes.
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def _bomb_in(kind: str) -> str:
    """The alias bomb, then the key each YAML input reads pointing at its top anchor."""
    return ALIAS_BOMB + {
        "plan": "cobrowse:\n  queues: *i\n",
        "waivers": "waivers:\n  - rule: QUE-002\n    resource: *i\n    reason: r\n    owner: o\n"
                   "    expires: 2026-12-01\n",
        "config": "out: *i\n",
        "orgs": "orgs:\n  - name: *i\n",
    }[kind]


def _yaml_loaders() -> dict[str, Any]:
    from auditor.cli.config import load_config
    from auditor.inputs.plan import load_plan
    from auditor.nightly.orgs import load_orgs

    return {"plan": load_plan, "waivers": lambda p: load_waivers(p, today=TODAY), "config": load_config,
            "orgs": load_orgs}


@pytest.mark.parametrize("kind", ["plan", "waivers", "config", "orgs"])
def test_yaml_alias_bombs_are_refused_while_parsing(kind, tmp_path):
    """Anchors inside anchors: refused by the loader, before any value is walked or printed."""
    path = tmp_path / f"{kind}.yaml"
    path.write_text(_bomb_in(kind))
    assert len(path.read_bytes()) < 1024
    with pytest.raises(InputError) as caught:
        _yaml_loaders()[kind](path)
    _one_line(caught.value, path)
    assert "aliases expand to more than" in str(caught.value)
    assert len(str(caught.value)) < 400, "the message must not print the expanded value"


@pytest.mark.parametrize("kind", ["plan", "waivers", "config", "orgs"])
def test_a_few_aliases_still_load(kind, tmp_path):
    texts = {
        "plan": "shared: &q [Support, Sales]\ncobrowse:\n  queues: *q\n",
        "waivers": "waivers:\n  - {rule: QUE-002, resource: x, reason: r, owner: &o iam@example.com, "
                   "expires: '2026-12-01'}\n  - {rule: QUE-003, resource: y, reason: r, owner: *o, "
                   "expires: '2026-12-01'}\n",
        "config": "fail-on: &s high\n",
        "orgs": "orgs:\n  - {name: acme, snapshot: &s snap}\n  - {name: beta, snapshot: *s}\n",
    }
    path = tmp_path / f"{kind}.yaml"
    path.write_text(texts[kind])
    loader = _yaml_loaders()[kind]
    if kind == "plan":
        assert loader(path).queues == ("Support", "Sales")
    elif kind == "config":
        assert loader(path) == {"fail_on": "high"}
    else:
        assert loader(path)


def test_yaml_alias_to_itself_is_refused(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("cobrowse:\n  queues: &q [a, *q]\n")
    from auditor.inputs.plan import load_plan

    with pytest.raises(InputError, match="refers to itself"):
        load_plan(path)


BAD_SCALARS = {
    "expires: 2026-02-30": "2026-02-30",
    "expires: !!int abc": "abc",
    "expires: 2026-01-01 25:00:00": "25:00",
    "expires: !!float nope": "nope",
    "expires: !!timestamp 2026-99-01": "2026-99-01",
}


@pytest.mark.parametrize("line", BAD_SCALARS)
def test_unreadable_yaml_scalars_are_one_line_input_errors(line, tmp_path):
    """Values YAML's own constructors choke on (ValueError, exit 4 before): a YAML error with a position."""
    path = tmp_path / "waivers.yaml"
    path.write_text(f"waivers:\n  - rule: QUE-002\n    resource: x\n    reason: r\n    owner: o\n    {line}\n")
    with pytest.raises(InputError) as caught:
        load_waivers(path, today=TODAY)
    _one_line(caught.value, path)
    assert "line 6" in str(caught.value) and BAD_SCALARS[line] in str(caught.value)


@pytest.mark.parametrize("line", list(BAD_SCALARS)[:3])
def test_cli_unreadable_yaml_scalars_exit_2(line, tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(f"waivers:\n  - rule: QUE-002\n    resource: x\n    reason: r\n    owner: o\n    {line}\n")
    _assert_exit_2(run_cli("audit", str(SAMPLES / "ready-org"), "--waivers", str(path)), str(path), "line 6")


@pytest.mark.parametrize("site", ["https://[::1", "https://[::1]:99999", "https://a:-1", "https://" + "a" * 10_000])
def test_plan_site_urls_that_do_not_parse(site, tmp_path):
    from auditor.inputs.plan import load_plan

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"cobrowse": {"sites": [site]}}))
    with pytest.raises(InputError) as caught:
        load_plan(path)
    _one_line(caught.value, path)
    assert "cobrowse.sites[0]" in str(caught.value) and len(str(caught.value)) < 300


@pytest.mark.parametrize("region", ["https://" + "a" * 10_000 + ".example.com", "a" * 10_000,
                                    "https://api." + "b" * 64 + ".example.com", "https://" + "c." * 200 + "com"])
def test_oversized_region_host_labels(region):
    with pytest.raises(InputError) as caught:
        resolve_region(region)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 600  # the list of regions, not the value


def test_cli_oversized_region_host_label_exits_2(tmp_path):
    result = run_cli("collect", "--out-dir", str(tmp_path / "s"),
                     "--region", "https://" + "a" * 10_000 + ".example.com",
                     env={"GENESYSCLOUD_ACCESS_TOKEN": "x"})
    _assert_exit_2(result, "region")
    assert not (tmp_path / "s").exists()


# --- reads that must not trust st_size -------------------------------------------------------

def test_read_refuses_a_fifo_without_blocking(tmp_path):
    from auditor.safety.fileio import read_bytes

    fifo = tmp_path / "queues.json"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came: never opened
    with pytest.raises(InputError, match="not a regular file"):
        read_bytes(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_read_refuses_a_link_to_an_endless_device(device, tmp_path):
    """Read-only: a link to /dev/zero reports size 0 and never ends; refused before any read."""
    from auditor.safety.fileio import read_bytes

    link = tmp_path / "data.json"
    link.symlink_to(device)
    with pytest.raises(InputError, match="not a regular file"):
        read_bytes(link)


def test_read_stops_at_the_cap_whatever_the_size_said(tmp_path, monkeypatch):
    """A file that grows after its size was taken (or lies about it) is still cut off at the cap."""
    from auditor.safety import fileio

    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 5000)
    real_stat = os.stat

    def lying_stat(target, *args, **kwargs):
        info = real_stat(target, *args, **kwargs)
        if str(target) == str(path):
            return os.stat_result((info.st_mode, *tuple(info)[1:6], 0, *tuple(info)[7:]))
        return info

    monkeypatch.setattr(fileio.os, "stat", lying_stat)
    with pytest.raises(InputError, match="larger than the 1000-byte limit"):
        fileio.read_bytes(path, max_bytes=1000)
    assert fileio.read_bytes(path, max_bytes=5000) == b"x" * 5000


def test_cli_curl_data_from_dev_zero_is_refused():
    result = run_cli("preflight", str(SAMPLES / "ready-org"),
                     "--curl", "curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse -d @/dev/zero")
    _assert_exit_2(result, "/dev/zero", "not a regular file")


def test_cli_snapshot_file_linked_to_dev_zero_is_refused(tmp_path):
    import shutil

    snap = tmp_path / "snap"
    shutil.copytree(SAMPLES / "ready-org", snap)
    (snap / "queues.json").unlink()
    (snap / "queues.json").symlink_to("/dev/zero")
    _assert_exit_2(run_cli("audit", str(snap)), "queues.json", "not a regular file")


def test_cli_snapshot_file_that_is_a_fifo_is_refused(tmp_path):
    import shutil

    snap = tmp_path / "snap"
    shutil.copytree(SAMPLES / "ready-org", snap)
    (snap / "roles.json").unlink()
    os.mkfifo(snap / "roles.json")
    _assert_exit_2(run_cli("audit", str(snap)), "roles.json", "not a regular file")


# --- curl: size cap and a linear tokeniser -----------------------------------------------------

def test_curl_longer_than_the_cap_fails_at_once():
    from auditor.preflight.request import MAX_CURL_CHARS

    command = "curl -d '" + "a" * (5 * MAX_CURL_CHARS) + "' https://api.mypurecloud.ie/api/v2/x"
    with pytest.raises(InputError, match="longer than"):
        parse_curl(command)


def test_curl_at_the_cap_parses(tmp_path):
    """Just under the cap, one huge quoted word: parsed (shlex took minutes on this, quadratically)."""
    from auditor.preflight.request import MAX_CURL_CHARS

    body = json.dumps({"pad": "a" * (MAX_CURL_CHARS - 200)})
    request = parse_curl(f"curl -X POST https://api.mypurecloud.ie/api/v2/conversations/cobrowse -d '{body}'")
    assert request.body["pad"].startswith("aaa") and request.method == "POST"


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab '\"\\\t\n$-")), max_size=40))
def test_shell_words_split_like_shlex(text):
    """The linear tokeniser agrees with shlex.split(posix=True) on words and on errors."""
    import shlex

    from auditor.preflight.request import shell_words

    try:
        expected: Any = shlex.split(text, posix=True)
    except ValueError as exc:
        expected = ("error", str(exc))
    try:
        got: Any = shell_words(text)
    except ValueError as exc:
        got = ("error", str(exc))
    assert got == expected


def test_cli_curl_from_stdin_is_capped():
    import subprocess
    import sys

    from auditor.preflight.request import MAX_CURL_CHARS

    command = "curl https://api.mypurecloud.ie/api/v2/x -d '" + "a" * (MAX_CURL_CHARS + 10) + "'"
    done = subprocess.run([sys.executable, "-m", "auditor", "preflight", str(SAMPLES / "ready-org"),
                           "--curl", "-"], input=command, capture_output=True, text=True, timeout=120, check=False)
    _assert_exit_2(done, "longer than")


@pytest.mark.parametrize("option", [("--rate", "nan"), ("--rate", "inf"), ("--timeout", "nan"), ("--timeout", "1e300"),
                                    ("--retry-budget", "nan"), ("--retry-budget", "-inf")])
def test_cli_non_finite_numbers_exit_2_before_any_call(option, tmp_path):
    """`--rate nan` crashed the limiter (exit 4); nan slips through every range comparison."""
    result = run_cli("collect", "--out-dir", str(tmp_path / "s"), *option,
                     env={"GENESYSCLOUD_ACCESS_TOKEN": "x", "GENESYSCLOUD_REGION": "http://127.0.0.1:9"})
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert option[0] in result.stderr
    assert not (tmp_path / "s").exists()


def test_cli_config_day_count_beyond_a_c_int_exits_2(tmp_path):
    path = tmp_path / "gcaudit.yaml"
    path.write_text("keep-history-days: 99999999999999999999999\n")
    _assert_exit_2(run_cli("nightly", "--config", str(path), str(SAMPLES / "ready-org"),
                           "--out-dir", str(tmp_path / "out")), str(path), "keep-history-days")
