"""The floors benchmark (``benchmarks.floors``): both ways of reading a part count the same rows."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from benchmarks.floors import markdown, measure


def test_each_part_counts_the_same_rows_both_ways_on_the_article(built: Any, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store = ox.Store(str(store_dir))
    store.bulk_load(built.graph(inferred=True).serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    result = measure(store_dir, runs=1)
    counts: dict[str, set[int]] = defaultdict(set)
    for floor in result["floors"]:
        counts[floor["reads"]].add(floor["count"])
    assert all(len(each) == 1 and min(each) > 0 for each in counts.values()), counts
    # the article's 11 pairings, 22 pairing parties, each with a Chinese and an English name at least
    assert counts["pairing-parties, grouped per pairing"] == {11}
    assert min(counts["labels of the pairing parties"]) >= 44
    assert counts["organisations among the pairing parties (typed so by the closure)"] == {22}
    assert markdown(result).count("\n| ") == len(result["floors"]) + 1
