"""A bounded loopback load test of ``kg serve``: N mixed queries from C concurrent clients.

Every answer is checked against the same query evaluated locally (``kg.query``), errors are counted, the
server's resident memory (its process and its query workers, from ``/proc``) is read before and after, and
latencies are reported as p50/p99. Traffic goes only to 127.0.0.1, and the run is bounded by ``--requests``.

    python -m benchmarks.load --requests 10000 --clients 16 [--out benchmarks/results/load.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

import kg
from kg.query_catalogue import bundled

#: Bundled SELECT queries of the mix (fast and slow ones), with their parameters.
MIX: list[tuple[str, dict[str, str]]] = [
    ("partners-of", {"name": "村田"}), ("pairings-per-phase", {}), ("people", {}),
    ("organisations-per-type", {}), ("awards", {}), ("six-co-buildings", {}),
    ("evidence-of", {"name": "陈云"}), ("pairings-by-phase", {}),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its children (the forked query workers), in KiB."""
    total = 0
    for status in [Path(f"/proc/{pid}/status"), *Path(f"/proc/{pid}/task").glob("*/children")]:
        if status.name == "children":
            for child in status.read_text().split():
                total += _rss_kib(int(child))
            continue
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def _rows(payload: dict[str, object]) -> list[tuple[tuple[str, str], ...]]:
    bindings = payload["results"]["bindings"]  # type: ignore[index]
    return sorted(tuple(sorted((k, v["value"]) for k, v in row.items())) for row in bindings)


def _expected() -> dict[str, list[tuple[tuple[str, str], ...]]]:
    found = {}
    for name, params in MIX:
        keywords: dict[str, Any] = dict(params)  # parameter values only: never graph, inferred or timeout_s
        rows = kg.query(name, **keywords)
        assert isinstance(rows, list)
        found[name] = sorted(tuple(sorted((k, str(v)) for k, v in row.items() if v is not None)) for row in rows)
    return found


def _one(client: httpx.Client, url: str, index: int, expected: dict[str, list[tuple[tuple[str, str], ...]]]
         ) -> tuple[float, bool]:
    name, params = MIX[index % len(MIX)]
    data = {"query": bundled()[name].text, **{f"${k}": v for k, v in params.items()}}
    started = time.perf_counter()
    response = client.post(url, data=data, headers={"Accept": "application/sparql-results+json"})
    elapsed = time.perf_counter() - started
    return elapsed, response.status_code == 200 and _rows(response.json()) == expected[name]


def run(requests: int, clients: int) -> dict[str, object]:
    """Start ``kg serve``, send the load, stop it; the measurements as a dict."""
    expected = _expected()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)],  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        with httpx.Client(timeout=60) as client:
            for _ in range(600):
                try:
                    client.get(f"http://127.0.0.1:{port}/")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            for index in range(len(MIX)):  # warm-up: one of each
                _one(client, url, index, expected)
            rss_before = _rss_kib(server.pid)
            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                outcomes = list(pool.map(lambda i: _one(client, url, i, expected), range(requests)))
            wall = time.perf_counter() - started
            rss_after = _rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(t for t, _ in outcomes)
    return {
        "requests": requests, "clients": clients, "correct": sum(ok for _, ok in outcomes),
        "errors_or_wrong": sum(not ok for _, ok in outcomes), "wall_s": round(wall, 2),
        "throughput_rps": round(requests / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2),
        "rss_before_mib": round(rss_before / 1024, 1), "rss_after_mib": round(rss_after / 1024, 1),
        "mix": [name for name, _ in MIX], "cpu_count": os.cpu_count(),
    }


def main() -> int:
    """Run the load test and print (and optionally save) its JSON."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--requests", type=int, default=10_000)
    options.add_argument("--clients", type=int, default=16)
    options.add_argument("--out", type=Path)
    args = options.parse_args()
    report = run(args.requests, args.clients)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if report["errors_or_wrong"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
