"""Client-credentials login and the shared bearer token.

The secret comes only from the environment (a command-line flag would show in `ps` and shell
history); it is sent once per login in a Basic header and never logged, stored or put in an error.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests

from auditor.safety.fileio import shorten
from auditor.safety.redaction import register, register_basic, scrub, scrub_url
from auditor.sources.collectors.bounded import bounded_request
from auditor.sources.collectors.errors import RETRY_STATUSES, AuthError, correlation_id, json_body, retry_after_seconds
from auditor.sources.collectors.regions import Region

log = logging.getLogger(__name__)

ENV_CLIENT_ID = "GENESYSCLOUD_OAUTHCLIENT_ID"
ENV_CLIENT_SECRET = "GENESYSCLOUD_OAUTHCLIENT_SECRET"
ENV_ACCESS_TOKEN = "GENESYSCLOUD_ACCESS_TOKEN"
LOGIN_ATTEMPTS = 3


@dataclass(frozen=True)
class Credentials:
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if env is None else env
        creds = cls(
            client_id=env.get(ENV_CLIENT_ID) or None,
            client_secret=env.get(ENV_CLIENT_SECRET) or None,
            access_token=env.get(ENV_ACCESS_TOKEN) or None,
        )
        register_basic(creds.client_id, creds.client_secret)
        register(creds.access_token)
        if creds.access_token is None and not (creds.client_id and creds.client_secret):
            raise AuthError(
                f"no credentials: set {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET} (a client-credentials OAuth "
                f"client), or {ENV_ACCESS_TOKEN}"
            )
        return creds

    @property
    def can_login(self) -> bool:
        return bool(self.client_id and self.client_secret)


class TokenProvider:
    """Holds the current token; `refresh(stale)` logs in again at most once per expired token,
    however many workers saw the 401 at the same moment."""

    def __init__(self, session: requests.Session, region: Region, credentials: Credentials,
                 timeout: float = 30.0, budget: float | None = None) -> None:
        self._session = session
        self._region = region
        self._credentials = credentials
        self._timeout = timeout
        #: Seconds one login may take, attempts and waits together (the collect --retry-budget).
        self._budget = budget
        self._lock = threading.Lock()
        self._token: str | None = credentials.access_token
        self.logins = 0

    @property
    def can_refresh(self) -> bool:
        return self._credentials.can_login

    def token(self) -> str:
        with self._lock:
            if self._token is None:
                self._token = self._login()
            return self._token

    def refresh(self, stale: str) -> str:
        """A new token unless another worker already replaced `stale`; AuthError when we cannot log in."""
        with self._lock:
            if self._token != stale and self._token is not None:
                return self._token
            if not self.can_refresh:
                raise AuthError(
                    f"the access token from {ENV_ACCESS_TOKEN} was refused by {self._region.label} "
                    "(expired or for another region); get a new one or use client credentials"
                )
            log.info("access token expired or was revoked; logging in again")
            self._token = self._login()
            return self._token

    def _login(self) -> str:
        creds = self._credentials
        assert creds.client_id and creds.client_secret
        url = self._region.token_url
        budget_ends = time.monotonic() + (self._budget if self._budget is not None else LOGIN_ATTEMPTS * self._timeout)
        for attempt in range(1, LOGIN_ATTEMPTS + 1):
            try:
                # The timeout bounds the whole answer (a token body dripped slowly too), the budget
                # the whole login; the body is capped; a redirect is an answer, never followed.
                response = bounded_request(
                    self._session, "POST", url,
                    data={"grant_type": "client_credentials"},
                    auth=(creds.client_id, creds.client_secret),
                    timeout=self._timeout,
                    deadline=min(time.monotonic() + self._timeout, budget_ends),
                    follow_redirects=False,
                )
            except requests.RequestException as exc:
                if attempt == LOGIN_ATTEMPTS or time.monotonic() >= budget_ends:
                    raise AuthError(
                        f"cannot reach the login endpoint of {self._region.label} ({scrub_url(url)}): "
                        f"{type(exc).__name__}"
                    ) from None
                time.sleep(max(0.0, min(attempt, budget_ends - time.monotonic())))
                continue
            if (response.status_code in RETRY_STATUSES and attempt < LOGIN_ATTEMPTS
                    and time.monotonic() < budget_ends):
                log.info("login: HTTP %s (correlation id %s); retrying", response.status_code,
                         correlation_id(response))
                time.sleep(max(0.0, min(retry_after_seconds(response) or attempt, 30, budget_ends - time.monotonic())))
                continue
            break
        log.debug("POST %s -> %s (token body redacted)", url, response.status_code)
        if response.status_code == 200:
            token = json_body(response).get("access_token")
            if isinstance(token, str) and token:
                register(token)
                self.logins += 1
                return token
            raise AuthError(f"login to {self._region.label} returned no access_token")
        body = json_body(response)  # server-supplied: may echo the Basic header we sent
        reason = body.get("error_description") or body.get("description") or body.get("message")
        reason = shorten(scrub(str(reason or response.reason)), 200)
        code = shorten(scrub(str(body.get("error") or body.get("code") or "")), 80)
        hint = ""
        if response.status_code in (400, 401):
            hint = (
                f"; check {ENV_CLIENT_ID}/{ENV_CLIENT_SECRET} — a wrong region is the usual cause "
                "(an OAuth client exists only in its own org's region)"
            )
        corr = correlation_id(response)
        where = f"{self._region.name} ({scrub_url(url)})" if self._region.name else scrub_url(url)
        raise AuthError(
            f"login to {where} failed: HTTP {response.status_code} {code} {reason}".rstrip()
            + hint
            + (f" (correlation id {corr})" if corr else "")
        )
