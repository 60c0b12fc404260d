"""What the whole-graph checks must at least read, timed on an Oxigraph store on disk.

    python -m benchmarks.floors --store PATH [--runs 5] [--markdown]

Two of the few-row queries (``consistency-probe``, ``pairings-not-enterprise-public``) answer in few rows but
must visit every pairing's parties to do so. ``benchmarks/floors.yaml`` lists the parts each must read, each
in the two ways Oxigraph 0.5 has of reading them (a look-up per row, or each pattern read whole and joined by
hashing), counted so that the output is one row. The cheaper way of a part is a lower bound for the check on
that store: if it is over the 50 ms target, no form of the query meets it there.

The store is opened read-only (``Store.read_only``: it writes nothing and takes no lock). Prints one JSON
object (``--markdown``: a table): per entry the count (both ways of a part must agree), the median and every
run's milliseconds, and the 1-minute load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from benchmarks.stores import portable

FLOORS = Path(__file__).with_name("floors.yaml")


def counted(store: ox.Store, sparql: str) -> int:
    """The one number a ``SELECT (COUNT(*) AS ?n)`` answers, over the union of the store's graphs (as ``kg
    query`` reads it)."""
    solutions = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    (row,) = list(solutions)
    number = row["n"]
    assert isinstance(number, ox.Literal)
    return int(number.value)


def timed_floor(store: ox.Store, prefixes: str, floor: dict[str, str], runs: int) -> dict[str, Any]:
    """One entry of the YAML with its count, median and every run's milliseconds."""
    times, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        count = counted(store, f"{prefixes}\n{floor['sparql']}")
        times.append((time.perf_counter() - started) * 1000)
    return {**floor, "count": count, "median_ms": round(statistics.median(times), 1),
            "all_ms": [round(t, 1) for t in times], "load": round(os.getloadavg()[0], 2)}


def measure(store_dir: Path, runs: int) -> dict[str, Any]:
    """Every floor of the YAML on the store at ``store_dir``."""
    spec = yaml.safe_load(FLOORS.read_text(encoding="utf-8"))
    store = ox.Store.read_only(str(store_dir))
    return {"store": portable(store_dir), "runs": runs,
            "floors": [timed_floor(store, spec["prefixes"], floor, runs) for floor in spec["floors"]]}


def markdown(result: dict[str, Any]) -> str:
    """The floors as a Markdown table."""
    lines = [f"Store `{result['store']}`, medians of {result['runs']} runs.", "",
             "| query | part | read | way | count | median ms | runs ms (load) |", "|---|---|---|---|---:|---:|---|"]
    for floor in result["floors"]:
        runs = ", ".join(f"{ms:,.1f}" for ms in floor["all_ms"])
        lines.append(f"| `{floor['query']}` | {floor['part']} | {floor['reads']} | {floor['way']} | "
                     f"{floor['count']:,} | {floor['median_ms']:,.1f} | {runs} ({floor['load']}) |")
    lines += ["", "Lower bound per query (the largest part, each at its cheaper way): " + ", ".join(
        f"`{query}` {ms:,.1f} ms" for query, ms in sorted(lower_bounds(result["floors"]).items()))]
    return "\n".join(lines) + "\n"


def lower_bounds(floors: list[dict[str, Any]]) -> dict[str, float]:
    """Per query, the median milliseconds of its costliest part read the cheaper way: every part must be
    read, each at least as slowly as its cheaper way."""
    cheapest: dict[tuple[str, str], float] = {}
    for floor in floors:
        key = (floor["query"], floor["part"])
        cheapest[key] = min(cheapest.get(key, float("inf")), floor["median_ms"])
    bounds: dict[str, float] = {}
    for (query, _part), ms in cheapest.items():
        bounds[query] = max(bounds.get(query, 0.0), ms)
    return bounds


def main(argv: list[str] | None = None) -> int:
    """Time the floors on one store and print them."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--store", type=Path, required=True, help="an Oxigraph store kg.bulk left on disk")
    options.add_argument("--runs", type=int, default=5, help="runs per entry (median; default 5)")
    options.add_argument("--markdown", action="store_true", help="print a table instead of JSON")
    args = options.parse_args(argv)
    result = measure(args.store, args.runs)
    print(markdown(result) if args.markdown else json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
