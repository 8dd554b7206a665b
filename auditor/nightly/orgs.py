"""`--orgs orgs.yaml`: several orgs per night, each in its own process (own rate limiter, own
credentials), up to `--parallel` at a time; one org failing never stops the others.

    orgs:
      - name: acme-eu                       # lock key and sub-folder of --out
        region: eu-west-1
        client_id_env: ACME_EU_CLIENT_ID    # names of environment variables, never the values
        client_secret_env: ACME_EU_CLIENT_SECRET
        plan: plans/acme-eu.yaml            # optional, relative to this file
        waivers: waivers/acme-eu.yaml       # optional
        snapshot: exports/acme-eu           # optional: audit this snapshot instead of collecting
      - name: globex
        gc_profile: globex                  # a profile of the gc CLI's ~/.gc/config.toml (read only)
        gc_config: /etc/gcaudit/config.toml # optional: another file of that format

Each child is `gcaudit nightly --single ...` with that org's settings as flags and its
credentials mapped onto GENESYSCLOUD_OAUTHCLIENT_ID/_SECRET (or _ACCESS_TOKEN) in its environment.
The history URL (it may hold a database password) and the webhook URLs (whose path is their
secret) also go through the environment (GCAUDIT_HISTORY, GCAUDIT_NOTIFY), never the command
line, which any user can read in `ps`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditor.errors import GcauditError, InputError
from auditor.safety import sanitise
from auditor.safety.fileio import atomic_write_text, make_private_dirs, open_private_log, read_json, read_yaml, shorten
from auditor.safety.redaction import scrub

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_KEYS = {"name", "region", "client_id_env", "client_secret_env", "access_token_env", "plan", "waivers", "snapshot",
         "gc_profile", "gc_config"}
#: Credential variables a child must never inherit from the parent (each org gets its own).
_CREDENTIAL_VARS = ("GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_ACCESS_TOKEN",
                    "GENESYSCLOUD_REGION")
#: Settings the parent passes explicitly; the child must not pick them up again from the environment.
_PARENT_ONLY_VARS = ("GCAUDIT_ORGS", "GCAUDIT_CONFIG", "GCAUDIT_PARALLEL", "GCAUDIT_SNAPSHOT", "GCAUDIT_LABEL",
                     "GCAUDIT_PLAN", "GCAUDIT_WAIVERS", "GCAUDIT_OUT", "GCAUDIT_HISTORY", "GCAUDIT_SHARD")
#: Settings passed to children through their environment only (see the module docstring).
SECRET_SETTINGS = ("GCAUDIT_HISTORY", "GCAUDIT_NOTIFY")
EXIT_MEANING = {0: "ok", 1: "failures at or above threshold", 2: "bad input or credentials",
                3: "incomplete data", 4: "internal error", 75: "skipped: previous run still going",
                -1: "timed out"}


@dataclass(frozen=True)
class OrgEntry:
    name: str
    region: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    access_token_env: str | None = None
    plan: Path | None = None
    waivers: Path | None = None
    snapshot: Path | None = None
    #: A profile of the gc CLI's configuration file (auditor.nightly.gc_profiles), and that file.
    gc_profile: str | None = None
    gc_config: Path | None = None

    def profile(self) -> Any:
        """The gc CLI profile, read now (its secret only ever in memory); None without one."""
        if self.gc_profile is None:
            return None
        from auditor.nightly.gc_profiles import DEFAULT_PATH, read_profile

        return read_profile(self.gc_config or DEFAULT_PATH, self.gc_profile)


def _env_name(source: Path, where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        raise InputError(source, f"expected an environment variable name, got {shorten(value)}", field=where)
    return value


def _path(source: Path, where: str, value: Any) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(source, f"expected a path, got {shorten(value)}", field=where)
    path = Path(value).expanduser()
    return path if path.is_absolute() else (source.parent / path)


def _profile_name(source: Path, where: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 128:
        raise InputError(source, f"expected the name of a gc CLI profile, got {shorten(value)}", field=where)
    return value


def load_orgs(path: Path) -> list[OrgEntry]:
    data = read_yaml(path)
    if isinstance(data, dict):
        data = data.get("orgs")
    if not isinstance(data, list) or not data:
        raise InputError(path, "expected `orgs:` with a list of orgs", field="orgs")
    entries: list[OrgEntry] = []
    for index, item in enumerate(data):
        where = f"orgs[{index}]"
        if not isinstance(item, dict):
            raise InputError(path, f"expected a mapping, got {type(item).__name__}", field=where)
        unknown = sorted(str(k) for k in item if k not in _KEYS)
        if unknown:
            raise InputError(path, f"unknown key (expected {', '.join(sorted(_KEYS))})",
                             field=f"{where}.{shorten(unknown[0])}")
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise InputError(path, "a name of letters, digits, '.', '_' or '-' (at most 64) is required",
                             field=f"{where}.name")
        if any(e.name == name for e in entries):
            raise InputError(path, f"duplicate org name {name!r}", field=f"{where}.name")
        region = item.get("region")
        if region is not None and not isinstance(region, str):
            raise InputError(path, "expected a region name or base URL", field=f"{where}.region")
        if region is not None and region.strip():
            _check_region(path, f"{where}.region", region)
        entry = OrgEntry(
            name=name, region=region,
            client_id_env=_env_name(path, f"{where}.client_id_env", item.get("client_id_env")),
            client_secret_env=_env_name(path, f"{where}.client_secret_env", item.get("client_secret_env")),
            access_token_env=_env_name(path, f"{where}.access_token_env", item.get("access_token_env")),
            plan=_path(path, f"{where}.plan", item.get("plan")),
            waivers=_path(path, f"{where}.waivers", item.get("waivers")),
            snapshot=_path(path, f"{where}.snapshot", item.get("snapshot")),
            gc_profile=_profile_name(path, f"{where}.gc_profile", item.get("gc_profile")),
            gc_config=_path(path, f"{where}.gc_config", item.get("gc_config")),
        )
        profile = None
        if entry.gc_profile is not None:
            if entry.client_id_env or entry.client_secret_env or entry.access_token_env:
                raise InputError(path, "give either gc_profile or the credential variable names, not both",
                                 field=f"{where}.gc_profile")
            from auditor.nightly.gc_profiles import DEFAULT_PATH, read_profile

            profile = read_profile(entry.gc_config or DEFAULT_PATH, entry.gc_profile, path, f"{where}.gc_profile")
        elif entry.gc_config is not None:
            raise InputError(path, "gc_config needs gc_profile", field=f"{where}.gc_config")
        if entry.snapshot is None and profile is None and not (
                entry.access_token_env or (entry.client_id_env and entry.client_secret_env)):
            raise InputError(path, "give client_id_env and client_secret_env (or access_token_env, gc_profile, "
                             "or a snapshot)", field=where)
        if entry.snapshot is None and not entry.region and not (profile and profile.environment):
            raise InputError(path, "missing (needed to collect live)", field=f"{where}.region")
        entries.append(entry)
    return entries


def _check_region(path: Path, where: str, region: str) -> None:
    """Refuse a region the child would refuse, here, before any org runs: a region carrying
    `user:password@` must not reach a child's environment, log or the index (quoted scrubbed)."""
    from auditor.sources.collectors.regions import resolve_region

    try:
        resolve_region(region)
    except InputError as exc:
        raise InputError(path, exc.problem, field=where) from None


