"""The results table (printed and in Markdown) and the result files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tabulate import tabulate

from auditor.safety.fileio import atomic_write_text

Row = tuple[str, str, str, str, str]
HEADERS = ("section", "measure", "median (min–max)", "target", "met")


def _s(stat: dict[str, Any], unit: str = "s", digits: int = 2, scale: float = 1.0) -> str:
    median, low, high = (stat[k] * scale for k in ("median", "min", "max"))
    text = f"{median:.{digits}f}{unit}"
    if stat.get("runs", 1) > 1 and low != high:
        text += f" ({low:.{digits}f}–{high:.{digits}f})"
    return text


def _n(stat: dict[str, Any]) -> str:
    return _s(stat, "", 0)


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def rows(results: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    sections = results["sections"]
    if "bound" in sections:
        b = sections["bound"]
        name = (f"1. collection, {b['org_queues']:,} queues, {b['latency_ms']:g} ms, "
                f"{b['rate_per_minute']:,}/min")
        lossless = b["lost"] == 0 and b["duplicated"] == 0 and b["unexpected"] == 0
        out += [
            (name, "API calls", _n(b["calls"]), "", ""),
            (name, "wall time", _s(b["seconds"], " s", 1), "", ""),
            (name, "bound = calls ÷ rate", _s(b["bound_seconds"], " s", 1), "", ""),
            (name, "wall ÷ bound", _s(b["ratio"], "", 3), "≤ 1.15", _met(b["ratio"]["median"] <= 1.15)),
            (name, "429s / retries", f"{_n(b['throttled'])} / {_n(b['retries'])}", "", ""),
            (name, "entities lost / duplicated", f"{b['lost']} / {b['duplicated']} of {b['entities']:,}", "0 / 0",
             _met(lossless and b["complete"])),
        ]
    if "sdk" in sections:
        c = sections["sdk"]
        name = f"2. vs official SDK script, {c['org_queues']:,} queues, {c['latency_ms']:g} ms, no limit"
        fewer = c["gcaudit_calls"]["median"] <= c["sdk_calls"]["median"]
        out += [
            (name, f"gcaudit ({c['gcaudit_workers']} workers)", _s(c["gcaudit_seconds"], " s"), "", ""),
            (name, "SDK script (sequential)", _s(c["sdk_seconds"], " s"), "", ""),
            (name, "speedup (SDK ÷ gcaudit)", _s(c["speedup"], "×", 1), "≥ 5×", _met(c["speedup"]["median"] >= 5)),
            (name, "calls gcaudit / SDK", f"{_n(c['gcaudit_calls'])} / {_n(c['sdk_calls'])}", "gcaudit ≤ SDK",
             _met(fewer)),
            (name, "entities complete (both)", _met(c["sdk_entities_match"] and c["gcaudit_lost"] == 0
                                                      and c["gcaudit_duplicated"] == 0), "", ""),
        ]
    if "scaling" in sections:
        sc = sections["scaling"]
        name = f"3. concurrency, {sc['org_queues']:,} queues, {sc['latency_ms']:g} ms, no limit"
        for row in sc["rows"]:
            out.append((name, f"{row['workers']} worker(s)",
                        f"{_s(row['seconds'], ' s')}; {row['calls_per_second']:.0f} calls/s; "
                        f"{row['speedup_vs_1']:.1f}× vs 1", "", ""))
    if "engine" in sections:
        e = sections["engine"]
        name = "4. rules engine (load + evaluate, fresh process)"
        for row, json_row in zip(e["rows"], e.get("json_rows") or [None] * len(e["rows"]), strict=True):
            out.append((name, f"{row['queues']:,} queues ({row['snapshot_mb']:.0f} MB)",
                        f"{_s(row['total_seconds'], ' s')} (load {row['load_seconds']['median']:.1f} + "
                        f"evaluate {row['evaluate_seconds']['median']:.1f}); "
                        f"peak RSS {row['peak_rss_mb']['median']:,.0f} MB", "", ""))
            if json_row is not None:
                out.append((name, f"{row['queues']:,} queues, JSON only (no sidecars)",
                            f"{_s(json_row['total_seconds'], ' s')}; peak RSS "
                            f"{json_row['peak_rss_mb']['median']:,.0f} MB; columnar ÷ JSON time "
                            f"{row['total_seconds']['median'] / json_row['total_seconds']['median']:.2f}",
                            "results identical", _met(bool(row.get("identical_to_json")))))
        sc = e["scaling"]
        largest = e["rows"][-1]
        out += [
            (name, f"time ratio {sc['from_queues']:,} → {sc['to_queues']:,} (×{sc['size_ratio']:g} size)",
             f"{sc['time_ratio']:.2f}", f"≤ {sc['size_ratio'] * 1.1:g} (≈ linear)",
             _met(sc["time_ratio"] <= sc["size_ratio"] * 1.1)),
            (name, f"{largest['queues']:,} queues: time", _s(largest["total_seconds"], " s"), "< 5 s",
             _met(largest["total_seconds"]["median"] < 5)),
            (name, f"{largest['queues']:,} queues: peak RSS", f"{largest['peak_rss_mb']['median']:,.0f} MB",
             "< 2,048 MB", _met(largest["peak_rss_mb"]["max"] < 2048)),
        ]
    if "reports" in sections:
        r = sections["reports"]
        name = f"5. reports, {r['results']:,} results"
        for fmt, info in r["formats"].items():
            out.append((name, f"{fmt} write", f"{_s(info['seconds'], ' s')}; {info['mb']:.1f} MB", "", ""))
        browser = r.get("browser")
        if browser:
            out += [
                (name, "HTML first contentful paint (Chromium)", _s(browser["first_contentful_paint_ms"], " ms", 0),
                 "", ""),
                (name, "HTML ready (first page of rows rendered)", _s(browser["ready_ms"], " ms", 0), "", ""),
            ]
        else:
            out.append((name, "HTML in Chromium", "skipped (no chromium)", "", ""))
    if "plan" in sections:
        p = sections["plan"]
        name = f"7. call plan, {p['org_queues']:,} queues ({p['scope_queues']:,} in scope)"
        out += [
            (name, "preflight --live (forum request): calls", f"{p['preflight_calls']:,} (full collection "
             f"{p['full_calls']:,})", "≤ 40", _met(p["preflight_calls"] <= 40)),
            (name, "nightly, 10 % scope: calls/queue", f"{p['nightly_calls_per_queue']:.2f} (full "
             f"{p['full_calls_per_queue']:.2f})", "≤ 1.2", _met(p["nightly_calls_per_queue"] <= 1.2)),
            (name, "nightly results = full collection's", _met(p["nightly_results_identical"]), "identical",
             _met(p["nightly_results_identical"])),
            (name, "gcaudit calls ÷ SDK-script calls", f"{p['nightly_vs_sdk_calls']:.2f} (full "
             f"{p['full_vs_sdk_calls']:.2f}; SDK {p['sdk_calls']:,})", "≤ 0.6", _met(p["nightly_vs_sdk_calls"] <= 0.6)),
            (name, f"wall ÷ (calls ÷ rate), preflight --live at {p['rate_per_minute']:g}/min",
             f"{p['wall_vs_bound']:.3f} ({p['preflight_rate_seconds']:.1f} s for {p['preflight_rate_calls']} calls)",
             "≤ 1.05", _met(p["wall_vs_bound"] is not None and p["wall_vs_bound"] <= 1.05)),
        ]
    if "startup" in sections:
        name = "6. start-up"
        for row in sections["startup"]["rows"]:
            heavy = row.get("heavy_modules_imported")
            note = "" if heavy is None else ("; no pandas/jinja2/requests" if not heavy else f"; imports {heavy}")
            out.append((name, row["command"], f"{_s(row['seconds'], ' s', 3)} ({row['vs_python']:.1f}× python)"
                        f"{note}", "no heavy imports" if heavy is not None else "",
                        _met(not heavy) if heavy is not None else ""))
    return out


def render_table(results: dict[str, Any]) -> str:
    data = rows(results)
    # Print the section name once per block, so the console table stays narrow.
    shown, last = [], None
    for section, *rest in data:
        shown.append([section if section != last else "", *rest])
        last = section
    return tabulate(shown, headers=HEADERS, tablefmt="simple")


def _machine_line(m: dict[str, Any]) -> str:
    return (f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['os']}, Python {m['python']}; "
            f"load average at start {', '.join(f'{x:.2f}' for x in m['load_average_at_start'] or [])}")


def render_markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    lines = [
        f"# gcaudit benchmarks, {results['generated_at']} ({results['mode']})",
        "",
        f"- Command: `{results['command']}` (total {results['seconds'] / 60:.1f} min)",
        f"- Machine: {_machine_line(m)}",
        f"- Packages: {packages}",
        "- Each figure: median of the repeated runs, with min–max; "
        f"{results['settings']['repeat']} repetition(s) per figure.",
        "",
        tabulate(rows(results), headers=HEADERS, tablefmt="github"),
        "",
    ]
    sections = results["sections"]
    if "reports" in sections and sections["reports"].get("browser"):
        lines.append(f"Chromium: {sections['reports']['browser']['chromium']}.")
    if "engine" in sections:
        lines += ["", "## Rules engine: where the time goes", "",
                  "| queues | decode (lean, typed) | full validation (fallback only) | evaluate | slowest rules |",
                  "|---|---|---|---|---|"]
        for row in sections["engine"]["rows"]:
            slow = ", ".join(f"{r['rule']} {r['seconds']:.2f} s" for r in row["slowest_rules"][:3])
            lines.append(f"| {row['queues']:,} | {row['parse_seconds']['median']:.2f} s | "
                         f"{row['validate_seconds']['median']:.2f} s | {row['evaluate_seconds']['median']:.2f} s "
                         f"| {slow} |")
    lines += ["", "Raw figures (every run) are in the `.json` file of the same name.", ""]
    return "\n".join(lines)


def write_results(results: dict[str, Any], directory: Path, markdown: str, tag: str = "") -> tuple[Path, Path]:
    stem = results["generated_at"][:10] + (f"-{results['mode']}" if results["mode"] != "full" else "") + (
        f"-{tag}" if tag else "")
    md_path, json_path = directory / f"{stem}.md", directory / f"{stem}.json"
    atomic_write_text(md_path, markdown)
    atomic_write_text(json_path, json.dumps(results, indent=2, default=str) + "\n")
    return md_path, json_path
