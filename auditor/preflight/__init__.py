"""`gcaudit preflight`: predict what a planned co-browse call or rollout will hit (400/403/404) and why.

request (parse a request file, bare body or curl) -> endpoints (match the real co-browse API)
-> checks (one Prediction per problem) + chain (the catalog rules over the objects named)
-> verdict (GO / NO-GO, the request that would work) -> render.
"""

from auditor.preflight.checks import PREFLIGHT_CHECKS, Prediction
from auditor.preflight.request import PlannedRequest, parse_curl, parse_request_file
from auditor.preflight.verdict import PreflightReport, run_preflight

__all__ = ["PREFLIGHT_CHECKS", "PlannedRequest", "Prediction", "PreflightReport", "parse_curl",
           "parse_request_file", "run_preflight"]
