"""Each target of the scale issue beside what the benchmarks measured: ``python -m benchmarks.targets``.

Why a program and not a paragraph: the figures in prose drift from the result files they cite (a rerun
changes the file, not the sentence). This reads the result files the benchmarks wrote and states, per target,
the measured value, where it comes from, how many runs, and whether the target is met, missed or not
measured, by the target's own rule (medians of at least 5 runs). Writes ``targets.json`` and ``targets.md``
beside the results.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.floors import lower_bounds

Row = dict[str, Any]
MIN_RUNS = 5
MILLION = 1_000_000


def _read(folder: Path, name: str) -> Any:
    path = folder / name
    if not path.exists():
        return None
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return json.loads(path.read_text(encoding="utf-8"))


def _row(target: str, measured: str, met: bool | None, source: str, runs: int | None = None) -> Row:
    """One line of the table; ``met`` None: not measured. A target met on fewer than 5 runs is said so."""
    if met is None:
        status = "not measured"
    elif runs is not None and runs < MIN_RUNS:
        status = f"{'met' if met else 'missed'} ({runs} run{'s' if runs != 1 else ''}, < {MIN_RUNS})"
    else:
        status = "met" if met else "missed"
    return {"target": target, "measured": measured, "status": status, "source": source}


def kg_build(r: dict[str, Any]) -> Row:
    rules = r["kg_build_article"]["rules"]
    return _row("`kg build` of the article ≤ 1.5 s", f"{rules['median_s']:.2f} s (median)",
                rules["median_s"] <= 1.5, "results.json", rules["runs"])


def closure_speedup(r: dict[str, Any]) -> Row:
    row = next((s for s in r["sizes"] if s["triples"] >= 100_000 and s["owlrl"].get("status") == "ok"), None)
    if row is None:
        return _row("reasoning ≥ 100× owlrl at 100k triples", "–", None, "results.json")
    same = "same triples" if row["owlrl"].get("equal") else "DIFFERENT triples"
    return _row("reasoning ≥ 100× owlrl at 100k triples",
                f"{row['owlrl']['speedup']:.0f}× at {row['triples']:,} triples ({same})",
                row["owlrl"]["speedup"] >= 100 and bool(row["owlrl"].get("equal")), "results.json", row["runs"])


def owlrl_at_a_million(r: dict[str, Any]) -> Row:
    row = next((s for s in r["sizes"] if s["triples"] >= MILLION), None)
    if row is None:
        return _row("owlrl at 1 M triples, time-limited", "–", None, "results.json")
    owlrl = row["owlrl"]
    said = (f"stopped after {owlrl['limit_s']:g} s" if owlrl.get("status") != "ok"
            else f"finished in {owlrl['closure_s']:.0f} s")
    return _row("owlrl at 1 M triples, time-limited", f"{said} at {row['triples']:,} triples", True,
                "results.json")


def _first_million(bulk: dict[str, Any]) -> Row | None:
    return next((s for s in bulk["sizes"] if s["asserted"] >= MILLION), None)


def bulk_closure(bulk: dict[str, Any]) -> Row:
    row = _first_million(bulk)
    if row is None:
        return _row("1 M triples close in ≤ 10 s, ≤ 1.5 GB", "–", None, "bulk.json")
    seconds = row["seconds"]["closure"] + row["seconds"].get("direct types", 0.0)
    peak = row["peak_mb"]["closure"]
    bare = row["bare_bulk_load_nt_s"]  # the machine's speed in the same runs (the issue's: ~2.7 s per 1 M)
    return _row("1 M triples close in ≤ 10 s, ≤ 1.5 GB",
                f"{seconds:.2f} s (closure + direct types), {peak:,.0f} MB at {row['asserted']:,} triples; a bare "
                f"`bulk_load` of them took {bare:.2f} s in the same runs",
                seconds <= 10 and peak <= 1536, "bulk.json", row.get("runs", 1))


def _ratio_row(bulk: dict[str, Any], target: str, limit: float, ratio: Callable[[Row], float],
               runs: Callable[[Row], int] = lambda s: int(s.get("runs", 1))) -> Row:
    rows = [s for s in bulk["sizes"] if s["asserted"] >= MILLION]
    if not rows:
        return _row(target, "–", None, "bulk.json")
    worst = max(ratio(s) for s in rows)
    sizes = ", ".join(f"{s['articles']:,}" for s in rows)
    return _row(target, f"worst {worst:.2f}× (articles: {sizes})", worst <= limit, "bulk.json",
                min(runs(s) for s in rows))


def loading(bulk: dict[str, Any]) -> Row:
    """Reloads are counted on their own: rows measured before they were repeated hold one reload."""
    return _ratio_row(bulk, "loading a kg file ≤ 1.3× bare `bulk_load`", 1.3,
                      lambda s: s["reload"]["kg_load_file_s"] / s["reload"]["bare_bulk_load_s"],
                      lambda s: int(s["reload"].get("runs", 1)))


def exports(bulk: dict[str, Any]) -> Row:
    def worst(s: Row) -> float:
        return float(max(s["seconds"][f"export {f}"] / s["pyoxigraph_dump_s"][f] for f in ("nt", "ttl", "jsonld")
                         if f in s["pyoxigraph_dump_s"]))
    return _ratio_row(bulk, "Turtle/N-Triples/JSON-LD export ≤ 1.5× pyoxigraph's", 1.5, worst)


def few_row_queries(lines: list[Row] | None, stores: list[Row] | None = None, floors: Row | None = None) -> Row:
    """The few-row target; a query stopped at the timeout is a listing if the listing benchmark on the same
    store counted more than 1,000 rows for it, else its rows are unknown. A slow query with a measured floor
    (:mod:`benchmarks.floors`: what any form of it must read) is shown with it."""
    if not lines:
        return _row("queries of ≤ 1,000 rows ≤ 50 ms at 10,000 articles", "–", None, "store-queries-10k.jsonl")
    small = [q for q in lines if "rows" in q and (isinstance(q["rows"], bool) or q["rows"] <= 1000)]
    slow = sorted((q for q in small if q["median_ms"] > 50), key=lambda q: q["median_ms"])
    measured = f"{len(small) - len(slow)} of {len(small)} within 50 ms"
    if slow:
        bounds = lower_bounds(floors["floors"]) if floors else {}
        measured += "; over: " + ", ".join(f"`{q['query']}` {q['median_ms']:,.0f} ms" + (
            f" (what it must read alone: ≥ {bounds[q['query']]:,.0f} ms, `floors-10k.json`)"
            if q["query"] in bounds else "") for q in slow)
    counted = {q["query"]: q["rows"] for q in (stores[-1]["queries_ms"] if stores else []) if "rows" in q}
    stopped = [q["query"] for q in lines if "rows" not in q]  # stopped at the timeout
    listed = [name for name in stopped if counted.get(name, 0) > 1000]
    if listed:
        measured += "; stopped at the timeout, listings in `stores-10k.json`: " + ", ".join(
            f"`{name}` ({counted[name]:,} rows)" for name in listed)
    if unknown := [name for name in stopped if name not in listed]:
        measured += "; stopped at the timeout, rows unknown: " + ", ".join(f"`{name}`" for name in unknown)
    return _row("queries of ≤ 1,000 rows ≤ 50 ms at 10,000 articles", measured, not slow,
                "store-queries-10k.jsonl", min(len(q["all_ms"]) for q in small))


def listings(stores: list[Row] | None) -> Row:
    target = "listings ≤ 1.2× the same SPARQL on bare pyoxigraph, 10,000 articles"
    if not stores:
        return _row(target, "–", None, "stores-10k.json")
    result = stores[-1]
    pairs = [(q["query"], q["oxigraph"] / q["bare pyoxigraph"]) for q in result["queries_ms"]
             if q.get("rows", 0) > 1000 and isinstance(q.get("bare pyoxigraph"), float | int)]
    worst = max(pairs, key=lambda p: p[1])
    measured = f"worst `{worst[0]}` {worst[1]:.2f}× of {len(pairs)} listings"
    # a query with parameters has no bare run (bare pyoxigraph cannot bind them the way kg does)
    if unpaired := [q["query"] for q in result["queries_ms"] if q.get("rows", 0) > 1000
                    and not isinstance(q.get("bare pyoxigraph"), float | int)]:
        measured += " (not compared, taking parameters: " + ", ".join(f"`{name}`" for name in unpaired) + ")"
    return _row(target, measured, worst[1] <= 1.2,
                "stores-10k.json", result.get("runs"))


def network(viz: dict[str, Any] | None) -> list[Row]:
    if viz is None:
        return [_row("network page of 10,000 nodes ≤ 1 s", "–", None, "viz.json")]
    synthetic, store = viz["synthetic"], viz.get("store", {})
    rows = [_row("network page of 10,000 nodes ≤ 1 s", f"{synthetic['median_s']:.2f} s",
                 synthetic["median_s"] <= 1, "viz.json", synthetic["runs"])]
    chromium = store.get("full", {}).get("chromium")
    if chromium:
        rows.append(_row("10,000-article page settles in Chromium ≤ 5 s", f"{chromium['settle_s']:.2f} s",
                         chromium["settle_s"] <= 5, "viz.json", len(chromium["runs_s"])))
    focus = store.get("focus", {}).get("cli")
    if focus:
        rows.append(_row("`--focus` page ≤ 1 s", f"{focus['median_s']:.2f} s", focus["median_s"] <= 1,
                         "viz.json", len(focus["runs_s"])))
    return rows


def targets(folder: Path) -> list[Row]:
    """Every target, from the result files in ``folder`` (a missing file: its targets not measured)."""
    scale, bulk = _read(folder, "results.json"), _read(folder, "bulk.json")
    rows = [kg_build(scale), closure_speedup(scale), owlrl_at_a_million(scale)] if scale else []
    if bulk:
        rows += [bulk_closure(bulk), loading(bulk), exports(bulk)]
    stores = _read(folder, "stores-10k.json")
    rows += [few_row_queries(_read(folder, "store-queries-10k.jsonl"), stores, _read(folder, "floors-10k.json")),
             listings(stores)]
    return rows + network(_read(folder, "viz.json"))


def markdown(rows: list[Row]) -> str:
    lines = ["# The scale targets, as measured (`python -m benchmarks.targets`)", "",
             "Read from the result files in this folder; \"met (N runs, < 5)\": the target asks for medians of at "
             "least 5 runs. Method and conditions: each source file's own notes.", "",
             "| target | measured | status | source |", "|---|---|---|---|"]
    lines += [f"| {r['target']} | {r['measured']} | {r['status']} | `{r['source']}` |" for r in rows]
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- targets:begin -->\n", "<!-- targets:end -->"


def with_table(readme: str, table: str) -> str:
    """``readme`` with the table (from its header row on) between the two markers."""
    head, rest = readme.split(BEGIN, 1)
    return head + BEGIN + table[table.index("| target |"):] + END + rest.split(END, 1)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.targets", description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--readme", type=Path, default=Path("README.md"),
                        help="the file whose targets block is rewritten (default README.md; none: --readme '')")
    args = parser.parse_args(argv)
    rows = targets(args.results)
    table = markdown(rows)
    (args.results / "targets.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.results / "targets.md").write_text(table, encoding="utf-8")
    if str(args.readme) and args.readme.exists():
        args.readme.write_text(with_table(args.readme.read_text(encoding="utf-8"), table), encoding="utf-8")
    print(table, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
