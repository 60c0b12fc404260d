"""rdflib and Oxigraph stores side by side: ``python -m benchmarks.stores [--graph FILE ...] [--runs N]``.

For the bundled article and each graph file given (``graph.trig`` as ``kg build`` writes it; build a corpus
with ``python -m benchmarks.generate`` and ``kg build --sources``):

- load: the rdflib store (the file parsed by rdflib; its inferred graph used as it is, not re-reasoned, so both
  stores hold the same triples), the Oxigraph store (:func:`kg.store.open_store`), and bare pyoxigraph
  (``Store().bulk_load`` of the same file, the floor);
- every bundled query: median over ``--runs`` of check + bind + evaluate + CSV text (what ``kg query`` does
  after loading), on each store, and bare pyoxigraph's ``query`` + CSV of the same text;
- a whole-graph listing (``SELECT ?s ?p ?o``) as CSV and JSON: ours against bare pyoxigraph's ``serialize``.

Prints one JSON object; ``--markdown`` prints tables instead. ``--no-rdflib`` skips rdflib on the files
(minutes per query at 1,000 articles).
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

LISTING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
QUERY_TIMEOUT_S = 120.0  # past it a query is reported as inf ms


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


def stores_for(graph: Path | None, with_rdflib: bool = True) -> tuple[dict[str, Any], dict[str, float]]:
    """(stores by name, load milliseconds by name) for the bundled article (None) or a graph file."""
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
    if with_rdflib:
        from kg.io import read_graph

        loads["rdflib"], union = timed(lambda: union_of(read_graph(graph), inferred=True), 1)
        stores["rdflib"] = RdflibStore({True: union})
    loads["oxigraph"], opened = timed(lambda: open_store(StoreSpec("oxigraph"), graph), 1)
    stores["oxigraph"] = opened.store
    fmt = ox.RdfFormat.TRIG if graph.suffix == ".trig" else ox.RdfFormat.N_QUADS
    loads["bare pyoxigraph bulk_load"], _ = timed(lambda: ox.Store().bulk_load(path=str(graph), format=fmt), 1)
    return stores, loads


def query_times(stores: dict[str, Any], runs: int, skip: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Per bundled query (but ``skip``): rows, and median ms per store and on bare pyoxigraph."""
    from kg.query_catalogue import bundled

    table = []
    for name, spec in bundled().items():
        if name in skip:
            continue
        row: dict[str, Any] = {"query": name}
        for kind, store in stores.items():
            row[kind], text = timed(functools.partial(_ours, store, spec.text, spec.examples, "csv"), runs)
            row["rows"] = max(text.count("\n") - 1, 0)
        if not spec.params:
            bare = functools.partial(_bare, stores["oxigraph"].handle(), spec.text, ox.QueryResultsFormat.CSV)
            row["bare pyoxigraph"], _ = timed(bare, runs)
        table.append(row)
    return table


def _ours(store: Any, text: str, params: dict[str, str], fmt: str) -> str:
    """What ``kg query`` does once the store is open: check, bind, evaluate, write ``fmt``."""
    from kg.query_catalogue import spec_from_text
    from kg.query_engine import prepare
    from kg.results import render
    from kg.store import run_prepared

    prepared = prepare(spec_from_text(text, "q", "<q>"), params)
    return render(run_prepared(store, prepared, native=fmt, timeout_s=QUERY_TIMEOUT_S), fmt)


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


def listing_times(store: Any, runs: int) -> dict[str, float]:
    """The whole graph as CSV and JSON: ours (check, evaluate, Oxigraph's own text) and bare pyoxigraph's."""
    times: dict[str, float] = {}
    for fmt, native in (("csv", ox.QueryResultsFormat.CSV), ("json", ox.QueryResultsFormat.JSON)):
        times[f"kg {fmt}"], _ = timed(functools.partial(_ours, store, LISTING, {}, fmt), runs)
        times[f"bare {fmt}"], _ = timed(functools.partial(_bare, store.handle(), LISTING, native), runs)
    return times


def measure(graph: Path | None, runs: int, with_rdflib: bool = True,
            skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Everything for one input."""
    stores, loads = stores_for(graph, with_rdflib)
    oxigraph = stores["oxigraph"]
    return {"input": str(graph) if graph else "bundled article", "triples": oxigraph.triples(inferred=True),
            "load_ms": loads, "queries_ms": query_times(stores, runs, skip if graph else frozenset()),
            "listing_ms": listing_times(oxigraph, max(1, runs // 2))}


def markdown(results: list[dict[str, Any]]) -> str:
    """The results as Markdown tables."""
    lines = []
    for result in results:
        lines += [f"### {result['input']} ({result['triples']:,} triples)", ""]
        lines += [f"- load: {', '.join(f'{k} {v:,.0f} ms' for k, v in result['load_ms'].items())}"]
        lines += [f"- whole-graph listing: {', '.join(f'{k} {v:,.0f} ms' for k, v in result['listing_ms'].items())}",
                  ""]
        kinds = [k for k in ("rdflib", "oxigraph", "bare pyoxigraph") if any(k in r for r in result["queries_ms"])]
        lines += ["| query | rows | " + " | ".join(f"{k} ms" for k in kinds) + " |",
                  "| --- | ---: | " + " | ".join("---:" for _ in kinds) + " |"]
        for row in result["queries_ms"]:
            cells = " | ".join(_cell(row.get(k)) for k in kinds)
            lines.append(f"| {row['query']} | {row['rows']:,} | {cells} |")
        lines.append("")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    if value is None:
        return ""
    return f"> {QUERY_TIMEOUT_S:g} s" if value == float("inf") else f"{value:,.1f}"


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stores", description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, action="append", default=[], help="a graph file (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (median; default 5)")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib store on graph files")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables instead of JSON")
    parser.add_argument("--skip", action="append", default=[], metavar="QUERY",
                        help="leave a bundled query out on the graph files (repeatable)")
    args = parser.parse_args(argv)
    skip = frozenset(args.skip)
    results = [measure(graph, args.runs, not args.no_rdflib, skip) for graph in [None, *args.graph]]
    print(markdown(results) if args.markdown else json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
