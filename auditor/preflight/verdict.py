"""Run every preflight check and the chain rules, then decide GO / NO-GO and the request that works."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor import __version__
from auditor.analysis.frames import Frames
from auditor.errors import InputError
from auditor.genesys import oauth_clients
from auditor.genesys.permissions import roles_granting
from auditor.preflight import endpoints
from auditor.preflight.chain import run_chain, run_plan
from auditor.preflight.checks import CHECKS, CheckContext, Prediction, check_plan_region, collect_sites, references
from auditor.results import BLOCKERS, Severity, Status
from auditor.safety.fileio import shorten
from auditor.safety.redaction import scrub_url
from auditor.sources.collectors.regions import resolve_region

if TYPE_CHECKING:
    from auditor.answer import Answer
    from auditor.inputs.plan import Plan
    from auditor.preflight.request import PlannedRequest
    from auditor.results import AuditReport
    from auditor.snapshot import Snapshot

GO, NO_GO, INCOMPLETE = "GO", "NO-GO", "INCOMPLETE"
#: With `--fail-on blockers`, a problem of preflight's own checks (the endpoint, the body, the
#: token...) at or above this severity makes the call NO-GO, as a blocker does (`audit`'s BLOCKING).
BLOCKING = Severity.HIGH


@dataclass
class Suggestion:
    """The request that would work: method, path, no body, and which token."""

    method: str
    url: str
    token: str
    permissions: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def curl(self) -> str:
        return f'curl -X {self.method} "{self.url}" -H "Authorization: Bearer $TOKEN"'

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "body": None, "token": self.token,
                "permissions_any_of": list(self.permissions), "curl": self.curl, "notes": list(self.notes)}


@dataclass
class PreflightReport:
    mode: str  # "request" | "plan"
    org_id: str
    org_name: str
    region: str | None
    collected_at: str
    snapshot_path: str | None
    plan_path: str | None
    #: A severity, or "blockers" (the default): NO-GO exactly when co-browse is NOT READY (the
    #: engine's answer) or one of preflight's own checks fails at high or above.
    fail_on: Severity | str
    request: PlannedRequest | None
    predictions: list[Prediction]
    suggestion: Suggestion | None
    notes: list[str] = field(default_factory=list)
    #: The engine's report: with --plan, the audit of the plan itself (`gcaudit audit --plan`); for a
    #: request, the chain rules' results on the objects it names. Its `answer` is what preflight shows.
    audit: AuditReport | None = None

    @property
    def answer(self) -> Answer | None:
        return self.audit.answer if self.audit is not None else None

    @property
    def by_blockers(self) -> bool:
        return self.fail_on == BLOCKERS

    @property
    def threshold(self) -> Severity:
        """The severity a problem of preflight's own checks must reach to make the verdict NO-GO."""
        return BLOCKING if self.by_blockers else Severity(self.fail_on)

    @property
    def threshold_text(self) -> str:
        return BLOCKERS if self.by_blockers else Severity(self.fail_on).value

    @property
    def problems(self) -> list[Prediction]:
        return [p for p in self.predictions if p.status is Status.FAIL]

    @property
    def own_problems(self) -> list[Prediction]:
        """Problems of preflight's own checks (the request's lead), not of the catalog rules."""
        return [p for p in self.problems if p.source == "preflight"]

    @property
    def blocking(self) -> list[Prediction]:
        """What makes the verdict NO-GO: for a rollout with `blockers`, the answer's blockers and
        preflight's own problems at high or above; for a request with `blockers`, every problem at
        high or above; with a severity, every problem at or above it (as `audit`)."""
        if self.by_blockers and self.request is None:
            # A rollout: the answer's blockers (as `audit --plan`), and preflight's own problems.
            return [p for p in self.problems if p.blocker
                    or (p.source == "preflight" and p.severity.at_least(self.threshold))]
        # A request: every rule result kept concerns an object the call relies on (its token's client
        # too, whose OAUTH-008 is no chain link but still fails the call), so high and above blocks.
        return [p for p in self.problems if p.severity.at_least(self.threshold)]

    @property
    def errors(self) -> list[Prediction]:
        return [p for p in self.predictions if p.status is Status.ERROR]

    @property
    def verdict(self) -> str:
        if self.blocking:
            return NO_GO
        answer = self.answer
        if self.by_blockers and answer is not None:
            # The answer says what its own errors mean (an ERROR of an unrelated hygiene rule does
            # not make co-browse unconfirmed); preflight's own checks that lacked data do.
            own_errors = [p for p in self.errors if p.source == "preflight"]
            return INCOMPLETE if own_errors or answer.verdict.value == "incomplete" else GO
        return INCOMPLETE if self.errors else GO

    @property
    def exit_status(self) -> int:
        """0 GO, 1 NO-GO, 3 nothing blocking found but data the checks need is missing."""
        return {GO: 0, NO_GO: 1, INCOMPLETE: 3}[self.verdict]

    def headline(self) -> str:
        """The first line people read: the missing endpoint when it is missing, else the verdict."""
        from auditor.preflight.lead import build

        return build(self).headline

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "tool": {"name": "gcaudit", "version": __version__},
            "kind": "preflight",
            "mode": self.mode,
            "verdict": self.verdict,
            "headline": self.headline(),
            "exit_status": self.exit_status,
            "fail_on": self.threshold_text,
            "org": {"id": self.org_id, "name": self.org_name, "region": self.region},
            "snapshot": {"path": self.snapshot_path, "collected_at": self.collected_at, "plan": self.plan_path},
            "request": self.request.to_dict() if self.request else None,
            "summary": {
                # The answer's verdict and counts (`summary.verdict`, `blockers`, `actions`...), as
                # in the audit JSON; then preflight's own: its checks' problems and what blocks.
                **(self.answer.summary() if self.answer is not None else {}),
                "problems": len(self.own_problems) if self.answer is not None else len(self.problems),
                "blocking": len(self.blocking),
                "incomplete": len(self.errors),
                "passed": sum(p.status is Status.PASS for p in self.predictions),
            },
            "answer": self.answer.to_dict() if self.answer is not None else None,
            "predictions": [p.to_dict() for p in self.predictions],
            "request_that_works": self.suggestion.to_dict() if self.suggestion else None,
            "notes": list(self.notes),
        }


