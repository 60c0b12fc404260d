"""How fast the network page is: ``python -m benchmarks.viz [--store PATH] [--focus NAME]``.

(a) ``network_page`` of a synthetic graph of 10,000 nodes (2,500 pairings, as ``tests/test_viz.py``),
median of 5; (b) with ``--store`` (an Oxigraph store of the 10,000-article corpus, as ``kg.bulk`` leaves it):
``kg viz --store oxigraph:PATH`` wall time and page size, then Chromium (``/usr/bin/chromium`` through
Playwright, a fresh browser each run) opening the page from ``file://`` until the page's own ``kgviz.ready``
(its layout settled), median of the runs; ``--page FILE`` times only that, on a page written before;
(c) ``kg viz --store ... --focus NAME`` wall time (median of 5) and the page alone, in process. The machine
may be shared: the 1-minute load average is recorded with each timing. Writes ``benchmarks/results/viz.json``
and ``viz.md`` (without ``--store``, the last store run's (b) and (c) are kept, with their date).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from benchmarks.stores import portable
from kg.iris import ZQ, entity

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def synthetic_graph(pairings: int) -> Graph:
    """``pairings`` pairings of two party branches, each hosted by its organisation: 4 nodes a pairing."""
    graph = Graph()
    phase = entity("phase/p1")
    graph.add((phase, ZQ.phaseNumber, Literal(1, datatype=XSD.positiveInteger)))
    graph.add((phase, RDFS.label, Literal("第一期", lang="zh")))
    for i in range(pairings):
        pairing = entity(f"pairing/p{i}")
        graph.add((pairing, RDF.type, ZQ.Pairing))
        graph.add((pairing, ZQ.inPhase, phase))
        for side, cls in (("a", ZQ.PrivateEnterprise), ("b", ZQ.GovernmentAgency)):
            host, branch = entity(f"org/h{i}{side}"), entity(f"org/b{i}{side}")
            graph.add((host, RDF.type, cls))
            graph.add((host, RDFS.label, Literal(f"单位{i}{side}", lang="zh")))
            graph.add((branch, RDF.type, ZQ.PartyBranch))
            graph.add((branch, RDFS.label, Literal(f"单位{i}{side}党支部", lang="zh")))
            graph.add((branch, ZQ.hostedBy, host))
            graph.add((pairing, ZQ.party, branch))
    return graph


def load() -> float:
    return round(os.getloadavg()[0], 2)


def cpu() -> float:
    """CPU seconds of this process and its finished children: less bent by a busy machine than wall time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(runs: int, work: Any) -> dict[str, Any]:
    """Median and all of ``runs`` timings of ``work()`` (wall and CPU), with the load average before each."""
    seconds, cpus, loads = [], [], []
    for _ in range(runs):
        loads.append(load())
        started, cpu_started = time.perf_counter(), cpu()
        work()
        seconds.append(round(time.perf_counter() - started, 3))
        cpus.append(round(cpu() - cpu_started, 3))
    return {"median_s": statistics.median(seconds), "runs_s": seconds, "median_cpu_s": statistics.median(cpus),
            "cpu_s": cpus, "load": loads}


def synthetic(runs: int) -> dict[str, Any]:
    """(a): the page of 10,000 synthetic nodes."""
    from kg.viz import network_page

    graph = synthetic_graph(2500)
    network_page(graph)  # warm: pypinyin's dictionaries, the assets
    result = timed(runs, lambda: network_page(graph))
    result["nodes"], result["bytes"] = 10_000, len(network_page(graph).encode("utf-8"))
    return result


def kg_viz(store: Path, output: Path, *extra: str) -> None:
    command = [str(Path(sys.executable).with_name("kg")), "viz", "--store", f"oxigraph:{store}", "-o", str(output)]
    subprocess.run([*command, *extra], check=True, capture_output=True)  # noqa: S603 - our own kg, fixed arguments


