"""What a planned API call is: parsed from a request file, a bare JSON body or a pasted curl command.

The bearer token of a pasted curl (or an `Authorization` header in a request file) is dropped
here, at parse time: a `PlannedRequest` has no field that could hold it, so no reporter, log or
error message can leak it. Error messages quote the URL path only, never the raw command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from auditor.errors import InputError
from auditor.inputs.validation import text_field
from auditor.safety.fileio import parse_json, read_bytes, shorten
from auditor.safety.redaction import is_secret_name, redact_secret_fields, scrub_url

#: A bare JSON body (no method/path) is read as the body of the forum thread's call.
BARE_BODY_METHOD = "POST"
BARE_BODY_PATH = "/api/v2/conversations/cobrowse"

#: The OAuth grant a token came from, in the API's `authorizedGrantType` spelling.
GRANTS = ("CODE", "TOKEN", "SAML2-BEARER", "PASSWORD", "CLIENT-CREDENTIALS")
_GRANT_ALIASES = {
    "code": "CODE",
    "authorization_code": "CODE",
    "authorization-code": "CODE",
    "pkce": "CODE",  # "PKCE-Enabled Code Authorization" is a CODE client
    "token": "TOKEN",
    "implicit": "TOKEN",
    "saml2-bearer": "SAML2-BEARER",
    "saml2_bearer": "SAML2-BEARER",
    "saml2": "SAML2-BEARER",
    "urn:ietf:params:oauth:grant-type:saml2-bearer": "SAML2-BEARER",
    "password": "PASSWORD",
    "client_credentials": "CLIENT-CREDENTIALS",
    "client-credentials": "CLIENT-CREDENTIALS",
}
_REQUEST_KEYS = ("method", "path", "url", "body", "token", "headers", "description")
_TOKEN_KEYS = ("grant", "client", "user")
_METHOD = re.compile(r"^[A-Za-z]{3,10}$")


@dataclass(frozen=True)
class TokenInfo:
    """Which token the call would carry: never the token itself."""

    grant: str | None = None  # one of GRANTS
    client: str | None = None  # OAuth client name or id
    user: str | None = None  # user id


@dataclass(frozen=True)
class PlannedRequest:
    method: str
    path: str
    source: str
    scheme: str | None = None
    host: str | None = None
    body: Any = None
    has_body: bool = False
    token: TokenInfo | None = None
    #: True when the input carried a bearer token or credentials that were dropped unread.
    credentials_dropped: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.path}" if self.host else self.path

    def describe(self) -> str:
        """One line for reports: method, URL, body keys and token kind (never a credential)."""
        parts = [f"{self.method} {shorten(self.url, 160)}"]
        if self.has_body:
            keys = list(self.body) if isinstance(self.body, dict) else []
            parts.append(f"body: {', '.join(shorten(k, 40) for k in keys) or type(self.body).__name__}")
        else:
            parts.append("no body")
        if self.token and (self.token.grant or self.token.client or self.token.user):
            bits = [f"{k} {shorten(v, 60)}" for k, v in vars(self.token).items() if v]
            parts.append("token: " + ", ".join(bits))
        elif self.credentials_dropped:
            parts.append("token: bearer token given (not read, not stored)")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "host": self.host,
            "path": self.path,
            "has_body": self.has_body,
            "body": self.body,
            "token": dict(vars(self.token)) if self.token else None,
            "credentials_dropped": self.credentials_dropped,
            "source": self.source,
        }


def normalise_grant(value: str, source: object, where: str) -> str:
    key = value.strip()
    if key.upper() in GRANTS:
        return key.upper()
    grant = _GRANT_ALIASES.get(key.lower())
    if grant is None:
        raise InputError(
            source,
            f"unknown grant {shorten(key)!r}; use client_credentials, code, token, password or saml2-bearer",
            field=where,
        )
    return grant


def _method(source: object, value: Any, where: str = "method") -> str:
    text = text_field(source, value, where)
    if not _METHOD.match(text):
        raise InputError(source, f"{shorten(text)!r} is not an HTTP method", field=where)
    return text.upper()


def _split_target(source: object, target: str, where: str, bare_host: bool = False,
                  ) -> tuple[str | None, str | None, str]:
    """(scheme, host, path) of a full URL or an absolute path; the query string is dropped.

    `bare_host`: accept `api.example.com/path` without a scheme, as curl does."""
    if target.startswith("/"):
        return None, None, urlsplit(target).path or "/"
    if "://" not in target and not bare_host:
        raise InputError(source, "expected an absolute path (/api/v2/...) or a URL with https://", field=where)
    try:
        parts = urlsplit(target if "://" in target else f"https://{target}")
        host = parts.hostname
    except ValueError:
        host = None
    if not host or any(ch.isspace() for ch in target):
        # Quote only a bounded prefix: a hostile or credential-bearing URL is not echoed whole.
        # scrub_url: no password or query value (`?access_token=`) even in that prefix.
        raise InputError(source, f"{shorten(scrub_url(target), 60)!r} is not a URL or an absolute path",
                         field=where)
    return parts.scheme.lower(), host.lower(), parts.path or "/"


def _token(source: object, value: Any) -> TokenInfo | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(source, f"expected an object with {', '.join(_TOKEN_KEYS)}, got {type(value).__name__}",
                         field="token")
    unknown = sorted(str(k) for k in value if k not in _TOKEN_KEYS)
    if unknown:
        # A real token pasted as `access_token` must not be echoed: name the key only.
        raise InputError(source, f"unknown key (expected {', '.join(_TOKEN_KEYS)}; a token itself is never needed)",
                         field=f"token.{shorten(unknown[0], 40)}")
    grant = value.get("grant")
    client = value.get("client")
    user = value.get("user")
    return TokenInfo(
        grant=(
            None if grant is None else normalise_grant(text_field(source, grant, "token.grant"), source, "token.grant")
        ),
        client=text_field(source, client, "token.client") if client is not None else None,
        user=text_field(source, user, "token.user") if user is not None else None,
    )


def _headers_drop_credentials(source: object, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, dict):
        raise InputError(source, f"expected an object, got {type(value).__name__}", field="headers")
    return any(is_secret_name(str(k).strip()) for k in value)


#: Why a body shows `<redacted>` (a note in every format).
REDACTED_NOTE = ("Body fields named like a credential (password, client_secret, ...token, ...secret, at any depth) "
                 "were replaced by <redacted> as the request was read: gcaudit keeps no credential.")


def _clean_body(body: Any) -> tuple[Any, tuple[str, ...]]:
    """The body without the values of credential-named fields, and the note saying so."""
    cleaned, found = redact_secret_fields(body)
    return cleaned, ((REDACTED_NOTE,) if found else ())


def from_document(data: Any, source: str) -> PlannedRequest:
    """A request file's parsed JSON: a request object, or a bare body of the thread's call."""
    if not isinstance(data, dict):
        raise InputError(source, f"expected a JSON object (a request or a request body), got {type(data).__name__}")
    if not any(k in data for k in ("method", "path", "url")):
        body, redacted = _clean_body(data)
        return PlannedRequest(
            method=BARE_BODY_METHOD,
            path=BARE_BODY_PATH,
            source=source,
            body=body,
            has_body=True,
            notes=(f"No method or path given: read as the body of {BARE_BODY_METHOD} {BARE_BODY_PATH}, "
                   "the call of the forum thread this payload usually comes from.", *redacted),
        )
    unknown = sorted(str(k) for k in data if k not in _REQUEST_KEYS)
    if unknown:
        raise InputError(source, f"unknown key (expected {', '.join(_REQUEST_KEYS)})", field=shorten(unknown[0], 40))
    if "path" in data and "url" in data:
        raise InputError(source, "give either path or url, not both", field="url")
    target_key = "url" if "url" in data else "path"
    if target_key not in data:
        raise InputError(source, "missing (the request needs a path or url)", field="path")
    target = text_field(source, data[target_key], target_key)
    scheme, host, path = _split_target(source, target, target_key)
    method = _method(source, data.get("method", "GET"))
    body, redacted = _clean_body(data.get("body"))
    return PlannedRequest(
        method=method,
        path=path,
        source=source,
        scheme=scheme,
        host=host,
        body=body,
        has_body=body is not None and body != {},
        token=_token(source, data.get("token")),
        credentials_dropped=_headers_drop_credentials(source, data.get("headers")),
        notes=redacted,
    )


_SMART_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})
SMART_QUOTES_NOTE = ("Typographic quotes (“ ”) were read as plain quotes: a payload copied from a forum page with "
                     "them is not JSON, and the API would answer 400 bad.request before looking at any field.")


def parse_document(text: str | bytes, source: str) -> PlannedRequest:
    """Parse JSON text into a request; forum pastes with typographic quotes are read with a note."""
    try:
        return from_document(parse_json(text, source), source)
    except InputError:
        try:
            decoded = text.decode("utf-8", errors="strict") if isinstance(text, bytes) else text
        except UnicodeDecodeError:
            raise InputError(source, "not valid JSON: the file is not UTF-8 text") from None
        fixed = decoded.translate(_SMART_QUOTES)
        if fixed == decoded:
            raise
    request = from_document(parse_json(fixed, source), source)
    return replace(request, notes=(*request.notes, SMART_QUOTES_NOTE))


def parse_request_file(path: Path) -> PlannedRequest:
    """A request file (JSON): `{"method", "path"|"url", "body", "token"}` or a bare body."""
    return parse_document(read_bytes(path, max_bytes=16 * 1024**2), str(path))


# --- curl ---------------------------------------------------------------------------------

_CURL_SOURCE = "--curl"
_DATA_FLAGS = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "--json"}
_CREDENTIAL_FLAGS = {"-u", "--user", "--oauth2-bearer", "-b", "--cookie"}
#: curl options that take a value we do not need (skipped with their value).
_VALUE_FLAGS = {
    "-A", "--user-agent", "-e", "--referer", "-o", "--output", "-m", "--max-time", "--connect-timeout",
    "-x", "--proxy", "-c", "--cookie-jar", "-w", "--write-out", "--retry", "-E", "--cert", "--cacert",
    "--resolve", "-T", "--upload-file", "-F", "--form", "--limit-rate", "--max-redirs", "--proxy-user",
}


#: Longest curl command accepted (characters): Linux's default ARG_MAX, so anything longer could
#: not have been a real command line anyway.
MAX_CURL_CHARS = 2 * 1024**2

# POSIX shell words, as `shlex.split(posix=True)` reads them, in one linear pass (shlex builds
# each token a character at a time, quadratic in its length). Possessive quantifiers: an
# unclosed quote fails in one scan instead of backtracking.
_WORD = re.compile(r"""(?:[^ \t\r\n'"\\]++|'[^']*+'|"(?:[^"\\]++|\\.)*+"|\\.)++""", re.S)
_PIECE = re.compile(r"""([^ \t\r\n'"\\]++)|'([^']*+)'|"((?:[^"\\]++|\\.)*+)"|\\(.)""", re.S)
_SPACE = re.compile(r"[ \t\r\n]*+")
_ESCAPED_IN_DOUBLE_QUOTES = re.compile(r'\\(["\\])')


