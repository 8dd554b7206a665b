"""The answer's actions as preflight shows them, after its own lead: "What the rollout would hit".

Preflight renders the engine's `Answer` (`auditor.answer`) and recomputes nothing: with --plan it
is the audit's own answer (the same verdict, blockers and actions as `gcaudit audit --plan`); for
a request, the answer of the chain rules over the objects the request names. Each action: the
object and the exact change, the evidence it rests on, the findings it resolves, and the actions
to do first. Strings are raw org text until here: cleaned (terminal) or escaped (Markdown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.reporters.table import clean, wrap
from auditor.safety import sanitise

if TYPE_CHECKING:
    from auditor.answer import Action, Answer

#: Evidence lines shown per action in a terminal (the JSON has all of them).
MAX_EVIDENCE = 3
#: Resolved findings named per action before "and N more".
MAX_RESOLVED = 6


def heading(answer: Answer, subject: str) -> str:
    """`What the rollout would hit: 15 actions resolve 25 blockers`."""
    n, b = len(answer.actions), len(answer.blockers)
    if not b:
        return f"What the {subject} would hit: nothing blocks co-browse"
    return (f"What the {subject} would hit: {n} action{'' if n == 1 else 's'} "
            f"resolve{'s' if n == 1 else ''} {b} blocker{'' if b == 1 else 's'}")


def _resolved(action: Action) -> str:
    names = [f"{r.rule_id} '{r.resource_name}'" for r in action.resolves[:MAX_RESOLVED]]
    more = len(action.resolves) - MAX_RESOLVED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def table_lines(answer: Answer, subject: str, width: int) -> list[str]:
    """The actions, numbered as the answer orders them (dependencies first), then what could not
    be checked and the other findings in one line per kind of object."""
    out = ["", *wrap(heading(answer, subject) + (":" if answer.actions else ""), width, "    ", first="")]
    for number, action in enumerate(answer.actions, 1):
        out += wrap(f"[{action.severity.value}] {clean(action.text, 600)} ({', '.join(action.rule_ids)})", width,
                    "      ", first=f"  {number:>2}. ")
        for line in action.evidence[:MAX_EVIDENCE]:
            out += wrap(clean(line, 400), width, "          ", first="      - ")
        out += wrap("resolves: " + clean(_resolved(action), 600), width, "          ", first="      ")
        if action.depends_on:
            out += wrap("after: " + ", ".join(_number(answer, i) for i in action.depends_on), width, "          ",
                        first="      ")
    for division in answer.partial:
        out += wrap(clean(division.text, 600), width, "    ", first="  ! ")
    if answer.unchecked:
        out += ["", *wrap(f"Not checked ({len(answer.unchecked)}, data missing):", width, "  ", first="")]
        out += [line for r in answer.unchecked
                for line in wrap(f"{r.rule_id} {clean(r.resource_name, 120)}: {clean(r.message, 400)}", width,
                                 "    ", first="  - ")]
    if answer.also and subject == "call":
        # A call's other findings are about the objects it names (its token's client...): each said.
        out += ["", *wrap(f"Also about the objects the call names ({answer.also_count}):", width, "  ", first="")]
        out += [line for g in answer.also for r in g.results
                for line in wrap(f"[{r.severity.value}] {clean(r.message, 600)} ({r.rule_id})", width, "      ",
                                 first="  - ")]
    elif answer.also:
        out += ["", *wrap(f"Also in this org: {answer.also_count} finding(s) that do not block co-browse "
                          "(`gcaudit audit` lists them):", width, "  ", first="")]
        out += [f"  {clean(g.label, 60)} ({len(g.results)})" for g in answer.also]
    return out


def _number(answer: Answer, action_id: str) -> str:
    """An action id ("A3") as the number it is listed under ("3")."""
    for number, action in enumerate(answer.actions, 1):
        if action.id == action_id:
            return str(number)
    return clean(action_id, 20)


def markdown_lines(answer: Answer, subject: str) -> list[str]:
    def md(text: str, limit: int = 600) -> str:
        return sanitise.markdown(text, limit)

    out = ["", f"### {md(heading(answer, subject))}", ""]
    for number, action in enumerate(answer.actions, 1):
        out.append(f"{number}. **{action.severity.value}** {md(action.text)} ({', '.join(action.rule_ids)})")
        out += [f"    - {md(line, 400)}" for line in action.evidence[:MAX_EVIDENCE]]
        out.append(f"    - Resolves: {md(_resolved(action))}")
        if action.depends_on:
            out.append("    - After: " + ", ".join(_number(answer, i) for i in action.depends_on))
    out += [f"- **{md(d.text)}**" for d in answer.partial]
    if answer.unchecked:
        out += ["", f"### Not checked ({len(answer.unchecked)}, data missing)", ""]
        out += [f"- {md(r.rule_id)} {md(r.resource_name, 120)}: {md(r.message, 400)}" for r in answer.unchecked]
    if answer.also and subject == "call":
        out += ["", f"### Also about the objects the call names ({answer.also_count})", ""]
        out += [f"- **{r.severity.value}** {md(r.message)} ({md(r.rule_id)})" for g in answer.also for r in g.results]
    elif answer.also:
        out += ["", f"Also in this org: {answer.also_count} finding(s) that do not block co-browse: "
                + ", ".join(f"{md(g.label, 60)} ({len(g.results)})" for g in answer.also) + "."]
    return out