def chromium_settle(page_file: Path, runs: int = 1) -> dict[str, Any]:
    """Seconds from ``goto`` to ``kgviz.ready`` (median of ``runs``, a fresh browser each), with the ``load``
    event's time and what the page shows."""
    from playwright.sync_api import sync_playwright

    seconds, loads, load_events = [], [], []
    with sync_playwright() as playwright:
        for _ in range(runs):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            loads.append(load())
            started = time.perf_counter()
            page.goto(page_file.as_uri(), timeout=600_000)
            page.wait_for_function("window.kgviz !== undefined", timeout=600_000)
            page.evaluate("kgviz.ready")
            seconds.append(round(time.perf_counter() - started, 3))
            load_events.append(round(page.evaluate(
                "performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000, 3))
            shown = page.evaluate("kgviz.visibleNodeIds().length")
            total = page.evaluate("(kgviz.records || {}).nodeCount ?? kgviz.data.nodes.length")
            browser.close()
    return {"settle_s": statistics.median(seconds), "runs_s": seconds, "load_event_s": load_events, "load": loads,
            "nodes": total, "shown": shown, "bytes": page_file.stat().st_size}


def from_store(store: Path, focus: str, runs: int, full: bool) -> dict[str, Any]:
    """(b) and (c) on the store."""
    from kg.viz_focus import page_from_store

    found: dict[str, Any] = {"store": portable(store)}
    with tempfile.TemporaryDirectory(prefix="kg-viz-bench-") as folder:
        if full:
            output = Path(folder) / "network.html"
            found["full"] = timed(1, lambda: kg_viz(store, output))
            found["full"]["bytes"] = output.stat().st_size
            found["full"]["chromium"] = chromium_settle(output, runs)
        focused = Path(folder) / "focus.html"
        found["focus"] = {"name": focus, "cli": timed(runs, lambda: kg_viz(store, focused, "--focus", focus))}
        found["focus"]["bytes"] = focused.stat().st_size
        page_from_store(store, focus=focus)
        found["focus"]["page"] = timed(runs, lambda: page_from_store(store, focus=focus))
        found["focus"]["chromium"] = chromium_settle(focused, runs)
    return found


def markdown(result: dict[str, Any]) -> str:
    """The results as a Markdown table."""
    a = result["synthetic"]
    lines = ["# Network page benchmark (`python -m benchmarks.viz`)", "",
             f"Generated {result['generated']}: {result['machine']}. Seconds, median of {a['runs']} unless said; "
             "load average (1 min) before each run, the machine was shared.", "",
             "| what | seconds (CPU s) | target | size | load |", "|---|---:|---:|---:|---|",
             f"| (a) `network_page`, 10,000 synthetic nodes | {a['median_s']} ({a['median_cpu_s']}) | ≤ 1 | "
             f"{a['bytes'] / 1e6:.1f} MB | {a['load']} |"]
    store = result.get("store")
    if store and "generated" in store:
        lines[2] += f" (b) and (c) were measured {store['generated']}, not re-run."
    if store and "full" in store:
        full = store["full"]
        chromium = full["chromium"]
        lines.append(f"| (b) `kg viz --store` on the 10,000-article store (one run) | {full['median_s']} "
                     f"({full['median_cpu_s']}) | – | "
                     f"{full['bytes'] / 1e6:.1f} MB | {full['load']} |")
        lines.append(f"| (b) Chromium: open that page until settled ({chromium['nodes']:,} nodes, "
                     f"{chromium['shown']:,} shown), median of {len(chromium['runs_s'])}: {chromium['runs_s']} | "
                     f"{chromium['settle_s']} | ≤ 5 | | {chromium['load']} |")
    if store:
        focus = store["focus"]
        cli, page = focus["cli"], focus["page"]
        lines.append(f"| (c) `kg viz --store --focus {focus['name']}` (whole command) | {cli['median_s']} "
                     f"({cli['median_cpu_s']}) | ≤ 1 | {focus['bytes'] / 1e3:.0f} KB | {cli['load']} |")
        lines.append(f"| (c) the focus page alone (`page_from_store`, in process) | {page['median_s']} "
                     f"({page['median_cpu_s']}) | ≤ 1 | | {page['load']} |")
        lines.append(f"| (c) Chromium: open the focus page until settled | {focus['chromium']['settle_s']} | | | "
                     f"{focus['chromium']['load']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.viz", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an Oxigraph store of the 10,000-article corpus (kg.bulk)")
    parser.add_argument("--focus", default="安滨区人社局公共就业服务中心党支部", help="a node of that store")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-full", action="store_true", help="skip the whole store's page (minutes)")
    parser.add_argument("--page", type=Path, help="only time Chromium opening this page (written before)")
    args = parser.parse_args(argv)
    if args.page is not None:
        print(json.dumps(chromium_settle(args.page.resolve(), args.runs), indent=1))
        return 0
    result: dict[str, Any] = {
        "generated": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "synthetic": {**synthetic(args.runs), "runs": args.runs},
    }
    if args.store is not None:
        result["store"] = from_store(args.store, args.focus, args.runs, not args.no_full)
    elif (RESULTS / "viz.json").exists():  # (a) alone: the last store run's numbers stay, with their date
        last = json.loads((RESULTS / "viz.json").read_text(encoding="utf-8"))
        if "store" in last:
            result["store"] = {**last["store"], "generated": last["store"].get("generated", last["generated"])}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "viz.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "viz.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
