"""The rules closure's input, collected while the articles stream in, so the bulk closure reads little back.

Why: on disk, Oxigraph decodes every term of every quad it returns from RocksDB. Reading the 696,000 pairs
the rules need at 1.14 M triples (2,300 generated articles) took 14 of the bulk closure's 23 s (cProfile of
:func:`kg.bulk_closure.close_store`, 2026-11-26), 7-11 µs a quad against 1-2 µs from an in-memory store. The
stream holds each of those triples as rdflib terms anyway, one article at a time: keeping the ones the rules
load costs a set look-up a triple.

What is kept is what :func:`kg.closure.load` reads for the ontology's rules: every triple of a predicate the
rules load (:meth:`~kg.closure_rules.Rules.loaded_predicates`), ``rdf:type`` among them (all memberships: the
closure reads those of the classes its rules type, :meth:`~kg.closure_rules.Rules.typed_classes`, and each
organisation's most specific classes are found from all of them, :mod:`kg.direct_types`), as sets (the store
is a set: a triple two articles state is one triple), each term kept once. The stream is the only writer of
the default graph, so for those predicates the sets hold exactly the store's triples, with the literals as
the build made them (Oxigraph would hand back ``"8"^^xsd:integer`` for ``"8"^^xsd:nonNegativeInteger``).

They are used only if they cover what the closure's own rules read: the rules are compiled again from the
store, and an article that states schema (a property's domain, a chain, ``owl:sameAs``) can make them load
another predicate; then :meth:`ClosureInput.groups_for` says so and the closure reads the store as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.closure_engine import Groups
from kg.closure_rules import Rules
from kg.closure_schema import Axioms, Pair, Schema, Triple


class ClosureInput:
    """The pairs the rules of ``ontology`` load, gathered from every triple :meth:`add` is given."""

    def __init__(self, ontology: Graph) -> None:
        axioms = Axioms.of(ontology)
        rules = Rules.compile(axioms, Schema.close(axioms))
        self.loaded = frozenset(rules.loaded_predicates())
        self.pairs: dict[Node, set[Pair]] = {}
        self.terms: dict[Node, Node] = {}  # one object per term: the articles each make their own
        self.used = False  # whether the last groups_for gave the closure its input

    def add(self, triples: Iterable[Triple]) -> None:
        """Keep the triples of ``triples`` the rules load (the hot loop: one set look-up for most)."""
        loaded, pairs, term = self.loaded, self.pairs, self.terms.setdefault
        for s, p, o in triples:
            if p in loaded:  # rdf:type is: all memberships are kept, for the direct types too
                found = pairs.get(p)
                if found is None:
                    found = pairs[p] = set()
                found.add((term(s, s), term(o, o)))

    def groups_for(self, rules: Rules, equality: bool) -> Groups | None:
        """What :func:`kg.closure.load` would read from the store for ``rules``, or ``None`` if that is not all
        here: in equality mode (every triple is loaded) or when ``rules`` load a predicate the ontology's rules
        do not (every membership is here, whichever classes ``rules`` type)."""
        loaded, typed = rules.loaded_predicates(), rules.typed_classes()
        self.used = not equality and loaded <= self.loaded
        if not self.used:
            return None
        groups: Groups = {p: list(self.pairs.get(p, ())) for p in loaded - {RDF.type}}
        groups[RDF.type] = [pair for pair in self.pairs.get(RDF.type, ()) if pair[1] in typed]
        return {p: pairs for p, pairs in groups.items() if pairs}

    def memberships(self) -> set[Pair]:
        """Every ``rdf:type`` pair of the default graph, as (resource, class)."""
        return self.pairs.get(RDF.type, set())

    def __len__(self) -> int:
        return sum(len(pairs) for pairs in self.pairs.values())
