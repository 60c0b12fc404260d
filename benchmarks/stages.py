"""One measurement, run in its own process by ``python -m benchmarks``: prints one JSON object on stdout.

``python -m benchmarks.stages pipeline DIR``   load+verify, build, reason (rules), validate, Turtle export
``python -m benchmarks.stages owlrl DIR LIMIT``  reason with owlrl, stopped after LIMIT seconds, then check
                                               that the rules closure keeps the same triples
``python -m benchmarks.stages generate N DIR SEED``   write a corpus
``python -m benchmarks.stages kg-build OUT ENGINE [DIR]``  ``kg build`` in process, each step it calls timed
``python -m benchmarks.stages article RUNS``   both closures on the bundled article, RUNS times each

A fresh process per measurement keeps one run's caches and garbage out of the next and gives each its own
peak RSS (``ru_maxrss``, read here after every stage: a running maximum, so a stage's figure is the peak of
the process up to and including that stage).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports ``ru_maxrss`` in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Clock:
    """Times named stages and records the peak RSS after each."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.rss_mb: dict[str, float] = {}

    def time(self, name: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        self.seconds[name] = round(time.perf_counter() - started, 4)
        self.rss_mb[name] = peak_mb()
        return result


def pipeline(sources: Path) -> dict[str, Any]:
    """Every stage of ``kg build`` but the file writes, on ``sources``, with the rules closure."""
    from kg import iris
    from kg.build import build_dataset, source_index
    from kg.closure import rules_closure
    from kg.export import serialise
    from kg.ontology import ontology_graph
    from kg.pipeline import articles_of, union_of
    from kg.reason import reason
    from kg.validate import validate

    clock = Clock()
    articles = clock.time("load", lambda: articles_of(sources))
    dataset = clock.time("build", lambda: build_dataset(articles, ontology_graph()))
    asserted = union_of(dataset, inferred=False)
    reasoning = clock.time("reason", lambda: reason(asserted, closure=rules_closure))
    dataset.graph(iris.INFERRED_GRAPH).__iadd__(reasoning.inferred)
    report = clock.time("validate", lambda: validate(asserted, sources_index=source_index(articles),
                                                     inferred=reasoning.inferred))
    clock.time("turtle", lambda: serialise(dataset, "ttl", union=asserted))
    return {"seconds": {**clock.seconds, "closure": round(reasoning.seconds, 4)}, "rss_mb": clock.rss_mb,
            "triples": len(asserted), "inferred": len(reasoning.inferred), "conforms": report.conforms}


def owlrl(sources: Path, limit: float) -> dict[str, Any]:
    """owlrl's closure of the same graph, stopped after ``limit`` seconds (SIGALRM: owlrl is pure Python, so
    the signal lands within a rule), then whether the rules closure keeps exactly the same triples."""
    import math
    import signal

    from kg.closure import rules_closure
    from kg.pipeline import build_from, union_of
    from kg.reason import owlrl_closure, reason

    asserted = union_of(build_from(sources), inferred=False)

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(math.ceil(limit))
    clock = Clock()
    try:
        reference = clock.time("reason", lambda: reason(asserted, closure=owlrl_closure))
    except TimeoutError:
        return {"finished": False, "triples": len(asserted), "rss_mb": {"reason": peak_mb()}}
    finally:
        signal.alarm(0)
    ours = reason(asserted, closure=rules_closure)
    return {"finished": True, "seconds": {**clock.seconds, "closure": round(reference.seconds, 4)},
            "rss_mb": clock.rss_mb, "triples": len(asserted), "inferred": len(reference.inferred),
            "equal": set(reference.inferred) == set(ours.inferred)}


def generate(count: int, out: Path, seed: int) -> dict[str, Any]:
    """Write a corpus of ``count`` articles."""
    from benchmarks.generate import generate as write

    clock = Clock()
    clock.time("generate", lambda: write(count, out, seed))
    return {"seconds": clock.seconds, "rss_mb": clock.rss_mb}


def article(runs: int) -> dict[str, Any]:
    """owlrl and the rules closure on the bundled article, ``runs`` times each in this process."""
    import statistics

    from kg.closure import rules_closure
    from kg.pipeline import build_bundled, union_of
    from kg.reason import owlrl_closure, reason

    asserted = union_of(build_bundled(), inferred=False)
    found: dict[str, Any] = {"triples": len(asserted)}
    for name, closure in (("owlrl", owlrl_closure), ("rules", rules_closure)):
        results = [reason(asserted, closure=closure) for _ in range(runs)]
        found[name] = {"closure_s": round(statistics.median(r.seconds for r in results), 4),
                       "all_s": [round(r.seconds, 4) for r in results], "inferred": len(results[0].inferred)}
    found["equal"] = set(reason(asserted, closure=owlrl_closure).inferred) == set(
        reason(asserted, closure=rules_closure).inferred)
    found["speedup"] = round(found["owlrl"]["closure_s"] / found["rules"]["closure_s"], 1)
    return found


def kg_build(out: Path, engine: str, sources: Path | None) -> dict[str, Any]:
    """Where ``kg build --reasoner ENGINE`` spends its time: imports, then each step ``run_build`` calls.

    Measured in one process (``FORK_BELOW = 0``): with the default split, the child's steps would be timed
    in the child. The end-to-end wall time (``kg_build`` in ``__main__``) is the real, forked, command."""
    import contextlib
    import io

    started = time.perf_counter()
    import kg.commands as commands
    import kg.export as export
    import kg.validate  # noqa: F401 - imported lazily by kg build; timed with the imports here
    import kg.viz as viz
    from kg.cli import main as kg_main

    steps: dict[str, float] = {"imports": round(time.perf_counter() - started, 4)}
    commands.FORK_BELOW = 0
    for module, name in ((commands, "built_from_sources"), (commands, "report_of"), (export, "canonical"),
                         (export, "serialise"), (viz, "network_page"), (commands, "write_all_atomic")):
        setattr(module, name, _timed(steps, name, getattr(module, name)))
    arguments = ["build", "--reasoner", engine, "--out", str(out), *(["--sources", str(sources)] if sources else [])]
    with contextlib.redirect_stdout(io.StringIO()):
        code = kg_main(arguments)
    steps["total in process"] = round(time.perf_counter() - started, 4)
    return {"seconds": steps, "exit": code, "rss_mb": peak_mb()}


def _timed(steps: dict[str, float], name: str, work: Callable[..., T]) -> Callable[..., T]:
    def wrapper(*args: Any, **kwargs: Any) -> T:
        began = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            key = f"serialise {args[1]}" if name == "serialise" and len(args) > 1 else name
            steps[key] = round(steps.get(key, 0.0) + time.perf_counter() - began, 4)

    return wrapper


def main(argv: list[str]) -> int:
    """Run the measurement named by ``argv[0]`` and print its JSON."""
    kind, *rest = argv
    if kind == "pipeline":
        result = pipeline(Path(rest[0]))
    elif kind == "owlrl":
        result = owlrl(Path(rest[0]), float(rest[1]))
    elif kind == "generate":
        result = generate(int(rest[0]), Path(rest[1]), int(rest[2]))
    elif kind == "article":
        result = article(int(rest[0]))
    elif kind == "kg-build":
        result = kg_build(Path(rest[0]), rest[1], Path(rest[2]) if len(rest) > 2 else None)
    else:
        print(f"unknown measurement {kind!r}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
