"""The answer to "will co-browse work here, and what do I do?": one object, computed once per report in
the engine layer, rendered by every surface (none recomputes a verdict, an action or a count).

API (stable; also in docs/reports.md "The answer"):

    answer = report.answer                  # AuditReport.answer: built on first use from the results as
                                            # they are (after waivers); rebuilt when report.results is
                                            # reassigned; report.refresh_answer() after in-place edits
    answer.verdict                          # Verdict.READY | NOT_READY | INCOMPLETE ("ready", "not_ready",
                                            # "incomplete"); answer.ready -> bool
    answer.headline                         # "NOT READY for co-browse"
    answer.verdict_line()                   # "NOT READY for co-browse: 17 actions resolve 25 blockers; ..."
    answer.counts_line()                    # the same without the headline
    answer.reasons                          # list[str]: why not READY (per chain link, data gaps)
    answer.blockers                         # list[Result]: FAILs that stop co-browse, chain order
    answer.actions                          # list[Action], in the order to do them:
        action.id ("A1"...), action.link (chain key), action.target (Target: type, id, name),
        action.changes (list[Change]: text, values such as permission/channel/state/version),
        action.text (one line), action.evidence (list[str]), action.resolves (list[Result]),
        action.depends_on (list of action ids), action.severity, action.rule_ids, action.to_dict()
    answer.unchecked                        # list[Result]: ERROR results (not checked)
    answer.also, answer.also_count          # list[Group(label, results)]: other FAILs ("Also in this org")
    answer.partial                          # list[PartialDivision(id, name, datasets, text)]:
                                            # "collected without division 'Stores' (...): <PARTIAL_FIX>"
    answer.not_collected                    # {dataset: reason} for datasets not collected at all
    answer.counts                           # {status: n} over every result
    answer.links                            # list[Link]: the readiness chain, each with a state
    answer.exit_status()                    # --fail-on blockers: 0 ready, 1 not ready, 3 incomplete
    answer.summary()                        # JSON summary keys: verdict, verdict_line, blockers, actions,
                                            # other_findings, not_checked, partial_divisions
    answer.to_dict()                        # the JSON report's "answer" object

Strings are raw org text: each renderer sanitises them for its medium.
"""

from auditor.answer.actions import Action, Change, Target
from auditor.answer.model import LINK_LABELS, PARTIAL_FIX, Answer, Group, PartialDivision, Verdict, build

__all__ = [
           "LINK_LABELS",
           "PARTIAL_FIX",
           "Action",
           "Answer",
           "Change",
           "Group",
           "PartialDivision",
           "Target",
           "Verdict",
           "build",
]
