"""What `preflight --live` collects: the small org-wide listings plus the objects the request names.

A preflight keeps only verdicts on the objects the request (and the plan) names (chain.py:
`relevant_keys`), so collecting every queue's members and wrap-up codes is wasted: on a
2,000-queue org that is about 4,000 of the 4,300 calls. The call plan (auditor.sources.collectors.plan)
collects the per-queue datasets for the named queues only, the role grants PRE-007/008 and
AUTHZ-002/003 ask about (those of the named users and of the named queues' members, read per
user, or else the holders of the roles that grant a co-browse permission, whichever takes fewer
calls), and the listings the checks resolve names and ids against.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from auditor.inputs.plan import Plan
from auditor.preflight import endpoints
from auditor.preflight.checks import references
from auditor.rules import catalog
from auditor.rules.base import EVERY, PLAN, REFERENCED
from auditor.sources.collectors.plan import CallPlan, make_plan

if TYPE_CHECKING:
    from auditor.preflight.request import PlannedRequest

#: The datasets the preflight's own checks (checks.py) read, and which of their objects.
CHECK_NEEDS = {
    "queues": EVERY,  # PRE-005 resolves ids and names against the listing
    "wrapupcodes": EVERY,  # PRE-006
    "queue_wrapupcodes": PLAN,  # PRE-006: codes assigned to the named queues
    "queue_members": PLAN,  # PRE-007 names users found on the named queues
    "roles": EVERY,
    "role_subjectgrants": REFERENCED,  # PRE-007/008: holders of a co-browse permission
    "deployments": EVERY,  # PRE-010
    "oauth_clients": EVERY,  # PRE-009
}


def call_plan(request: PlannedRequest | None, user_plan: Plan | None) -> CallPlan:
    endpoint = endpoints.match(request.path) if request else None
    refs = references(request, endpoint)
    base = user_plan or Plan()
    named = replace(
        base,
        queues=tuple(dict.fromkeys((*base.queues, *(r.value for r in refs.queues)))),
        deployments=tuple(dict.fromkeys((*base.deployments, *(r.value for r in refs.deployments)))),
    )
    # The users the request names (the token's user first): their grants are what PRE-008 asks
    # about, read per user with the named queues' members when that is fewer calls.
    return make_plan(catalog(), named, only_named=True, extra=CHECK_NEEDS, users=[r.value for r in refs.users])
