"""Every bundled query on a big Oxigraph store on disk, as ``kg query`` runs it (check, bind, evaluate, rows).

    python -m benchmarks.store_queries --store PATH [--name NAME] [--runs 3] [--timeout 20] [--out FILE]
        [--only QUERY ...]

For the 10,000-article store ``kg build --store oxigraph:PATH`` leaves (``kg.bulk``). The store is opened as
it is (:func:`benchmarks.stores.open_disk`, no fingerprint check). Each query runs with its documented example
parameters; a ``name`` parameter gets ``--name`` (a name that exists in the corpus, since the examples name
the bundled article's organisations). One JSON line per query: rows, median and every run's milliseconds,
the 1-minute load average; a query past ``--timeout`` is reported once and not repeated. A query Oxigraph
cannot interrupt keeps a core busy after its timeout (said in its line): later lines are then measured on
one core less.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import kg
from benchmarks.stores import open_disk
from kg.query_catalogue import bundled
from kg.sparql_safety import QueryTimeoutError


def measure(store: Any, name: str, params: dict[str, Any], runs: int, timeout_s: float) -> dict[str, Any]:
    """One query's line: rows and milliseconds, or the timeout."""
    times: list[float] = []
    rows: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        try:
            result = kg.query(name, store, timeout_s=timeout_s, **params)
        except QueryTimeoutError as err:
            return {"query": name, "params": params, "timeout_s": timeout_s, "stuck": err.stuck,
                    "load": round(os.getloadavg()[0], 2)}
        times.append((time.perf_counter() - started) * 1000)
        rows = len(result) if isinstance(result, list) else result if isinstance(result, bool) else len(result)
    return {"query": name, "params": params, "rows": rows, "median_ms": round(statistics.median(times), 1),
            "all_ms": [round(t, 1) for t in times], "load": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    """Open the store, run every bundled query, print (and optionally save) the lines."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--store", type=Path, required=True, help="an Oxigraph store kg.bulk left on disk")
    options.add_argument("--name", default="安滨区人社局公共就业服务中心党支部", help="value of name parameters")
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--timeout", type=float, default=20.0, help="seconds per query (default 20)")
    options.add_argument("--out", type=Path, help="also write the lines to this file")
    options.add_argument("--only", nargs="+", metavar="QUERY", help="run these bundled queries only")
    args = options.parse_args(argv)
    store = open_disk(args.store)
    lines = []
    for name, spec in bundled().items():
        if args.only and name not in args.only:
            continue
        params: dict[str, Any] = dict(spec.examples) | ({"name": args.name} if "name" in spec.examples else {})
        line = json.dumps(measure(store, name, params, args.runs, args.timeout), ensure_ascii=False)
        print(line, flush=True)
        lines.append(line)
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
