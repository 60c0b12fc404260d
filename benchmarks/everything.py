"""Every benchmark of the scale issue, one after another: ``python -m benchmarks --all [--work DIR] [--dry-run]``.

Each part stays its own command (each can be rerun alone, and each writes its own result file); this runs them in
the order their inputs need, stopping at the first that fails: the in-memory pipeline against owlrl (up to 2,300
articles, owlrl stopped after 300 s), the bulk build from 100 to 10,000 articles, the 10,000-article store that
``kg build`` leaves (its queries, what its whole-graph checks must read, the same SPARQL on bare pyoxigraph, the
network page), then the log-log plot and the targets table (:mod:`benchmarks.targets`). Medians of 5 runs
throughout, as the issue asks. On this 2-core machine the whole takes several hours, so it is run on demand, never
by the tests; ``--dry-run`` prints the commands.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

PYTHON = sys.executable
KG = str(Path(sys.executable).parent / "kg")
RESULTS = Path(__file__).resolve().parent / "results"
#: A party branch of the generated 10,000-article corpus (seed 0), the name the per-node figures use.
FOCUS = "安滨区人社局公共就业服务中心党支部"


def steps(work: Path) -> list[tuple[str, list[str], Path | None]]:
    """(what, command, file its standard output goes to or None) in the order they run."""
    corpus, store, out = work / "corpus-10000", work / "store-10000", work / "out-10000"
    module = [PYTHON, "-m"]
    return [
        ("scale: rdflib pipeline and owlrl", [*module, "benchmarks", "--sizes", "1,100,250,1000,2300", "--runs", "5",
                                              "--big", "100000", "--owlrl-timeout", "300", "--kg-build-sizes", "1,100",
                                              "--out", str(RESULTS)], None),
        ("bulk build", [*module, "benchmarks.bulk", "--articles", "100,1000,2300,10000", "--runs", "5",
                        "--out", str(RESULTS / "bulk.json"), "--work", str(work)], None),
        ("10,000 articles", [*module, "benchmarks.generate", "--articles", "10000", "--out", str(corpus)], None),
        ("their store", [KG, "build", "--sources", str(corpus), "--store", f"oxigraph:{store}", "--out", str(out)],
         None),
        ("queries on it", [*module, "benchmarks.store_queries", "--store", str(store), "--runs", "5",
                           "--name", FOCUS, "--out", str(RESULTS / "store-queries-10k.jsonl")], None),
        ("what the whole-graph checks must read", [*module, "benchmarks.floors", "--store", str(store), "--runs", "5"],
         RESULTS / "floors-10k.json"),
        ("the same SPARQL on bare pyoxigraph", [*module, "benchmarks.stores", "--no-article", "--store-dir",
                                                str(store), "--load-file", str(out / "graph.nq"), "--runs", "5"],
         RESULTS / "stores-10k.json"),
        ("network page", [*module, "benchmarks.viz", "--store", str(store), "--focus", FOCUS], None),
        ("plot", [*module, "benchmarks.plot"], None),
        ("targets", [*module, "benchmarks.targets"], None),
    ]


def run_all(work: Path, dry_run: bool = False) -> int:
    """Run (or print) every step; the exit status of the first that fails, else 0."""
    for what, command, stdout in steps(work):
        shown = shlex.join(command) + (f" > {stdout}" if stdout else "")
        print(f"== {what}: {shown}", file=sys.stderr, flush=True)
        if dry_run:
            continue
        if stdout is None:
            done = subprocess.run(command, check=False)  # noqa: S603  (our own interpreter and modules)
        else:
            with stdout.open("w", encoding="utf-8") as sink:
                done = subprocess.run(command, stdout=sink, check=False)  # noqa: S603
        if done.returncode != 0:
            print(f"== {what} failed (exit {done.returncode}); the steps after it did not run", file=sys.stderr)
            return done.returncode
    return 0
