"""``consistency-probe`` says ``false`` for each kind of inconsistency it looks for, on both stores.

One small Turtle file per case in ``tests/data/probe/`` (pySHACL's habit), added to the article's graph; the
probe runs on the assertions alone (a reasoner would first type a person who is a party as an organisation).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.query_catalogue import bundled
from kg.query_engine import prepare
from kg.store import StoreSpec, open_store, run_prepared

HERE = Path(__file__).parent
CASES = sorted(path.stem for path in (HERE / "data" / "probe").glob("*.ttl"))


def probe(graph_file: Path, kind: str) -> bool:
    opened = open_store(StoreSpec.parse(kind), graph_file, inferred=False)
    result = run_prepared(opened.store, prepare(bundled()["consistency-probe"], {}), inferred=False)
    return bool(result.askAnswer)


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return Graph().parse(HERE / "golden" / "graph.ttl", format="turtle")


def test_the_seven_cases_are_found() -> None:
    assert len(CASES) == 7


@pytest.mark.parametrize("kind", ["rdflib", "oxigraph"])
def test_the_article_is_consistent(kind: str) -> None:
    assert probe(HERE / "golden" / "graph.ttl", kind) is True


@pytest.mark.parametrize("kind", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("case", CASES)
def test_each_inconsistency_is_found(case: str, kind: str, article: Graph, tmp_path: Path) -> None:
    graph = Graph()
    graph += article
    graph.parse(HERE / "data" / "probe" / f"{case}.ttl", format="turtle")
    path = tmp_path / f"{case}.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    assert probe(path, kind) is False
