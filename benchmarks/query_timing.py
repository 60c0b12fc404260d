"""Timing a query the way ``kg query`` runs it, and bare pyoxigraph's same SPARQL (``benchmarks.stores``).

Medians of several runs, each after a collection; a query past its deadline counts as ``inf`` once. The whole
graph's listing is timed ours and bare interleaved, run by run, so that a change of load on a shared machine
hits both alike.
"""

from __future__ import annotations

import functools
import gc
import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

LISTING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
QUERY_TIMEOUT_S = 120.0  # past it a query is reported as inf ms
RDFLIB_TIMEOUT_S = 30.0


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


def run_bytes(store: Any, prepared: Any, fmt: str, timeout_s: float) -> bytes:
    """The store's part of ``kg query``: bind, evaluate, write ``fmt`` (the bytes ``kg query`` prints)."""
    from kg.results import render_bytes
    from kg.store import run_prepared

    return render_bytes(run_prepared(store, prepared, native=fmt, timeout_s=timeout_s), fmt)


def ours_bytes(store: Any, text: str, params: dict[str, str], fmt: str, timeout_s: float = QUERY_TIMEOUT_S) -> bytes:
    """What ``kg query`` does once the store is open: check, bind, evaluate, write ``fmt``."""
    from kg.query_catalogue import spec_from_text
    from kg.query_engine import prepare

    prepared = prepare(spec_from_text(text, "q", "<q>"), params)
    return run_bytes(store, prepared, fmt, timeout_s)


def bare_bytes(store: ox.Store, text: str, fmt: ox.QueryResultsFormat) -> bytes | bool:
    """The same SPARQL on bare pyoxigraph, the answer in Oxigraph's own serialiser."""
    answer = store.query(text, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    if isinstance(answer, ox.QueryTriples):
        data = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
    else:
        data = answer.serialize(format=fmt)
    assert data is not None
    return data


def listing_times(store: Any, runs: int, timeout_s: float = QUERY_TIMEOUT_S) -> dict[str, Any]:
    """The whole graph as CSV and JSON: ours (check, evaluate, Oxigraph's own text, JSON's typed literals
    corrected) and bare pyoxigraph's, interleaved run by run; medians, and the load average of each run."""
    times: dict[str, Any] = {}
    for fmt, native in (("csv", ox.QueryResultsFormat.CSV), ("json", ox.QueryResultsFormat.JSON)):
        ours, bare, loads = [], [], []
        for _ in range(runs):
            ours.append(timed(functools.partial(ours_bytes, store, LISTING, {}, fmt, timeout_s), 1)[0])
            bare.append(timed(functools.partial(bare_bytes, store.handle(), LISTING, native), 1)[0])
            loads.append(load_average())
        times[f"kg {fmt}"], times[f"bare {fmt}"] = statistics.median(ours), statistics.median(bare)
        times[f"ratio {fmt}"] = round(times[f"kg {fmt}"] / times[f"bare {fmt}"], 2)
        times[f"runs {fmt}"] = {"kg": ours, "bare": bare, "load average": loads}
    times["load average"] = load_average()
    return times