def _unbalanced(text: str, position: int) -> ValueError:
    """shlex's message for text that stops being a word at `position` (an unclosed quote, a final `\\`)."""
    if text[position] == "\\":
        return ValueError("No escaped character")
    rest = text[position + 1:]
    # Inside an unclosed double quote, shlex fails on a final unpaired backslash first.
    if text[position] == '"' and (len(rest) - len(rest.rstrip("\\"))) % 2:
        return ValueError("No escaped character")
    return ValueError("No closing quotation")


def shell_words(text: str) -> list[str]:
    """Split like `shlex.split(text, posix=True)`; ValueError with shlex's message when unbalanced."""
    words = []
    position = _SPACE.match(text).end()
    while position < len(text):
        match = _WORD.match(text, position)
        if match is None:
            raise _unbalanced(text, position)
        pieces = []
        for plain, single, double, escaped in _PIECE.findall(match.group()):
            if double:
                pieces.append(_ESCAPED_IN_DOUBLE_QUOTES.sub(r"\1", double))
            else:
                pieces.append(plain or single or escaped)
        words.append("".join(pieces))
        position = _SPACE.match(text, match.end()).end()
        if position == match.end() and position < len(text):
            # The word stopped at a quote or backslash it could not take: unbalanced.
            raise _unbalanced(text, position)
    return words


