"""Log-log plot of the scale benchmarks: triples against seconds and against peak RSS.

    python -m benchmarks.plot [--results benchmarks/results] [--out docs/img/scale-loglog.svg]

Reads what the benchmarks wrote (``results.json`` of ``python -m benchmarks``: the in-memory rdflib pipeline
and owlrl; ``bulk.json`` of ``python -m benchmarks.bulk`` if present: the streaming Oxigraph path) and draws
one line per stage. On log-log axes a straight line of slope 1 is linear growth, which is what the issue
asks memory to show. The SVG is deterministic (no date, fixed ids), so a re-run on the same JSON changes
nothing in git.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

#: (label, key in a ``sizes`` row of results.json) for the rdflib pipeline's stages.
PIPELINE_STAGES = [
    ("load + verify", "load_s"), ("build", "build_s"), ("rules closure", "closure_s"),
    ("SHACL validation", "validate_s"), ("Turtle export", "turtle_s"),
]
#: (label, key in a row of bulk.json) for the streaming Oxigraph path, when it was measured.
BULK_STAGES = [("bulk: load + verify + build", "seconds.stream"), ("bulk: closure", "seconds.closure"),
               ("bulk: N-Triples export", "seconds.export nt")]


def series(rows: list[dict[str, Any]], key: str) -> tuple[list[float], list[float]]:
    """(triples, value) of every row that has a number under ``key`` (a dotted key reaches into a row)."""
    xs: list[float] = []
    ys: list[float] = []
    for row in rows:
        value: Any = row
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        triples = row.get("triples", row.get("asserted"))  # bulk.json says "asserted"
        if isinstance(value, int | float) and value > 0 and triples:
            xs.append(float(triples))
            ys.append(float(value))
    return xs, ys


def lines_of(results: dict[str, Any], bulk: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The time lines and the memory lines to draw, by label."""
    rows = results["sizes"]
    times = {label: series(rows, key) for label, key in PIPELINE_STAGES}
    finished = [row for row in rows if row.get("owlrl", {}).get("status") == "ok"]  # not the timed-out ones
    owlrl = [row | {"owlrl_ok": row["owlrl"]["closure_s"]} for row in finished]
    times["owlrl closure"] = series(owlrl, "owlrl_ok")
    memory = {"rdflib pipeline": series(rows, "pipeline_peak_rss_mb"), "owlrl": series(rows, "owlrl.peak_rss_mb")}
    for label, key in BULK_STAGES:
        times[label] = series(bulk, key)
    memory["bulk (Oxigraph)"] = series(bulk, "peak_rss_mb")
    return ({k: v for k, v in times.items() if v[0]}, {k: v for k, v in memory.items() if v[0]})


def draw(results: dict[str, Any], bulk: list[dict[str, Any]], out: Path) -> None:
    """Write the two log-log panels to ``out`` (SVG or PNG, by its suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "zqgj-kg"  # stable element ids
    import matplotlib.pyplot as plt

    times, memory = lines_of(results, bulk)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for axes, lines, unit in ((left, times, "seconds (median)"), (right, memory, "peak RSS, MB")):
        for label, (xs, ys) in lines.items():
            axes.plot(xs, ys, marker="o", label=label)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("triples (ontology + articles)")
        axes.set_ylabel(unit)
        axes.grid(True, which="both", linewidth=0.3)
        axes.legend(fontsize=7)
    left.set_title("time per stage")
    right.set_title("memory")
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".tmp")
    figure.savefig(temporary, format=out.suffix.lstrip("."), metadata={"Date": None} if out.suffix == ".svg" else None)
    plt.close(figure)
    temporary.replace(out)


def main(argv: list[str] | None = None) -> int:
    """Read the results, draw, say where."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--results", type=Path, default=Path("benchmarks/results"))
    options.add_argument("--out", type=Path, default=Path("docs/img/scale-loglog.svg"))
    args = options.parse_args(argv)
    results = json.loads((args.results / "results.json").read_text(encoding="utf-8"))
    bulk_file = args.results / "bulk.json"
    bulk = json.loads(bulk_file.read_text(encoding="utf-8")) if bulk_file.exists() else []
    draw(results, bulk.get("sizes", []) if isinstance(bulk, dict) else bulk, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
