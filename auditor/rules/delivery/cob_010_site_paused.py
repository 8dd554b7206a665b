from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list
from auditor.safety.fileio import shorten

#: PauseCriteria.condition values [SDK 269 models/pause_criteria.py].
CONDITIONS = ("Includes", "DoesNotInclude", "StartsWith", "EndsWith", "Equals")


def pauses(url: str, fragment: str, condition: str) -> bool | None:
    """Whether a pause criterion matches the page; None for a condition this tool does not know.

    Genesys does not document which part of the page address `urlFragment` is compared with, nor
    whether case counts, so the whole URL and its path (with query) are both tried, ignoring case:
    a possible pause is reported rather than missed.
    """
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    candidates = [url.casefold(), path.casefold()]
    needle = fragment.casefold()
    if condition == "Includes":
        return any(needle in c for c in candidates)
    if condition == "DoesNotInclude":
        return needle not in candidates[0]
    if condition == "StartsWith":
        return any(c.startswith(needle) for c in candidates)
    if condition == "EndsWith":
        return any(c.endswith(needle) for c in candidates)
    if condition == "Equals":
        return needle in candidates
    return None


@rule(
    id="COB-010",
    title="No plan site matches the co-browse pause criteria",
    severity="medium",
    resource_type="site",
    rationale="""`cobrowse.pauseCriteria` (PauseCriteria {urlFragment, condition: Includes |
        DoesNotInclude | StartsWith | EndsWith | Equals}, SDK 269) pauses co-browse on the pages it
        matches: the agent sees nothing there. A plan site that matches a criterion of a co-browse
        deployment's pinned configuration is a page the rollout wants co-browse on and will not
        get it. Genesys does not document what part of the address is compared, so both the full
        URL and its path are tried, ignoring case.""",
    remediation="""Admin > Message > Messenger Configurations > (configuration) > Co-browse > Pause
        criteria: narrow or remove the criterion, publish, and pin the new version; or take the
        page out of the plan if pausing there is intended (e.g. a payment page).""",
    references=("https://help.mypurecloud.com/articles/configure-messenger/",),
    datasets=("deployments",),
    plan_requires=("sites",),
    chain_link="configuration",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.frames.deployments
    frame = frame[frame["id"].isin(ctx.scope.deployment_ids) & frame["cobrowse_enabled"]]
    deployments = list(zip(frame["name"], frame["pause_criteria"], strict=True))
    for url in ctx.scope.sites:
        label = shorten(url)
        hits = [
            f"{shorten(name)!r} ({condition} {shorten(fragment)!r})"
            for name, criteria in deployments
            for fragment, condition in criteria
            if pauses(url, fragment, condition)
        ]
        if hits:
            yield failed(url, label, f"Co-browse pauses on site {label!r}: pause criteria of {name_list(hits)}.")
        else:
            yield passed(url, label, f"Site {label!r} matches no co-browse pause criterion.")
