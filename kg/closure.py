"""A specialised OWL 2 RL closure: rules generated from the graph's own axioms, run semi-naively.

owlrl (:func:`kg.reason.owlrl_closure`, the reference) passes every OWL 2 RL rule over every triple of the
graph, and again, until a pass adds nothing: seconds for one article, minutes for a hundred. This closure
reads the ontology's axioms once, closes them (:mod:`kg.closure_schema`), compiles one rule per property and
per class (:mod:`kg.closure_rules`), and applies those to the new triples of each round only
(:mod:`kg.closure_engine`). It is a :data:`kg.reason.Closure`: ``reason(graph, closure=rules_closure)``
keeps exactly the triples ``reason(graph)`` keeps (``tests/test_closure.py`` checks it triple for triple).

Differences from owlrl are confined to what :func:`kg.reason.noise_kind` drops: this closure does not
produce reflexive ``owl:sameAs``/sub-class/sub-property triples, ``x a owl:Thing``, literals typed by their
datatype or by a range, or the built-in datatype and annotation-property declarations. A graph using OWL
that these rules do not cover (restrictions, ``owl:oneOf``, ``owl:hasKey``, a resource typed with an XSD
datatype, ``owl:sameAs`` with a literal) is closed by owlrl instead, with a warning naming the construct.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import OWL, RDF
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from kg.closure_engine import Engine, Groups, NeedsEqualityError, UnsupportedError
from kg.closure_rules import Rules
from kg.closure_schema import (
    Axioms,
    Pair,
    Schema,
    Triple,
    is_schema_triple,
    unsupported_input,
    unsupported_vocabulary,
)
from kg.gc_pause import collector_paused

#: What :func:`load` reads for the rules, given by the caller instead (or ``None``: read it after all).
Preloaded = Callable[[Rules, bool], Groups | None]
#: rdflib's in-memory predicate -> object -> subject index.
PosIndex = dict[Node, dict[Node, dict[Node, object]]]


@dataclass
class RulesRun:
    """What one rules closure derived, and how: for benchmarks and the docs."""

    derived: list[Triple]
    rounds: int
    restarts: int
    equality: bool
    rules: Rules


def rules_closure(graph: Graph) -> Graph:
    """The OWL 2 RL entailments of ``graph`` (not modified) that :func:`kg.reason.reason` keeps, as a new graph.

    The result holds only derived triples, never the input's (the :data:`kg.reason.Closure` contract allows
    either), and a little schema-level noise ``reason`` drops (``c ⊑ owl:Thing``, blank-node classes).
    """
    source = _plain(graph)
    reasons = unsupported_input(source)
    if not reasons:
        try:
            with collector_paused():
                closed = Graph()
                for triple in run_rules(source).derived:
                    closed.add(triple)
            return closed
        except UnsupportedError as err:
            reasons = [str(err)]
    warnings.warn(f"rules_closure: {'; '.join(reasons)}: closing with owlrl instead", stacklevel=2)
    from kg.reason import owlrl_closure  # here, not at the top: kg.reason may one day default to this module

    return owlrl_closure(graph)


def run_rules(graph: Graph, preloaded: Preloaded | None = None) -> RulesRun:
    """The rules closure of a plain graph, with its statistics.

    A run restarts (rarely) when the data itself says something about the schema, so the rules change: a
    derived ``rdfs:subClassOf`` or ``owl:Class``, say, or an ``owl:sameAs`` (the run then indexes every
    triple, in equality mode). Each restart adds what was derived to the input, so it terminates.
    ``preloaded`` may give what :func:`load` would read from ``graph`` for the rules (``None``: read it); it is
    asked for the first pass over ``graph`` only (:class:`kg.bulk_input.ClosureInput`).
    """
    equality = any(s != o for s, o in graph.subject_objects(OWL.sameAs))
    source, earlier, restarts = graph, list[Triple](), 0
    while True:
        axioms = Axioms.of(source)
        schema = Schema.close(axioms)
        rules = Rules.compile(axioms, schema)
        seeded = [t for t in schema.triples() if t not in source]
        engine = Engine(rules, equality=equality)
        given = preloaded(rules, equality) if preloaded is not None and source is graph else None
        try:
            engine.run(given if given is not None else load(source, rules, equality=equality), _grouped(seeded))
        except NeedsEqualityError:
            equality, restarts = True, restarts + 1
            continue
        derived = list(engine.triples())
        found = seeded + derived
        if not any(is_schema_triple(t) for t in derived):
            return RulesRun(earlier + found, engine.rounds, restarts, equality, rules)
        earlier, restarts = earlier + found, restarts + 1
        source = _with(source, found)
        reasons = unsupported_vocabulary(source)
        if reasons:
            raise UnsupportedError("; ".join(reasons))


def load(graph: Graph, rules: Rules, *, equality: bool) -> Groups:
    """The input triples the rules can use, per predicate: all of them in equality mode, else those of the
    loaded predicates and the memberships of the typed classes (:meth:`Rules.typed_classes`)."""
    index = _memory_index(graph)
    if equality:
        predicates: Iterable[Node] = index if index is not None else set(graph.predicates(unique=True))
    else:
        predicates = rules.loaded_predicates() - {RDF.type}
    groups: Groups = {p: _pairs(graph, index, p) for p in predicates}
    if not equality:
        groups[RDF.type] = [pair for c in rules.typed_classes() for pair in _pairs(graph, index, RDF.type, c)]
    return {p: pairs for p, pairs in groups.items() if pairs}


def _pairs(graph: Graph, index: PosIndex | None, p: Node, o: Node | None = None) -> list[Pair]:
    """``(s, o)`` of the triples ``?s p ?o`` (or ``?s p o``), straight from the store's index when it has one."""
    if index is None:
        if o is None:
            return list(graph.subject_objects(p))
        return [(s, o) for s in graph.subjects(p, o)]
    by_object = index.get(p, {})
    if o is None:
        return [(s, obj) for obj, subjects in by_object.items() for s in subjects]
    return [(s, o) for s in by_object.get(o, ())]


