"""Preflight checks: each problem of a planned request becomes a `Prediction`.

A prediction says what the call would most likely get (HTTP status + Genesys error code), why
(one sentence), which rule id it belongs to and how to fix it. Checks reuse catalog ids where a
catalog rule covers the same thing (OAUTH-001 ...); the `PRE-*` ids below are preflight-only and,
like rule ids, part of the public interface: never renumber them.

Checks only cover what the request itself carries (endpoint, host, body, the objects it names,
its token). The co-browse chain rules then run over the same objects (see `chain.py`); checks
hand them the objects they resolved through `Resolved`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.genesys import oauth_clients
from auditor.genesys.permissions import roles_granting
from auditor.preflight.endpoints import (
    START_METHOD,
    START_PATH,
    START_PERMISSIONS,
    Endpoint,
    Kind,
    is_placeholder,
    is_uuid,
)
from auditor.results import Severity, Status
from auditor.safety.fileio import shorten
from auditor.sources.collectors.regions import REGIONS

if TYPE_CHECKING:
    from auditor.analysis.frames import Frames
    from auditor.inputs.plan import Plan
    from auditor.preflight.request import PlannedRequest
    from auditor.snapshot import Snapshot


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title: str
    severity: Severity


#: The preflight-only checks. Ids are stable: add new ones at the end, never reuse a number.
PREFLIGHT_CHECKS: dict[str, CheckInfo] = {
    c.id: c
    for c in (
        CheckInfo("PRE-001", "The endpoint and method exist in the Platform API", Severity.CRITICAL),
        CheckInfo("PRE-002", "The call does not use the retired legacy co-browse API", Severity.HIGH),
        CheckInfo("PRE-003", "The request sends no body (the co-browse call takes none)", Severity.HIGH),
        CheckInfo("PRE-004", "The URL is the Platform API host of the org's region", Severity.HIGH),
        CheckInfo("PRE-005", "Every queue the request names exists", Severity.HIGH),
        CheckInfo("PRE-006", "Every wrap-up code the request names exists and is assigned to its queue", Severity.HIGH),
        CheckInfo("PRE-007", "Every user the request names exists", Severity.HIGH),
        CheckInfo("PRE-008", "The users the request relies on hold a co-browse permission", Severity.HIGH),
        CheckInfo("PRE-009", "The token's OAuth client exists and has the grant the token claims", Severity.HIGH),
        CheckInfo("PRE-010", "The web deployment the request names exists", Severity.HIGH),
        CheckInfo("PRE-011", "The conversation id is a conversation id", Severity.HIGH),
        CheckInfo("PRE-012", "The call is a co-browse call preflight can predict", Severity.INFO),
        CheckInfo("PRE-013", "The request says which token it uses", Severity.INFO),
    )
}


@dataclass(frozen=True)
class Prediction:
    rule_id: str
    title: str
    severity: Severity
    status: Status  # FAIL (a problem), ERROR (could not check: data missing) or PASS (checked, fine)
    http_status: int | None
    error_code: str | None
    cause: str
    fix: str
    resource_type: str
    resource_id: str
    resource_name: str
    #: "preflight" for the checks here, "rule" for a catalog rule run by the engine.
    source: str = "preflight"
    #: A rule result the engine's answer counts as a blocker of co-browse (`auditor.answer`).
    blocker: bool = False
    #: A rule result's fingerprint: what the JSON `answer` lists its blockers and resolved findings by.
    fingerprint: str = ""

    @property
    def would_get(self) -> str:
        if self.http_status is None:
            return "-"
        return f"{self.http_status} {self.error_code}" if self.error_code else str(self.http_status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": self.severity.value,
            "status": self.status.value,
            "http_status": self.http_status,
            "error_code": self.error_code,
            "cause": self.cause,
            "fix": self.fix,
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "resource_name": self.resource_name,
            "source": self.source,
            "blocker": self.blocker,
            **({"fingerprint": self.fingerprint} if self.fingerprint else {}),
        }


def _info(rule_id: str) -> tuple[str, Severity]:
    """Title and severity of a PRE check or of a catalog rule preflight reports under its id."""
    if rule_id in PREFLIGHT_CHECKS:
        info = PREFLIGHT_CHECKS[rule_id]
        return info.title, info.severity
    from auditor.rules import get

    try:
        catalog_rule = get(rule_id)
    except KeyError:  # a catalog rule preflight mirrors was renamed: keep reporting, loudly titled
        return rule_id, Severity.HIGH
    return catalog_rule.title, catalog_rule.severity


def predict(rule_id: str, http: tuple[int, str | None] | None, cause: str, fix: str, *, resource_type: str,
            resource_id: str, resource_name: str | None = None, severity: Severity | None = None,
            status: Status = Status.FAIL) -> Prediction:
    title, default = _info(rule_id)
    return Prediction(
        rule_id=rule_id,
        title=title,
        severity=severity or default,
        status=status,
        http_status=http[0] if http else None,
        error_code=http[1] if http else None,
        cause=cause,
        fix=fix,
        resource_type=resource_type,
        resource_id=resource_id,
        resource_name=resource_name if resource_name is not None else shorten(resource_id),
    )


def ok(rule_id: str, cause: str, *, resource_type: str, resource_id: str, resource_name: str | None = None
       ) -> Prediction:
    return predict(rule_id, None, cause, "", resource_type=resource_type, resource_id=resource_id,
                   resource_name=resource_name, status=Status.PASS)


NOT_FOUND = (404, "not.found")
BAD_REQUEST = (400, "bad.request")
INVALID_VALUE = (400, "invalid.value")
MISSING_ANY = (403, "missing.any.permissions")


# --- what the request references ---------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    value: str
    where: str  # the field it came from, e.g. `routingData.queueId`, `token.user`, `path`
    role: str = ""  # for users: "caller" (token user) or the participant role


@dataclass
class References:
    queues: list[Ref] = field(default_factory=list)
    codes: list[Ref] = field(default_factory=list)
    users: list[Ref] = field(default_factory=list)
    urls: list[Ref] = field(default_factory=list)
    deployments: list[Ref] = field(default_factory=list)


_QUEUE_KEYS = {"queueid", "queue_id"}
_CODE_KEYS = {"wrapupcode", "wrap_up_code", "wrapup_code", "wrapupcodeid"}
_USER_KEYS = {"userid", "user_id", "agentid", "agent_id"}
_URL_KEYS = {"cobrowsetarget", "targeturl", "target_url", "url", "siteurl", "pageurl"}
_DEPLOYMENT_KEYS = {"deploymentid", "deployment_id"}
_MAX_DEPTH = 32


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text or None


def _looks_like_url(text: str) -> bool:
    return "://" in text or text.lower().startswith("www.")


def _walk(value: Any, where: str, refs: References, depth: int = 0) -> None:
    """Collect the object references in a (forum-style) body, whatever its shape."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{where}[{index}]", refs, depth + 1)
        return
    if not isinstance(value, dict):
        return
    in_participants = where.startswith("participants[") or ".participants[" in where
    for key, item in value.items():
        name = str(key).lower()
        path = f"{where}.{key}" if where else str(key)
        text = _scalar(item)
        if text is not None:
            if name in _QUEUE_KEYS:
                refs.queues.append(Ref(text, path))
            elif name in _CODE_KEYS:
                refs.codes.append(Ref(text, path))
            elif name in _USER_KEYS or (in_participants and name == "id"):
                refs.users.append(Ref(text, path, role=_scalar(value.get("role")) or "participant"))
            elif name in _URL_KEYS and _looks_like_url(text):
                refs.urls.append(Ref(text, path))
            elif name in _DEPLOYMENT_KEYS:
                refs.deployments.append(Ref(text, path))
        elif isinstance(item, dict) and name in ("queue", "wrapup", "user", "deployment"):
            inner = _scalar(item.get("id") if name != "wrapup" else item.get("code"))
            if inner is not None:
                target = {"queue": refs.queues, "wrapup": refs.codes, "user": refs.users,
                          "deployment": refs.deployments}[name]
                target.append(Ref(inner, f"{path}.{'code' if name == 'wrapup' else 'id'}"))
            _walk(item, path, refs, depth + 1)
        else:
            _walk(item, path, refs, depth + 1)


