"""Errors of the Platform API and the facts worth logging about a failed response."""

from __future__ import annotations

import json
from typing import Any

import requests

from auditor.errors import GcauditError
from auditor.safety.redaction import scrub

#: Transient statuses: retried with backoff. The gc CLI retries every 5xx except 501 (fact sheet
#: §7.2); a GET is idempotent, and a 500 burst during a Genesys incident is as passing as a 503.
#: 501 (`not.implemented`, e.g. a feature toggle that is off) will not change on retry.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CORRELATION_HEADER = "ININ-Correlation-Id"
#: The 403 code for an object in a division the caller holds no grant in (issue 11: a queue or
#: flow in a division the client cannot see). Unlike `missing.permissions`, it means "partial".
MISSING_DIVISION_PERMISSION = "missing.division.permission"


class AuthError(GcauditError):
    """Login failed or the token was refused: a credentials or region problem (exit 2)."""

    exit_code = 2


class CollectError(GcauditError):
    """Collection could not even start (e.g. the organization cannot be read): exit 3."""

    exit_code = 3


class ApiError(Exception):
    """A call that failed for good (after any retries). Never carries a token or secret."""

    def __init__(self, method: str, path: str, status: int | None, code: str | None, message: str,
                 correlation_id: str | None = None, message_with_params: str | None = None,
                 message_params: dict[str, str] | None = None) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message
        self.correlation_id = correlation_id
        #: ErrorBody.messageWithParams / messageParams (SDK models/error_body.py): the message
        #: template and its values, e.g. the permission or division a 403 is about.
        self.message_with_params = message_with_params
        self.message_params = message_params or {}
        where = f"{method} {path}"
        what = " ".join(str(p) for p in (f"HTTP {status}" if status else None, code) if p) or "failed"
        corr = f" (correlation id {correlation_id})" if correlation_id else ""
        super().__init__(f"{where}: {what}: {message}{corr}")


def correlation_id(response: requests.Response | None) -> str | None:
    """`ININ-Correlation-Id`, read case-insensitively (requests' headers are a case-insensitive dict)."""
    if response is None:
        return None
    value = response.headers.get(CORRELATION_HEADER)
    return scrub(_short(value, 100)) if value is not None else None  # server-supplied, logged and stored


def json_body(response: requests.Response) -> dict[str, Any]:
    """The ErrorBody (or OAuth error) JSON of a failed response; {} when it is not JSON (e.g. an HTML page)."""
    try:
        body = json.loads(response.content or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _short(text: object, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def api_error(method: str, path: str, response: requests.Response) -> ApiError:
    # The body is server-supplied: scrubbed of every known credential before anything keeps it
    # (a proxy or a debug endpoint may echo the Authorization header back).
    body = json_body(response)
    code = scrub(_short(body["code"], 100)) if isinstance(body.get("code"), str) else None
    message = body.get("message") or response.reason or "no message"
    template = body.get("messageWithParams")
    params = body.get("messageParams")
    params = {str(k): scrub(_short(v, 120)) for k, v in params.items()} if isinstance(params, dict) else {}
    return ApiError(method, scrub(path), response.status_code, code, scrub(_short(message)), correlation_id(response),
                    message_with_params=scrub(_short(template)) if isinstance(template, str) and template else None,
                    message_params=params)


def retry_after_seconds(response: requests.Response | None) -> float | None:
    """`Retry-After` in seconds (the API sends seconds; an HTTP date is not expected and is ignored)."""
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds)
