"""What the collector needs: generated from the dataset declarations, never copied by hand."""

from __future__ import annotations

from typing import Any

from auditor.snapshot.datasets import DATASETS, ORGANIZATION_ENDPOINT, ORGANIZATION_SCOPE

NOTE = (
    "A client-credentials OAuth client gets these permissions through the roles granted to it "
    "(roleDivisions, in every division to audit); scopes only apply to user-context grants "
    "(authorization code, implicit)."
)


def endpoints() -> list[dict[str, Any]]:
    """One row per GET the collector makes, with the permission and scope it needs."""
    rows: list[dict[str, Any]] = [{
        "method": "GET", "endpoint": ORGANIZATION_ENDPOINT, "permission": None,
        "scope": ORGANIZATION_SCOPE, "dataset": None,
    }]
    rows += [
        {"method": "GET", "endpoint": d.endpoint, "permission": d.permission, "scope": d.scope, "dataset": d.name}
        for d in DATASETS
    ]
    return rows


def requirements() -> dict[str, Any]:
    rows = endpoints()
    return {
        "permissions": sorted({r["permission"] for r in rows if r["permission"]}),
        "scopes": sorted({r["scope"] for r in rows if r["scope"]}),
        "endpoints": rows,
        "note": NOTE,
    }


def render_table() -> str:
    from tabulate import tabulate

    req = requirements()
    by_permission: dict[str, list[str]] = {}
    for row in req["endpoints"]:
        if row["permission"]:
            by_permission.setdefault(row["permission"], []).append(row["dataset"])
    summary = tabulate(
        [(p, ", ".join(ds)) for p, ds in sorted(by_permission.items())],
        headers=["Permission", "Needed for"], tablefmt="simple",
    )
    detail = tabulate(
        [(r["method"], r["endpoint"], r["permission"] or "(none)", r["scope"], r["dataset"] or "organization")
         for r in req["endpoints"]],
        headers=["", "Endpoint", "Permission", "Scope", "Dataset"], tablefmt="simple",
    )
    return (f"{summary}\n\nScopes (user-context grants only): {', '.join(req['scopes'])}\n\n"
            f"{detail}\n\n{NOTE}\n")


def render_markdown() -> str:
    """The README's least-privilege section body (pasted from `gcaudit permissions --format markdown`)."""
    req = requirements()
    needed_for: dict[str, list[str]] = {}
    for row in req["endpoints"]:
        if row["permission"]:
            needed_for.setdefault(row["permission"], []).append(f"`{row['dataset']}`")
    lines = ["| Permission | Needed for datasets |", "|---|---|"]
    lines += [f"| `{p}` | {', '.join(ds)} |" for p, ds in sorted(needed_for.items())]
    lines += ["", f"Scopes (user-context grants only): {', '.join(f'`{s}`' for s in req['scopes'])}.", "",
              "| Call | Permission | Scope | Dataset |", "|---|---|---|---|"]
    for row in req["endpoints"]:
        permission = f"`{row['permission']}`" if row["permission"] else "(none)"
        lines.append(f"| `{row['method']} {row['endpoint']}` | {permission} | `{row['scope']}` "
                     f"| {row['dataset'] or 'organization'} |")
    return "\n".join([*lines, "", NOTE]) + "\n"