def child_env(entry: OrgEntry, base: dict[str, str] | None = None,
              secrets: dict[str, str] | None = None) -> dict[str, str]:
    """The parent's environment minus every org's credentials, plus this org's mapped to the standard
    names, plus `secrets` (settings that must not appear on a command line: GCAUDIT_HISTORY,
    GCAUDIT_NOTIFY)."""
    source = dict(os.environ if base is None else base)
    env = {k: v for k, v in source.items()
           if k not in _CREDENTIAL_VARS and k not in _PARENT_ONLY_VARS and k not in SECRET_SETTINGS}
    env.update(secrets or {})
    for target, var in (("GENESYSCLOUD_OAUTHCLIENT_ID", entry.client_id_env),
                        ("GENESYSCLOUD_OAUTHCLIENT_SECRET", entry.client_secret_env),
                        ("GENESYSCLOUD_ACCESS_TOKEN", entry.access_token_env)):
        if var and source.get(var):
            env[target] = source[var]
    profile = entry.profile()
    if profile is not None:  # the secret goes to the child's environment only, never its command line
        env.update(profile.env())
        if profile.environment and not entry.region:
            env["GENESYSCLOUD_REGION"] = profile.environment
    if entry.region:
        env["GENESYSCLOUD_REGION"] = entry.region
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@dataclass
class OrgRun:
    entry: OrgEntry
    exit_code: int
    log_path: Path
    summary: dict[str, Any] | None
    #: Why the org was not run at all (its folder or log is unsafe), or None.
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.entry.name,
            "exit_code": self.exit_code,
            "outcome": (f"not run: {sanitise.printable(self.problem, 300)}" if self.problem
                        else EXIT_MEANING.get(self.exit_code, f"exit {self.exit_code}")),
            "log": self.log_path.name,
            "report": f"{self.entry.name}/latest.html" if self.summary else None,
            **(self.summary or {}),
        }


def _latest_summary(out: Path, started: datetime) -> dict[str, Any] | None:
    """The org's latest.json, if this run wrote it (not one left over from an earlier night)."""
    latest = out / "latest.json"
    try:
        if datetime.fromtimestamp(latest.stat().st_mtime, UTC) < started.replace(microsecond=0):
            return None
        data = read_json(latest)
    except (OSError, InputError):
        return None
    nightly = data.get("nightly") or {}
    return {
        "org_id": data.get("org", {}).get("id"),
        "org_name": data.get("org", {}).get("name"),
        "run_id": nightly.get("run_id"),
        "failures_by_severity": data.get("summary", {}).get("failures_by_severity", {}),
        "complete": data.get("summary", {}).get("complete"),
        "changes": (nightly.get("findings") or {}).get("counts", {}),
    }


