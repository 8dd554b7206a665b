"""Genesys Cloud regions: every spelling a user may type, resolved to API and login hosts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.errors import InputError
from auditor.genesys.regions import REGIONS
from auditor.safety.fileio import shorten
from auditor.safety.redaction import scrub_url

_BY_DOMAIN = {domain: name for name, domain in REGIONS.items()}
_SOURCE = "region (--region / GENESYSCLOUD_REGION)"


@dataclass(frozen=True)
class Region:
    """Where to connect. `name` is the AWS-style id when the value matched a known region."""

    name: str | None
    api_base: str
    token_url: str

    @property
    def label(self) -> str:
        """How error messages name the region: `eu-west-1 (https://api.mypurecloud.ie)`."""
        return f"{self.name} ({self.api_base})" if self.name else self.api_base


def _from_domain(domain: str) -> Region:
    return Region(
        name=_BY_DOMAIN.get(domain),
        api_base=f"https://api.{domain}",
        token_url=f"https://login.{domain}/oauth/token",
    )


#: DNS limits (RFC 1035 2.3.4): what no resolver (urllib3's parser included) would accept.
_MAX_LABEL, _MAX_HOST = 63, 253


def _check_host(host: str) -> None:
    if host.startswith("[") or (re.fullmatch(r"[0-9a-f:.]+", host) and ":" in host):
        return  # an IPv6 literal
    if len(host.rstrip(".")) > _MAX_HOST or any(len(label) > _MAX_LABEL for label in host.split(".")):
        raise InputError(_SOURCE, f"host {shorten(host, 60)!r} is not a valid DNS name "
                                  f"(labels of at most {_MAX_LABEL} characters, {_MAX_HOST} in all)")


def _quoted(value: str) -> str:
    """The URL for an error message: no password or query value (`redaction.scrub_url`), printable."""
    return repr(shorten(scrub_url(value), 80))


def _from_url(value: str) -> Region:
    try:
        parts = urlsplit(value)
        port = parts.port  # an out-of-range or non-numeric port raises here, not later
    except ValueError:
        raise InputError(_SOURCE, f"not a valid base URL: {_quoted(value)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(_SOURCE, f"not a valid base URL: {_quoted(value)}")
    if parts.query or parts.fragment:
        raise InputError(_SOURCE, f"a base URL takes no query or fragment: {_quoted(value)}")
    if "@" in parts.netloc:
        # Credentials come only from the environment; a password here would end up in messages.
        raise InputError(_SOURCE, f"a base URL takes no user name or password: {_quoted(value)}")
    _check_host(parts.hostname)
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    host = parts.hostname
    if host.startswith("api."):
        # The SDKs derive the login host by rewriting `//api.` to `//login.`.
        token_base = base.replace("//api.", "//login.", 1)
        name = _BY_DOMAIN.get(host[4:]) if parts.scheme == "https" and not port else None
        return Region(name=name, api_base=base, token_url=f"{token_base}/oauth/token")
    # A proxy, gateway or test server serving both the API and /oauth/token.
    return Region(name=None, api_base=base, token_url=f"{base}/oauth/token")


def valid_regions_text() -> str:
    return ", ".join(REGIONS)


def resolve_region(value: str | None) -> Region:
    """Resolve `eu-west-1`, `eu_west_1`, `EU-WEST-1`, `mypurecloud.ie`, `api.mypurecloud.ie` or a base URL."""
    text = (value or "").strip()
    if not text:
        raise InputError(_SOURCE, f"no region given; set GENESYSCLOUD_REGION or --region to one of "
                                  f"{valid_regions_text()}")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        return _from_url(text)
    if "@" in text:
        # `admin:pw@api.mypurecloud.ie`: user information without a scheme. Refused like a base URL
        # with one; not quoted at all, since without a scheme nothing says which part is the password.
        raise InputError(_SOURCE, "a region or base URL takes no user name or password (`user:password@` "
                                  "is not quoted here); credentials come only from the environment")
    key = text.lower()
    aws_style = key.replace("_", "-")
    if aws_style in REGIONS:
        return _from_domain(REGIONS[aws_style])
    domain = key.removeprefix("api.").removeprefix("login.").rstrip("/")
    if domain in _BY_DOMAIN:
        return _from_domain(domain)
    raise InputError(
        _SOURCE,
        f"unknown region {_quoted(text)}; use one of {valid_regions_text()} "
        "(or its domain, e.g. mypurecloud.ie, or a base URL such as https://api.mypurecloud.ie)",
    )