def _memory_index(graph: Graph) -> PosIndex | None:
    """The predicate-object-subject index of ``graph``'s in-memory store, if the store holds this graph only.

    rdflib's ``Graph.triples`` checks each triple's contexts one by one; reading the index is ~5× faster.
    It is a private attribute, so anything unexpected falls back to ``Graph.triples``.
    """
    store = graph.store
    index = getattr(store, "_Memory__pos", None)
    if type(store) is not Memory or not isinstance(index, dict) or len(store) != len(graph):
        return None
    return index


def describe_rules(graph: Graph) -> list[str]:
    """The rules generated from ``graph``'s axioms, one line each (``python -m kg.closure FILE`` prints them)."""
    axioms = Axioms.of(_plain(graph))
    return Rules.compile(axioms, Schema.close(axioms)).describe()


def _grouped(triples: Iterable[Triple]) -> Groups:
    groups: Groups = {}
    for s, p, o in triples:
        groups.setdefault(p, []).append((s, o))
    return groups


def _with(graph: Graph, triples: list[Triple]) -> Graph:
    extended = Graph()
    for triple in graph:
        extended.add(triple)
    for triple in triples:
        extended.add(triple)
    return extended


def _plain(graph: Graph) -> Graph:
    """``graph`` itself if it is a plain graph, else a plain copy of the union of its named graphs."""
    if type(graph) is Graph:
        return graph
    plain = Graph()
    if isinstance(graph, Dataset | ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            plain.add((s, p, o))
    else:
        for triple in graph:
            plain.add(triple)
    return plain


if __name__ == "__main__":
    import sys

    from kg.ontology import ontology_graph

    target = Graph().parse(sys.argv[1]) if len(sys.argv) > 1 else ontology_graph()
    print("\n".join(describe_rules(target)))
