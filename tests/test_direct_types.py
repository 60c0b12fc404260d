"""Each organisation's most specific classes (``zq:directType``, kg/direct_types.py): the definition on small
cases, the same triples from rdflib and from a bulk-built Oxigraph store, and the two queries that read them
giving the answers their former query-time search gave (``tests/data/direct-types/*-by-search.rq``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS

from benchmarks.generate import generate
from kg.assets import bundled_sources
from kg.bulk import build_into_store
from kg.commands import Built, built_from_sources
from kg.direct_types import direct_classes, direct_type_triples, narrower_classes
from kg.iris import INFERRED_GRAPH, ORG, ZQ
from kg.query_catalogue import bundled
from tests.conftest import ROOT

SEARCH = ROOT / "tests" / "data" / "direct-types"
A, B, C, D = (URIRef(f"urn:class:{letter}") for letter in "ABCD")


def test_a_class_is_direct_unless_another_class_of_the_thing_is_narrower() -> None:
    narrower = narrower_classes([(B, A), (C, B), (C, A), (D, D)], URIRef)  # C ⊑ B ⊑ A, as the closure leaves it
    assert narrower == {A: {B, C}, B: {C}}  # D ⊑ D is no narrower class
    assert direct_classes([A, B, C], narrower) == [C]
    assert direct_classes([A, B], narrower) == [B]
    assert direct_classes([A, D], narrower) == [A, D]  # unrelated classes are both direct
    assert direct_classes([], narrower) == []


def test_equivalent_classes_are_direct_together() -> None:
    """As OWL API's ``getTypes(ind, direct=true)``: equivalent classes are one node of the taxonomy."""
    narrower = narrower_classes([(A, B), (B, A), (C, A), (C, B)], URIRef)  # A ≡ B, C below both
    assert narrower == {A: {C}, B: {C}}
    assert direct_classes([A, B], narrower) == [A, B]
    assert direct_classes([A, B, C], narrower) == [C]


def test_blank_classes_neither_count_nor_hide_a_named_one() -> None:
    union, intersection = BNode(), BNode()
    narrower = narrower_classes([(intersection, A), (A, union), (B, A)], URIRef)
    assert narrower == {A: {B}}
    graph = Graph()
    org = URIRef("urn:x:org")
    for cls in (ORG.Organization, A, union, intersection):
        graph.add((org, RDF.type, cls))
    graph.add((A, RDFS.subClassOf, ORG.Organization))
    assert list(direct_type_triples(graph)) == [(org, ZQ.directType, A)]


def test_only_organisations_get_direct_types() -> None:
    graph = Graph()
    org, person = URIRef("urn:x:org"), URIRef("urn:x:person")
    for triple in [(ZQ.Enterprise, RDFS.subClassOf, ORG.Organization), (org, RDF.type, ORG.Organization),
                   (org, RDF.type, ZQ.Enterprise), (person, RDF.type, ZQ.Enterprise)]:
        graph.add(triple)
    assert list(direct_type_triples(graph)) == [(org, ZQ.directType, ZQ.Enterprise)]


@pytest.fixture(scope="module", params=["article", "gen-5"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "article":
        return bundled_sources()
    folder: Path = tmp_path_factory.mktemp("direct-types") / str(request.param)
    generate(5, folder, seed=7)
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path) -> Built:
    return built_from_sources(corpus, "rules")


def _rows(graph: Graph, text: str) -> list[tuple[str, ...]]:
    return sorted(tuple("" if v is None else v.n3() for v in row) for row in graph.query(text))  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["organisations-per-type", "organisations-by-type"])
def test_the_queries_answer_as_the_search_did(name: str, built: Built) -> None:
    graph = built.graph(inferred=True)
    search = (SEARCH / f"{name}-by-search.rq").read_text(encoding="utf-8")
    expected = _rows(graph, search)
    assert len(expected) >= 2
    assert _rows(graph, bundled()[name].text) == expected


def test_the_bulk_store_holds_the_same_direct_types(corpus: Path, built: Built) -> None:
    expected = {f"{s.n3()} {p.n3()} {o.n3()} ."
                for s, p, o in built.dataset.graph(INFERRED_GRAPH).triples((None, ZQ.directType, None))}
    store = build_into_store(corpus, None, None).store
    found = {f"{q.triple} ." for q in store.quads_for_pattern(None, ox.NamedNode(str(ZQ.directType)), None,
                                                              ox.NamedNode(str(INFERRED_GRAPH)))}
    assert len(expected) > 10
    assert found == expected


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads serialiser
@pytest.mark.parametrize("kind", ["rdflib", "oxigraph"])
def test_a_file_without_direct_types_gets_them_in_either_store(kind: str, built: Built, tmp_path: Path) -> None:
    """A graph file whose inferred graph lacks ``zq:directType`` (an older build's, another tool's): the rdflib
    store derives them with the reasoner, the Oxigraph store adds them when it loads the file natively."""
    from kg.query_engine import prepare
    from kg.store import StoreSpec, open_store, run_prepared

    older = Dataset()
    for graph in built.dataset.graphs():
        older.graph(graph.identifier).__iadd__(t for t in graph if t[1] != ZQ.directType)
    path = tmp_path / "older.nq"
    older.serialize(path, format="nquads", encoding="utf-8")
    assert not any(f" <{ZQ.directType}> " in line for line in path.read_text(encoding="utf-8").splitlines())
    store = open_store(StoreSpec(kind), path, None, inferred=True).store
    spec = bundled()["organisations-per-type"]
    rows = run_prepared(store, prepare(spec, {}), inferred=True)
    expected = _rows(built.graph(inferred=True), spec.text)
    assert sorted(tuple("" if v is None else v.n3() for v in row) for row in rows) == expected  # type: ignore[union-attr]
