"""What the collector needs: generated from the dataset declarations, never copied by hand."""

from __future__ import annotations

from typing import Any

from auditor.snapshot.datasets import (
    ADMIN_DATASETS,
    AUTH_SETTINGS_PERMISSION,
    DATASETS,
    FLOW_LOOKUP_ENDPOINT,
    ORGANIZATION_ENDPOINT,
    ORGANIZATION_SCOPE,
    SUBJECT_GRANTS_ENDPOINT,
    SUBJECT_GRANTS_PERMISSION,
    USAGE_RESULTS_ENDPOINT,
)
from auditor.sources.collectors.audit_trail import PERMISSION as AUDIT_TRAIL_PERMISSION
from auditor.sources.collectors.audit_trail import QUERY as AUDIT_QUERY_ENDPOINT
from auditor.sources.collectors.audit_trail import REALTIME as AUDIT_REALTIME_ENDPOINT

#: Why "in every division": a client sees the divisioned objects (queues, wrap-up codes, flows and
#: the traffic of queues) only in the divisions its role is granted in; anything less makes the
#: datasets `partial` and the audit incomplete. roleDivisions divisionId `*` is "all divisions"
#: (OAuthClient.roleDivisions; Terraform provider docs for genesyscloud_oauth_client).
EVERY_DIVISION = (
    "Each permission is needed in EVERY division: grant the role to the OAuth client in all divisions "
    "(the division \"All divisions\"; in the API, roleDivisions with divisionId \"*\"). A role granted "
    "in some divisions only lets the collector see the queues, wrap-up codes, flows and queue traffic of "
    "those divisions: the datasets are then marked partial, "
    "naming the divisions it could not see, and `gcaudit collect` exits 3."
)
NOTE = (
    "A client-credentials OAuth client gets these permissions through the roles granted to it "
    "(roleDivisions); scopes only apply to user-context grants (authorization code, implicit). "
    + EVERY_DIVISION
)
#: Not required: a call plan uses it when it saves calls, and lists grants per role without it.
OPTIONAL = (
    f"Optional: `{SUBJECT_GRANTS_PERMISSION}` lets a call plan (`--rules`, `--plan`, `preflight --live`) read "
    f"the role grants of a few users with `GET {SUBJECT_GRANTS_ENDPOINT}`, one call per user, when that is "
    "fewer calls than listing the holders of every co-browse role; without it the plan lists them per role."
)
#: Not required either: only the nightly job's "who changed it" reads the audit trail (issue 22; the
#: permission of every audit endpoint per the SDK's AuditApi.md, see audit_trail.py).
OPTIONAL_NIGHTLY = (
    f"Optional for `gcaudit nightly`: `{AUDIT_TRAIL_PERMISSION}` lets a live nightly run say who changed a "
    f"finding's object since the previous run (`POST {AUDIT_REALTIME_ENDPOINT}` for up to 14 days, "
    f"`POST {AUDIT_QUERY_ENDPOINT}` beyond); without it each change says \"who: unknown (needs "
    f"{AUDIT_TRAIL_PERMISSION})\" and the run is otherwise the same."
)



#: The one admin-level permission (issue 21): said out loud, with the opt-out.
ADMIN = (
    f"Admin permission: `{AUTH_SETTINGS_PERMISSION}` is the only permission that reads the authentication "
    "settings (GET /api/v2/organizations/authentication/settings: MFA, password rules, IP and embedding "
    "allowlists; SDK docs OrganizationApi.md). It is an ADMIN permission, not a view-only one: no view "
    "permission exists for these settings. Without it the rules that need them (AUTH-001 to AUTH-005; AUTH-007 "
    "falls back to the deprecated embedded-integration setting) report ERROR naming it. To audit "
    "without granting it, opt out with `--skip-auth-settings` (gcaudit.yaml: `skip-auth-settings: true`): "
    "those rules are then NOT_APPLICABLE with that reason."
)