def references(request: PlannedRequest | None, endpoint: Endpoint | None) -> References:
    refs = References()
    if request is None:
        return refs
    if request.has_body:
        _walk(request.body, "", refs)
    if endpoint is not None and "deploymentId" in endpoint.params:
        refs.deployments.insert(0, Ref(endpoint.params["deploymentId"], "path"))
    if request.token and request.token.user:
        refs.users.insert(0, Ref(request.token.user, "token.user", role="caller"))
    return refs


# --- the check context -------------------------------------------------------------------


@dataclass
class Resolved:
    """Objects the checks found in the snapshot: the chain rules run over exactly these."""

    queue_ids: list[str] = field(default_factory=list)
    deployment_ids: list[str] = field(default_factory=list)
    client_ids: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)


@dataclass
class CheckContext:
    request: PlannedRequest | None
    endpoint: Endpoint | None
    snapshot: Snapshot
    frames: Frames
    plan: Plan | None
    refs: References
    expected_domain: str | None  # the region domain the org lives in (plan, else snapshot)
    expected_region_source: str
    resolved: Resolved = field(default_factory=Resolved)


def _missing(ctx: CheckContext, rule_id: str, what: str, datasets: tuple[str, ...]) -> Prediction | None:
    """An ERROR prediction when a dataset the check needs was not collected (never a silent pass)."""
    absent = [d for d in datasets if not ctx.snapshot.available(d)]
    if not absent:
        return None
    reasons = "; ".join(f"{d}: {ctx.snapshot.status(d).reason()}" for d in absent)
    return predict(rule_id, None, f"Cannot check {what}: the snapshot lacks {reasons}.",
                   "Collect again with a client allowed to read these datasets (see `gcaudit permissions`).",
                   resource_type="snapshot", resource_id=f"{rule_id}:{what}", resource_name=what,
                   status=Status.ERROR)


