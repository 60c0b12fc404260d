"""``benchmarks.stores``' results as Markdown tables (``--markdown``)."""

from __future__ import annotations

from typing import Any

from benchmarks.query_timing import QUERY_TIMEOUT_S, RDFLIB_TIMEOUT_S

SMALL = 1_000  # the targets: a query answering at most this many rows in at most 50 ms (median)


def markdown(results: list[dict[str, Any]], rdflib_timeout_s: float = RDFLIB_TIMEOUT_S,
             timeout_s: float = QUERY_TIMEOUT_S) -> str:
    """The results as Markdown tables."""
    lines = []
    for result in results:
        lines += [f"### {result['input']} ({result['triples']:,} triples)", ""]
        loads = ", ".join(f"{k} {v:,.0f} ms" for k, v in result["load_ms"].items() if k != "load average")
        lines += [f"- load: {loads} (load average {result['load_ms'].get('load average', '?')})"]
        listing = result["listing_ms"]
        lines += [f"- whole-graph listing: CSV ours {listing['kg csv']:,.0f} ms / bare {listing['bare csv']:,.0f} ms "
                  f"({listing['ratio csv']}x), JSON ours {listing['kg json']:,.0f} ms / bare "
                  f"{listing['bare json']:,.0f} ms ({listing['ratio json']}x) (load average {listing['load average']})"]
        lines += [f"- load average (1 min) at the start and end: {result['load_average'][0]} → "
                  f"{result['load_average'][1]}; worst query of ≤ {SMALL:,} rows: {result['worst_small_ms']} ms "
                  f"(Oxigraph's part), {result['worst_small_total_ms']} ms (with the check)"]
        if result["skipped"]:
            lines += [f"- not run: {', '.join(result['skipped'])}"]
        lines += [""]
        kinds = [k for k in ("rdflib", "oxigraph", "bare pyoxigraph") if any(k in r for r in result["queries_ms"])]
        lines += ["| query | rows | ≤ 1,000 | check ms | " + " | ".join(f"{k} ms" for k in kinds)
                  + " | oxigraph total ms | load avg |",
                  "| --- | ---: | :---: | ---: | " + " | ".join("---:" for _ in kinds) + " | ---: | ---: |"]
        for row in result["queries_ms"]:
            cells = " | ".join(_cell(row.get(k), rdflib_timeout_s if k == "rdflib" else timeout_s) for k in kinds)
            rows = row.get("rows")
            small = "" if rows is None else "yes" if rows <= SMALL else "no"
            total = row["check"] + row["oxigraph"]
            lines.append(f"| {row['query']} | {'' if rows is None else f'{rows:,}'} | {small} | {row['check']:,.1f} | "
                         f"{cells} | {_cell(total, timeout_s)} | {row['load average']} |")
        lines.append("")
    return "\n".join(lines)


def listing_markdown(results: list[dict[str, Any]]) -> str:
    """``--listing-only`` results as one Markdown table (medians; each run's load average beside)."""
    lines = ["| input | triples | format | ours ms | bare ms | ratio | runs (ours / bare ms, load avg) |",
             "| --- | ---: | --- | ---: | ---: | ---: | --- |"]
    for result in results:
        listing = result["listing_ms"]
        for fmt in ("csv", "json"):
            runs = listing[f"runs {fmt}"]
            each = "; ".join(f"{k:,.0f} / {b:,.0f} ({a})" for k, b, a in zip(runs["kg"], runs["bare"],
                                                                             runs["load average"], strict=True))
            lines.append(f"| {result['input']} | {result['triples']:,} | {fmt.upper()} | {listing[f'kg {fmt}']:,.1f} | "
                         f"{listing[f'bare {fmt}']:,.1f} | {listing[f'ratio {fmt}']}x | {each} |")
    return "\n".join(lines) + "\n"


def _cell(value: float | None, timeout_s: float) -> str:
    if value is None:
        return ""
    if value == float("inf"):
        return f"> {timeout_s:g} s"
    return f"{value:,.1f}"
