"""The scale targets read from the result files (benchmarks/targets.py), and the bulk benchmark's medians."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.bulk import _medians
from benchmarks.targets import markdown, targets


def _write(folder: Path, name: str, data: object) -> None:
    text = ("\n".join(json.dumps(line) for line in data) if name.endswith(".jsonl")  # type: ignore[attr-defined]
            else json.dumps(data))
    (folder / name).write_text(text, encoding="utf-8")


def _status(rows: list[dict[str, str]], start: str) -> str:
    return next(r["status"] for r in rows if r["target"].startswith(start))


def test_a_target_is_met_missed_or_not_measured_by_its_own_rule(tmp_path: Path) -> None:
    _write(tmp_path, "results.json", {
        "kg_build_article": {"rules": {"median_s": 1.3, "runs": 5}},
        "sizes": [{"triples": 120_000, "runs": 3, "owlrl": {"status": "ok", "speedup": 400.0, "equal": True}}]})
    _write(tmp_path, "store-queries-10k.jsonl", [
        {"query": "fast", "rows": 3, "median_ms": 4.0, "all_ms": [4, 4, 4, 4, 4]},
        {"query": "probe", "rows": False, "median_ms": 900.0, "all_ms": [900] * 5},
        {"query": "listing", "rows": 5000, "median_ms": 9000.0, "all_ms": [9000] * 5}])
    rows = targets(tmp_path)
    assert _status(rows, "`kg build`") == "met"
    assert _status(rows, "reasoning ≥ 100×") == "met (3 runs, < 5)"  # medians of fewer than 5 runs: said
    assert _status(rows, "owlrl at 1 M") == "not measured"
    few = next(r for r in rows if r["target"].startswith("queries of ≤ 1,000 rows"))
    assert few["status"] == "missed" and few["measured"] == "1 of 2 within 50 ms; over: `probe` 900 ms"
    assert _status(rows, "listings") == "not measured" and _status(rows, "network page") == "not measured"
    assert "| `kg build` of the article ≤ 1.5 s | 1.30 s (median) | met | `results.json` |" in markdown(rows)


def test_bulk_timings_are_medians_over_the_runs_and_peaks_the_largest() -> None:
    def run(closure: float, peak: float) -> dict[str, object]:
        return {"seconds": {"closure": closure}, "pyoxigraph_dump_s": {"nt": closure / 2},
                "bare_bulk_load_nt_s": closure / 4, "peak_mb": {"closure": peak}, "asserted": 10}
    row = _medians([run(3.0, 100), run(1.0, 300), run(2.0, 200)])
    assert row["seconds"] == {"closure": 2.0} and row["pyoxigraph_dump_s"] == {"nt": 1.0}
    assert row["bare_bulk_load_nt_s"] == 0.5 and row["peak_mb"] == {"closure": 300}
    assert row["runs_s"] == {"closure": [3.0, 1.0, 2.0]}


def test_the_all_command_runs_every_part_with_options_its_module_has(tmp_path: Path) -> None:
    """``python -m benchmarks --all``: each step is a module of this project (or ``kg``), and every option it
    passes is one that module's command line declares (a renamed option fails here, not hours into a run)."""
    import importlib.util
    import re

    from benchmarks.everything import steps

    modules = set()
    for _what, command, _stdout in steps(tmp_path):
        if command[1] != "-m":
            assert command[0].endswith("kg") and command[1] == "build"
            continue
        module = command[2]
        spec = importlib.util.find_spec(module if module != "benchmarks" else "benchmarks.__main__")
        assert spec is not None and spec.origin is not None, module
        source = Path(spec.origin).read_text(encoding="utf-8")
        for option in (arg for arg in command[3:] if re.fullmatch(r"--[a-z-]+", arg)):
            assert f'"{option}"' in source, (module, option)
        modules.add(module)
    assert {"benchmarks", "benchmarks.bulk", "benchmarks.store_queries", "benchmarks.floors", "benchmarks.stores",
            "benchmarks.viz", "benchmarks.plot", "benchmarks.targets"} <= modules


def test_the_committed_targets_table_is_the_one_the_result_files_give() -> None:
    """``benchmarks/results/targets.md`` and the README's copy are what ``python -m benchmarks.targets`` writes
    from the committed result files: a rerun that changes a result file must regenerate them."""
    root = Path(__file__).resolve().parent.parent
    results = root / "benchmarks" / "results"
    table = markdown(targets(results))
    assert (results / "targets.md").read_text(encoding="utf-8") == table
    readme = (root / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- targets:begin -->\n", 1)[1].split("<!-- targets:end -->", 1)[0]
    assert between == table[table.index("| target |"):]


def test_a_query_stopped_at_the_timeout_is_a_listing_if_the_listing_benchmark_counted_its_rows(
        tmp_path: Path) -> None:
    _write(tmp_path, "store-queries-10k.jsonl", [
        {"query": "fast", "rows": 3, "median_ms": 4.0, "all_ms": [4, 4, 4, 4, 4]},
        {"query": "network", "timeout_s": 20.0, "stuck": False},
        {"query": "mystery", "timeout_s": 20.0, "stuck": False}])
    _write(tmp_path, "stores-10k.json", [{"runs": 5, "queries_ms": [
        {"query": "network", "rows": 252_156, "oxigraph": 21.0, "bare pyoxigraph": 24.0}]}])
    [row] = [r for r in targets(tmp_path) if r["target"].startswith("queries of")]
    assert "listings in `stores-10k.json`: `network` (252,156 rows)" in row["measured"]
    assert "rows unknown: `mystery`" in row["measured"]
    assert row["status"] == "met"


def test_a_slow_few_row_query_is_shown_with_the_floor_of_what_it_must_read(tmp_path: Path) -> None:
    _write(tmp_path, "store-queries-10k.jsonl", [
        {"query": "probe", "rows": True, "median_ms": 4400.0, "all_ms": [4400] * 5},
        {"query": "other", "rows": 0, "median_ms": 900.0, "all_ms": [900] * 5}])
    _write(tmp_path, "floors-10k.json", {"floors": [
        {"query": "probe", "part": "names", "way": "look-up", "median_ms": 600.0},
        {"query": "probe", "part": "names", "way": "hashed", "median_ms": 120.0},
        {"query": "probe", "part": "kinds", "way": "hashed", "median_ms": 80.0}]})
    [row] = [r for r in targets(tmp_path) if r["target"].startswith("queries of")]
    assert "`probe` 4,400 ms (what it must read alone: ≥ 120 ms, `floors-10k.json`)" in row["measured"]
    assert "over: `other` 900 ms, `probe`" in row["measured"]  # no floor measured for it: none shown
    assert row["status"] == "missed"


def test_a_listing_with_parameters_is_named_as_not_compared(tmp_path: Path) -> None:
    _write(tmp_path, "stores-10k.json", [{"runs": 5, "queries_ms": [
        {"query": "network", "rows": 252_156, "oxigraph": 21.0, "bare pyoxigraph": 24.0},
        {"query": "outcomes", "rows": 2_500, "oxigraph": 1890.0}]}])
    [row] = [r for r in targets(tmp_path) if r["target"].startswith("listings")]
    assert row["measured"] == "worst `network` 0.88× of 1 listings (not compared, taking parameters: `outcomes`)"
