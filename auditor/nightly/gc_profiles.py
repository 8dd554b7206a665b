"""Credentials per org from the Genesys Cloud CLI's (`gc`) configuration file, read and never written.

Source: MyPureCloud/platform-client-sdk-cli, build/README.md "Setup and Configuration": `gc profiles
new` writes `.gc/config.toml` in the home directory; a TOML table per profile (`[DEFAULT]`,
`[test_pro_1]`, ...) with `environment` (the API base path such as `mypurecloud.com`, or the AWS
region), `client_credentials` (the OAuth client id of a client-credentials grant), `client_secret`,
or `access_token`. Profiles made for the implicit or PKCE grant (a browser login) hold neither a
secret nor a token and cannot run unattended: they are refused with a one-line error.

The secret and token are read into memory only: registered with the redaction (never in a log or
report) and handed to the org's process through its environment (GENESYSCLOUD_OAUTHCLIENT_SECRET /
GENESYSCLOUD_ACCESS_TOKEN), never its command line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import InputError
from auditor.safety.fileio import read_bytes, shorten
from auditor.safety.redaction import register, register_basic

#: `gc profiles new` writes it here (build/README.md).
DEFAULT_PATH = Path("~/.gc/config.toml")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class GcProfile:
    name: str
    environment: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)

    def env(self) -> dict[str, str]:
        """The standard variables of the org's process (its region only when orgs.yaml gives none)."""
        out = {}
        if self.access_token:
            out["GENESYSCLOUD_ACCESS_TOKEN"] = self.access_token
        else:
            out["GENESYSCLOUD_OAUTHCLIENT_ID"] = self.client_id or ""
            out["GENESYSCLOUD_OAUTHCLIENT_SECRET"] = self.client_secret or ""
        return out


def _string(path: Path, where: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, "expected a non-empty string", field=where)
    return value.strip()


def read_profile(path: Path, name: str, source: Path | None = None, where: str = "gc_profile") -> GcProfile:
    """Profile `name` of the gc configuration file at `path`. Errors name the file and the profile,
    never a value (`source`/`where`: the orgs.yaml entry that asked for it, for the message)."""
    path = path.expanduser()
    try:
        data = tomllib.loads(read_bytes(path, max_bytes=MAX_BYTES).decode("utf-8"))
    except InputError as exc:
        raise InputError(source or path, f"gc CLI configuration {path}: {exc.problem}", field=where) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        # No detail: a TOML error message can quote the line, i.e. a secret.
        raise InputError(path, "is not a valid TOML file (the gc CLI's config.toml)") from None
    table = data.get(name)
    if not isinstance(table, dict):
        known = ", ".join(sorted(k for k, v in data.items() if isinstance(v, dict))) or "none"
        raise InputError(source or path, f"no profile {shorten(name)} in {path} (profiles: {shorten(known)})",
                         field=where)
    profile = GcProfile(
        name=name,
        environment=_string(path, f"{name}.environment", table.get("environment")),
        client_id=_string(path, f"{name}.client_credentials", table.get("client_credentials")),
        client_secret=_string(path, f"{name}.client_secret", table.get("client_secret")),
        access_token=_string(path, f"{name}.access_token", table.get("access_token")),
    )
    register_basic(profile.client_id, profile.client_secret)
    register(profile.access_token)
    if not profile.access_token and not (profile.client_id and profile.client_secret):
        raise InputError(path, "has neither client_credentials with client_secret nor access_token (a profile "
                         "for a browser login cannot run unattended)", field=name)
    return profile
