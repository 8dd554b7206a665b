"""Snapshot -> pandas frames: the flat, typed tables the rules query.

Each frame is built on first use (lazy, like a Steampipe table) from the raw entities of one
dataset. A frame whose dataset was not collected raises DatasetUnavailable, which the engine
turns into an ERROR result, never a PASS.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, Any

import pandas as pd

from auditor.snapshot.columnar import code_columns, grant_columns, member_columns

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
        "conditional",
        "all_divisions",
        "published",
        "headless",
    }
)


#: ConversationAggregateDataContainer.group values [SDK 269: the mediaType enum of
#: ConversationMetricsTopicConversationMetricRecord is callback, chat, cobrowse, email,
#: internalmessage, message, screenmonitoring, screenshare, unknown, video, voice; messageType
#: `webmessaging` is in the Message.type enum].
MEDIA_MESSAGE = "message"
MEDIA_VOICE = "voice"
MEDIA_COBROWSE = "cobrowse"
MESSAGE_TYPE_WEB = "webmessaging"
#: The co-browse session metric of the conversation aggregates [SDK 269
#: models/conversation_aggregation_view.py target enum].
COBROWSE_SESSIONS_METRIC = "nCobrowseSessions"


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


def _pause_criteria(cobrowse: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """(urlFragment, condition) pairs of CobrowseSettings.pauseCriteria."""
    out = []
    for item in (cobrowse or {}).get("pauseCriteria") or ():
        if isinstance(item, dict) and isinstance(item.get("urlFragment"), str):
            out.append((item["urlFragment"], str(item.get("condition") or "")))
    return tuple(out)


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
                "division_name": [(q.get("division") or {}).get("name") for q in rows],
                "has_message": [m.get("message") is not None for m in media],
                "has_call": [m.get("call") is not None for m in media],
                "wrapup_prompt": [a.get("wrapupPrompt") for a in acw],
                "timeout_ms": pd.array([a.get("timeoutMs") for a in acw], dtype="Int64"),
                "joined_member_count": pd.array([q.get("joinedMemberCount") for q in rows], dtype="Int64"),
            }
        )

    @cached_property
    def queue_wrapupcodes(self) -> pd.DataFrame:
        view = self.snapshot.column_view("queue_wrapupcodes")
        if view is not None:
            return _frame({"queue_id": view.parent_column(), "code_id": view.column("id"),
                           "code_name": view.column("name")})
        cols: dict[str, list[Any]] = {"queue_id": [], "code_id": [], "code_name": []}
        for queue_id, codes in self.snapshot.raw("queue_wrapupcodes").items():
            rows = [code_columns(code) for code in codes]
            cols["queue_id"].extend([queue_id] * len(codes))
            cols["code_id"].extend([r[0] for r in rows])
            cols["code_name"].extend([r[1] for r in rows])
        return _frame(cols)

    @cached_property
    def queue_wrapupcode_counts(self) -> dict[str, int]:
        """Wrap-up codes assigned per queue (queues listed with none count 0), without building
        the assignment frame: at 50,000 queues that frame holds 1.25 million rows."""
        view = self.snapshot.column_view("queue_wrapupcodes")
        if view is not None:
            return dict(zip(view.parents, view.counts, strict=True))
        return {queue_id: len(codes) for queue_id, codes in self.snapshot.raw("queue_wrapupcodes").items()}

    @cached_property
    def queue_member_lists(self) -> dict[str, tuple[list[str], list[str], list[bool]]]:
        """Per queue: the user id, name and joined flag of each member row, in API order.

        Plain lists grouped by queue, not a pandas frame: the per-queue membership questions
        (who is joined, who holds a permission) walk a million rows at 50,000 queues, several
        times cheaper over these than over pandas columns.
        """
        view = self.snapshot.column_view("queue_members")
        if view is not None:
            return view.by_parent("user_id", "name", "joined")  # type: ignore[return-value]
        out: dict[str, tuple[list[str], list[str], list[bool]]] = {}
        for queue_id, members in self.snapshot.raw("queue_members").items():
            rows = [member_columns(member) for member in members]
            out[queue_id] = ([r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
        return out

    @cached_property
    def queue_members(self) -> pd.DataFrame:
        view = self.snapshot.column_view("queue_members")
        if view is not None:
            return _frame({"queue_id": view.parent_column(), "user_id": view.column("user_id"),
                           "name": view.column("name"), "joined": view.column("joined"),
                           "member_by": view.column("member_by")})
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
                # Legacy `permissions` strings such as "admin" [SDK 269 DomainOrganizationRole].
                "legacy_permissions": [tuple(r.get("permissions") or ()) for r in rows],
            }
        )

    @cached_property
    def role_policies(self) -> pd.DataFrame:
        """One row per (role, domain, entityName, action): the exploded permissionPolicies.

        `conditional`: the policy carries conditions (`allowConditions` true or a
        `resourceConditionNode`, DomainPermissionPolicy in SDK 269), so it grants the permission
        only where the condition holds, which a configuration audit cannot evaluate.
        """
        cols: dict[str, list[Any]] = {"role_id": [], "domain": [], "entity_name": [], "action": [],
                                      "conditional": []}
        for role in self.snapshot.raw("roles"):
            for policy in role.get("permissionPolicies") or ():
                conditional = bool(policy.get("allowConditions")) or bool(policy.get("resourceConditionNode"))
                for action in policy["actionSet"] or ("",):
                    cols["role_id"].append(role["id"])
                    cols["domain"].append(policy["domain"])
                    cols["entity_name"].append(policy["entityName"])
                    cols["action"].append(action)
                    cols["conditional"].append(conditional)
        return _frame(cols)

    @cached_property
    def role_users(self) -> pd.DataFrame:
        """(role, user) pairs: the PC_USER subjects of role_subjectgrants, in any division, plus the
        individuals of PC_GROUP subjects when group_individuals was collected.

        A compatibility view of snapshot format 1's `role_users`: it ignores the divisions of the
        grants (the rules reading it are being rewritten to honour them)."""
        cols: dict[str, list[Any]] = {"role_id": [], "user_id": []}
        groups = self.snapshot.raw("group_individuals") if self.available("group_individuals") else {}
        seen: set[str] = set()
        current = None
        for role_id, subject_id, _, kind, _ in self.subject_grant_rows():
            if role_id != current:
                current, seen = role_id, set()
            users = ([subject_id] if kind == "PC_USER" else
                     [u["id"] for u in groups.get(subject_id, ())] if kind == "PC_GROUP" else [])
            for user_id in users:
                if user_id not in seen:
                    seen.add(user_id)
                    cols["role_id"].append(role_id)
                    cols["user_id"].append(user_id)
        return _frame(cols)

    def subject_grant_rows(self) -> Iterator[tuple[str, str, str | None, str | None, list[str]]]:
        """(role id, subject id, name, type, division ids) of every subject grant, in file order."""
        for role_id, rows in self.subject_grants_by_role():
            for row in rows:
                yield (role_id, *row)

    def subject_grants_by_role(self) -> Iterator[tuple[str, Iterator[tuple[str, str | None, str | None, list[str]]]]]:
        """Per role, in file order: its subject grants as (subject id, name, type, division ids),
        read from the columnar sidecar when the snapshot was loaded with one. A caller skipping a
        role pays nothing for its rows."""
        view = self.snapshot.column_view("role_subjectgrants")
        if view is None:
            for role_id, subjects in self.snapshot.raw("role_subjectgrants").items():
                yield role_id, (grant_columns(subject) for subject in subjects)
            return
        ids, names, kinds = view.column("id"), view.column("name"), view.column("type")
        flat = view.column("division_ids")
        ends = list(accumulate(view.column("division_ids.count")))

        def rows(start: int, stop: int) -> Iterator[tuple[str, str | None, str | None, list[str]]]:
            for row in range(start, stop):
                yield ids[row], names[row], kinds[row], flat[ends[row - 1] if row else 0:ends[row]]

        start = 0
        for role_id, count in zip(view.parents, view.counts, strict=True):
            yield role_id, rows(start, start + count)
            start += count

    @cached_property
    def divisions(self) -> pd.DataFrame:
        rows = self.snapshot.raw("divisions")
        return _frame({"id": [d["id"] for d in rows], "name": [d["name"] for d in rows]})

    @cached_property
    def group_members(self) -> pd.DataFrame:
        """One row per (group, user) of GET /api/v2/groups/{groupId}/individuals."""
        cols: dict[str, list[Any]] = {"group_id": [], "user_id": [], "name": []}
        for group_id, users in self.snapshot.raw("group_individuals").items():
            for user in users:
                cols["group_id"].append(group_id)
                cols["user_id"].append(user["id"])
                cols["name"].append(user.get("name") or user["id"])
        return _frame(cols)

    @cached_property
    def user_role_grants(self) -> pd.DataFrame:
        """One row per (user, role, division) a user holds, directly (PC_USER) or through a group
        (PC_GROUP expanded with group_individuals); `via_group` names the group or is None."""
        cols: dict[str, list[Any]] = {"user_id": [], "role_id": [], "division_id": [], "via_group": []}
        for role_id, subject_id, name, kind, division_ids in self.subject_grant_rows():
            holders = self.subject_users(kind, subject_id)
            via = (name or subject_id) if kind == "PC_GROUP" else None
            for division_id in division_ids:
                cols["user_id"].extend(holders)
                cols["role_id"].extend([role_id] * len(holders))
                cols["division_id"].extend([division_id] * len(holders))
                cols["via_group"].extend([via] * len(holders))
        return _frame(cols)

    def subject_users(self, kind: str | None, subject_id: str) -> list[str] | tuple[str, ...]:
        """The users a subject grant reaches: the user (PC_USER), the group's individuals
        (PC_GROUP; group_individuals must have been collected), or nobody (OAuth clients and
        trustee subjects are not queue members)."""
        if kind == "PC_USER":
            return (subject_id,)
        if kind == "PC_GROUP":
            return self.group_user_lists.get(subject_id, ())
        return ()

    @cached_property
    def group_user_lists(self) -> dict[str, list[str]]:
        """Group id -> the user ids of its individuals, in listing order."""
        members: dict[str, list[str]] = {}
        gm = self.group_members
        for group_id, user_id in zip(gm["group_id"].tolist(), gm["user_id"].tolist(), strict=True):
            members.setdefault(group_id, []).append(user_id)
        return members

    @cached_property
    def flows(self) -> pd.DataFrame:
        rows = self.snapshot.raw("flows")
        return _frame(
            {
                "id": [fl["id"] for fl in rows],
                "name": [fl.get("name") or fl["id"] for fl in rows],
                "type": [fl.get("type") for fl in rows],
                "published": [bool(fl.get("publishedVersion")) for fl in rows],
            }
        )

    @cached_property
    def queue_traffic(self) -> pd.DataFrame:
        """Per queue, over the traffic window: web-messaging conversations, other message
        conversations (messageType not given), voice conversations and co-browse sessions.

        A result entry's conversation count is the largest per-metric count summed over its
        intervals (every counting metric of one group counts the same conversations once each);
        co-browse sessions are the `nCobrowseSessions` counts plus the conversations of media type
        `cobrowse`.
        """
        totals: dict[str, list[int]] = {}
        for entry in self.snapshot.raw("conversation_aggregates"):
            group = entry.get("group") or {}
            queue_id = group.get("queueId")
            if not queue_id:
                continue
            per_metric: dict[str, int] = {}
            for interval in entry.get("data") or ():
                for metric in interval.get("metrics") or ():
                    count = (metric.get("stats") or {}).get("count") or 0
                    name = str(metric.get("metric"))
                    per_metric[name] = per_metric.get(name, 0) + int(count)
            sessions = per_metric.pop(COBROWSE_SESSIONS_METRIC, 0)
            conversations = max(per_metric.values(), default=0)
            row = totals.setdefault(queue_id, [0, 0, 0, 0])
            media = str(group.get("mediaType") or "").casefold()
            message_type = group.get("messageType")
            if media == MEDIA_MESSAGE and message_type is None:
                row[1] += conversations
            elif media == MEDIA_MESSAGE and str(message_type).casefold() == MESSAGE_TYPE_WEB:
                row[0] += conversations
            elif media == MEDIA_VOICE:
                row[2] += conversations
            elif media == MEDIA_COBROWSE:
                row[3] += conversations
            row[3] += sessions
        ids = list(totals)
        return _frame(
            {
                "queue_id": ids,
                "webmessaging": pd.array([totals[q][0] for q in ids], dtype="int64"),
                "message_untyped": pd.array([totals[q][1] for q in ids], dtype="int64"),
                "voice": pd.array([totals[q][2] for q in ids], dtype="int64"),
                "cobrowse_sessions": pd.array([totals[q][3] for q in ids], dtype="int64"),
            }
        )

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
        messenger = [c.get("messenger") or {} for c in configs]
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
                "pause_criteria": [_pause_criteria(c.get("cobrowse")) for c in configs],
                # Status of the pinned version (Pending | Active | Inactive | Error | Deleting), None when
                # the deployment was listed without expand=Configuration.
                "configuration_status": [c.get("status") for c in configs],
                # None: not stated (only an explicit false turns Messenger or its conversations off).
                "messenger_enabled": [m.get("enabled") for m in messenger],
                "conversations_enabled": [((m.get("apps") or {}).get("conversations") or {}).get("enabled")
                                          for m in messenger],
                "headless": [bool((c.get("headlessMode") or {}).get("enabled", False)) for c in configs],
                "flow_id": [(d.get("flow") or {}).get("id") for d in rows],
                "flow_name": [(d.get("flow") or {}).get("name") for d in rows],
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
