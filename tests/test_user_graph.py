"""A user's graph file is completed as ``kg build`` would have written it (kg/user_graph.py)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.iris import ID, ZQ
from kg.user_graph import read_user_dataset

FOREIGN = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/org/a> rdfs:label "Ａcme  Works"@en , "阿克米"@zh ; skos:altLabel "ACME"@zh .
"""


def test_a_foreign_graph_gets_the_keys_of_its_names_and_the_ontology(tmp_path: Path) -> None:
    path = tmp_path / "foreign.ttl"
    path.write_text(FOREIGN, encoding="utf-8")
    dataset = read_user_dataset(path)
    subject = URIRef("https://example.org/org/a")
    keys = {str(o) for _, _, o, _ in dataset.quads((subject, ZQ.nameKey, None, None))}
    assert keys == {"acme works", "阿克米", "acme"}
    assert any(True for _ in dataset.quads((ZQ.Pairing, RDFS.label, None, None)))  # the ontology was added
    assert not any(True for _ in dataset.quads((ZQ.Pairing, ZQ.nameKey, None, None)))  # its terms get no key


def test_a_graph_kg_built_already_has_every_key(tmp_path: Path) -> None:
    """Re-reading ``kg build``'s own TriG adds nothing: the build wrote every key."""
    from kg.cli import main

    assert main(["build", "--out", str(tmp_path)]) == 0
    from kg.io import read_graph
    from kg.ontology import ontology_graph
    from kg.user_graph import add_missing_name_keys

    dataset = read_graph(tmp_path / "graph.trig")  # as written, no key added on reading
    written = {(s, o) for s, _, o, _ in dataset.quads((None, ZQ.nameKey, None, None))}
    assert (ID["org/murata"], Literal("村田")) in written
    assert add_missing_name_keys(dataset, ontology_graph()) == 0
    assert {(s, o) for s, _, o, _ in read_user_dataset(tmp_path / "graph.trig").quads(
        (None, ZQ.nameKey, None, None))} == written


STALE = """@prefix zq: <https://w3id.org/zqgj/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
<https://example.org/org/b> a zq:StateOwnedEnterprise ; zq:directType zq:GovernmentAgency .
"""


def test_direct_types_in_a_file_are_derived_again_not_kept(tmp_path: Path) -> None:
    """A stale ``zq:directType`` (here one the file's own class contradicts) is dropped on reading; the
    reasoner derives the right one, and without inference there is none (as in a build)."""
    from kg.commands import built_from_graph
    from kg.query_engine import load_graph

    path = tmp_path / "stale.ttl"
    path.write_text(STALE, encoding="utf-8")
    subject = URIRef("https://example.org/org/b")
    assert not any(True for _ in read_user_dataset(path).quads((None, ZQ.directType, None, None)))
    graph = built_from_graph(path).graph(inferred=True)
    assert set(graph.objects(subject, ZQ.directType)) == {ZQ.StateOwnedEnterprise}
    assert set(load_graph(path, inferred=False).objects(subject, ZQ.directType)) == set()
