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
from dataclasses import dataclass

from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import OWL

from kg.closure_engine import Engine, NeedsEqualityError, UnsupportedError
from kg.closure_rules import Rules
from kg.closure_schema import Axioms, Schema, Triple, is_schema_triple, unsupported_input, unsupported_vocabulary


@dataclass
class RulesRun:
    """What one rules closure derived, and how: for benchmarks and the docs."""

    derived: list[Triple]
    rounds: int
    restarts: int
    equality: bool
    rules: Rules


def rules_closure(graph: Graph) -> Graph:
    """Every OWL 2 RL entailment of ``graph`` (not modified) that is not noise, as a new graph.

    The result holds only derived triples, never the input's (the :data:`kg.reason.Closure` contract allows
    either).
    """
    source = _plain(graph)
    reasons = unsupported_input(source)
    if not reasons:
        try:
            closed = Graph()
            for triple in run_rules(source).derived:
                closed.add(triple)
            return closed
        except UnsupportedError as err:
            reasons = [str(err)]
    warnings.warn(f"rules_closure: {'; '.join(reasons)}: closing with owlrl instead", stacklevel=2)
    from kg.reason import owlrl_closure  # here, not at the top: kg.reason may one day default to this module

    return owlrl_closure(graph)


def run_rules(graph: Graph) -> RulesRun:
    """The rules closure of a plain graph, with its statistics.

    A run restarts (rarely) when the data itself says something about the schema, so the rules change: a
    derived ``rdfs:subClassOf`` or ``owl:Class``, say, or an ``owl:sameAs`` (the run then indexes every
    triple, in equality mode). Each restart adds what was derived to the input, so it terminates.
    """
    equality = any(s != o for s, o in graph.subject_objects(OWL.sameAs))
    source, earlier, restarts = graph, list[Triple](), 0
    while True:
        axioms = Axioms.of(source)
        schema = Schema.close(axioms)
        rules = Rules.compile(axioms, schema)
        seeded = [t for t in schema.triples() if t not in source]
        engine = Engine(rules, equality=equality)
        try:
            engine.run(_loaded(source, rules, equality=equality), seeded)
        except NeedsEqualityError:
            equality, restarts = True, restarts + 1
            continue
        found = seeded + engine.derived
        if not any(is_schema_triple(t) for t in engine.derived):
            return RulesRun(earlier + found, engine.rounds, restarts, equality, rules)
        earlier, restarts = earlier + found, restarts + 1
        source = _with(source, found)
        reasons = unsupported_vocabulary(source)
        if reasons:
            raise UnsupportedError("; ".join(reasons))


def describe_rules(graph: Graph) -> list[str]:
    """The rules generated from ``graph``'s axioms, one line each (``python -m kg.closure FILE`` prints them)."""
    axioms = Axioms.of(_plain(graph))
    return Rules.compile(axioms, Schema.close(axioms)).describe()


def _loaded(graph: Graph, rules: Rules, *, equality: bool) -> list[Triple]:
    """The input triples the rules can use: all of them in equality mode, else the loaded predicates'."""
    if equality:
        return list(graph)
    return [t for p in rules.loaded_predicates() for t in graph.triples((None, p, None))]


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
