"""Words for admins: resource types, FAIL-row titles and one-line actions in plain language.

Decision (issue 12): the per-rule phrasing lives here, beside the other presentation code, not in
the rule modules. A rule's `title` states the pass condition (the catalog and `gcaudit rules` keep
it); a FAIL row shows `finding_title` instead, and the fix-first list shows `action(result)`:
an imperative naming the object, built from a short template per rule plus values captured from
the result's message. A rule missing from these tables (a new or custom rule) still reads well:
its title is prefixed "Not met:" and its action is "<type> '<name>': <first sentence of message>".
`tests/reporters/test_words.py` fails when a catalog rule has no entry, to keep them in step.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from auditor.results import Status

if TYPE_CHECKING:
    from auditor.results import Result

#: resource_type -> (singular, plural), as an admin would say them.
RESOURCE_WORDS: dict[str, tuple[str, str]] = {
    "web_deployment": ("deployment", "Deployments"),
    "deployment": ("deployment", "Deployments"),
    "messenger_configuration": ("Messenger configuration", "Messenger configurations"),
    "configuration": ("Messenger configuration", "Messenger configurations"),
    "queue": ("queue", "Queues"),
    "wrapup_code": ("wrap-up code", "Wrap-up codes"),
    "oauth_client": ("OAuth client", "OAuth clients"),
    "permission": ("permission", "Permissions"),
    "role": ("role", "Roles"),
    "user": ("user", "Users"),
    "group": ("group", "Groups"),
    "division": ("division", "Divisions"),
    "site": ("site", "Sites"),
    "flow": ("flow", "Flows"),
    "plan_reference": ("plan entry", "Rollout plan"),
    "organization": ("org", "Org-wide"),
    "trustee": ("authorized organization", "Authorized organizations"),
    "request": ("request", "Request"),
}


def resource_word(resource_type: str) -> str:
    """`messenger_configuration` -> `Messenger configuration`; unknown types lose their underscores."""
    known = RESOURCE_WORDS.get(resource_type)
    return known[0] if known else resource_type.replace("_", " ").strip() or "resource"


def resource_group(resource_type: str) -> str:
    known = RESOURCE_WORDS.get(resource_type)
    return known[1] if known else (resource_type.replace("_", " ").strip() or "Other").capitalize()


#: rule id -> the title worded as a finding, for FAIL rows.
FINDING_TITLES: dict[str, str] = {
    "AUTHZ-001": "No role grants the co-browse permission of a planned channel",
    "AUTHZ-002": "No joined member of a co-browse queue holds the co-browse permission",
    "AUTHZ-003": "Joined members of a co-browse queue lack the co-browse permission",
    "COB-001": "No Active web deployment pins a Messenger configuration with co-browse",
    "COB-002": "Co-browse is enabled only in a configuration that no deployment serves",
    "COB-003": "A deployment that pins a co-browse configuration is not Active",
    "COB-004": "A co-browse deployment does not offer co-browse on a channel the rollout needs",
    "COB-005": "A plan site is not https or not allowed by a co-browse deployment",
    "COB-006": "A co-browse deployment lets Messenger load on any domain",
    "COB-007": "Co-browse with agent control or navigation masks no fields",
    "COB-008": "A co-browse deployment has no published inbound message flow",
    "COB-009": "The pinned Messenger configuration turns Messenger or its conversations off",
    "COB-010": "Co-browse pauses on a plan site (pause criteria match it)",
    "COB-011": "A co-browse deployment uses Messenger headless mode",
    "COB-012": "A deployment pins a configuration version that is not Active",
    "OAUTH-001": "A plan integration client uses client credentials, not a user grant",
    "OAUTH-002": "A plan integration client lacks the conversations scope",
    "OAUTH-003": "An OAuth client uses the resource-owner password grant",
    "OAUTH-004": "An OAuth client uses the implicit (TOKEN) grant",
    "OAUTH-005": "An OAuth redirect URI is not https or has a wildcard",
    "OAUTH-006": "A client-credentials client holds an admin-level role",
    "OAUTH-007": "A client-credentials client has no role grants",
    "OAUTH-008": "An OAuth client is inactive or scheduled for deletion",
    "OAUTH-009": "An OAuth client's access tokens live longer than 24 hours",
    "OAUTH-010": "A client-credentials client lists scopes the platform ignores",
    "OAUTH-011": "A plan integration client is inactive or scheduled for deletion",
    "OAUTH-012": "An OAuth client's grant type is not one the API documents",
    "OAUTH-013": "An active OAuth client made no API request recently",
    "AUTH-001": "MFA is not required while Genesys Cloud login is enabled",
    "AUTH-002": "Fewer than two users can reset MFA devices",
    "AUTH-003": "Password requirements are weaker than the Genesys defaults",
    "AUTH-004": "The IP allowlist holds entries Genesys will not honour",
    "AUTH-005": "No IP allowlist limits where the org is reached from",
    "AUTH-006": "Idle sessions never sign out, or too late",
    "AUTH-007": "Any site may embed Genesys Cloud",
    "USER-001": "An active user has not signed in for months",
    "USER-002": "A dormant user holds an admin-level role",
    "TRUST-001": "An authorized organization has full access with no expiry",
    "PLAN-001": "Something the rollout plan names does not exist in the org",
    "QUE-002": "A queue with mandatory wrap-up has no wrap-up codes",
    "QUE-003": "A co-browse queue has no joined members",
    "QUE-004": "A queue's wrap-up timeout does not match its wrap-up prompt",
    "QUE-005": "A plan queue took no web messaging (or voice) in the traffic window",
    "WRP-001": "A queue has a wrap-up code assigned that does not exist",
    "WRP-002": "Wrap-up code names collide ignoring case and whitespace",
    "APPLY-001": "The apply removes every user member of a queue",
    "APPLY-002": "The apply removes role grants a user holds",
    "APPLY-003": "The apply turns co-browse or Messenger off where an Active deployment uses it",
    "APPLY-004": "The plan deletes or replaces something co-browse depends on",
}

# rule id -> [(pattern searched in the message, action template)]: the first pattern that matches
# wins; an empty pattern always matches. Templates see {name} (quoted resource name), {type}
# (resource type in words) and the pattern's named groups.
ACTIONS: dict[str, list[tuple[str, str]]] = {
    "AUTHZ-001": [("", "Grant {name} in a role that co-browse agents hold")],
    "AUTHZ-002": [(r"holds (?P<perms>conversation:\S+ \(\w+\)(?:, conversation:\S+ \(\w+\))*)",
                   "Give the joined members of queue {name} a role granting {perms}"),
                  ("", "Give a joined member of queue {name} a role with the co-browse permission")],
    "AUTHZ-003": [(r"lack (?P<perm>conversation:\S+) \((?P<channel>\w+) co-browse",
                   "Give the agents listed for queue {name} {perm} ({channel} co-browse)"),
                  ("", "Give the agents listed for queue {name} the co-browse permission")],
    "COB-001": [(r"enabled on (?P<n>\d+) deployment",
                 "Activate one of the {n} deployments with co-browse (none is Active)"),
                ("", "Pin a co-browse configuration in an Active deployment")],
    "COB-002": [(r"draft", "Publish configuration {name} and pin the new version in its deployments"),
                ("", "Pin configuration {name} in an Active deployment (no deployment uses it)")],
    "COB-003": [(r"status is '(?P<status>[^']+)'", "Activate deployment {name} (now {status})"),
                ("", "Activate deployment {name}")],
    "COB-004": [(r"for '(?P<have>[^']+)' but not for '(?P<need>[^']+)'",
                 "Turn on co-browse for {need} in deployment {name} (only {have} now)"),
                (r"co-browse disabled", "Enable co-browse in the configuration deployment {name} pins"),
                ("", "Tick the co-browse channels the rollout needs for deployment {name}")],
    "COB-005": [(r"not https", "Serve site {name} over https"),
                ("", "Allow site {name} in a co-browse deployment's domain list")],
    "COB-006": [("", "Restrict deployment {name} to your sites' domains (now any site)")],
    "COB-007": [("", "Add masked fields to the co-browse settings of deployment {name}")],
    "COB-008": [(r"no published version", "Publish the inbound message flow of deployment {name}"),
                (r"does not exist", "Point deployment {name} at an existing inbound message flow"),
                ("", "Give deployment {name} an inbound message flow")],
    "COB-009": [("", "Turn Messenger and its conversations app on in the configuration deployment {name} pins")],
    "COB-010": [("", "Remove the pause criterion matching site {name}, or accept that co-browse pauses there")],
    "COB-011": [("", "Make the site of deployment {name} accept co-browse offers through the headless SDK")],
    "COB-012": [(r"status is '(?P<status>[^']+)'",
                 "Pin an Active configuration version in deployment {name} (pinned one is {status})"),
                ("", "Pin an Active configuration version in deployment {name}")],
    "OAUTH-001": [("", "Use a Code Authorization client instead of {name} (client credentials carry no user)")],
    "OAUTH-002": [("", "Add the conversations scope to OAuth client {name}")],
    "OAUTH-003": [("", "Replace OAuth client {name} (PASSWORD grant) with a Code Authorization client")],
    "OAUTH-004": [("", "Move OAuth client {name} off the implicit TOKEN grant")],
    "OAUTH-005": [("", "List exact https redirect URIs on OAuth client {name}")],
    "OAUTH-006": [("", "Replace the admin role of OAuth client {name} with a least-privilege role")],
    "OAUTH-007": [("", "Grant OAuth client {name} a least-privilege role")],
    "OAUTH-008": [("", "Reactivate OAuth client {name}, or delete it if unused")],
    "OAUTH-009": [("", "Shorten the token lifetime of OAuth client {name} to 24 h or less")],
    "OAUTH-010": [("", "Remove the ignored scopes from OAuth client {name}")],
    "OAUTH-011": [("", "Reactivate OAuth client {name} or point the plan at an active client")],
    "OAUTH-012": [("", "Re-collect the snapshot: OAuth client {name} has a grant type the API does not document")],
    "OAUTH-013": [(r"last used on (?P<day>[0-9-]+)", "Delete OAuth client {name} if unused (last used {day})"),
                  ("", "Delete OAuth client {name} if unused (no request in the usage window)")],
    "AUTH-001": [("", "Require multi-factor authentication (Organization Settings > Authentication)")],
    "AUTH-002": [("", "Grant the MFA reset permissions (mfa > verifier) to at least two admins")],
    "AUTH-003": [("", "Raise the password requirements to at least the Genesys defaults")],
    "AUTH-004": [("", "Replace the IP allowlist entries Genesys ignores with public IPv4 CIDRs")],
    "AUTH-005": [("", "List your sites' public IPv4 CIDRs in the IP allowlist")],
    "AUTH-006": [("", "Turn on the idle token timeout (Organization Settings > Automatic Inactivity Timeout)")],
    "AUTH-007": [("", "Restrict embedding of Genesys Cloud to your domains")],
    "USER-001": [("", "Deactivate user {name} if they left")],
    "USER-002": [("", "Remove the admin roles of dormant user {name}, or deactivate them")],
    "TRUST-001": [("", "Give authorized organization {name} specific roles and an expiry date")],
    "PLAN-001": [("", "Fix plan entry {name}: nothing in the org matches it")],
    "QUE-002": [("", "Assign wrap-up codes to queue {name} (its wrap-up is mandatory)")],
    "QUE-003": [("", "Have agents join queue {name} (no member is joined)")],
    "QUE-004": [("", "Make the wrap-up timeout of queue {name} match its prompt")],
    "QUE-005": [("", "Route web messaging to queue {name} in the deployment's inbound message flow")],
    "WRP-001": [("", "Replace the missing wrap-up code(s) on queue {name}")],
    "WRP-002": [("", "Rename or remove duplicate wrap-up code {name}")],
    "APPLY-001": [("", "Set ignore_members = true on queue {name}, or list its members, before applying")],
    "APPLY-002": [("", "List every role user {name} holds in its genesyscloud_user_roles before applying")],
    "APPLY-003": [(r"turns (?P<what>.+?) off", "Keep {what} enabled in the configuration deployment {name} pins")],
    "APPLY-004": [("", "Keep {name}: undo the change that deletes or replaces it, or move what depends on it first")],
}


def finding_title(result: Result) -> str:
    """The title to print beside this result: the pass condition for PASS, the finding for FAIL."""
    if result.status is not Status.FAIL:
        return result.title
    return FINDING_TITLES.get(result.rule_id) or f"Not met: {result.title}"


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return (match.group(1) if match else text.strip()).rstrip(".")


def _quoted(name: str) -> str:
    return f"'{name}'"


def action(result: Result) -> str:
    """One imperative line naming the object: "Activate deployment 'Northwind Help Center' (now Inactive)"."""
    name = result.resource_name or result.resource_id
    if result.status is Status.ERROR:
        return f"Could not check {result.rule_id}: {_first_sentence(result.message)}"
    for pattern, template in ACTIONS.get(result.rule_id, []):
        match = re.search(pattern, result.message) if pattern else None
        if pattern and match is None:
            continue
        values = {"name": _quoted(name), "type": resource_word(result.resource_type),
                  **(match.groupdict() if match else {})}
        return template.format(**values)
    return f"{resource_word(result.resource_type).capitalize()} {_quoted(name)}: {_first_sentence(result.message)}"