def endpoints() -> list[dict[str, Any]]:
    """One row per call the collector makes, with the permission and scope it needs."""
    rows: list[dict[str, Any]] = [{
        "method": "GET", "endpoint": ORGANIZATION_ENDPOINT, "permission": None,
        "scope": ORGANIZATION_SCOPE, "dataset": None, "every_division": False,
    }]
    for d in DATASETS:
        rows.append({"method": d.method, "endpoint": d.endpoint, "permission": d.permission, "scope": d.scope,
                     "dataset": d.name, "every_division": d.divisioned, "admin": d.name in ADMIN_DATASETS})
        if d.name == "flows":
            # The referenced flows are looked up first; {flowId} only for the ids the lookup missed.
            rows.insert(-1, {**rows[-1], "endpoint": FLOW_LOOKUP_ENDPOINT})
        if d.kind == "usage_query":
            # The asynchronous query's results, polled (same permissions: SDK docs UsageApi.md).
            rows.append({**rows[-1], "method": "GET", "endpoint": USAGE_RESULTS_ENDPOINT})
    return rows


def requirements() -> dict[str, Any]:
    rows = endpoints()
    return {
        "permissions": sorted({r["permission"] for r in rows if r["permission"]}),
        "every_division": True,
        "scopes": sorted({r["scope"] for r in rows if r["scope"]}),
        "admin_permissions": sorted({r["permission"] for r in rows if r.get("admin") and r["permission"]}),
        "endpoints": rows,
        "note": NOTE,
        "admin_note": ADMIN,
        "optional_permissions": [SUBJECT_GRANTS_PERMISSION, AUDIT_TRAIL_PERMISSION],
        "optional_note": f"{OPTIONAL} {OPTIONAL_NIGHTLY}",
    }


def _needed_for() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in endpoints():
        if row["permission"] and row["dataset"] not in out.get(row["permission"], ()):
            out.setdefault(row["permission"], []).append(row["dataset"])
    return out


def render_table(width: int = 80) -> str:
    """The terminal form, at most `width` columns: a permission table, then each call on two lines
    (an endpoint, a permission and a scope side by side do not fit 80 columns)."""
    import textwrap

    from tabulate import tabulate

    req = requirements()
    needed = sorted(_needed_for().items())
    first = max(len("Permission"), *(len(p) + 8 for p, _ in needed)) + len("every division") + 4
    summary = tabulate(
        [(p + (" (ADMIN)" if p == AUTH_SETTINGS_PERMISSION else ""), "every division", ", ".join(ds))
         for p, ds in needed],
        headers=["Permission", "Where", "Needed for"], tablefmt="simple",
        maxcolwidths=[None, None, max(20, width - first - 2)],
    )
    calls = ["Calls (method, endpoint; permission, scope -> dataset):"]
    for r in req["endpoints"]:
        calls.append(f"  {r['method']} {r['endpoint']}")
        calls += textwrap.wrap(f"{r['permission'] or '(no permission)'}, {r['scope']} -> "
                               f"{r['dataset'] or 'organization'}", width, initial_indent="      ",
                               subsequent_indent="      ")

    def para(text: str) -> str:
        return textwrap.fill(text, width, break_on_hyphens=False)

    return "\n\n".join([summary, para(EVERY_DIVISION),
                         para(f"Scopes (user-context grants only): {', '.join(req['scopes'])}"),
                         "\n".join(calls), para(NOTE), para(ADMIN), para(OPTIONAL),
                         para(OPTIONAL_NIGHTLY)]) + "\n"


def render_markdown() -> str:
    """The README's least-privilege section body (pasted from `gcaudit permissions --format markdown`)."""
    req = requirements()
    lines = ["| Permission | Where | Needed for datasets |", "|---|---|---|"]
    lines += [f"| `{p}`{' (admin)' if p == AUTH_SETTINGS_PERMISSION else ''} | every division "
              f"| {', '.join(f'`{d}`' for d in ds)} |" for p, ds in sorted(_needed_for().items())]
    lines += ["", EVERY_DIVISION, "",
              f"Scopes (user-context grants only): {', '.join(f'`{s}`' for s in req['scopes'])}.", "",
              "| Call | Permission | Scope | Dataset |", "|---|---|---|---|"]
    for row in req["endpoints"]:
        permission = f"`{row['permission']}`" if row["permission"] else "(none)"
        lines.append(f"| `{row['method']} {row['endpoint']}` | {permission} | `{row['scope']}` "
                     f"| {row['dataset'] or 'organization'} |")
    return "\n".join([*lines, "", NOTE, "", ADMIN, "", OPTIONAL, "", OPTIONAL_NIGHTLY]) + "\n"
