"""The one scrubbing rule: every known credential value is removed from every text before it is
logged, stored or rendered.

Secrets are registered as they become known:

| Secret                                  | Registered by                                    |
|-----------------------------------------|--------------------------------------------------|
| client secret, and the Basic pair       | `Credentials.from_env` (collectors/auth.py)      |
| access token from the environment       | `Credentials.from_env`                           |
| each token a login returns              | `TokenProvider._login`                           |
| webhook URLs (whole, path, secret query values) | `gcaudit nightly` (cli/nightly.py)        |
| database password (history URL)         | `HistoryStore`, `gcaudit nightly`                |

(`preflight` drops a pasted bearer token unread, so there is nothing to register.)

Each value is registered with the forms a server may echo it in: as is, URL-encoded, base64
(standard and URL-safe, with and without padding) and, for the client credentials, the
`client_id:secret` pair plain and base64 (the HTTP Basic header). `scrub(text)` replaces every
registered form by `<redacted>`. It runs on every server-supplied text (API and login error
bodies) where the text enters gcaudit, on every log record (`ScrubbingFilter`) and on every
error line the CLI prints, so one missed call site still cannot leak a registered value.

URLs quoted in messages go through `scrub_url`, which also removes what is not registered: the
password of `user:password@`, and every query and fragment value (`?access_token=...`).
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Mapping
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit

REDACTED = "<redacted>"
#: Shorter values are not registered: replacing a 3-letter "secret" would mangle ordinary text.
MIN_LENGTH = 6
#: Header names whose values are credentials.
SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "set-cookie"})

_lock = threading.Lock()
_needles: set[str] = set()
#: Longest first, so a token is replaced before a shorter value that happens to be inside it.
_ordered: tuple[str, ...] = ()


def _forms(value: str) -> set[str]:
    raw = value.encode("utf-8", "surrogatepass")
    b64 = base64.b64encode(raw).decode("ascii")
    urlsafe = base64.urlsafe_b64encode(raw).decode("ascii")
    forms = {value, quote(value, safe=""), quote_plus(value), b64, b64.rstrip("="), urlsafe, urlsafe.rstrip("=")}
    return {form for form in forms if len(form) >= MIN_LENGTH}


def register(value: str | None) -> None:
    """Remember a credential value (and its encoded forms) for `scrub`."""
    global _ordered
    if not value or len(value) < MIN_LENGTH:
        return
    with _lock:
        new = _forms(value) - _needles
        if new:
            _needles.update(new)
            _ordered = tuple(sorted(_needles, key=len, reverse=True))


def register_basic(client_id: str | None, secret: str | None) -> None:
    """The client secret, and the `id:secret` pair that the HTTP Basic header carries in base64."""
    register(secret)
    if client_id and secret:
        register(f"{client_id}:{secret}")


#: Query keys whose values are credentials (a Teams workflow URL carries its secret in `sig`).
SECRET_QUERY_KEYS = frozenset({"access_token", "token", "sig", "signature", "key", "apikey", "api_key",
                               "secret", "password", "passwd", "pass", "code", "auth"})


def register_url(url: str | None, *, secret_path: bool = False) -> None:
    """A URL that carries a secret: its password, the values of its credential query keys
    (`SECRET_QUERY_KEYS`) and, with `secret_path` (webhooks), the URL itself and its path.

    A database URL's path is not a secret (it names a file or a database): registering it would
    hide the history location from every message."""
    if not url:
        return
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        register(url if secret_path else None)
        return
    register(password)
    if secret_path:
        register(url)
        if parts.path.strip("/"):
            register(parts.path)
            register(parts.path.strip("/"))
    for piece in re.split(r"[&;]", parts.query):
        key, _, value = piece.partition("=")
        if key.lower() in SECRET_QUERY_KEYS:
            register(unquote_plus(value))


#: Field names whose values are credentials, in a pasted request body (JSON or form-encoded) or a
#: header: matched on the name lowercased with `-`, `_` and `.` removed, so `client_secret`,
#: `clientSecret`, `X-Api-Key`, `refresh_token` and `myToken` all count. Any part of the name counts
#: (a value named after a token is treated as one; a false positive only hides a value).
SECRET_NAME_PARTS = ("password", "passwd", "passphrase", "secret", "token", "apikey", "credential",
                     "authorization", "cookie", "privatekey", "signature", "sessionid", "assertion")
#: Whole names that are credentials only on their own (as parts they are ordinary: `wrapUpCode`).
SECRET_NAMES = frozenset({"pwd", "pass", "auth", "key", "sig", "code", "session", "jwt", "otp", "pin"})
_NAME_NOISE = re.compile(r"[-_.\s]")


def is_secret_name(name: object) -> bool:
    """Whether a field or header called `name` holds a credential (`client_secret`, `X-Auth-Token`...)."""
    key = _NAME_NOISE.sub("", str(name).lower())
    return key in SECRET_NAMES or any(part in key for part in SECRET_NAME_PARTS)


def redact_secret_fields(value: object) -> tuple[object, bool]:
    """A copy of a JSON-like `value` in which every field with a credential name (`is_secret_name`), at
    any depth, holds `<redacted>` instead of its value; and whether any was redacted. Each redacted
    string is also registered, so a copy of it elsewhere (a URL, an error body) is scrubbed too.

    Iterative: a pasted body may nest thousands of levels deep."""
    found = False

    def copy_of(item: object) -> object:
        return dict(item) if isinstance(item, dict) else list(item) if isinstance(item, list) else item

    root = copy_of(value)
    stack = [root] if isinstance(root, dict | list) else []
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            child = node[key]
            if isinstance(node, dict) and is_secret_name(key):
                for text in _strings_in(child):
                    register(text)
                node[key] = REDACTED
                found = True
            elif isinstance(child, dict | list):
                node[key] = copy_of(child)
                stack.append(node[key])
    return root, found


def _strings_in(value: object) -> list[str]:
    """Every string (and number, as text) inside a JSON-like value, without recursion."""
    out, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            out.append(str(item))
    return out


def scrub(text: str) -> str:
    """`text` with every registered credential form replaced by `<redacted>`."""
    needles = _ordered
    if not needles or not text:
        return text
    for needle in needles:
        if needle in text:
            text = text.replace(needle, REDACTED)
    return text


def scrub_value(value: object) -> object:
    """`scrub` through the strings of a JSON-like value (e.g. a server's error body)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v) for k, v in value.items()}
    return value


#: `user:password@` after a scheme, after `//`, or at the start of a URL typed without a scheme
#: (`admin:pw@api.example.com`, which curl and the region option would read as a host).
_USERINFO = re.compile(r"^(?P<scheme>(?:[A-Za-z][A-Za-z0-9+.-]*:)?//|)(?P<user>[^/?#@:]*):(?P<password>[^/?#]*)@")
_PARAM_VALUE = re.compile(r"=[^&;#]*")


def scrub_url(url: str) -> str:
    """A URL (valid or not) fit for a message: no password, no query or fragment values, no
    registered secret."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", str(url))
    base, question, rest = text.partition("?")
    if not question:
        base, hashmark, fragment = text.partition("#")
        rest = ""
    else:
        rest, hashmark, fragment = rest.partition("#")
    rest = _PARAM_VALUE.sub("=" + REDACTED, rest)
    fragment = _PARAM_VALUE.sub("=" + REDACTED, fragment)
    return scrub(base + question + rest + hashmark + fragment)


def host_only(url: str) -> str:
    """Scheme and host: how a webhook URL (whose path is its secret) appears in logs and reports."""
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:
        scheme, host = "?", None
    return f"{scheme or '?'}://{host or '?'}/…"


def redacted_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Request headers for a debug log: credential headers replaced."""
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else scrub(v)) for k, v in headers.items()}


class ScrubbingFilter(logging.Filter):
    """Scrubs each log record's message and traceback (attach to handlers: a logger's own filters
    do not see records propagated from its children)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _ordered:
            return True
        message = record.getMessage()
        scrubbed = scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def attach_filter(filter_type: type[logging.Filter], logger: logging.Logger | None = None) -> None:
    """Attach one `filter_type` to every handler of `logger` (default: the root logger), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, filter_type) for f in handler.filters):
            handler.addFilter(filter_type())


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Attach a `ScrubbingFilter` to every handler of `logger` (default: the root logger)."""
    attach_filter(ScrubbingFilter, logger)


def _reset_for_tests() -> None:
    global _ordered
    with _lock:
        _needles.clear()
        _ordered = ()
