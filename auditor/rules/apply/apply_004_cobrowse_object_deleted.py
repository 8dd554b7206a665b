from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules.apply._changes import changes, names, not_an_apply, queue_took, where


def _named(ctx: RuleContext, change: dict[str, Any]) -> bool:
    plan = ctx.plan
    if plan is None:
        return False
    listed = {"web_deployment": plan.deployments, "queue": plan.queues, "oauth_client": plan.integration_clients}
    return bool({change["id"], change.get("name")} & set(listed.get(change["resource_type"], ())))


def _dependents(ctx: RuleContext, change: dict[str, Any]) -> str | None:
    """What depends on the object (from the snapshot before the apply), or None when nothing of
    the co-browse scope does."""
    kind = change["resource_type"]
    if kind == "web_deployment" and change.get("cobrowse"):
        return "the sites whose snippet holds its id load co-browse from it"
    if kind == "messenger_configuration" and change.get("pinned_by"):
        return f"Active deployment(s) {names(change['pinned_by'])} pin it"
    if kind == "queue":
        took = queue_took(ctx, change["id"])
        if took:
            return f"in the traffic window it took {took[0]} co-browse session(s) and {took[1]} web messaging " \
                   "conversation(s)"
    if kind == "role" and change.get("cobrowse"):
        return f"it grants {', '.join(change['cobrowse'])} to {change.get('holders', 0)} subject(s)"
    return None


@rule(
    id="APPLY-004",
    title="The plan deletes or replaces nothing co-browse depends on",
    severity="critical",
    resource_type="terraform_delete",
    rationale="""A delete, or a replace (delete then create, with a new id), of a web deployment,
        its configuration, a co-browse queue, a role granting co-browse or a plan client breaks
        what points at the old object: the site's snippet holds the deployment id, the deployment
        pins the configuration, agents hold the role's grants. The new object has a new id, and
        nothing re-points at it.""",
    remediation="""Change the attribute that forces the replacement back (terraform plan shows it
        as "forces replacement"), or `terraform state mv` / `import` the existing object; delete it
        only after what depends on it has moved.""",
    references=("https://developer.hashicorp.com/terraform/internals/json-format",),
    datasets=(),
    chain_link="deployment",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    deleted = changes(ctx, "delete")
    if deleted is None:
        yield not_an_apply(ctx)
        return
    found = False
    for change in deleted:
        depends = _dependents(ctx, change)
        if depends is None and _named(ctx, change):
            depends = "the rollout plan names it"
        if depends is None:
            continue
        found = True
        verb = "replaces (deletes, then creates with a new id)" if change.get("action") == "replace" else "deletes"
        yield failed(change["id"], str(change.get("name")),
                     f"{where(change)} {verb} {change['resource_type'].replace('_', ' ')} "
                     f"{change.get('name')!r}: {depends}.")
    if not found:
        yield passed(ctx.org_id, ctx.org_name or ctx.org_id, "The plan deletes or replaces nothing co-browse uses.",
                     resource_type="organization")
