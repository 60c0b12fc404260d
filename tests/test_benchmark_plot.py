"""benchmarks.plot: the README's log-log figure, drawn from the benchmarks' JSON, deterministically."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.plot import lines_of, main

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def test_every_stage_becomes_a_line_with_one_point_per_measured_size() -> None:
    results = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
    times, memory = lines_of(results, [])
    sizes = [row["triples"] for row in results["sizes"]]
    assert times["rules closure"][0] == [float(t) for t in sizes]
    assert times["rules closure"][1] == [row["closure_s"] for row in results["sizes"]]
    assert set(memory) == {"rdflib pipeline", "owlrl"}


def test_a_stage_not_measured_is_left_out_and_bulk_rows_count_asserted_triples() -> None:
    results = {"sizes": [{"triples": 10, "load_s": 1.0, "owlrl": {"status": "timeout"}}]}
    bulk = [{"asserted": 1000, "seconds": {"stream": 2.0, "closure": 0.5}, "peak_rss_mb": 90.0}]
    times, memory = lines_of(results, bulk)
    assert times == {"load + verify": ([10.0], [1.0]), "bulk: load + verify + build": ([1000.0], [2.0]),
                     "bulk: closure": ([1000.0], [0.5])}
    assert memory == {"bulk (Oxigraph)": ([1000.0], [90.0])}


def test_the_svg_is_the_same_bytes_twice(tmp_path: Path) -> None:
    for name in ("a.svg", "b.svg"):
        assert main(["--results", str(RESULTS), "--out", str(tmp_path / name)]) == 0
    first = (tmp_path / "a.svg").read_bytes()
    assert first == (tmp_path / "b.svg").read_bytes()
    assert b"<svg" in first and b"rules closure" in first
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