# --- endpoint, host, body ----------------------------------------------------------------


def check_endpoint(ctx: CheckContext) -> Iterator[Prediction]:
    request, endpoint = ctx.request, ctx.endpoint
    if request is None or endpoint is None:
        return
    call = f"{request.method} {shorten(request.path, 120)}"
    if endpoint.kind is Kind.INVENTED:
        yield predict("PRE-001", NOT_FOUND, f"{call} does not exist in the Platform API: {endpoint.note}.",
                      f"Call {endpoint.instead}.", resource_type="endpoint", resource_id=request.path)
    elif endpoint.kind is Kind.UNKNOWN_COBROWSE:
        yield predict("PRE-001", NOT_FOUND, f"{call} is not a Platform API path: {endpoint.note}.",
                      f"Call {endpoint.instead}.", resource_type="endpoint", resource_id=request.path)
    elif endpoint.kind is Kind.LEGACY:
        has_id = endpoint.template.count("/") > 4
        yield predict(
            "PRE-002", NOT_FOUND if has_id else None,
            f"{call} belongs to legacy co-browse for chat and voice (`cobrowsesessions`): its sub-resources are "
            "deprecated since SDK 199.0.0 and the product reached end of support (January 27, 2025).",
            f"Migrate to co-browse for Messenger: {endpoint.instead}.",
            resource_type="endpoint", resource_id=request.path)
    elif endpoint.kind is Kind.OTHER:
        yield predict("PRE-012", None,
                      f"{call} is not a co-browse call; preflight predicts co-browse calls only, so this one is "
                      "only checked for its host and token.",
                      "Check this call against its own API documentation.",
                      resource_type="endpoint", resource_id=request.path)
    elif request.method not in endpoint.methods:
        yield predict("PRE-001", NOT_FOUND,
                      f"{call}: the Platform API defines only {' and '.join(endpoint.methods)} on {endpoint.template}.",
                      f"Use {' or '.join(endpoint.methods)} {endpoint.template}.",
                      resource_type="endpoint", resource_id=request.path)
    else:
        yield ok("PRE-001", f"{request.method} {endpoint.template} exists.", resource_type="endpoint",
                 resource_id=request.path)
        conversation = endpoint.params.get("conversationId")
        if conversation is not None and not is_placeholder(conversation) and not is_uuid(conversation):
            yield predict(
                "PRE-011", NOT_FOUND,
                f"{shorten(conversation)!r} is not a conversation id (conversation ids are UUIDs), so no "
                "conversation matches it.",
                "Use the id of the agent's active web messaging or voice conversation (e.g. from "
                "GET /api/v2/conversations or the conversation notification topic).",
                resource_type="conversation", resource_id=conversation)


