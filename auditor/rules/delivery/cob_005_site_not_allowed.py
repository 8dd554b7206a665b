from __future__ import annotations

from collections.abc import Iterator

from auditor.genesys.domains import Site, allowing_entry
from auditor.rules import Outcome, RuleContext, failed, passed, rule
from auditor.rules._text import name_list
from auditor.safety.fileio import shorten


@rule(
    id="COB-005",
    title="Every plan site is https and allowed by a co-browse deployment",
    severity="high",
    resource_type="site",
    rationale="""Co-browse for Messenger runs only on https pages, and Messenger loads only on
        hosts the web deployment allows (`allowedDomains`, which feed the CORS headers, unless
        `allowAllDomains` is true). A plan site on http, or on a host no in-scope deployment
        allows, never shows Messenger, so no co-browse offer reaches the customer. Domains live on
        the deployment, not in the configuration's `cobrowse` block, whatever forum answers say.
        How entries match hosts (exact host, `*.` and `.` prefixes, entries with a scheme, port or
        path) is documented in the README because Genesys does not document it.""",
    remediation="""Serve the page over https, and add its host to Admin > Message > Messenger
        Deployments > (deployment) > Restrict domain access (`allowedDomains` in
        PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=(
        "https://help.mypurecloud.com/articles/co-browse-for-messenger-overview/",
        "https://help.mypurecloud.com/articles/configure-messenger/",
    ),
    datasets=("deployments",),
    chain_link="deployment",
    plan_requires=("sites",),
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.frames.deployments
    frame = frame[frame["id"].isin(ctx.scope.deployment_ids)]
    deployments = list(zip(frame["name"], frame["allow_all_domains"], frame["allowed_domains"], strict=True))
    for url in ctx.scope.sites:
        label = shorten(url)
        site = Site.parse(url)
        if site is None:
            yield failed(url, label, f"Site {label!r} is not a URL with a scheme and host.")
            continue
        problems = []
        if site.scheme != "https":
            problems.append("is not https (co-browse runs only on https pages)")
        allowed_by = None
        for name, allow_all, domains in deployments:
            if allow_all:
                allowed_by = f"deployment {name!r} (allowAllDomains)"
                break
            entry = allowing_entry(site, domains)
            if entry is not None:
                allowed_by = f"deployment {name!r} (allowedDomains entry {shorten(entry)!r})"
                break
        if not deployments:
            problems.append("has no in-scope co-browse deployment to load Messenger")
        elif allowed_by is None:
            problems.append(
                f"host {site.host!r} is not allowed by the allowedDomains of {name_list(n for n, _, _ in deployments)}"
            )
        if problems:
            yield failed(url, label, f"Site {label!r} {' and '.join(problems)}.")
        else:
            yield passed(url, label, f"Site {label!r} is https and allowed by {allowed_by}.")
