"""rdflib and Oxigraph stores side by side: ``python -m benchmarks.stores [--graph FILE ...] [--store-dir PATH ...]``.

For the bundled article, each graph file given (``graph.trig`` as ``kg build`` writes it, ``graph.nq`` as
``kg.bulk`` exports it) and each Oxigraph store on disk given (as ``kg.bulk.build_into_store`` leaves it):

- load: the rdflib store (the file parsed by rdflib; its inferred graph used as it is, not re-reasoned, so both
  stores hold the same triples), the Oxigraph store (:func:`kg.store.open_store`, in memory), and bare
  pyoxigraph (``Store().bulk_load`` of the same file, the floor), ``--load-runs`` times each, interleaved
  (median). A store on disk is opened as it is (nothing loaded); ``--load-file`` names the file its load is
  measured on (its ``graph.nq``);
- every bundled query: rows, and the median over ``--runs`` of what ``kg query`` does after loading, split in
  two: ``check`` (:func:`kg.query_engine.prepare`: rdflib's parser and the safety checks, the same on every
  store and every graph size) and the store's part (bind + evaluate + CSV text); ``total`` is their sum. Also
  bare pyoxigraph's ``query`` + CSV of the same text (parameters spelled in as constants, as kg does). rdflib is
  stopped after ``--rdflib-timeout`` seconds per query (reported as ``> N s``), Oxigraph after ``--timeout``;
- a whole-graph listing (``SELECT ?s ?p ?o``) as CSV and JSON: ours (check included, the bytes ``kg query``
  prints) against bare pyoxigraph's ``serialize``, ``--runs`` runs interleaved, each with its load average
  (``--listing-only``: nothing else).

The 1-minute load average is recorded with each measurement (the machine may be shared). Prints one JSON
object; ``--markdown`` prints tables instead. ``--no-rdflib`` skips rdflib on the files.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import statistics
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from benchmarks.query_timing import (
    QUERY_TIMEOUT_S,
    RDFLIB_TIMEOUT_S,
    bare_bytes,
    listing_times,
    load_average,
    run_bytes,
    timed,
)
from benchmarks.stores_report import SMALL, listing_markdown, markdown


def stores_for(graph: Path | None, with_rdflib: bool = True, load_runs: int = 1, store_dir: Path | None = None
               ) -> tuple[dict[str, Any], dict[str, float]]:
    """(stores by name, load milliseconds by name) for the bundled article (None), a graph file, or (with
    ``store_dir``) an Oxigraph store on disk, ``graph`` then being the file its load is measured on."""
    from kg.pipeline import union_of
    from kg.store import StoreSpec, open_store
    from kg.store_rdflib import RdflibStore

    loads: dict[str, float] = {}
    if graph is None:
        from kg.commands import built_from_sources
        from kg.store import open_built

        built_ms, built = timed(lambda: built_from_sources(None), 1)
        loads["build + reason (rdflib, both stores)"] = built_ms
        loads["rdflib"], store = timed(lambda: RdflibStore({True: built.graph(inferred=True)}), 1)
        loads["oxigraph"], opened = timed(lambda: open_built(StoreSpec("oxigraph"), built), 1)
        return {"rdflib": store, "oxigraph": opened.store}, loads
    stores: dict[str, Any] = {}
    if with_rdflib and store_dir is None:
        from kg.io import read_graph

        loads["rdflib"], union = timed(lambda: union_of(read_graph(graph), inferred=True), 1)
        stores["rdflib"] = RdflibStore({True: union})
    fmt = ox.RdfFormat.TRIG if graph.suffix == ".trig" else ox.RdfFormat.N_QUADS
    ours, bare, opened = [], [], None
    for _ in range(load_runs):  # interleaved: a change of load on a shared machine hits both alike
        opened = None
        gc.collect()
        ms, opened = timed(lambda: open_store(StoreSpec("oxigraph"), graph), 1)
        ours.append(ms)
        if store_dir is not None:
            opened = None
        gc.collect()
        ms, _ = timed(lambda: ox.Store().bulk_load(path=str(graph), format=fmt), 1)
        bare.append(ms)
    loads["oxigraph"] = round(statistics.median(ours), 2)
    loads["bare pyoxigraph bulk_load"] = round(statistics.median(bare), 2)
    loads["load average"] = load_average()
    if store_dir is not None:
        loads["oxigraph on disk, opened"], opened_store = timed(lambda: open_disk(store_dir), 1)
        stores["oxigraph"] = opened_store
    else:
        assert opened is not None
        stores["oxigraph"] = opened.store
    return stores, loads


def portable(path: Path) -> str:
    """A result's name for an input: its folder and file name, never the machine's absolute path (results
    are committed; the inputs live in temporary folders)."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def open_disk(path: Path) -> Any:
    """The Oxigraph store on disk at ``path`` with the state in its ``kg-store.json`` (as ``kg.bulk`` left it),
    opened without comparing fingerprints (they cover kg's code, which may have changed since)."""
    from kg.store_open import STATE_FILE
    from kg.store_oxigraph import OxigraphState, OxigraphStore
    from kg.store_terms import Restorations

    saved = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
    state = OxigraphState(saved["asserted"], saved["inferred"], saved["csv_safe"],
                          Restorations.from_rows(saved["restorations"], saved["text_predicates"]))
    return OxigraphStore(ox.Store(str(path)), state, path)


