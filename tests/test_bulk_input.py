"""The closure's input collected by the stream (``kg.bulk_input``): the same pairs the closure would read
back from the store, the same entailments on every rule case, and the store read instead whenever the data
makes the rules load a predicate the ontology's do not."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF

from benchmarks.generate import generate
from kg.bulk_closure import close_store
from kg.bulk_input import ClosureInput
from kg.bulk_rdflib import Originals, graph_of
from kg.bulk_stream import stream_into
from kg.closure import load, rules_closure
from kg.closure_engine import Groups
from kg.closure_rules import Rules
from kg.closure_schema import Axioms, Schema
from kg.ontology import ontology_graph
from kg.reason import reason
from kg.store_terms import to_ox
from tests.test_closure import CASES, PREFIXES


def _rules_of(graph: Graph) -> Rules:
    axioms = Axioms.of(graph)
    return Rules.compile(axioms, Schema.close(axioms))


def _named(groups: Groups) -> set[tuple[str, str, str]]:
    """The pairs as (predicate, subject, object) N-Triples terms, those with a blank node left out (the
    ontology's class expressions: their labels are the stream's canonical ones on both sides)."""
    return {(p.n3(), s.n3(), o.n3()) for p, pairs in groups.items() for s, o in pairs
            if not isinstance(s, BNode) and not isinstance(o, BNode)}


def test_the_stream_collects_what_the_closure_reads_back(tmp_path: Path) -> None:
    generate(5, tmp_path, seed=7)
    store = ox.Store()
    streamed = stream_into(store, tmp_path, ontology_graph())
    graph = graph_of(store, Originals.of(streamed.census))
    rules = _rules_of(graph)
    given = streamed.closure_input
    assert given is not None
    collected = given.groups_for(rules, False)
    assert collected is not None and given.used
    read = load(graph, rules, equality=False)
    assert collected.keys() == read.keys()
    assert {p: len(pairs) for p, pairs in collected.items()} == {p: len(pairs) for p, pairs in read.items()}
    assert _named(collected) == _named(read)
    assert len(read[RDF.type]) > 100 and len(given) >= sum(map(len, read.values()))


def test_equality_mode_reads_the_store() -> None:
    ontology = ontology_graph()
    given = ClosureInput(ontology)
    assert given.groups_for(_rules_of(ontology), True) is None and not given.used
    assert given.groups_for(_rules_of(ontology), False) == {} and given.used  # nothing added yet


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_case_closes_the_same_from_collected_input(case: str) -> None:
    """tests/test_closure.py's graphs, whose data often adds axioms of its own: collected for the ontology's
    rules, used where they are the store's rules, and the store read where they are not; the same entailments
    as the rdflib path either way."""
    ontology = ontology_graph()
    graph = Graph()
    graph += ontology
    graph.parse(data=PREFIXES + CASES[case], format="turtle")
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    given = ClosureInput(ontology)
    given.add(graph)
    closed = close_store(store, given=given)
    expected = reason(graph, closure=rules_closure).inferred
    assert set(closed.triples) == set(expected)
    rules = _rules_of(graph)
    same_rules = rules.loaded_predicates() <= given.loaded  # the classes do not matter: all memberships are kept
    if case in ("cycles, symmetry", "cls-int1", "owl:Nothing"):  # the ontology's properties, new classes
        assert same_rules
    if case in ("schema derived from data", "owl:sameAs asserted", "prp-ifp"):
        assert not closed.collected
    assert closed.collected == (same_rules and case not in ("owl:sameAs asserted", "prp-fp and equality"))


def test_direct_types_from_the_kept_memberships_equal_those_read_from_the_store(tmp_path: Path) -> None:
    from kg.bulk import _direct_types
    from kg.bulk_closure import INFERRED
    from kg.direct_types import direct_type_quads

    generate(5, tmp_path, seed=7)
    store = ox.Store()
    streamed = stream_into(store, tmp_path, ontology_graph())
    closed = close_store(store, Originals.of(streamed.census), streamed.closure_input)
    assert closed.collected
    kept = {str(quad) for quad in _direct_types(store, closed, streamed.closure_input)}
    read = {str(quad) for quad in direct_type_quads(store, INFERRED)}
    assert len(read) > 30
    assert kept == read
