"""The org's auth setup (issue 21): thresholds with their sources, and readers shared by the rules.

Each default below comes from a source named beside it, except where it says "our choice" (the
docs' Auth setup page says the same). Thresholds are read from gcaudit.yaml's `auth-thresholds`
mapping when the audit is given one (AuthThresholds.from_mapping).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from auditor.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from auditor.analysis.frames import Frames

#: The permissions the Resource Center's "Reset MFA devices of users" names as prerequisites, all three
#: needed: mfa > verifier > View, Edit, Delete (help.mypurecloud.com/articles/reset-mfa-devices-of-users/),
#: which also says "make sure that multiple administrators are granted with the MFA specific permissions".
MFA_RESET_PERMISSIONS = ("mfa:verifier:view", "mfa:verifier:edit", "mfa:verifier:delete")
#: Reads the authentication settings and only admins hold it (SDK docs OrganizationApi.md).
ORG_ADMIN_PERMISSION = "directory:organization:admin"


@dataclass(frozen=True)
class AuthThresholds:
    #: Genesys defaults: "The default minimum length for a password is 8 characters, including a
    #: default minimum of 1 lowercase letter, 1 uppercase letter, 1 number, 1 special character"
    #: (Resource Center "Set Genesys Cloud password requirements").
    password_min_length: int = 8
    password_min_digits: int = 1
    password_min_upper: int = 1
    password_min_lower: int = 1
    password_min_specials: int = 1
    #: IdleTokenTimeout.idleTokenTimeoutSeconds: "Must be at least 5 minutes and 8 hours or less (if
    #: HIPAA is disabled) or 15 minutes or less (if HIPAA is enabled)" (SDK models/idle_token_timeout.py).
    idle_timeout_max_seconds: int = 8 * 3600
    idle_timeout_max_seconds_hipaa: int = 15 * 60
    #: "up to a maximum of 150 CIDRs" (Resource Center "Allow IP addresses").
    ip_allowlist_max: int = 150
    #: Our choice: a client with no API request for 30 days is a standing credential.
    unused_client_days: int = 30
    #: Our choice: 90 days without a token (CIS-style dormant-account reviews use 90 days).
    stale_user_days: int = 90
    #: "make sure that multiple administrators are granted with the MFA specific permissions" (Resource
    #: Center "Reset MFA devices of users"): at least 2.
    mfa_resetters_min: int = 2

    @classmethod
    def from_mapping(cls, data: Any, source: Path | str) -> AuthThresholds:
        """From gcaudit.yaml's `auth-thresholds` (dashes or underscores); bad input -> InputError naming the field."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise InputError(source, "expected a mapping of thresholds", field="auth-thresholds")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = str(key).replace("-", "_")
            where = f"auth-thresholds.{str(key)[:60]}"
            if name not in known:
                raise InputError(source, f"unknown threshold (known: {', '.join(sorted(known))})", field=where)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
                raise InputError(source, "expected a whole number from 0 to 10000000", field=where)
            values[name] = value
        return cls(**values)


def single(frames: Frames, dataset: str) -> dict[str, Any]:
    """The one settings object of a `single` dataset ({} when the answer was empty)."""
    content = frames.snapshot.raw(dataset)
    return content[0] if content and isinstance(content[0], dict) else {}


def sso_only(frames: Frames) -> bool:
    """Genesys Cloud login disabled (PureCloud identity provider `disabled`): users sign in through SSO only."""
    return single(frames, "genesys_login").get("disabled") is True


def hipaa(frames: Frames) -> bool:
    """The org's HIPAA feature (Organization.features, dict(str, bool), SDK models/organization.py; the
    `hipaa` key is OrganizationFeatures.hipaa, SDK models/organization_features.py), from GET
    /api/v2/organizations/me as recorded in the manifest."""
    features = frames.snapshot.manifest.extra.get("features") if frames.snapshot.manifest.extra else None
    return isinstance(features, dict) and features.get("hipaa") is True


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 date-time of the API (`...Z`), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def collected_at(frames: Frames) -> datetime:
    when = parse_time(frames.snapshot.manifest.collected_at)
    if when is None:
        raise ValueError("the snapshot's collected_at is not a date-time")
    return when


def cidr_problem(entry: Any) -> str | None:
    """Why Genesys will not honour an IP allowlist entry, or None. "Only IPv4 addresses are supported",
    "Do not include private IP addresses", entries are CIDR blocks (Resource Center "Allow IP addresses")."""
    if not isinstance(entry, str):
        return "not a string"
    try:
        network = ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return "not a CIDR block"
    if network.version != 4:
        return "IPv6 (only IPv4 is supported)"
    if "/" not in entry:
        return "an address without a prefix length (a CIDR block is expected)"
    if not network.is_global:
        return "a private or reserved range"
    return None


#: Rules judging every holder of the privileged roles (the call plan then lists grants per role).
PRIVILEGED_RULES = frozenset({"AUTH-002", "USER-002"})


def privileged_roles(frames: Frames) -> set[str]:
    """Admin-level roles and roles granting an MFA-reset permission (see privileged_users)."""
    from auditor.genesys.permissions import admin_roles, roles_granting

    policies = frames.role_policies
    found = admin_roles(policies, frames.roles) | roles_granting(policies, ORG_ADMIN_PERMISSION)
    for permission in MFA_RESET_PERMISSIONS:
        found |= roles_granting(policies, permission)
    return found


def privileged_users(frames: Frames) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(user id -> the admin-level roles they hold, user id -> the MFA-reset permissions they hold),
    directly or through a group. Admin-level: the roles auditor.genesys.permissions.admin_roles names
    (a `*` domain policy, the legacy `admin` permission, Master Admin) and roles granting
    directory:organization:admin."""
    from auditor.genesys.permissions import admin_roles, roles_granting

    policies, roles = frames.role_policies, frames.roles
    admin = admin_roles(policies, roles) | roles_granting(policies, ORG_ADMIN_PERMISSION)
    grants_of = {p: roles_granting(policies, p) for p in MFA_RESET_PERMISSIONS}
    admins: dict[str, set[str]] = {}
    mfa: dict[str, set[str]] = {}
    grants = frames.user_role_grants
    for user_id, role_id in zip(grants["user_id"].tolist(), grants["role_id"].tolist(), strict=True):
        if role_id in admin:
            admins.setdefault(user_id, set()).add(role_id)
        for permission, granting in grants_of.items():
            if role_id in granting:
                mfa.setdefault(user_id, set()).add(permission)
    return admins, mfa


def user_names(frames: Frames) -> dict[str, str]:
    names: dict[str, str] = {}
    if frames.available("users"):
        names.update({u["id"]: u.get("name") or u["id"] for u in frames.snapshot.raw("users")})
    for _, subject_id, name, kind, _ in frames.subject_grant_rows():
        if kind == "PC_USER" and name:
            names.setdefault(subject_id, name)
    return names


def thresholds_of(ctx: Any) -> AuthThresholds:
    """The audit's thresholds (RuleContext.auth_thresholds), or the defaults."""
    value = getattr(ctx, "auth_thresholds", None)
    return value if isinstance(value, AuthThresholds) else AuthThresholds()