def query_times(stores: dict[str, Any], runs: int, skip: frozenset[str] = frozenset(),
                rdflib_timeout_s: float = RDFLIB_TIMEOUT_S, timeout_s: float = QUERY_TIMEOUT_S
                ) -> list[dict[str, Any]]:
    """Per bundled query (but ``skip``): rows, median ms of the check and of each store's part, and bare
    pyoxigraph's; the load average when it was measured."""
    from kg.query_catalogue import bundled, spec_from_text
    from kg.query_engine import prepare
    from kg.store_bind import bind_text
    from kg.store_terms import to_ox

    table = []
    for name, spec in bundled().items():
        if name in skip:
            continue
        row: dict[str, Any] = {"query": name, "load average": load_average()}
        check = functools.partial(prepare, spec_from_text(spec.text, "q", "<q>"), spec.examples)
        row["check"], prepared = timed(check, runs)
        # a graph answer as N-Triples, as bare pyoxigraph writes it below (CSV is not a graph format)
        fmt = "nt" if prepared.query.algebra.name in ("ConstructQuery", "DescribeQuery") else "csv"
        for kind, store in stores.items():
            limit = rdflib_timeout_s if kind == "rdflib" else timeout_s
            row[kind], text = timed(functools.partial(run_bytes, store, prepared, fmt, limit), runs)
            if text:
                row["rows"] = max(text.count(b"\n") - 1, 0)
        # parameters spelled into the text as constants, the text kg's store hands Oxigraph (pyoxigraph's own
        # ``substitutions`` only binds variables of the top SELECT, which most parameters are not)
        terms = {name: str(to_ox(term)) for name, term in prepared.bindings.items()}
        bound = bind_text(spec.text, prepared.query, terms)
        same_sparql = functools.partial(bare_bytes, stores["oxigraph"].handle(), bound, ox.QueryResultsFormat.CSV)
        row["bare pyoxigraph"], _ = timed(same_sparql, runs)
        table.append(row)
    return table


def listing_only(graph: Path | None, store_dir: Path | None, runs: int) -> dict[str, Any]:
    """Only the whole-graph listings (``--listing-only``): the bundled article built in memory, or a store on
    disk opened as it is (nothing loaded)."""
    started = load_average()
    if store_dir is not None:
        store = open_disk(store_dir)
    else:
        stores, _loads = stores_for(graph, with_rdflib=False)
        store = stores["oxigraph"]
    where = portable(store_dir) if store_dir else portable(graph) if graph else "bundled article"
    return {"input": where, "triples": store.triples(inferred=True), "listing_ms": listing_times(store, runs),
            "load_average": [started, load_average()]}


