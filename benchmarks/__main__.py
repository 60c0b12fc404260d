"""Scale benchmark: ``python -m benchmarks [--sizes 1,100,1000] [--out benchmarks/results]``.

Per corpus size (synthetic articles, :mod:`benchmarks.generate`): generation, load+verify, build, reasoning
with the rules closure and with owlrl (stopped at ``--owlrl-timeout``), validation, Turtle export and peak
RSS, each run in a fresh process (:mod:`benchmarks.stages`), medians over ``--runs`` runs (``--big-runs``
from ``--big`` articles up). Then ``kg build --reasoner owlrl|rules`` end to end, on the bundled article
(also step by step) and on the corpora of ``--kg-build-sizes``. Writes ``results.json`` and ``results.md``
into ``--out``. ``--all`` runs every benchmark of the scale issue instead (:mod:`benchmarks.everything`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.report import markdown

PYTHON = sys.executable
KG = str(Path(sys.executable).parent / "kg")


@dataclass
class Child:
    """One finished (or killed) measurement process."""

    seconds: float
    exit: int
    rss_mb: float
    stdout: str
    timed_out: bool

    def json(self) -> dict[str, Any]:
        """The JSON the measurement printed last; a failed one stops the benchmark with its output."""
        if self.exit != 0:
            raise SystemExit(f"a measurement failed (exit {self.exit}):\n{self.stdout[-3000:]}")
        data: dict[str, Any] = json.loads(self.stdout.strip().splitlines()[-1])
        return data


def run_child(command: list[str], timeout: float | None = None, cwd: Path | None = None) -> Child:
    """Run ``command``; wall time, exit code and the child's own peak RSS (``os.wait4``), killed at ``timeout``."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)  # noqa: S603
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return Child(round(seconds, 4), process.returncode, round(usage.ru_maxrss / 1024, 1), out.read(),
                     killed.is_set())


def stage(*args: str, timeout: float | None = None) -> Child:
    return run_child([PYTHON, "-m", "benchmarks.stages", *args], timeout)


def median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def measure_size(count: int, runs: int, seed: int, owlrl_timeout: float, work: Path) -> dict[str, Any]:
    """Every stage on a corpus of ``count`` articles, ``runs`` times each."""
    corpora = [work / f"corpus-{count}-{i}" for i in range(runs)]
    generated = [stage("generate", str(count), str(folder), str(seed)) for folder in corpora]
    corpus = corpora[0]
    pipelines = [stage("pipeline", str(corpus)) for _ in range(runs)]
    runs_done = [p.json() for p in pipelines]
    row: dict[str, Any] = {
        "articles": count, "runs": runs, "triples": runs_done[0]["triples"], "inferred": runs_done[0]["inferred"],
        "conforms": all(r["conforms"] for r in runs_done),
        "generate_s": median([g.json()["seconds"]["generate"] for g in generated]),
        "pipeline_peak_rss_mb": max(p.rss_mb for p in pipelines),
    }
    for name in ("load", "build", "closure", "reason", "validate", "turtle"):
        row[f"{name}_s"] = median([r["seconds"][name] for r in runs_done])
    row["owlrl"] = measure_owlrl(corpus, runs, owlrl_timeout, row["closure_s"])
    return row


def measure_owlrl(corpus: Path, runs: int, limit: float, rules_seconds: float) -> dict[str, Any]:
    """owlrl on the same corpus, its closure stopped after ``limit`` s; no more runs after one is stopped."""
    finished: list[dict[str, Any]] = []
    peak = 0.0
    for _ in range(runs):
        child = stage("owlrl", str(corpus), str(limit), timeout=limit + 1800)  # the outer limit is a safety net
        peak = max(peak, child.rss_mb)
        result = child.json() if not child.timed_out else {"finished": False}
        if not result["finished"]:
            break
        finished.append(result)
    found: dict[str, Any] = {"runs": len(finished), "peak_rss_mb": peak, "limit_s": limit}
    if len(finished) < runs:
        found["status"] = f"did not finish in {limit:g} s" + (f" (run {len(finished) + 1})" if finished else "")
    else:
        found["status"] = "ok"
    if finished:
        closure = median([r["seconds"]["closure"] for r in finished])
        found.update(closure_s=closure, reason_s=median([r["seconds"]["reason"] for r in finished]),
                     equal=all(r["equal"] for r in finished), speedup=round(closure / max(rules_seconds, 1e-6), 1))
    return found


