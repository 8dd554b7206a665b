"""`--html FILE` / `--format html`: one self-contained HTML file an admin reads in a browser.

Layout and behaviour live in `report_templates/` (jinja2, autoescaped). This module turns the
`AuditReport` into the template context:

- header facts, the readiness chain and verdict (`readiness.py`), counts, failed datasets;
- one section per rule (metadata from the catalog), rendered by jinja;
- every result as a compact JSON array in `<script type="application/json">`, from which the
  page's small script renders rows in pages, so 20,000 results do not become 20,000 DOM rows.

Safety: every org string is made printable (`table.clean`) and escaped by jinja or set with
`textContent` by the script; the JSON block escapes `<`, `>`, `&` so no name can close the
`<script>` element; a Content-Security-Policy allows no external load and only the page's own
script (by hash), so even a missed escape cannot run injected script.

Extension hook (used by the nightly run): `render(report, extra={...})`. `extra` is available to
templates as `extra`; `extra["badges"]` ({fingerprint: "NEW" | "REGRESSED" | ...}) puts a badge on
those rows; `extra["script"]` is trusted JS appended to the page script (and covered by the CSP
hash). A derived template can `{% extends "report.html.j2" %}` and fill the empty blocks
`changes` ("changed since last night") and `trend` (an inline SVG), `head` and `footer`; pass it
with `template="nightly.html.j2", template_dirs=[its folder]`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.reporters import fixfirst, readiness, scope_view
from auditor.reporters.admin_links import link_templates, linkable_id, region_domain
from auditor.reporters.placeholders import is_placeholder
from auditor.reporters.table import clean
from auditor.reporters.words import FINDING_TITLES, resource_word
from auditor.results import Severity, Status
from auditor.safety.sanitise import json_document

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from auditor.results import AuditReport, Result

TEMPLATE = "report.html.j2"
_TEMPLATE_DIR_NAME = "report_templates"

#: Length bounds for org strings in the page (the full data stays in the JSON/CSV outputs).
NAME_LIMIT = 300
TEXT_LIMIT = 4000

_STATUSES = [s.value for s in Status]
_SEVERITIES = [s.value for s in Severity]


def template_dirs() -> list[Path]:
    """Where the templates are: the source checkout (also an editable install), then the copy a
    wheel installs as data files under `<prefix>/share/gcaudit/report_templates`."""
    found = []
    checkout = Path(__file__).resolve().parents[2] / _TEMPLATE_DIR_NAME
    if (checkout / TEMPLATE).is_file():
        found.append(checkout)
    installed = _installed_template_dir()
    if installed is not None and installed not in found:
        found.append(installed)
    return found


def _installed_template_dir() -> Path | None:
    from importlib import metadata

    try:
        files = metadata.files("gcaudit") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in files:
        if entry.name == TEMPLATE and entry.parent.name == _TEMPLATE_DIR_NAME:
            path = Path(str(entry.locate())).resolve().parent
            if (path / TEMPLATE).is_file():
                return path
    return None


@cache
def _environment(extra_dirs: tuple[str, ...] = ()) -> jinja2.Environment:
    import jinja2

    dirs = [*extra_dirs, *map(str, template_dirs())]
    if not any((Path(d) / TEMPLATE).is_file() for d in dirs):
        from auditor.errors import GcauditError

        raise GcauditError(f"HTML report templates ({_TEMPLATE_DIR_NAME}/) not found; reinstall gcaudit")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["codespans"] = codespans
    return env


def codespans(text: str) -> Markup:
    """Rule texts quote API names in `backticks`: show those as <code>, escaping every part."""
    from markupsafe import Markup, escape

    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # unbalanced backticks: show the text as it is
        return Markup(escape(text))
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<code>%s</code>") % p for i, p in enumerate(parts))


def _t(value: object, limit: int = TEXT_LIMIT) -> str:
    return clean("" if value is None else str(value), limit)


def safe_json(value: Any) -> str:
    """JSON that can sit inside <script>: no `<`, `>` or `&` (so no `</script>` or `<!--`), and no
    U+2028/2029 (line terminators in old JS parsers)."""
    text = json_document(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _csp_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _rule_meta(rule_id: str, sample: Result) -> dict[str, Any]:
    from auditor.rules import get

    try:
        meta = get(rule_id).metadata()
    except KeyError:  # a result from a rule not in this catalog (custom or older version)
        meta = {"title": sample.title, "severity": sample.severity.value, "category": sample.category,
                "rationale": "", "remediation": sample.remediation, "references": []}
    references = []
    for ref in meta.get("references", []):
        ref = _t(ref, 500)
        references.append({"text": ref, "url": ref if ref.startswith(("https://", "http://")) else None})
    return {
        "id": _t(rule_id, 40),
        "title": _t(meta["title"], 300),
        "severity": sample.severity.value,
        "category": _t(meta.get("category") or sample.category or "uncategorized", 60),
        "rationale": _t(meta.get("rationale", "")),
        "remediation": _t(meta.get("remediation") or sample.remediation),
        "references": references,
    }


def _fix_first(report: AuditReport) -> dict[str, Any]:
    """The fix-first list as plain, bounded strings (jinja escapes them)."""
    ff = fixfirst.build(report)
    answer = ff.answer

    def item(i: fixfirst.Item) -> dict[str, str]:
        return {"action": _t(plain(i.action), 400), "rule_id": _t(i.rule_id, 40), "severity": i.severity,
                "link_label": fixfirst.LINK_LABELS.get(i.link or "", "Other")}

    ids = {a.id: n for n, a in enumerate(answer.actions, 1)}
    return {
        "verdict_line": answer.verdict_line(),
        "counts_line": answer.counts_line().split(";")[0],
        "ready": answer.ready,
        "actions": [{"text": _t(plain(a.text), 600), "rule_ids": a.rule_ids, "severity": a.severity.value,
                     "link_label": fixfirst.LINK_LABELS.get(a.link, "Other"),
                     "evidence": [_t(plain(e), 600) for e in a.evidence],
                     "after": [ids[d] for d in a.depends_on]} for a in answer.actions],
        "partial": [_t(d.text, 600) for d in answer.partial],
        "blockers": [item(i) for i in ff.blockers],
        "unchecked": [item(i) for i in ff.unchecked],
        "also": [{"label": g.label, "entries": [item(i) for i in g.items]} for g in ff.also],
        "also_count": ff.also_count,
    }


def _blockers_by_link(report: AuditReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in report.answer.blockers:
        key = readiness.link_of(result) or ""
        counts[key] = counts.get(key, 0) + 1
    return counts


def plain(text: str) -> str:
    """Markdown stripped for text set with textContent: `code` loses its backticks."""
    parts = str(text).split("`")
    return "".join(parts) if len(parts) % 2 == 1 else str(text)


def _groups(report: AuditReport) -> tuple[list[dict[str, Any]], list[list[Result]]]:
    """One group per rule: rules with FAIL/ERROR first, then by severity, then by id."""
    by_rule: dict[str, list[Result]] = {}
    for result in report.results:
        by_rule.setdefault(result.rule_id, []).append(result)

    def key(item: tuple[str, list[Result]]) -> tuple[int, int, str]:
        rule_id, results = item
        problem = any(r.status in (Status.FAIL, Status.ERROR) for r in results)
        return (0 if problem else 1, results[0].severity.rank, rule_id)

    groups, members = [], []
    for index, (rule_id, results) in enumerate(sorted(by_rule.items(), key=key)):
        results = sorted(results, key=lambda r: (r.status.rank, r.resource_name.casefold(), r.resource_id))
        counts = Counter(r.status.value for r in results)
        meta = _rule_meta(rule_id, results[0])
        if counts["FAIL"]:
            meta["title"] = _t(FINDING_TITLES.get(rule_id) or meta["title"], 300)
        meta.update(
            index=index,
            badge=meta["severity"] if counts["FAIL"] else "neutral",
            counts=[(s, counts[s]) for s in _STATUSES if counts[s]],
            total=len(results),
            open=bool(counts["FAIL"] or counts["ERROR"]),
        )
        groups.append(meta)
        members.append(results)
    return groups, members


def _payload(report: AuditReport, groups: list[dict[str, Any]], members: list[list[Result]],
             extra: dict[str, Any]) -> dict[str, Any]:
    status_index = {s: i for i, s in enumerate(_STATUSES)}
    no_link = set(extra.get("no_link") or ())  # fingerprints never to link (preflight: ids that do not exist)
    rows = []
    for group, results in zip(groups, members, strict=True):
        for r in results:
            rows.append([
                group["index"],
                status_index[r.status.value],
                _t(r.resource_type, 60),  # the key of the admin-link template; words in column 8
                _t(r.resource_id, NAME_LIMIT),
                _t(r.resource_name, NAME_LIMIT),
                _t(plain(r.message) + _waiver_note(r) + (f" [{r.where}]" if r.location else "")),
                r.fingerprint,
                1 if linkable_id(r.resource_id) and not is_placeholder(r.resource_id)
                and r.fingerprint not in no_link else 0,
                _t(resource_word(r.resource_type), 60),
            ])
    badges = {_t(fp, 64): _t(label, 20) for fp, label in (extra.get("badges") or {}).items()}
    return {
        "statuses": _STATUSES,
        "severities": _SEVERITIES,
        "groups": [{"id": g["id"], "title": g["title"], "sev": g["severity"]} for g in groups],
        "links": link_templates(report.region),
        "rows": rows,
        "badges": badges,
    }


def _asset(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def _scope(report: AuditReport) -> dict[str, Any] | None:
    """The co-browse scope block (`scope_view`), every org-supplied text bounded and printable."""
    view = scope_view.describe(report)
    if view is None:
        return None
    return {
        "headline": _t(view.headline, 300),
        "fallback": _t(view.fallback, 300) if view.fallback else "",
        "has_traffic": view.has_traffic,
        "queues": [{"name": _t(q.name, NAME_LIMIT), "visible": q.visible, "web": q.webmessaging, "voice": q.voice,
                    "sessions": q.cobrowse_sessions} for q in view.queues],
    }


def build_context(report: AuditReport, extra: dict[str, Any] | None = None,
                  env: jinja2.Environment | None = None) -> dict[str, Any]:
    from markupsafe import Markup

    env = env or _environment()
    extra = dict(extra or {})
    links = readiness.chain(report)
    verdict = readiness.verdict(report, links)
    groups, members = _groups(report)
    script = _asset(env, "report.js") + ("\n" + extra["script"] if extra.get("script") else "")
    if "</script" in script.lower() or "<!--" in script:
        raise ValueError("report script must not contain '</script' or '<!--'")
    csp = (f"default-src 'none'; script-src '{_csp_hash(script)}'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    failed = [
        {"name": _t(name, 60), "reason": _t(_reason(info), 300)}
        for name, info in sorted(report.missing_datasets.items())
    ]
    by_status = report.counts_by_status()
    return {
        "org": {"name": _t(report.org_name or report.org_id, NAME_LIMIT), "id": _t(report.org_id, 80)},
        "region": _t(report.region or "", 60),
        "domain": region_domain(report.region) or "",
        "collected_at": _t(report.collected_at, 60),
        "generated_at": _t(report.generated_at, 60),
        "tool_version": _t(report.tool_version, 40),
        "snapshot": _t(Path(report.snapshot_path).name if report.snapshot_path else "", 200),
        "plan": _t(Path(report.plan_path).name if report.plan_path else "", 200),
        "verdict": verdict,
        "chain": links,
        "fix": _fix_first(report),
        "scope_view": _scope(report),
        "blockers_by_link": _blockers_by_link(report),
        "all_clear": not any(r.status in (Status.FAIL, Status.ERROR) for r in report.results),
        "blocking": readiness.BLOCKING.value,
        "total": len(report.results),
        "by_status": by_status,
        "failures_by_severity": report.failures_by_severity(),
        "failed_datasets": failed,
        "partial_data": [_t(d.text, 600) for d in report.answer.partial],
        "groups": groups,
        "statuses": _STATUSES,
        "severities": _SEVERITIES,
        "data_json": Markup(safe_json(_payload(report, groups, members, extra))),
        "script": Markup(script),
        "style": Markup(_asset(env, "report.css")),
        "csp": csp,
        "extra": extra,
    }


def _waiver_note(r: Result) -> str:
    """WAIVED rows say what they were and who accepted the risk until when (see auditor/inputs/waivers.py)."""
    if r.waiver is None:
        return ""
    was = r.original_status.value if r.original_status else "FAIL"
    return (f" [waived, was {was}: owner {r.waiver.get('owner', '?')}, expires {r.waiver.get('expires', '?')}; "
            f"{r.waiver.get('reason', '')}]")


def _reason(info: dict[str, Any]) -> str:
    parts = [f"HTTP {info['http_status']}" if info.get("http_status") else "", info.get("error_code") or ""]
    text = " ".join(p for p in parts if p)
    message = info.get("message") or ""
    return f"{text}: {message}" if text and message else text or message or "not collected"


def render(report: AuditReport, *, extra: dict[str, Any] | None = None, template: str = TEMPLATE,
           template_dirs: tuple[str, ...] | list[str] = (), **_: Any) -> str:
    env = _environment(tuple(str(d) for d in template_dirs))
    return env.get_template(template).render(**build_context(report, extra, env))
