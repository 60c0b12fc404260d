"""Benchmark of the bulk path (``kg.bulk.build_into_store``): stream-build, closure, exports, reload.

``python -m benchmarks.bulk --articles 100,1000,2300 --out benchmarks/results/bulk.json [--store disk|memory]``

Per size a corpus is generated (seed 0), then each measurement runs in a fresh Python process (its peak RSS
read by the parent with ``os.wait4``; the child also reports its running ``ru_maxrss`` after each step):

- ``build``: ``build_into_store`` (stream, closure, state, exports nt/ttl/jsonld/nq/trig), then, in the same
  process and on the same store, pyoxigraph's own serialiser of the same graphs in the same format
  (``Store.dump`` to a file; JSON-LD, Turtle and N-Triples of the default graph, N-Quads and TriG of both),
  and a bare ``Store.bulk_load`` of the exported ``graph.nt`` into a fresh store of the same kind, against
  which the stream's own loading (term conversion + ``bulk_extend``, ``stream store``) is compared;
- ``reload``: the exported ``graph.nq`` into a fresh in-memory store, by ``kg.store_load.load_file`` (what
  ``kg query --graph graph.nq --store oxigraph`` does) and by a bare ``Store.bulk_load``.

Results: ``--out`` (JSON) and the same name with ``.md`` (a table). Method and discussion: ``docs/bulk.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.__main__ import run_child

PYTHON = sys.executable
EXPORTS = ("nt", "ttl", "jsonld", "nq", "trig")
DUMPS = {"nt": ("N_TRIPLES", False), "ttl": ("TURTLE", False), "jsonld": ("JSON_LD", False),
         "nq": ("N_QUADS", True), "trig": ("TRIG", True)}


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_build(corpus: Path, work: Path, disk: bool) -> dict[str, Any]:
    """The bulk build, then pyoxigraph's own dumps and a bare bulk_load of the same triples."""
    import pyoxigraph as ox

    from kg.bulk import build_into_store
    from kg.bulk_export import PREFIX_IRIS

    out = work / "out"
    summary = build_into_store(corpus, work / "store" if disk else None, out, formats=EXPORTS)
    result: dict[str, Any] = {"articles": summary.articles, "asserted": summary.asserted,
                              "inferred": summary.inferred, "seconds": summary.seconds, "rss_after_build_mb": _rss_mb(),
                              "peak_mb": summary.peak_mb, "unrestored": summary.unrestored,
                              "bytes": {fmt: path.stat().st_size for fmt, path in summary.files.items()}}
    dumps: dict[str, float] = {}
    for fmt, (name, with_inferred) in DUMPS.items():
        started = time.perf_counter()
        summary.store.dump(output=str(work / f"dump.{fmt}"), format=getattr(ox.RdfFormat, name),
                           from_graph=None if with_inferred else ox.DefaultGraph(), prefixes=PREFIX_IRIS)
        dumps[fmt] = time.perf_counter() - started
        (work / f"dump.{fmt}").unlink()
    result["pyoxigraph_dump_s"] = dumps
    del summary
    fresh = ox.Store(str(work / "fresh")) if disk else ox.Store()
    started = time.perf_counter()
    fresh.bulk_load(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    result["bare_bulk_load_nt_s"] = time.perf_counter() - started
    return result


def child_reload(nq: Path) -> dict[str, Any]:
    """``graph.nq`` into fresh in-memory stores: by kg's loader, and by a bare bulk_load."""
    import pyoxigraph as ox

    from kg.store_load import load_file

    started = time.perf_counter()
    loaded = load_file(ox.Store(), nq)
    kg_s = time.perf_counter() - started
    assert loaded is not None and loaded.with_inferred
    started = time.perf_counter()
    ox.Store().bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    return {"kg_load_file_s": kg_s, "bare_bulk_load_s": time.perf_counter() - started}


def measure(count: int, work: Path, disk: bool) -> dict[str, Any]:
    """One size: generate, build (fresh process), reload (fresh process)."""
    from benchmarks.generate import generate

    corpus = work / f"corpus-{count}"
    started = time.perf_counter()
    generate(count, corpus, seed=0)
    generate_s = time.perf_counter() - started
    load_avg = os.getloadavg()[0]
    build = run_child([PYTHON, "-m", "benchmarks.bulk", "--child", "build", str(corpus), str(work),
                       "disk" if disk else "memory"])
    row = build.json()
    row.update(generate_s=generate_s, load_avg=round(load_avg, 2), peak_rss_mb=build.rss_mb, wall_s=build.seconds,
               store="disk" if disk else "memory")
    reload = run_child([PYTHON, "-m", "benchmarks.bulk", "--child", "reload", str(work / "out" / "graph.nq")])
    row["reload"] = reload.json()
    row["reload"]["peak_rss_mb"] = reload.rss_mb
    row["load_avg_end"] = round(os.getloadavg()[0], 2)
    row["measured"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return row


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.child:
        return _child(args.child)
    out = Path(args.out)
    results: dict[str, Any] = json.loads(out.read_text()) if args.update and out.exists() else {"sizes": []}
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    import pyoxigraph

    results["machine"]["pyoxigraph"] = pyoxigraph.__version__
    for count in (int(n) for n in args.articles.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"kg-bulk-{count}-", dir=args.work))
        try:
            row = measure(count, work, args.store == "disk")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        results["sizes"] = [r for r in results["sizes"] if (r["articles"], r["store"]) != (count, row["store"])]
        results["sizes"].append(row)
        results["sizes"].sort(key=lambda r: (r["store"], r["articles"]))
        results["generated"] = time.strftime("%Y-%m-%d %H:%M:%S")
        out.write_text(json.dumps(results, indent=1) + "\n")
        out.with_suffix(".md").write_text(markdown(results))
        print(f"{count} articles: {json.dumps(row)}", flush=True)
    return 0


def _child(args: list[str]) -> int:
    if args[0] == "build":
        result = child_build(Path(args[1]), Path(args[2]), args[3] == "disk")
    else:
        result = child_reload(Path(args[1]))
    print(json.dumps(result))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", default="100,1000,2300")
    parser.add_argument("--out", default="benchmarks/results/bulk.json")
    parser.add_argument("--store", choices=("disk", "memory"), default="disk")
    parser.add_argument("--work", default=None,
                        help="folder for corpora, stores and exports (default: the system temporary folder)")
    parser.add_argument("--update", action="store_true", help="keep the other sizes of an existing --out")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser


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
        f"{machine['cpus']} CPUs, {machine['platform']}. Seed 0. One run per size, each step in a fresh process; "
        "the machine was shared (load average, 1 min, at the start and end of each size). Method: docs/bulk.md.", "",
        "| articles | store | asserted | inferred | stream s | of which store writes s | bare bulk_load of graph.nt s "
        "(ratio) | closure s | direct types s | peak RSS MB after stream / closure / exports (whole process) "
        "| load avg |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["sizes"]:
        store_s, bare = row["seconds"]["stream store"], row["bare_bulk_load_nt_s"]
        lines.append(f"| {row['articles']:,} | {row['store']} | {row['asserted']:,} | {row['inferred']:,} | "
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


if __name__ == "__main__":
    raise SystemExit(main())
