from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list


def name_key(name: str) -> str:
    """What a person reading the wrap-up list sees as "the same name": case, surrounding and
    repeated whitespace, and Unicode compatibility forms (full-width letters) do not count."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


@rule(
    id="WRP-002",
    title="Wrap-up code names are unique ignoring case and whitespace",
    severity="low",
    resource_type="wrapup_code",
    rationale="""Wrap-up codes are referenced by id, but agents pick them by name. Two codes named
        `Resolved` and `resolved ` look identical in the wrap-up list, so agents split one outcome
        over two ids, reports undercount both, and tools that look codes up by name (scripts,
        Terraform data sources, the forum's invented `wrapUpCode: "COBROWSE_INITIATED"`) pick one
        at random or fail.""",
    remediation="""Admin > Contact Center > Wrap-up Codes: rename or delete all but one of the
        colliding codes (PUT or DELETE /api/v2/routing/wrapupcodes/{codeId}) and reassign queues.""",
    references=("https://help.mypurecloud.com/articles/configure-call-work-settings/",),
    datasets=("wrapupcodes",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    # Org-wide: wrap-up codes are org objects shared by every queue, not part of a plan's scope.
    # One result per code (resource id = code id) so a waiver or fix targets a code, not a name.
    codes = ctx.frames.wrapupcodes.drop_duplicates("id")  # an overlapping page must not self-collide
    groups: dict[str, list[tuple[str, str]]] = {}
    for code_id, name in zip(codes["id"].tolist(), codes["name"].tolist(), strict=True):
        groups.setdefault(name_key(str(name)), []).append((code_id, str(name)))
    for members in groups.values():
        for code_id, name in members:
            others = [n for i, n in members if i != code_id]
            if others:
                yield failed(
                    code_id, name,
                    f"Wrap-up code {name!r} collides with {name_list(others)} "
                    "(same name ignoring case and whitespace).",
                )
            else:
                yield passed(code_id, name, f"Wrap-up code {name!r} has a unique name.")
