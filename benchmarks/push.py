"""Push a generated corpus into a throwaway Virtuoso on loopback and time it (run on demand).

    python -m benchmarks.push [--articles 100]

Needs Debian's virtuoso-opensource-7. It starts Virtuoso with the tests' throwaway configuration
(``tests/virtuoso.py``: free 127.0.0.1 ports, a temporary folder), generates the corpus, runs
``kg push --inferred --replace`` twice (the second replaces the first) and prints each run's summary line.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests import virtuoso

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Generate, start Virtuoso, push twice, print the times."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--articles", type=int, default=100)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus"
        subprocess.run([sys.executable, "-m", "benchmarks.generate", "--articles", str(args.articles),  # noqa: S603
                        "--out", str(corpus)], cwd=ROOT, check=True, timeout=600)
        server = virtuoso.start(Path(work) / "virtuoso")
        try:
            for attempt in (1, 2):
                started = time.perf_counter()
                done = subprocess.run(  # noqa: S603 - fixed argv
                    [sys.executable, "-m", "kg.cli", "push", "--endpoint", f"{server.base}/sparql-auth",
                     "--gsp", f"{server.base}/sparql-graph-crud-auth", "--user", virtuoso.USER,
                     "--password-env", "KG_BENCH_PASSWORD", "--sources", str(corpus), "--inferred", "--replace"],
                    cwd=ROOT, env={**os.environ, "KG_BENCH_PASSWORD": virtuoso.PASSWORD},
                    capture_output=True, text=True, timeout=3600, check=False)
                wall = time.perf_counter() - started
                last = (done.stdout.strip().splitlines() or [done.stderr.strip()])[-1]
                print(f"push {attempt}: exit {done.returncode}, {wall:.1f} s with build and reasoning; {last}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
