from __future__ import annotations

from collections.abc import Iterator

from auditor.rules import Outcome, RuleContext, failed, not_applicable, passed, rule
from auditor.rules._text import text_or_none
from auditor.safety.fileio import shorten


@rule(
    id="COB-012",
    title="The configuration version a co-browse deployment pins is Active",
    severity="high",
    resource_type="web_deployment",
    rationale="""A configuration version has a status of its own (WebDeploymentConfigurationVersion
        .status: Pending | Active | Inactive | Error | Deleting, SDK 269). Messenger serves only an
        Active version: a deployment pinning one that is still Pending, failed (Error), Inactive
        or being deleted serves no configuration, so its co-browse settings never reach the site.""",
    remediation="""Admin > Message > Messenger Configurations > (configuration): fix the error and
        publish again, then pin the Active version on the deployment
        (PUT /api/v2/webdeployments/deployments/{deploymentId}).""",
    references=("https://help.mypurecloud.com/articles/configure-messenger/",),
    datasets=("deployments",),
    chain_link="configuration",
)
def evaluate(ctx: RuleContext) -> Iterator[Outcome]:
    frame = ctx.scope.cobrowse_deployments()
    for deployment_id, name, status, version, config_id, config_name in zip(
        frame["id"], frame["name"], frame["configuration_status"], frame["configuration_version"],
        frame["configuration_id"], frame["configuration_name"], strict=True
    ):
        status, version = text_or_none(status), text_or_none(version)
        if status is None:
            yield not_applicable(
                deployment_id, name,
                f"Deployment {name!r}: the snapshot does not hold the status of its pinned configuration version.",
            )
        elif status == "Active":
            yield passed(deployment_id, name, f"Deployment {name!r} pins Active configuration version {version}.")
        else:
            yield failed(
                deployment_id, name,
                f"Deployment {name!r} pins configuration version {version or '?'} whose status is "
                f"{shorten(str(status))!r}, not Active: Messenger serves no configuration from it.",
                facts={"configuration_id": config_id, "configuration_name": config_name,
                       "version": version, "status": shorten(str(status))},
            )
