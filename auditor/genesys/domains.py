"""How a web deployment's `allowedDomains` entries match the host of a site (COB-005).

Genesys does not document the matching syntax of `allowedDomains` ("the list will be added to
CORS headers"), so this module fixes one explicit, conservative reading and the README states it:

- `www.example.com` matches exactly that host (case-insensitive, trailing dot ignored), on any
  port and scheme. It does not match `example.com` or `shop.www.example.com`.
- `*.example.com` matches any subdomain at any depth (`a.example.com`, `a.b.example.com`) but not
  the apex `example.com`.
- `.example.com` matches the apex and any subdomain (cookie-domain style).
- `*` alone matches every host (it is what allowAllDomains would do).
- An entry written as a URL or origin (`https://www.example.com:8443/help`) is matched on its host;
  a scheme in the entry must equal the site's scheme and a port in the entry must equal the site's
  effective port (443 for https). A path in the entry is ignored: CORS origins carry no path.
- Any other `*` (`www.*.com`, `*example.com`) is not a wildcard Genesys is known to support: it
  matches nothing. An unparseable entry matches nothing. Both make the rule fail, never pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}


def normalize_host(host: str) -> str:
    """Lowercase, strip a trailing dot, and IDNA-encode so `Bücher.de` equals `xn--bcher-kva.de`."""
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not IDNA-encodable (e.g. a label too long): compare as written
        return host


@dataclass(frozen=True)
class Site:
    scheme: str
    host: str
    port: int | None

    @classmethod
    def parse(cls, url: str) -> Site | None:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:  # bad port or bracketed host
            return None
        if not parts.scheme or not parts.hostname:
            return None
        scheme = parts.scheme.lower()
        return cls(scheme, normalize_host(parts.hostname), port or _DEFAULT_PORTS.get(scheme))


@dataclass(frozen=True)
class DomainEntry:
    raw: str
    pattern: str  # normalized host, or "*", or "*.suffix" / ".suffix"
    scheme: str | None = None
    port: int | None = None

    @classmethod
    def parse(cls, entry: str) -> DomainEntry | None:
        text = entry.strip()
        if not text:
            return None
        if text == "*":
            return cls(entry, "*")
        if "://" not in text:
            # Parse `host[:port][/path]` through urlsplit by lending it a neutral scheme.
            text = f"//{text}"
        wildcard = ""
        # urlsplit rejects nothing but cannot see a leading `*.` as part of a hostname reliably;
        # carry the wildcard prefix aside and parse the rest.
        scheme_end = text.find("//") + 2
        rest = text[scheme_end:]
        for prefix in ("*.", "."):
            if rest.startswith(prefix):
                wildcard, rest = prefix, rest[len(prefix):]
                break
        try:
            parts = urlsplit(text[:scheme_end] + rest)
            port = parts.port
        except ValueError:
            return None
        if not parts.hostname:
            return None
        host = normalize_host(parts.hostname)
        if "*" in host:
            return None
        return cls(entry, wildcard + host, parts.scheme.lower() or None, port)

    def matches(self, site: Site) -> bool:
        if self.scheme is not None and self.scheme != site.scheme:
            return False
        if self.port is not None and self.port != site.port:
            return False
        if self.pattern == "*":
            return True
        if self.pattern.startswith("*."):
            return site.host.endswith(self.pattern[1:])
        if self.pattern.startswith("."):
            return site.host == self.pattern[1:] or site.host.endswith(self.pattern)
        return site.host == self.pattern


def allowing_entry(site: Site, allowed_domains: tuple[str, ...] | list[str]) -> str | None:
    """The first `allowedDomains` entry that lets `site` load the deployment, or None."""
    for raw in allowed_domains:
        entry = DomainEntry.parse(raw) if isinstance(raw, str) else None
        if entry is not None and entry.matches(site):
            return raw
    return None
