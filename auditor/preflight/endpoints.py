"""The co-browse endpoints of the Platform API (fact sheet §5, §9, §10), and the invented ones.

A path is matched to one of: a real current endpoint, a legacy (deprecated / retired) one, a path
known to be invented on forums (with the real call to make instead), some other path mentioning
co-browse (which does not exist either), or a non-co-browse path that preflight does not model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
#: A `{conversationId}`-style template placeholder: the shape of a documented call, not an id.
PLACEHOLDER = re.compile(r"^(\{[A-Za-z_]+\}|:[A-Za-z_]+|<[A-Za-z_ -]+>)$")

#: The real call that starts co-browse (ConversationsApi.post_conversation_cobrowse).
START_METHOD = "POST"
START_PATH = "/api/v2/conversations/{conversationId}/cobrowse"
#: Permissions of POST .../cobrowse: the API requires ANY of them (fact sheet §4.4, §5.1).
START_PERMISSIONS = ("conversation:cobrowse:add", "conversation:cobrowseVoice:add")
SESSION_PATH = "/api/v2/webdeployments/deployments/{deploymentId}/cobrowse/{sessionId}"
TOKEN_INFO = "GET /api/v2/tokens/me"


class Kind(StrEnum):
    REAL = "real"
    LEGACY = "legacy"
    INVENTED = "invented"
    UNKNOWN_COBROWSE = "unknown_cobrowse"
    OTHER = "other"


@dataclass(frozen=True)
class Endpoint:
    kind: Kind
    name: str  # operation name (SDK-style) or a short label
    template: str  # the documented path template, or the path as given
    methods: tuple[str, ...] = ()
    params: dict[str, str] = field(default_factory=dict)
    #: For invented or legacy paths: the real call to make instead.
    instead: str = ""
    #: Why an invented path is wrong (one sentence).
    note: str = ""

    @property
    def takes_body(self) -> bool:
        return False  # none of the real co-browse operations takes a request body


_REAL = (
    (re.compile(r"^/api/v2/conversations/(?P<conversationId>[^/]+)/cobrowse$"), "post_conversation_cobrowse",
     START_PATH, ("POST",)),
    (re.compile(r"^/api/v2/webdeployments/deployments/(?P<deploymentId>[^/]+)/cobrowse/(?P<sessionId>[^/]+)$"),
     "webdeployments_cobrowse_session", SESSION_PATH, ("GET", "DELETE")),
)
_LEGACY_ROOT = re.compile(r"^/api/v2/conversations/cobrowsesessions(?P<rest>/.*)?$")
_START_INSTEAD = f"{START_METHOD} {START_PATH} (no body), from the agent's web messaging or voice conversation"
#: Paths invented by forum answers (fact sheet §9), as regexes on the path, with the real call.
_INVENTED = (
    (re.compile(r"^/api/v2/conversations/cobrowse$"), _START_INSTEAD,
     "there is no collection endpoint for co-browse: a session is always created on an existing conversation"),
    (re.compile(r"^/api/v2/cobrowse/sessions(/.*)?$"), _START_INSTEAD, "there is no /api/v2/cobrowse resource"),
    (re.compile(r"^/api/v2/conversations/cobrowse/sessions(/.*)?$"), _START_INSTEAD,
     "there is no /conversations/cobrowse resource"),
    (re.compile(r"^/api/v2/conversations/webchat/[^/]+/cobrowse$"), _START_INSTEAD,
     "webchat is the retired chat product; co-browse hangs off the conversation id itself"),
    (re.compile(r"^/api/v2/cobrowse/invites(/.*)?$"), _START_INSTEAD,
     "there is no invite resource: creating the session sends the offer to the customer"),
    (re.compile(r"^/api/v2/oauth/tokeninfo$"), TOKEN_INFO, "token details come from /api/v2/tokens/me"),
    (re.compile(r"^/api/v2/oauth2?/token$"), "POST https://login.<region domain>/oauth/token",
     "the token endpoint is /oauth/token on the login host, not under /api/v2"),
)


def match(path: str) -> Endpoint:
    clean = path.rstrip("/") or "/"
    for pattern, real, why in _INVENTED:
        if pattern.match(clean):
            return Endpoint(Kind.INVENTED, "invented", clean, instead=real, note=why)
    legacy = _LEGACY_ROOT.match(clean)
    if legacy:
        rest = legacy.group("rest") or ""
        # The list and the single-session GET exist (legacy product); every sub-resource is deprecated.
        methods = ("GET",) if rest.count("/") <= 1 else ("GET", "PATCH", "POST", "PUT")
        return Endpoint(Kind.LEGACY, "legacy_cobrowsesessions", clean, methods=methods, instead=_START_INSTEAD)
    for pattern, name, template, methods in _REAL:
        found = pattern.match(clean)
        if found:
            return Endpoint(Kind.REAL, name, template, methods=methods, params=found.groupdict())
    if "cobrowse" in clean.lower() or "co-browse" in clean.lower():
        return Endpoint(Kind.UNKNOWN_COBROWSE, "unknown", clean, instead=_START_INSTEAD,
                        note="no Platform API path other than the ones documented for co-browse mentions it")
    return Endpoint(Kind.OTHER, "other", clean)


def is_uuid(value: str) -> bool:
    return bool(UUID.match(value))


def is_placeholder(value: str) -> bool:
    return bool(PLACEHOLDER.match(value))