def run_one(entry: OrgEntry, args: list[str], out: Path, timeout: float | None,
            secrets: dict[str, str] | None = None) -> OrgRun:
    org_out = out / entry.name
    log_path = org_out / "nightly.log"
    try:
        return _run_one(entry, args, org_out, log_path, timeout, secrets)
    except (GcauditError, OSError) as exc:
        # An unsafe or unwritable path in this org's folder (a link or FIFO planted as nightly.log, a
        # file where the folder goes) stops this org only: the others run and the index is written.
        problem = scrub(str(exc))
        log.error("org %s not run: %s", entry.name, problem)
        return OrgRun(entry, 2, log_path, None, problem=problem)


def _run_one(entry: OrgEntry, args: list[str], org_out: Path, log_path: Path, timeout: float | None,
             secrets: dict[str, str] | None) -> OrgRun:
    make_private_dirs(org_out)
    cmd = [sys.executable, "-m", "auditor", "nightly", "--single", "--label", entry.name, "--out-dir", str(org_out),
           *args]
    for flag, value in (("--plan", entry.plan), ("--waivers", entry.waivers), ("--snapshot", entry.snapshot)):
        if value is not None:
            cmd += [flag, str(value)]
    started = datetime.now(UTC)
    with open_private_log(log_path) as handle:
        try:
            env = child_env(entry, secrets=secrets)
        except InputError as exc:  # the gc profile changed or vanished since orgs.yaml was checked
            handle.write(f"gcaudit: {exc}\n")
            log.info("org %s finished: exit 2 (%s)", entry.name, EXIT_MEANING[2])
            return OrgRun(entry, 2, log_path, None)
        try:
            code = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env,
                                  timeout=timeout, check=False).returncode
        except subprocess.TimeoutExpired:
            handle.write(f"\ngcaudit: org {entry.name} timed out after {timeout} s\n")
            code = -1
    log.info("org %s finished: exit %d (%s)", entry.name, code, EXIT_MEANING.get(code, "?"))
    return OrgRun(entry, code, log_path, _latest_summary(org_out, started))


def run_all(entries: list[OrgEntry], args: list[str], out: Path, parallel: int,
            timeout: float | None, secrets: dict[str, str] | None = None) -> list[OrgRun]:
    with ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="org") as pool:
        futures = [pool.submit(run_one, entry, args, out, timeout, secrets) for entry in entries]
        return [f.result() for f in futures]


def combined_exit(runs: list[OrgRun]) -> int:
    """1 if any org has a failure at/above the threshold, else 3 if any org did not finish cleanly."""
    codes = [r.exit_code for r in runs]
    if 1 in codes:
        return 1
    return 3 if any(c != 0 for c in codes) else 0


_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>gcaudit nightly: {{ runs|length }} org(s)</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}
th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}.bad{color:#b3261e;font-weight:600}</style>
</head><body>
<h1>gcaudit nightly</h1>
<p>{{ generated }} – {{ runs|length }} org(s).</p>
<table><thead><tr><th>Org</th><th>Outcome</th><th>Open failures</th><th>New</th><th>Regressed</th>
<th>Resolved</th><th>Complete</th><th>Report</th><th>Log</th></tr></thead><tbody>
{% for r in runs %}<tr>
<td>{{ r.name }}{% if r.org_name %}<br><small>{{ r.org_name }}</small>{% endif %}</td>
<td class="{{ '' if r.exit_code == 0 else 'bad' }}">{{ r.outcome }} ({{ r.exit_code }})</td>
<td>{% if r.failures_by_severity %}{% for k, v in r.failures_by_severity.items() if v %}{{ k }} {{ v }}
{% else %}none{% endfor %}{% endif %}</td>
<td>{{ r.changes.NEW if r.changes else "" }}</td><td>{{ r.changes.REGRESSED if r.changes else "" }}</td>
<td>{{ r.changes.RESOLVED if r.changes else "" }}</td>
<td>{{ "" if r.complete is none else ("yes" if r.complete else "NO") }}</td>
<td>{% if r.report %}<a href="{{ r.report }}">latest.html</a>{% endif %}</td>
<td><a href="{{ r.name }}/{{ r.log }}">{{ r.log }}</a></td>
</tr>{% endfor %}
</tbody></table></body></html>
"""


def write_index(out: Path, runs: list[OrgRun], suffix: str = "") -> Path:
    """OUT/index{suffix}.html and .json; a shard writes its own pair (suffix "-shard-I-of-N") so that
    shards sharing one output folder never overwrite each other's index."""
    import jinja2

    rows = [r.to_dict() for r in runs]
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    # Org names come from each org's latest.json: printable only (no ESC, bidi or line break).
    shown = [{**row, "org_name": sanitise.printable(row.get("org_name") or "", 120)} for row in rows]
    html = jinja2.Environment(autoescape=True).from_string(_INDEX).render(runs=shown, generated=generated)
    atomic_write_text(out / f"index{suffix}.html", html, streams=False)
    atomic_write_text(out / f"index{suffix}.json", json.dumps({"generated_at": generated, "orgs": rows}, indent=2)
                      + "\n", streams=False)
    return out / f"index{suffix}.html"