def measure(graph: Path | None, runs: int, with_rdflib: bool = True, skip: frozenset[str] = frozenset(), *,
            load_runs: int = 1, store_dir: Path | None = None, rdflib_timeout_s: float = RDFLIB_TIMEOUT_S,
            timeout_s: float = QUERY_TIMEOUT_S) -> dict[str, Any]:
    """Everything for one input."""
    started = load_average()
    stores, loads = stores_for(graph, with_rdflib, load_runs, store_dir)
    oxigraph = stores["oxigraph"]
    queries = query_times(stores, runs, skip if graph else frozenset(), rdflib_timeout_s, timeout_s)
    small = [row for row in queries if row.get("rows", SMALL + 1) <= SMALL]
    where = (f"{portable(store_dir)} (load measured on {portable(graph)})" if store_dir and graph
             else portable(graph) if graph else "bundled article")
    return {"input": where, "triples": oxigraph.triples(inferred=True), "runs": runs, "load_ms": loads,
            "queries_ms": queries, "skipped": sorted(skip) if graph else [],
            "worst_small_ms": max((row["oxigraph"] for row in small), default=None),
            "worst_small_total_ms": max((round(row["check"] + row["oxigraph"], 2) for row in small), default=None),
            "listing_ms": listing_times(oxigraph, runs, timeout_s),
            "load_average": [started, load_average()]}


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stores", description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, action="append", default=[], help="a graph file (repeatable)")
    parser.add_argument("--store-dir", type=Path, action="append", default=[], metavar="PATH",
                        help="an Oxigraph store on disk (kg.bulk's; repeatable, with one --load-file each)")
    parser.add_argument("--load-file", type=Path, action="append", default=[], metavar="FILE",
                        help="the file the load of the matching --store-dir is measured on (its graph.nq)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (median; default 5)")
    parser.add_argument("--load-runs", type=int, default=1, help="loads per file, interleaved (median; default 1)")
    parser.add_argument("--rdflib-timeout", type=float, default=RDFLIB_TIMEOUT_S, metavar="S",
                        help=f"stop rdflib after S seconds per query (default {RDFLIB_TIMEOUT_S:g})")
    parser.add_argument("--timeout", type=float, default=QUERY_TIMEOUT_S, metavar="S",
                        help=f"stop Oxigraph after S seconds per query (default {QUERY_TIMEOUT_S:g})")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib store on graph files")
    parser.add_argument("--no-article", action="store_true", help="skip the bundled article")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables instead of JSON")
    parser.add_argument("--listing-only", action="store_true",
                        help="only the whole-graph listings, --runs interleaved runs each (stores on disk opened as "
                             "they are, nothing loaded)")
    parser.add_argument("--skip", action="append", default=[], metavar="QUERY",
                        help="leave a bundled query out on the graph files (repeatable)")
    args = parser.parse_args(argv)
    if len(args.load_file) != len(args.store_dir):
        parser.error("give one --load-file per --store-dir")
    skip = frozenset(args.skip)
    inputs: list[tuple[Path | None, Path | None]] = [] if args.no_article else [(None, None)]
    inputs += [(graph, None) for graph in args.graph]
    inputs += list(zip(args.load_file, args.store_dir, strict=True))
    if args.listing_only:
        results = [listing_only(graph, folder, args.runs) for graph, folder in inputs]
        print(listing_markdown(results) if args.markdown else json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    results = [measure(graph, args.runs, not args.no_rdflib, skip, store_dir=folder, load_runs=args.load_runs,
                       rdflib_timeout_s=args.rdflib_timeout, timeout_s=args.timeout) for graph, folder in inputs]
    print(markdown(results, args.rdflib_timeout, args.timeout) if args.markdown
          else json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
