"""The bulk benchmark's results as Markdown (``benchmarks/results/bulk.md``), from its JSON."""

from __future__ import annotations

from typing import Any

#: The export formats, in the table's order (as :mod:`benchmarks.bulk` writes them).
EXPORTS = ("nt", "ttl", "jsonld", "nq", "trig")


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs > 0 else "–"


def _direct_types(row: dict[str, Any]) -> str:
    """Seconds to write each organisation's most specific classes (rows measured before they existed: –)."""
    seconds = row["seconds"].get("direct types")
    return "–" if seconds is None else f"{seconds:.2f}"


def _peaks(row: dict[str, Any]) -> str:
    steps = row.get("peak_mb", {})
    shown = " / ".join(f"{steps[k]:,.0f}" for k in ("stream", "closure", "exports") if k in steps)
    return f"{shown} ({row['peak_rss_mb']:,.0f})"


def _export_cells(row: dict[str, Any]) -> list[str]:
    """Per format ``ours / theirs (ratio)``, then the sum over the formats measured ("–" where a row predates one)."""
    cells, measured = [], [fmt for fmt in EXPORTS if fmt in row["pyoxigraph_dump_s"]]
    for fmt in EXPORTS:
        if fmt not in measured:
            cells.append("–")
            continue
        ours, theirs = row["seconds"][f"export {fmt}"], row["pyoxigraph_dump_s"][fmt]
        cells.append(f"{ours:.2f} / {theirs:.2f} ({_ratio(ours, theirs)})")
    ours = sum(row["seconds"][f"export {fmt}"] for fmt in measured)
    theirs = sum(row["pyoxigraph_dump_s"][fmt] for fmt in measured)
    return [*cells, f"{ours:.2f} / {theirs:.2f} ({_ratio(ours, theirs)})"]


def markdown(results: dict[str, Any]) -> str:
    """The results as Markdown tables (one row per corpus size and store kind)."""
    machine = results["machine"]
    lines = [
        "# Bulk build benchmark (`python -m benchmarks.bulk`)", "",
        f"Generated {results.get('generated', '?')}: Python {machine['python']}, pyoxigraph {machine['pyoxigraph']}, "
        f"{machine['cpus']} CPUs, {machine['platform']}. Seed 0. Per size `runs` builds, each in a fresh "
        "process (seconds: medians; peaks: the largest), then as many reloads (one in rows measured before "
        "2026-11-26 05:00); the machine was shared (load average, 1 min, at the start and end of each size). "
        "Method: docs/bulk.md.", "",
        "| articles | runs | store | asserted | inferred | stream s | of which store writes s "
        "| bare bulk_load of graph.nt s "
        "(ratio) | closure s | direct types s | peak RSS MB after stream / closure / exports (whole process) "
        "| load avg |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["sizes"]:
        store_s, bare = row["seconds"]["stream store"], row["bare_bulk_load_nt_s"]
        lines.append(f"| {row['articles']:,} | {row.get('runs', 1)} | {row['store']} | {row['asserted']:,} | "
                     f"{row['inferred']:,} | "
                     f"{row['seconds']['stream']:.1f} | {store_s:.2f} | {bare:.2f} ({_ratio(store_s, bare)}) | "
                     f"{row['seconds']['closure']:.2f} | {_direct_types(row)} | {_peaks(row)} | "
                     f"{row['load_avg']} → {row['load_avg_end']} |")
    lines += ["", "Exports: ours (sorted, literals as built) / pyoxigraph's `Store.dump` of the same graph(s) to a "
              "file in the same format, seconds (ratio). `nt` includes the dump and sort the Turtle and JSON-LD "
              "reuse; `nq` the merge with the inferred graph the TriG reuses. \"all\": the formats of the row.", "",
              "| articles | store | nt | ttl | jsonld | nq | trig | all "
              "| reload graph.nq: kg load_file / bare bulk_load s |",
              "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results["sizes"]:
        reload = row["reload"]
        cells = " | ".join(_export_cells(row))
        ours, bare = reload["kg_load_file_s"], reload["bare_bulk_load_s"]
        lines.append(f"| {row['articles']:,} | {row['store']} | {cells} | {ours:.2f} / {bare:.2f} "
                     f"({_ratio(ours, bare)}) |")
    notes = [f"- {row['articles']:,} articles ({row.get('measured', 'earlier')}): {row['note']}"
             for row in results["sizes"] if row.get("note")]
    return "\n".join([*lines, *(["", *notes] if notes else [])]) + "\n"