#: What each forum-invented body field was meant to do, and where that really lives.
_FIELD_WHY = {
    "cobrowsetype": "there is no `cobrowseType` in any API model; the channel is the conversation's own (web "
                    "messaging or voice) and must be enabled in the Messenger configuration's `cobrowse.channels` "
                    "(Webmessaging, Voice)",
    "cobrowsetarget": "there is no `cobrowseTarget` in any API model; the customer co-browses the https page they "
                      "are on, which the web deployment must allow",
    "routingdata": "`routingData` exists only for callback creation; co-browse joins a conversation that was "
                   "already routed to a queue",
    "participants": "participants cannot be set: the session is offered to the customer of the conversation and "
                    "the agent is the token's user",
    "wrapupcode": "wrap-up is applied to the agent's participant when the conversation ends, never when co-browse "
                  "starts",
}


def _nested_keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list):
        keys: list[str] = []
        for item in value:
            keys.extend(k for k in _nested_keys(item) if k not in keys)
        return keys
    return []


def check_body(ctx: CheckContext) -> Iterator[Prediction]:
    request, endpoint = ctx.request, ctx.endpoint
    if request is None or endpoint is None or endpoint.kind not in (Kind.REAL, Kind.INVENTED, Kind.UNKNOWN_COBROWSE):
        return
    real = f"{START_METHOD} {START_PATH}"
    if not request.has_body:
        if endpoint.kind is Kind.REAL:
            yield ok("PRE-003", "The request sends no body, as the API expects.", resource_type="body",
                     resource_id="body")
        return
    fix_all = f"Send no body: {real} takes only the conversation id in its path."
    if not isinstance(request.body, dict):
        yield predict("PRE-003", BAD_REQUEST,
                      f"The request sends a {type(request.body).__name__} body, but the co-browse call takes none.",
                      fix_all, resource_type="body_field", resource_id="body")
        return
    for key, value in request.body.items():
        name = shorten(str(key), 60)
        nested = _nested_keys(value)
        carried = f" (carrying {', '.join(f'`{shorten(k, 40)}`' for k in nested[:8])})" if nested else ""
        why = _FIELD_WHY.get(str(key).lower(), "the co-browse call takes no body, so no field is part of it")
        extra = [f"`{k}`: {_FIELD_WHY[k.lower()]}" for k in nested if k.lower() in _FIELD_WHY]
        cause = f"Body field `{name}`{carried} is not part of the API: {why}."
        if extra:
            cause += " Also " + "; ".join(extra) + "."
        yield predict("PRE-003", BAD_REQUEST, cause, fix_all, resource_type="body_field", resource_id=f"body.{name}",
                      resource_name=name)


