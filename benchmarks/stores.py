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
  bare pyoxigraph's ``query`` + CSV of the same text (queries without parameters). rdflib is stopped after
  ``--rdflib-timeout`` seconds per query (reported as ``> N s``), Oxigraph after ``--timeout``;
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
import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

LISTING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
QUERY_TIMEOUT_S = 120.0  # past it a query is reported as inf ms
RDFLIB_TIMEOUT_S = 30.0
SMALL = 1_000  # the targets: a query answering at most this many rows in at most 50 ms (median)


def load_average() -> float:
    """The 1-minute load average (the machine may be shared: it says how loaded it was)."""
    return round(os.getloadavg()[0], 2)


def timed(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median milliseconds of ``runs`` calls, and the last result; a query past its deadline counts as
    ``inf`` once (it is not repeated), after its abandoned thread has ended (so it slows nothing measured)."""
    from kg.sparql_safety import QueryTimeoutError

    times, result = [], None
    for _ in range(runs):
        gc.collect()
        threads = threading.active_count()
        started = time.perf_counter()
        try:
            result = work()
        except QueryTimeoutError:
            while threading.active_count() > threads:
                time.sleep(0.5)
            return float("inf"), ""
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2), result


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
            row[kind], text = timed(functools.partial(_run, store, prepared, fmt, limit), runs)
            if text:
                row["rows"] = max(text.count(b"\n") - 1, 0)
        if not spec.params:
            bare = functools.partial(_bare, stores["oxigraph"].handle(), spec.text, ox.QueryResultsFormat.CSV)
            row["bare pyoxigraph"], _ = timed(bare, runs)
        table.append(row)
    return table


def _run(store: Any, prepared: Any, fmt: str, timeout_s: float) -> bytes:
    """The store's part of ``kg query``: bind, evaluate, write ``fmt`` (the bytes ``kg query`` prints)."""
    from kg.results import render_bytes
    from kg.store import run_prepared

    return render_bytes(run_prepared(store, prepared, native=fmt, timeout_s=timeout_s), fmt)


def _ours(store: Any, text: str, params: dict[str, str], fmt: str) -> bytes:
    """What ``kg query`` does once the store is open: check, bind, evaluate, write ``fmt``."""
    from kg.query_catalogue import spec_from_text
    from kg.query_engine import prepare

    prepared = prepare(spec_from_text(text, "q", "<q>"), params)
    return _run(store, prepared, fmt, QUERY_TIMEOUT_S)


def _bare(store: ox.Store, text: str, fmt: ox.QueryResultsFormat) -> bytes | bool:
    answer = store.query(text, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    if isinstance(answer, ox.QueryTriples):
        data = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
    else:
        data = answer.serialize(format=fmt)
    assert data is not None
    return data


def listing_times(store: Any, runs: int) -> dict[str, Any]:
    """The whole graph as CSV and JSON: ours (check, evaluate, Oxigraph's own text, JSON's typed literals
    corrected) and bare pyoxigraph's, interleaved run by run; medians, and the load average of each run."""
    times: dict[str, Any] = {}
    for fmt, native in (("csv", ox.QueryResultsFormat.CSV), ("json", ox.QueryResultsFormat.JSON)):
        ours, bare, loads = [], [], []
        for _ in range(runs):
            ours.append(timed(functools.partial(_ours, store, LISTING, {}, fmt), 1)[0])
            bare.append(timed(functools.partial(_bare, store.handle(), LISTING, native), 1)[0])
            loads.append(load_average())
        times[f"kg {fmt}"], times[f"bare {fmt}"] = statistics.median(ours), statistics.median(bare)
        times[f"ratio {fmt}"] = round(times[f"kg {fmt}"] / times[f"bare {fmt}"], 2)
        times[f"runs {fmt}"] = {"kg": ours, "bare": bare, "load average": loads}
    times["load average"] = load_average()
    return times


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
            "listing_ms": listing_times(oxigraph, runs),
            "load_average": [started, load_average()]}


def markdown(results: list[dict[str, Any]]) -> str:
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
            cells = " | ".join(_cell(row.get(k), k) for k in kinds)
            rows = row.get("rows")
            small = "" if rows is None else "yes" if rows <= SMALL else "no"
            total = row["check"] + row["oxigraph"]
            lines.append(f"| {row['query']} | {'' if rows is None else f'{rows:,}'} | {small} | {row['check']:,.1f} | "
                         f"{cells} | {_cell(total, 'oxigraph')} | {row['load average']} |")
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


def _cell(value: float | None, kind: str = "") -> str:
    if value is None:
        return ""
    if value == float("inf"):
        return f"> {RDFLIB_TIMEOUT_S if kind == 'rdflib' else QUERY_TIMEOUT_S:g} s"
    return f"{value:,.1f}"


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    global RDFLIB_TIMEOUT_S, QUERY_TIMEOUT_S
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
    RDFLIB_TIMEOUT_S, QUERY_TIMEOUT_S = args.rdflib_timeout, args.timeout
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
    print(markdown(results) if args.markdown else json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
