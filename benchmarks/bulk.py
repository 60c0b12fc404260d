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
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.__main__ import run_child
from benchmarks.bulk_report import EXPORTS, markdown

PYTHON = sys.executable
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


def _medians(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The last run's row with every timing the median over ``rows`` (each run's kept under ``runs_s``) and
    every peak the largest."""
    row = dict(rows[-1])
    for key in ("seconds", "pyoxigraph_dump_s"):
        row[key] = {k: statistics.median(r[key][k] for r in rows) for k in row[key]}
    row["bare_bulk_load_nt_s"] = statistics.median(r["bare_bulk_load_nt_s"] for r in rows)
    row["peak_mb"] = {k: max(r["peak_mb"][k] for r in rows) for k in row["peak_mb"]}
    row["runs_s"] = {k: [round(r["seconds"][k], 3) for r in rows] for k in row["seconds"]}
    return row


def measure(count: int, work: Path, disk: bool, runs: int = 1) -> dict[str, Any]:
    """One size: generate, build ``runs`` times and reload ``runs`` times (each in a fresh process; medians)."""
    from benchmarks.generate import generate

    corpus = work / f"corpus-{count}"
    started = time.perf_counter()
    generate(count, corpus, seed=0)
    generate_s = time.perf_counter() - started
    load_avg = os.getloadavg()[0]
    builds = [run_child([PYTHON, "-m", "benchmarks.bulk", "--child", "build", str(corpus), str(work),
                         "disk" if disk else "memory"]) for _ in range(runs)]
    row = _medians([build.json() for build in builds])
    row.update(generate_s=generate_s, load_avg=round(load_avg, 2), peak_rss_mb=max(b.rss_mb for b in builds),
               wall_s=statistics.median(b.seconds for b in builds), store="disk" if disk else "memory", runs=runs)
    row["reload"] = _reloads(work / "out" / "graph.nq", runs)
    row["load_avg_end"] = round(os.getloadavg()[0], 2)
    row["measured"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return row


def _reloads(nq: Path, runs: int) -> dict[str, Any]:
    """``runs`` reloads of ``nq``, each in a fresh process: medians, every run's seconds, the largest peak."""
    children = [run_child([PYTHON, "-m", "benchmarks.bulk", "--child", "reload", str(nq)]) for _ in range(runs)]
    measured = [child.json() for child in children]
    return {"kg_load_file_s": statistics.median(m["kg_load_file_s"] for m in measured),
            "bare_bulk_load_s": statistics.median(m["bare_bulk_load_s"] for m in measured),
            "runs": runs, "runs_s": {key: [round(m[key], 3) for m in measured]
                                     for key in ("kg_load_file_s", "bare_bulk_load_s")},
            "peak_rss_mb": max(child.rss_mb for child in children)}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.child:
        return _child(args.child)
    out = Path(args.out)
    results: dict[str, Any] = json.loads(out.read_text()) if args.update and out.exists() else {"sizes": []}
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    import pyoxigraph

    results["machine"]["pyoxigraph"] = pyoxigraph.__version__
    if args.work is not None:
        Path(args.work).mkdir(parents=True, exist_ok=True)  # a folder to work in, made if missing
    for count in (int(n) for n in args.articles.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"kg-bulk-{count}-", dir=args.work))
        try:
            row = measure(count, work, args.store == "disk", args.runs)
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
    parser.add_argument("--runs", type=int, default=1, help="builds per size, each in a fresh process (medians)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