def _domain_of(host: str) -> tuple[str | None, str | None]:
    """(prefix, domain) for `api.<known domain>` / `login.<known domain>` hosts."""
    for prefix in ("api.", "login."):
        if host.startswith(prefix) and host[len(prefix):] in REGIONS.values():
            return prefix[:-1], host[len(prefix):]
    return None, None


def _region_name(domain: str) -> str:
    return next((name for name, d in REGIONS.items() if d == domain), domain)


def check_host(ctx: CheckContext) -> Iterator[Prediction]:
    request = ctx.request
    expected = ctx.expected_domain
    if request is None or request.host is None:
        return
    host = request.host
    right = f"https://api.{expected}" if expected else "https://api.<your region's domain>"
    if request.scheme != "https":
        yield predict("PRE-004", None,
                      f"The URL uses {shorten(request.scheme or '')}: the Platform API is served over https only.",
                      f"Use {right}{shorten(request.path, 80)}.", resource_type="host", resource_id=f"scheme:{host}",
                      resource_name=host)
    kind, domain = _domain_of(host)
    if kind is None:
        yield predict("PRE-004", None,
                      f"{shorten(host)!r} is not a Platform API host (hosts are api.<region domain>, e.g. "
                      "api.mypurecloud.com), so the call never reaches the API.",
                      f"Use {right}.", resource_type="host", resource_id=host)
        return
    if kind == "login" and request.path.rstrip("/") != "/oauth/token":
        yield predict("PRE-004", NOT_FOUND,
                      f"{host} is the login host: it serves only /oauth/token, not the Platform API.",
                      f"Use {right}.", resource_type="host", resource_id=host)
        return
    if expected and domain != expected:
        yield predict(
            "PRE-004", (401, "bad.credentials"),
            f"The URL is in region {_region_name(domain or '')} ({host}) but the org lives in "
            f"{_region_name(expected)} ({ctx.expected_region_source}): a token from one region is not valid in "
            "another, and logging in at the wrong region fails with invalid_client.",
            f"Use {right} (and https://login.{expected}/oauth/token for the token).",
            resource_type="host", resource_id=host)
    elif expected:
        yield ok("PRE-004", f"{host} is the API host of the org's region {_region_name(expected)}.",
                 resource_type="host", resource_id=host)


def check_plan_region(ctx: CheckContext, plan_domain: str | None, snapshot_domain: str | None) -> Iterator[Prediction]:
    """The plan's region against the snapshot org's: a rollout aimed at the wrong region."""
    if plan_domain and snapshot_domain and plan_domain != snapshot_domain:
        yield predict(
            "PRE-004", (401, "bad.credentials"),
            f"The plan targets region {_region_name(plan_domain)} but the snapshot's org was collected from "
            f"{_region_name(snapshot_domain)}: calls made with that org's credentials in the plan's region fail.",
            "Fix `cobrowse.region` in the plan, or audit a snapshot of the org the plan is for.",
            resource_type="region", resource_id=f"region:{plan_domain}", resource_name=_region_name(plan_domain))


# --- objects the request names -----------------------------------------------------------