def _curl_words(command: str) -> list[str]:
    if len(command) > MAX_CURL_CHARS:
        raise InputError(_CURL_SOURCE, f"the curl command is longer than {MAX_CURL_CHARS} characters")
    # Shell line continuations (backslash-newline, as pasted from docs) join lines.
    text = re.sub(r"\\\r?\n", " ", command)
    try:
        words = shell_words(text)
    except ValueError as exc:
        # The message ("No closing quotation") never contains the command text.
        raise InputError(_CURL_SOURCE, f"not a valid shell command: {exc}") from None
    if not words or words[0] not in ("curl", "curl.exe"):
        raise InputError(_CURL_SOURCE, "expected a command starting with `curl`")
    return words[1:]


def _split_option(word: str) -> tuple[str, str | None]:
    """`--data=x` -> (`--data`, `x`); `-XPOST` -> (`-X`, `POST`); others unchanged."""
    if word.startswith("--") and "=" in word:
        name, _, value = word.partition("=")
        return name, value
    if len(word) > 2 and word[0] == "-" and word[1] != "-" and word[1] in "XHd":
        return word[:2], word[2:]
    return word, None


def parse_curl(command: str) -> PlannedRequest:
    """Method, URL and body of a pasted curl command; its bearer token is dropped unread."""
    words = _curl_words(command)
    method: str | None = None
    url: str | None = None
    data: list[str] = []
    dropped = False
    index = 0

    def value_of(name: str, inline: str | None) -> str:
        nonlocal index
        if inline is not None:
            return inline
        index += 1
        if index >= len(words):
            raise InputError(_CURL_SOURCE, f"option {name} needs a value")
        return words[index]

    while index < len(words):
        name, inline = _split_option(words[index])
        if name in ("-X", "--request"):
            method = _method(_CURL_SOURCE, value_of(name, inline), where=name)
        elif name in ("-H", "--header"):
            header = value_of(name, inline)
            if is_secret_name(header.partition(":")[0].strip()):
                dropped = True  # the bearer token is never kept, not even in memory past this line
        elif name in _DATA_FLAGS:
            data.append(value_of(name, inline))
            if name == "--json":
                method = method or "POST"
        elif name == "--url":
            url = value_of(name, inline)
        elif name in _CREDENTIAL_FLAGS:
            value_of(name, inline)
            dropped = True
        elif name in _VALUE_FLAGS:
            value_of(name, inline)
        elif name.startswith("-") and name != "-":
            pass  # a flag without a value (-s, -i, -v, -k, --compressed, --location...)
        elif url is None:
            url = name
        else:
            raise InputError(_CURL_SOURCE, "more than one URL; preflight checks one call at a time")
        index += 1
    if url is None:
        raise InputError(_CURL_SOURCE, "no URL in the curl command")
    scheme, host, path = _split_target(_CURL_SOURCE, url, "URL", bare_host=True)
    body: Any = None
    if data:
        raw = "&".join(data)
        if raw.startswith("@"):
            raw = read_bytes(Path(raw[1:]), max_bytes=16 * 1024**2).decode("utf-8", errors="replace")
        body = _curl_body(raw)
    body, redacted = _clean_body(body)
    return PlannedRequest(
        method=method or ("POST" if data else "GET"),
        path=path,
        source="curl command",
        scheme=scheme or "https",
        host=host,
        body=body,
        has_body=body is not None and body != {},
        credentials_dropped=dropped,
        notes=redacted,
    )


#: `a=1&b=two`: what curl sends as application/x-www-form-urlencoded (`-d`, `--data-urlencode`).
_FORM = re.compile(r"[^=&{}\[\]\s\"]++=[^&]*+(?:&[^=&{}\[\]\s\"]++=[^&]*+)*+")


def _curl_body(raw: str) -> Any:
    """A pasted body: JSON, or form-encoded fields read as an object (so that a credential among them is
    redacted like a JSON one, not quoted in an error)."""
    try:
        return parse_json(raw, f"{_CURL_SOURCE} body (-d)")
    except InputError:
        if not _FORM.fullmatch(raw.strip()):
            raise
    return dict(parse_qsl(raw.strip(), keep_blank_values=True))
