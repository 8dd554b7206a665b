"""Snapshot -> pandas frames: the flat, typed tables the rules query.

Each frame is built on first use (lazy, like a Steampipe table) from the raw entities of one
dataset. A frame whose dataset was not collected raises DatasetUnavailable, which the engine
turns into an ERROR result, never a PASS.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from auditor.snapshot import Snapshot


#: Boolean columns get an explicit dtype: an empty object-dtype column used as a mask
#: (`frame[frame["cobrowse_enabled"]]`) would be read by pandas as a list of column labels.
BOOL_COLUMNS = frozenset(
    {
        "has_message",
        "has_call",
        "joined",
        "allow_all_domains",
        "cobrowse_enabled",
        "allow_agent_control",
        "allow_agent_navigation",
    }
)


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({name: _column(name, values) for name, values in columns.items()})


def _column(name: str, values: Any) -> Any:
    if name in BOOL_COLUMNS:
        return pd.array(values, dtype="bool")
    if isinstance(values, list) and not values:
        # An empty list would become float64 and break `.str` on an org with no such entities.
        return pd.array([], dtype="str")
    return values


def _cobrowse_columns(cobrowse: dict[str, Any] | None) -> tuple[bool, tuple[str, ...], bool, bool, tuple[str, ...]]:
    cobrowse = cobrowse or {}
    return (
        bool(cobrowse.get("enabled", False)),
        tuple(cobrowse.get("channels") or ()),
        bool(cobrowse.get("allowAgentControl", False)),
        bool(cobrowse.get("allowAgentNavigation", False)),
        tuple(cobrowse.get("maskSelectors") or ()),
    )


class Frames:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def available(self, dataset: str) -> bool:
        return self.snapshot.available(dataset)

    @cached_property
    def queues(self) -> pd.DataFrame:
        rows = self.snapshot.raw("queues")
        media = [q.get("mediaSettings") or {} for q in rows]
        acw = [q.get("acwSettings") or {} for q in rows]
        return _frame(
            {
                "id": [q["id"] for q in rows],
                "name": [q["name"] for q in rows],
                "division_id": [(q.get("division") or {}).get("id") for q in rows],
                "has_message": [m.get("message") is not None for m in media],
                "has_call": [m.get("call") is not None for m in media],
                "wrapup_prompt": [a.get("wrapupPrompt") for a in acw],
                "timeout_ms": pd.array([a.get("timeoutMs") for a in acw], dtype="Int64"),
                "joined_member_count": pd.array([q.get("joinedMemberCount") for q in rows], dtype="Int64"),
            }
        )

    @cached_property
    def queue_wrapupcodes(self) -> pd.DataFrame:
        by_queue = self.snapshot.raw("queue_wrapupcodes")
        cols: dict[str, list[Any]] = {"queue_id": [], "code_id": [], "code_name": []}
        for queue_id, codes in by_queue.items():
            cols["queue_id"].extend([queue_id] * len(codes))
            cols["code_id"].extend([code["id"] for code in codes])
            cols["code_name"].extend([code["name"] for code in codes])
        return _frame(cols)

    @cached_property
    def queue_member_lists(self) -> dict[str, tuple[list[str], list[str], list[bool]]]:
        """Per queue: the user id, name and joined flag of each member row, in API order.

        Plain lists grouped by queue, not a pandas frame: the per-queue membership questions
        (who is joined, who holds a permission) walk a million rows at 50,000 queues, several
        times cheaper over these than over pandas columns.
        """
        out: dict[str, tuple[list[str], list[str], list[bool]]] = {}
        for queue_id, members in self.snapshot.raw("queue_members").items():
            users = [member.get("user") or {} for member in members]
            out[queue_id] = (
                [u.get("id") or m["id"] for m, u in zip(members, users, strict=True)],
                [m.get("name") or u.get("name") or m["id"] for m, u in zip(members, users, strict=True)],
                [bool(m.get("joined", False)) for m in members],
            )
        return out

    @cached_property
    def queue_members(self) -> pd.DataFrame:
        cols: dict[str, list[Any]] = {"queue_id": [], "user_id": [], "name": [], "joined": [], "member_by": []}
        for queue_id, members in self.snapshot.raw("queue_members").items():
            user_ids, names, joined = self.queue_member_lists[queue_id]
            cols["queue_id"].extend([queue_id] * len(members))
            cols["user_id"].extend(user_ids)
            cols["name"].extend(names)
            cols["joined"].extend(joined)
            cols["member_by"].extend([m.get("memberBy") for m in members])
        return _frame(cols)

    @cached_property
    def wrapupcodes(self) -> pd.DataFrame:
        rows = self.snapshot.raw("wrapupcodes")
        return _frame({"id": [c["id"] for c in rows], "name": [c["name"] for c in rows]})

    @cached_property
    def roles(self) -> pd.DataFrame:
        rows = self.snapshot.raw("roles")
        return _frame(
            {
                "id": [r["id"] for r in rows],
                "name": [r["name"] for r in rows],
                "default_role_id": [r.get("defaultRoleId") for r in rows],
            }
        )

    @cached_property
    def role_policies(self) -> pd.DataFrame:
        """One row per (role, domain, entityName, action): the exploded permissionPolicies."""
        cols: dict[str, list[Any]] = {"role_id": [], "domain": [], "entity_name": [], "action": []}
        for role in self.snapshot.raw("roles"):
            for policy in role.get("permissionPolicies") or ():
                for action in policy["actionSet"] or ("",):
                    cols["role_id"].append(role["id"])
                    cols["domain"].append(policy["domain"])
                    cols["entity_name"].append(policy["entityName"])
                    cols["action"].append(action)
        return _frame(cols)

    @cached_property
    def role_users(self) -> pd.DataFrame:
        """(role, user) pairs: the PC_USER subjects of role_subjectgrants, in any division, plus the
        individuals of PC_GROUP subjects when group_individuals was collected.

        A compatibility view of snapshot format 1's `role_users`: it ignores the divisions of the
        grants (the rules reading it are being rewritten to honour them)."""
        cols: dict[str, list[Any]] = {"role_id": [], "user_id": []}
        groups = self.snapshot.raw("group_individuals") if self.available("group_individuals") else {}
        for role_id, subjects in self.snapshot.raw("role_subjectgrants").items():
            seen: set[str] = set()
            for subject in subjects:
                kind = subject.get("type")
                users = ([subject["id"]] if kind == "PC_USER" else
                         [u["id"] for u in groups.get(subject["id"], ())] if kind == "PC_GROUP" else [])
                for user_id in users:
                    if user_id not in seen:
                        seen.add(user_id)
                        cols["role_id"].append(role_id)
                        cols["user_id"].append(user_id)
        return _frame(cols)

    @cached_property
    def oauth_clients(self) -> pd.DataFrame:
        rows = self.snapshot.raw("oauth_clients")
        return _frame(
            {
                "id": [c["id"] for c in rows],
                "name": [c["name"] for c in rows],
                "grant": [c["authorizedGrantType"] for c in rows],
                "state": [c.get("state") or "active" for c in rows],
                "date_to_delete": [c.get("dateToDelete") for c in rows],
                "token_validity": pd.array([c.get("accessTokenValiditySeconds") for c in rows], dtype="Int64"),
                "scopes": [tuple(c.get("scope") or ()) for c in rows],
                "redirect_uris": [tuple(c.get("registeredRedirectUri") or ()) for c in rows],
            }
        )

    @cached_property
    def oauth_client_roles(self) -> pd.DataFrame:
        """One row per (client, role, division) grant; `roleIds` (deprecated) counts as home division."""
        cols: dict[str, list[Any]] = {"client_id": [], "role_id": [], "division_id": []}
        for client in self.snapshot.raw("oauth_clients"):
            seen = set()
            for grant in client.get("roleDivisions") or ():
                seen.add(grant["roleId"])
                cols["client_id"].append(client["id"])
                cols["role_id"].append(grant["roleId"])
                cols["division_id"].append(grant.get("divisionId"))
            for role_id in client.get("roleIds") or ():
                if role_id not in seen:
                    cols["client_id"].append(client["id"])
                    cols["role_id"].append(role_id)
                    cols["division_id"].append(None)
        return _frame(cols)

    @cached_property
    def deployments(self) -> pd.DataFrame:
        rows = self.snapshot.raw("deployments")
        configs = [d.get("configuration") or {} for d in rows]
        cobrowse = [_cobrowse_columns(c.get("cobrowse")) for c in configs]
        return _frame(
            {
                "id": [d["id"] for d in rows],
                "name": [d["name"] for d in rows],
                "status": [d["status"] for d in rows],
                "allow_all_domains": [bool(d.get("allowAllDomains", False)) for d in rows],
                "allowed_domains": [tuple(d.get("allowedDomains") or ()) for d in rows],
                "configuration_id": [c.get("id") for c in configs],
                "configuration_name": [c.get("name") for c in configs],
                "configuration_version": [c.get("version") for c in configs],
                "cobrowse_enabled": [c[0] for c in cobrowse],
                "cobrowse_channels": [c[1] for c in cobrowse],
                "allow_agent_control": [c[2] for c in cobrowse],
                "allow_agent_navigation": [c[3] for c in cobrowse],
                "mask_selectors": [c[4] for c in cobrowse],
            }
        )

    @cached_property
    def configurations(self) -> pd.DataFrame:
        """Messenger configuration drafts, as listed by GET /webdeployments/configurations."""
        rows = self.snapshot.raw("configurations")
        cobrowse = [_cobrowse_columns(c.get("cobrowse")) for c in rows]
        return _frame(
            {
                "id": [c["id"] for c in rows],
                "name": [c["name"] for c in rows],
                "version": [c.get("version") for c in rows],
                "status": [c.get("status") for c in rows],
                "cobrowse_enabled": [c[0] for c in cobrowse],
                "cobrowse_channels": [c[1] for c in cobrowse],
            }
        )