def check_queues(ctx: CheckContext) -> Iterator[Prediction]:
    if not ctx.refs.queues:
        return
    error = _missing(ctx, "PRE-005", "queues", ("queues",))
    if error:
        yield error
        return
    frame = ctx.frames.queues
    by_id = dict(zip(frame["id"], frame["name"], strict=True))
    by_name = {str(n).casefold(): i for i, n in by_id.items()}
    for ref in ctx.refs.queues:
        label = shorten(ref.value)
        if ref.value in by_id:
            ctx.resolved.queue_ids.append(ref.value)
            yield ok("PRE-005", f"`{ref.where}` {label!r} is queue {by_id[ref.value]!r}.", resource_type="queue",
                     resource_id=ref.value, resource_name=by_id[ref.value])
        elif not is_uuid(ref.value):
            named = by_name.get(ref.value.casefold())
            hint = f" It is the name of queue {named}: ids, not names, go in id fields." if named else ""
            yield predict("PRE-005", INVALID_VALUE,
                          f"`{ref.where}` {label!r} is not a queue id (queue ids are UUIDs).{hint}",
                          f"Use the queue's id{' ' + named if named else ''} (GET /api/v2/routing/queues?name=...).",
                          resource_type="queue", resource_id=ref.value)
        else:
            yield predict("PRE-005", NOT_FOUND, f"`{ref.where}` {label} matches no queue in the org.",
                          "Use the id of an existing queue (GET /api/v2/routing/queues?name=...); a placeholder id "
                          "copied from a forum answer never exists.", resource_type="queue", resource_id=ref.value)


def check_codes(ctx: CheckContext) -> Iterator[Prediction]:
    if not ctx.refs.codes:
        return
    error = _missing(ctx, "PRE-006", "wrap-up codes", ("wrapupcodes", "queue_wrapupcodes"))
    if error:
        yield error
        return
    frame = ctx.frames.wrapupcodes
    by_id = dict(zip(frame["id"], frame["name"], strict=True))
    by_name = {str(n).casefold(): i for i, n in by_id.items()}
    assigned = ctx.frames.queue_wrapupcodes
    for ref in ctx.refs.codes:
        label = shorten(ref.value)
        if ref.value.upper().startswith("ININ-"):
            yield ok("PRE-006", f"`{ref.where}` {label} is a system wrap-up code (ININ-*), applied by the platform.",
                     resource_type="wrapup_code", resource_id=ref.value)
        elif ref.value in by_id:
            name = by_id[ref.value]
            for queue_id in ctx.resolved.queue_ids:
                codes = set(assigned.loc[assigned["queue_id"] == queue_id, "code_id"])
                if ref.value not in codes:
                    yield predict(
                        "PRE-006", BAD_REQUEST,
                        f"Wrap-up code {name!r} exists but is not assigned to queue {queue_id}, so agents on that "
                        "queue cannot apply it.",
                        f"Assign it: POST /api/v2/routing/queues/{queue_id}/wrapupcodes, or use a code assigned to "
                        "the queue.", resource_type="wrapup_code", resource_id=ref.value, resource_name=name,
                        severity=Severity.MEDIUM)
            yield ok("PRE-006", f"`{ref.where}` is wrap-up code {name!r}.", resource_type="wrapup_code",
                     resource_id=ref.value, resource_name=name)
        elif not is_uuid(ref.value):
            named = by_name.get(ref.value.casefold())
            if named:
                cause = (f"`{ref.where}` {label!r} is the name of wrap-up code {named}; the API takes the code's "
                         "id (`Wrapup.code` is an id).")
            else:
                cause = (f"`{ref.where}` {label!r} is not a wrap-up code of this org and not a system code: system "
                         "codes are ININ-* (e.g. ININ-WRAP-UP-TIMEOUT) and there is no co-browse system code.")
            yield predict("PRE-006", INVALID_VALUE, cause,
                          "Drop it: wrap-up is not part of starting co-browse. When wrapping up, use the id of a code "
                          "assigned to the queue (GET /api/v2/routing/queues/{queueId}/wrapupcodes).",
                          resource_type="wrapup_code", resource_id=ref.value)
        else:
            yield predict("PRE-006", NOT_FOUND, f"`{ref.where}` {label} matches no wrap-up code in the org.",
                          "Use the id of a code assigned to the queue (GET /api/v2/routing/queues/{queueId}/"
                          "wrapupcodes).", resource_type="wrapup_code", resource_id=ref.value)


def _user_roles(ctx: CheckContext) -> dict[str, set[str]]:
    frame = ctx.frames.role_users
    roles: dict[str, set[str]] = {}
    for role_id, user_id in zip(frame["role_id"], frame["user_id"], strict=True):
        roles.setdefault(user_id, set()).add(role_id)
    return roles