def _domain(value: str | None) -> str | None:
    """The region domain of any region spelling (`eu-west-1`, `mypurecloud.ie`, a base URL)."""
    region = resolve_region(value)
    host = region.api_base.split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("api.")


def _expected_region(plan: Plan | None, snapshot: Snapshot) -> tuple[str | None, str | None, str]:
    """(plan domain, snapshot domain, which one a request URL is compared with)."""
    plan_domain = None
    if plan is not None and plan.region:
        try:
            plan_domain = _domain(plan.region)
        except InputError:
            # Quoted scrubbed: a region typed as `user:password@host` keeps its password here too.
            raise InputError(plan.path or "plan", f"unknown region {shorten(scrub_url(plan.region), 80)!r}",
                             field="cobrowse.region") from None
    snapshot_domain = None
    if snapshot.manifest.region:
        try:
            snapshot_domain = _domain(snapshot.manifest.region)
        except InputError:
            snapshot_domain = None  # a proxy or test base URL: nothing to compare with
    source = "the plan's region" if plan_domain else "the snapshot's region"
    return plan_domain, snapshot_domain, source


def _dedupe(own: list[Prediction], chain: list[Prediction]) -> list[Prediction]:
    seen = {(p.rule_id, p.resource_id) for p in own}
    return [*own, *(p for p in chain if (p.rule_id, p.resource_id) not in seen)]


def _order(predictions: list[Prediction]) -> list[Prediction]:
    status_rank = {Status.FAIL: 0, Status.ERROR: 1, Status.WAIVED: 2, Status.PASS: 3}
    return sorted(predictions, key=lambda p: (status_rank.get(p.status, 3), p.severity.rank, p.rule_id))


