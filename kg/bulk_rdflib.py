"""A read-only rdflib ``Store`` over the default graph of a pyoxigraph ``Store``: the closure's adapter.

Why: the rules closure (:func:`kg.closure.run_rules`) reads its input through the rdflib ``Graph`` API
(``subject_objects(p)``, ``subjects(rdf:type, c)``, ``items(list)``, ``(s, p, o) in graph``), and only for the
predicates and classes its rules use. Wrapping Oxigraph in rdflib's own extension point (a ``Store`` plugin)
lets that code and the :class:`~kg.closure_engine.Engine` run unchanged, while the triples stay in Oxigraph:
only the pairs a pattern matches are converted, once each term (:class:`~kg.store_terms.TermCache`).

Literals: Oxigraph keeps a literal's value, not its text (``"8"^^xsd:nonNegativeInteger`` comes back as
``"8"^^xsd:integer``). A literal is turned back into the original the build made when the stream's census saw
exactly one original with that form for that predicate (:class:`Originals`), so a derived triple carries the
same term as the rdflib path's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.store import Store

from kg.store_terms import LiteralCensus, TermCache, canonical_forms, to_ox, to_rdflib

DEFAULT = ox.DefaultGraph()


class Originals(dict[tuple[str, str], Literal]):
    """``(predicate IRI, Oxigraph's N-Triples form) -> the build's literal``, where Oxigraph changed it and
    only one original had that form (``ambiguous`` counts the others: those stay in Oxigraph's form)."""

    ambiguous: int = 0

    @classmethod
    def of(cls, census: LiteralCensus) -> Originals:
        """The originals to restore, from the typed literals the stream saw (Oxigraph itself says what it
        keeps of each: :func:`kg.store_terms.canonical_forms`)."""
        kept = canonical_forms(literal for _predicate, literal in census.pairs)
        groups: dict[tuple[str, str], set[Literal]] = defaultdict(set)
        for predicate, literal in census.pairs:
            groups[(predicate, str(kept[literal]))].add(literal)
        found = cls()
        for key, literals in groups.items():
            changed = [literal for literal in literals if to_rdflib(kept[literal]) != literal]
            if changed and len(literals) == 1:
                found[key] = changed[0]
            elif changed:
                found.ambiguous += len(changed)
        return found


class OxigraphView(Store):
    """rdflib's view of an Oxigraph default graph: ``triples`` and ``len``, nothing else (read-only)."""

    context_aware = False

    def __init__(self, store: ox.Store, originals: Originals | None = None, *, union: bool = False) -> None:
        super().__init__()
        self.ox, self.originals = store, originals or Originals()
        self.graph = None if union else DEFAULT  # union: every graph (the inferred one repeats no asserted triple)
        self.cache = TermCache()

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        """The matching triples of the default graph as rdflib terms (contexts: none).

        The hot loop of the closure's input (~600,000 pairs at 1M triples): look-ups inlined, the pattern's own
        terms reused, a literal checked against :class:`Originals` only when there are any."""
        subject, predicate, obj = triple_pattern
        s, p, o = (None if term is None else to_ox(term) for term in triple_pattern)
        cache, originals, no_contexts = self.cache, self.originals, ()
        get, convert, literal = cache.get, cache.rdflib, ox.Literal
        for quad in self.ox.quads_for_pattern(s, p, o, self.graph):  # type: ignore[arg-type]
            rs = subject if subject is not None else get(quad.subject) or convert(quad.subject)
            rp = predicate if predicate is not None else get(quad.predicate) or convert(quad.predicate)
            if obj is not None:
                yield (rs, rp, obj), no_contexts
                continue
            value = quad.object
            ro = get(value) or convert(value)
            if originals and value.__class__ is literal:
                ro = originals.get((str(rp), str(value)), ro)
            yield (rs, rp, ro), no_contexts

    def __len__(self, context: Any = None) -> int:
        options: dict[str, Any] = {"default_graph": DEFAULT} if self.graph is not None else {
            "use_default_graph_as_union": True}
        solutions = self.ox.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", **options)
        assert isinstance(solutions, ox.QuerySolutions)
        value = next(iter(solutions))[0]
        assert isinstance(value, ox.Literal)
        return int(value.value)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("this view of an Oxigraph store is read-only")


def graph_of(store: ox.Store, originals: Originals | None = None, *, union: bool = False) -> Graph:
    """An rdflib ``Graph`` reading ``store``'s default graph, or with ``union`` all its graphs (never a copy)."""
    return Graph(store=OxigraphView(store, originals, union=union))