def check_users(ctx: CheckContext) -> Iterator[Prediction]:
    if not ctx.refs.users:
        return
    error = _missing(ctx, "PRE-007", "users", ("roles", "role_subjectgrants"))
    if error:
        yield error
        return
    user_roles = _user_roles(ctx)
    names: dict[str, str] = {}
    if ctx.snapshot.available("queue_members"):
        members = ctx.frames.queue_members
        names = dict(zip(members["user_id"], members["name"], strict=True))
    granting: set[str] = set()
    for permission in START_PERMISSIONS:
        granting |= roles_granting(ctx.frames.role_policies, permission)
    perms = " or ".join(f"`{p}`" for p in START_PERMISSIONS)
    for ref in ctx.refs.users:
        label = shorten(ref.value)
        who = "the token's user" if ref.role == "caller" else f"`{ref.where}`"
        # A targeted collection (preflight --live) holds only the grants of co-browse roles: a user
        # absent from them may exist and simply not hold co-browse (PRE-008 below says so).
        targeted = ctx.snapshot.status("role_subjectgrants").scope in ("ids", "subjects")
        if ref.value not in user_roles and ref.value not in names and not targeted:
            shape = "" if is_uuid(ref.value) else " (user ids are UUIDs)"
            yield predict("PRE-007", NOT_FOUND, f"{who} {label!r} is not a user of this org{shape}.",
                          "Use the id of an existing user (GET /api/v2/users?... or /api/v2/users/me with their "
                          "token).", resource_type="user", resource_id=ref.value)
            continue
        name = names.get(ref.value, ref.value)
        if user_roles.get(ref.value, set()) & granting:
            yield ok("PRE-008", f"{who} {name!r} holds a co-browse permission.", resource_type="user",
                     resource_id=ref.value, resource_name=name)
        else:
            acting = ("starts the co-browse call" if ref.role == "caller"
                      else "is meant to be the agent in the co-browse session")
            yield predict(
                "PRE-008", MISSING_ANY,
                f"{who} {name!r} {acting} but none of their roles grants {perms} (the call requires any of them).",
                "Admin > People & Permissions > Roles: grant Conversation > Cobrowse > Add (web messaging) or "
                "Conversation > CobrowseVoice > Add (voice) to a role the user holds. "
                "(`conversation:cobrowse:manage` does not exist.)",
                resource_type="user", resource_id=ref.value, resource_name=name)


def check_deployments(ctx: CheckContext) -> Iterator[Prediction]:
    if not ctx.refs.deployments:
        return
    error = _missing(ctx, "PRE-010", "web deployments", ("deployments",))
    if error:
        yield error
        return
    frame = ctx.frames.deployments
    by_id = dict(zip(frame["id"], frame["name"], strict=True))
    for ref in ctx.refs.deployments:
        if ref.value in by_id:
            ctx.resolved.deployment_ids.append(ref.value)
            yield ok("PRE-010", f"`{ref.where}` is deployment {by_id[ref.value]!r}.", resource_type="deployment",
                     resource_id=ref.value, resource_name=by_id[ref.value])
        elif is_placeholder(ref.value):
            continue
        else:
            shape = "" if is_uuid(ref.value) else " (deployment ids are UUIDs)"
            yield predict("PRE-010", NOT_FOUND,
                          f"`{ref.where}` {shorten(ref.value)!r} matches no web deployment in the org{shape}.",
                          "Use the id of the Messenger deployment the customer's site loads "
                          "(GET /api/v2/webdeployments/deployments).", resource_type="deployment",
                          resource_id=ref.value)


def collect_sites(ctx: CheckContext) -> None:
    """Target URLs go to the chain rules as sites: COB-005 checks https and the allowed domains."""
    for ref in ctx.refs.urls:
        url = ref.value if "://" in ref.value else f"https://{ref.value}"
        if url not in ctx.resolved.sites:
            ctx.resolved.sites.append(url)