def _good_client(frames: Frames, preferred: list[str]) -> tuple[str, str] | None:
    """(id, name) of an active user-grant client with the `conversations` scope, the request's first."""
    if not frames.available("oauth_clients"):
        return None
    frame = frames.oauth_clients
    rows = list(zip(frame["id"], frame["name"], frame["grant"], frame["state"], frame["scopes"],
                    frame["date_to_delete"], strict=True))
    rows.sort(key=lambda r: (r[0] not in preferred, str(r[1]).casefold()))
    for client_id, name, grant, state, scopes, delete in rows:
        if (oauth_clients.canonical(grant) == oauth_clients.CODE and "conversations" in scopes
                and oauth_clients.unusable_reason(state, delete) is None):
            return client_id, name
    return None


def _permitted(frames: Frames, user_id: str) -> bool:
    if not (frames.available("roles") and frames.available("role_subjectgrants")):
        return False
    granting: set[str] = set()
    for permission in endpoints.START_PERMISSIONS:
        granting |= roles_granting(frames.role_policies, permission)
    users = frames.role_users
    return bool(set(users.loc[users["user_id"] == user_id, "role_id"]) & granting)


def suggest(ctx: CheckContext, domain: str | None) -> Suggestion:
    base = f"https://api.{domain}" if domain else "https://api.<your region's domain>"
    endpoint = ctx.endpoint
    if endpoint is not None and endpoint.name == "webdeployments_cobrowse_session" and ctx.resolved.deployment_ids:
        session = endpoint.params.get("sessionId", "{sessionId}")
        method = ctx.request.method if ctx.request and ctx.request.method in endpoint.methods else "GET"
        return Suggestion(method, f"{base}/api/v2/webdeployments/deployments/{ctx.resolved.deployment_ids[0]}"
                                  f"/cobrowse/{session}", "any valid token of the org (the call requires no "
                                  "permissions)", ())
    client = _good_client(ctx.frames, ctx.resolved.client_ids)
    if client:
        via = f"client {client[1]!r} ({client[0]}, CODE grant with the `conversations` scope)"
    else:
        via = "a CODE (authorization-code) client with the `conversations` scope (none found in the snapshot)"
    user = ctx.request.token.user if ctx.request and ctx.request.token else None
    who = (f"user {user}" if user and _permitted(ctx.frames, user)
           else "the agent who handles the conversation")
    notes = (
        "{conversationId} is the id of the agent's active web messaging or voice conversation.",
        "The response (CobrowseWebMessagingSession) carries joinCode and websocketUrl; the customer accepts the "
        "offer in Messenger.",
    )
    return Suggestion(endpoints.START_METHOD, f"{base}{endpoints.START_PATH}",
                      f"a user token of {who}, from {via}", endpoints.START_PERMISSIONS, notes)


def run_preflight(snapshot: Snapshot, *, request: PlannedRequest | None = None, plan: Plan | None = None,
                  fail_on: Severity | str = BLOCKERS) -> PreflightReport:
    if request is None and plan is None:
        raise InputError("preflight", "give a request (file, bare body or --curl) or a --plan")
    frames = Frames(snapshot)
    endpoint = endpoints.match(request.path) if request else None
    plan_domain, snapshot_domain, source = _expected_region(plan, snapshot)
    ctx = CheckContext(
        request=request, endpoint=endpoint, snapshot=snapshot, frames=frames, plan=plan,
        refs=references(request, endpoint), expected_domain=plan_domain or snapshot_domain,
        expected_region_source=source,
    )
    own: list[Prediction] = list(check_plan_region(ctx, plan_domain, snapshot_domain))
    for check in CHECKS:
        own.extend(check(ctx))
    collect_sites(ctx)
    if request is None and plan is not None:
        chain, audit = run_plan(snapshot, plan)  # the rollout: `audit --plan` itself
    else:
        chain, audit = run_chain(snapshot, frames, plan, ctx.resolved)
    notes = list(request.notes) if request else []
    manifest = snapshot.manifest
    return PreflightReport(
        mode="request" if request else "plan",
        org_id=manifest.organization_id,
        org_name=manifest.organization_name,
        region=manifest.region,
        collected_at=manifest.collected_at,
        snapshot_path=str(snapshot.path) if snapshot.path else None,
        plan_path=plan.path if plan else None,
        fail_on=fail_on,
        request=request,
        predictions=_order(_dedupe(own, chain)),
        suggestion=suggest(ctx, plan_domain or snapshot_domain) if request else None,
        notes=notes,
        audit=audit,
    )