def measure_kg_build(runs: int, sources: Path | None, work: Path) -> dict[str, Any]:
    """``kg build --reasoner ENGINE`` end to end (process start to exit), for both engines."""
    found: dict[str, Any] = {}
    for engine in ("owlrl", "rules"):
        args = ["build", "--reasoner", engine, "--out", str(work / f"build-{engine}")]
        children = [run_child([KG, *args, *(["--sources", str(sources)] if sources else [])], cwd=work)
                    for _ in range(runs)]
        found[engine] = {"median_s": median([c.seconds for c in children]), "runs": runs,
                         "ok": all(c.exit == 0 for c in children), "peak_rss_mb": max(c.rss_mb for c in children)}
    return found


def measure_kg_build_steps(runs: int, work: Path) -> dict[str, dict[str, float]]:
    """Median seconds of each step of ``kg build`` on the bundled article, per engine (in-process timing)."""
    found: dict[str, dict[str, float]] = {}
    for engine in ("owlrl", "rules"):
        measured = [stage("kg-build", str(work / f"steps-{engine}"), engine).json()["seconds"] for _ in range(runs)]
        found[engine] = {step: median([m[step] for m in measured]) for step in measured[0]}
    return found


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "rdflib": version("rdflib"), "owlrl": version("owlrl"), "load_average": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its results."""
    args = _parser().parse_args(argv)
    if args.all:
        from benchmarks.everything import run_all

        if args.dry_run:
            return run_all(Path(args.work or tempfile.gettempdir()) / "zqgj-bench-all", dry_run=True)
        return run_all(Path(tempfile.mkdtemp(prefix="zqgj-bench-all-", dir=args.work)))
    if args.render:
        results_file = args.out / "results.json"
        (args.out / "results.md").write_text(markdown(json.loads(results_file.read_text(encoding="utf-8"))),
                                             encoding="utf-8")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    build_sizes = {int(s) for s in args.kg_build_sizes.split(",") if s}
    previous = args.out / "results.json"
    results: dict[str, Any] = json.loads(previous.read_text(encoding="utf-8")) if args.update else {"sizes": []}
    results.update(machine=machine(), seed=args.seed, owlrl_timeout_s=args.owlrl_timeout,
                   started=time.strftime("%Y-%m-%d %H:%M:%S"))
    with tempfile.TemporaryDirectory(prefix="zqgj-bench-") as tmp:
        work = Path(tmp)
        load = os.getloadavg()[0]
        results["article_closure"] = stage("article", str(args.runs)).json() | {"load_average": load}
        _progress("closures (article)", results["article_closure"])
        results["kg_build_article"] = measure_kg_build(args.runs, None, work)
        results["kg_build_article_steps"] = measure_kg_build_steps(args.runs, work)
        _progress("kg build (article)", {"end to end": results["kg_build_article"],
                                         "steps": results["kg_build_article_steps"]})
        for count in sizes:
            runs = args.runs if count < args.big else args.big_runs
            row = {"load_average": os.getloadavg()[0]} | measure_size(count, runs, args.seed, args.owlrl_timeout, work)
            if count in build_sizes:
                row["kg_build"] = measure_kg_build(runs, work / f"corpus-{count}-0", work)
            results["sizes"] = sorted([r for r in results["sizes"] if r["articles"] != count] + [row],
                                      key=lambda r: int(r["articles"]))
            _progress(f"{count} articles", row)
    results["machine"]["load_average_after"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    previous.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(markdown(results), encoding="utf-8")
    print(f"wrote {previous} and {args.out / 'results.md'}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000", help="corpus sizes in articles (default 1,100,1000)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--big", type=int, default=1000, help="from this many articles up, use --big-runs")
    parser.add_argument("--big-runs", type=int, default=1)
    parser.add_argument("--owlrl-timeout", type=float, default=120.0, help="seconds before owlrl's closure is stopped")
    parser.add_argument("--kg-build-sizes", default="1,100", help="corpus sizes to time `kg build` on")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--update", action="store_true",
                        help="re-measure into the existing results.json: the article, and --sizes (others kept)")
    parser.add_argument("--render", action="store_true", help="only rewrite results.md from results.json")
    parser.add_argument("--all", action="store_true",
                        help="run every benchmark (benchmarks/everything.py: several hours), then the targets table")
    parser.add_argument("--dry-run", action="store_true", help="with --all: print the commands only")
    parser.add_argument("--work", default=None, help="with --all: folder for corpora and stores (default: temporary)")
    return parser


def _progress(what: str, data: dict[str, Any]) -> None:
    print(f"{what}: {json.dumps(data)}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
