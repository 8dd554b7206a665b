from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules.apply._changes import PROVIDER, changes, names, not_an_apply, queue_traffic, where


@rule(
    id="APPLY-001",
    title="The apply keeps every queue's user members",
    severity="high",
    resource_type="queue",
    rationale="""genesyscloud_routing_queue runs updateQueueMembers on every create and update: when
        `members` is unset or empty and `ignore_members` is not true, it calls
        removeAllExistingUserMembersFromQueue, which removes every member added as a user (group
        members stay). The docs page says an unset `members` is "not managed"; the code removes
        them. A queue re-declared without its members is emptied by the apply, and nobody is left
        to take its web messaging or to start co-browse from it.""",
    remediation="""Set `ignore_members = true` on the queue if its members are managed outside
        Terraform, or list every member in `members { user_id ring_num }` blocks (the users this
        finding names are the ones the apply removes).""",
    references=(
        PROVIDER + "genesyscloud/routing_queue/resource_genesyscloud_routing_queue_members.go",
        "https://github.com/MyPureCloud/terraform-provider-genesyscloud/issues/1705",
    ),
    datasets=(),
    chain_link="members",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    removed = changes(ctx, "members")
    if removed is None:
        yield not_an_apply(ctx)
        return
    for change in removed:
        cause = "`members` is empty" if change.get("cause") == "empty" else "`members` is unset"
        joined = change.get("joined") or []
        yield failed(change["id"], str(change.get("name")),
                     f"Applying {where(change)} removes every user member of queue {change.get('name')!r} "
                     f"({cause} and `ignore_members` is not true): {len(change.get('users') or [])} user member(s) "
                     f"leave, {len(joined)} of them joined ({names(joined)}){queue_traffic(ctx, change['id'])}.")
    if not removed:
        yield passed(ctx.org_id, ctx.org_name or ctx.org_id, "The apply removes no queue's user members.",
                     resource_type="organization")
