from __future__ import annotations

from collections.abc import Iterator

from auditor.errors import DatasetUnavailable
from auditor.genesys.permissions import COBROWSE_PERMISSION, roles_granting
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules.apply._changes import PROVIDER, changes, names, not_an_apply, where


def _cobrowse_roles(ctx: RuleContext) -> dict[str, str]:
    """Role id -> the co-browse permission it grants (of the roles in the snapshot)."""
    try:
        policies = ctx.frames.role_policies
    except DatasetUnavailable:
        return {}
    out: dict[str, str] = {}
    for permission in COBROWSE_PERMISSION.values():
        for role_id in roles_granting(policies, permission):
            out.setdefault(role_id, permission)
    return out


@rule(
    id="APPLY-002",
    title="The apply keeps the role grants users hold",
    severity="high",
    resource_type="user",
    rationale="""genesyscloud_user_roles manages every direct role grant of its user:
        updateUserRolesFn reads the user's grants (GET /api/v2/authorization/subjects/{id}) and
        deletes each one the resource does not list, in every division. A `user_roles` written
        with fewer roles or divisions than the user holds (an export from a partial snapshot, a
        copy from another org) strips them on apply: `employee` and the co-browse role with it.""",
    remediation="""List every role (and division) the user holds today in the resource's
        `roles { role_id division_ids }` blocks (this finding names the ones the apply removes),
        or remove the resource if the user's roles are managed elsewhere.""",
    references=(PROVIDER + "genesyscloud/user_roles/genesyscloud_user_roles_proxy.go",
                PROVIDER + "genesyscloud/user_roles/resource_genesyscloud_user_roles.go"),
    datasets=(),
    chain_link="permissions",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    stripped = changes(ctx, "roles")
    if stripped is None:
        yield not_an_apply(ctx)
        return
    cobrowse = _cobrowse_roles(ctx) if stripped else {}
    for change in stripped:
        lost = [r["name"] for r in change.get("roles") or []]
        parts = []
        if lost:
            parts.append(f"role(s) {names(lost)}")
        for grant in change.get("divisions") or []:
            parts.append(f"{grant['name']!r} in {len(grant['divisions'])} division(s)")
        carried = sorted({cobrowse[r["id"]] for r in (change.get("roles") or []) + (change.get("divisions") or [])
                          if r["id"] in cobrowse})
        tail = f"; the lost grants carry {', '.join(carried)}" if carried else ""
        kept = change.get("kept") or []
        yield failed(change["id"], str(change.get("name")),
                     f"Applying {where(change)} removes grants user {change['id']} holds directly: "
                     f"{'; '.join(parts)}{tail}. It keeps only {names(kept) if kept else 'no role'}.")
    if not stripped:
        yield passed(ctx.org_id, ctx.org_name or ctx.org_id, "The apply removes no role grant a user holds.",
                     resource_type="organization")