def _resolve_client(ctx: CheckContext, ref: str) -> tuple[str, str, str] | None:
    """(id, name, grant) of the client `ref` names (id first, then case-insensitive name)."""
    frame = ctx.frames.oauth_clients
    for client_id, name, grant in zip(frame["id"], frame["name"], frame["grant"], strict=True):
        if ref == client_id:
            return client_id, name, grant
    for client_id, name, grant in zip(frame["id"], frame["name"], frame["grant"], strict=True):
        if ref.casefold() == str(name).casefold():
            return client_id, name, grant
    return None


def check_token(ctx: CheckContext) -> Iterator[Prediction]:
    request = ctx.request
    if request is None or ctx.endpoint is None or ctx.endpoint.kind is Kind.OTHER:
        return
    token = request.token
    if token is None or not (token.grant or token.client):
        seen = " The curl command's bearer token was not read (preflight never reads or stores tokens)." \
            if request.credentials_dropped else ""
        yield predict("PRE-013", None,
                      f"The request does not say which token it uses, so the grant, scope and permissions are not "
                      f"checked.{seen}",
                      'Describe the token in a request file: "token": {"grant": "code", "client": "<client name or '
                      'id>", "user": "<user id>"}.', resource_type="token", resource_id="token")
        return
    grant = token.grant
    if token.client:
        error = _missing(ctx, "PRE-009", "the OAuth client", ("oauth_clients",))
        if error:
            yield error
            return
        found = _resolve_client(ctx, token.client)
        if found is None:
            yield predict("PRE-009", (401, "invalid_client"),
                          f"OAuth client {shorten(token.client)!r} does not exist in the org, so no token can be "
                          "issued for it (login answers invalid_client).",
                          "Use an existing client (Admin > Integrations > OAuth), by name or id.",
                          resource_type="oauth_client", resource_id=token.client)
            return
        client_id, name, client_grant = found
        ctx.resolved.client_ids.append(client_id)
        meant = oauth_clients.canonical(client_grant)
        if grant and meant and grant != meant:
            yield predict("PRE-009", (400, "unauthorized_client"),
                          f"The token is described as a {grant} token but client {name!r} is a {meant} client: "
                          "it cannot issue that grant.",
                          f"Use the {meant} flow with this client, or a client whose grant is {grant}.",
                          resource_type="oauth_client", resource_id=client_id, resource_name=name)
        # OAUTH-001 / OAUTH-002 for a resolved client come from the catalog rules (chain.py).
        grant = meant or grant
    elif grant == oauth_clients.CLIENT_CREDENTIALS:
        yield predict(
            "OAUTH-001", MISSING_ANY,
            "A client-credentials token carries no user, so it cannot act as the agent who starts co-browse in "
            "their conversation (reported by users; the API docs do not state it for this call).",
            "Start co-browse with the agent's own user token (authorization-code grant, CODE client with the "
            "`conversations` scope), as the agent UI does.",
            resource_type="token", resource_id="token.grant", resource_name=grant)
    elif grant:
        yield predict("PRE-013", None,
                      f"The token is a {grant} (user) token but its client is not named, so its `conversations` "
                      "scope (OAUTH-002) is not checked.",
                      'Add "client": "<client name or id>" to the token.', resource_type="token",
                      resource_id="token.client")
    if grant and grant != oauth_clients.CLIENT_CREDENTIALS and not token.user:
        yield predict("PRE-013", None,
                      f"The token is a {grant} (user) token but its user is not named, so the user's co-browse "
                      "permission (PRE-008) is not checked.", 'Add "user": "<user id>" to the token.',
                      resource_type="token", resource_id="token.user")


CHECKS = (check_endpoint, check_host, check_body, check_queues, check_codes, check_users, check_deployments,
          check_token)
