"""CONSTRUCT/DESCRIBE answers written by Oxigraph itself (N-Triples, Turtle with kg's prefixes), restored per triple.

Why: turning every triple of a large answer into rdflib terms and letting rdflib write the graph costs about half
as much again as the query (``pairing-network`` at 10,000 articles: 14 s bare, 20 s through rdflib). Unlike a
SELECT cell, every output triple carries its predicate, so a literal Oxigraph rewrote (``"8"^^xsd:integer`` kept
for ``"8"^^xsd:nonNegativeInteger``) is restored on the triple itself, before Oxigraph's writer sees it: the
triples pass through Python once (a class and a datatype test each; only objects whose datatype is the
datatype of some changed literal's Oxigraph form are looked at, each distinct (predicate, object) once) on
their way to ``pyoxigraph.serialize``. Where an object came from is what the slow path
(:func:`kg.store_results.graph_result`) asks too: ``restore(predicate)``, the template's provenance for a
CONSTRUCT (a value put under another predicate than it was read from is restored through the variable's
sources, or not at all), the triple's own predicate for a DESCRIBE; the same :class:`Restorations` decide,
with the same ambiguity rule and ``unresolved`` count. An original whose text Oxigraph's writer cannot tell
from its own form (an explicit ``^^xsd:string``, which N-Triples writes as a plain literal) makes
:func:`written` return ``None``: the caller then answers the slow way, never with a half-restored graph.

The text is not rdflib's text (another triple order, Turtle's short forms, every prefix of
:data:`kg.iris.PREFIXES` declared); the contract of ``kg query`` for graphs is the graph (its answers are
compared as graphs), which is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.query import Result

from kg.iris import PREFIXES
from kg.store_results import StoreResult
from kg.store_terms import XSD_STRING, Restorations, to_ox, to_rdflib

#: ``kg query --format`` values of a graph answer that Oxigraph may write ("table", the default, is Turtle).
GRAPH_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "table": ox.RdfFormat.TURTLE}
_LANG_STRING = str(RDF.langString)
#: How the objects of a predicate restore: (may they, from which predicates; None: any).
Restore = Callable[[str], tuple[bool, "set[str] | None"]]
#: A restored object (None: Oxigraph's is rdflib's) and whether it was ambiguous.
Fix = tuple["ox.Literal | None", bool]


class UnwritableError(Exception):
    """A restored original that Oxigraph's text would not tell apart from Oxigraph's own form."""


def oxigraph_datatypes(restorations: Restorations) -> frozenset[str]:
    """Datatypes (as Oxigraph gives them) of the objects that may need restoring; empty if none may."""
    if not restorations:
        return frozenset()
    plain = {XSD_STRING, _LANG_STRING} if "None" in restorations.datatypes else set()
    return frozenset(restorations.datatypes - {"None"} | plain)


def written(triples: Iterable[ox.Triple], fmt: str, restore: Restore, restorations: Restorations
            ) -> tuple[bytes, int] | None:
    """``triples`` as Oxigraph writes them in ``fmt`` (a key of :data:`GRAPH_FORMATS`; Turtle with kg's prefixes),
    restored, and how many objects were ambiguous; None if an original cannot be written (see the module)."""
    fixer = _Fixer(restore, restorations)
    target = GRAPH_FORMATS[fmt]
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} \
        if target == ox.RdfFormat.TURTLE else None
    try:
        data = ox.serialize(fixer.fixed(triples), format=target, prefixes=prefixes)
    except UnwritableError:
        return None
    assert data is not None
    return data, fixer.unresolved


class _Fixer:
    """Restores objects triple by triple, each distinct (predicate, object) decided once."""

    def __init__(self, restore: Restore, restorations: Restorations) -> None:
        self.restore, self.restorations = restore, restorations
        self.datatypes = oxigraph_datatypes(restorations)
        self.decided: dict[tuple[str, ox.Literal], Fix] = {}
        self.unresolved = 0

    def fixed(self, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        """``triples`` with their objects restored where rdflib's original differs."""
        literal, datatypes, decided = ox.Literal, self.datatypes, self.decided
        for triple in triples:
            obj = triple.object
            if obj.__class__ is literal and obj.datatype.value in datatypes:
                key = (triple.predicate.value, obj)
                fix = decided.get(key)
                if fix is None:
                    fix = decided[key] = self._decide(*key)
                self.unresolved += fix[1]
                if fix[0] is not None:
                    triple = ox.Triple(triple.subject, triple.predicate, fix[0])
            yield triple

    def _decide(self, predicate: str, obj: ox.Literal) -> Fix:
        """As :func:`kg.store_results.graph_result` restores an object of ``predicate``."""
        restorable, predicates = self.restore(predicate)
        if not restorable:
            return None, False
        original, ambiguous = self.restorations.original(obj, predicates)
        if ambiguous or original == to_rdflib(obj):
            return None, ambiguous
        term = to_ox(original)
        if not isinstance(term, ox.Literal) or term == obj:
            raise UnwritableError(f"{original!r} for {obj}")
        return term, False


class GraphResult(StoreResult):
    """A CONSTRUCT/DESCRIBE answer carrying Oxigraph's text; its rdflib graph is made (``slow``: the query
    again, as rdflib terms) only if something reads it."""

    def __init__(self, kind: str, slow: Callable[[], Result]) -> None:
        self._slow: Callable[[], Result] | None = slow
        self._graph: Graph | None = None
        super().__init__(kind)

    @property
    def graph(self) -> Graph | None:
        if self._graph is None and self._slow is not None:
            self._graph, self._slow = self._slow().graph, None
        return self._graph

    @graph.setter
    def graph(self, value: Graph | None) -> None:
        self._graph = value


def graph_answer(kind: str, triples: Iterable[ox.Triple], fmt: str, restore: Restore, restorations: Restorations,
                 slow: Callable[[], Result]) -> Result:
    """A graph answer in Oxigraph's ``fmt`` text (:func:`written`), or ``slow()`` if it cannot be written."""
    done = written(triples, fmt, restore, restorations)
    if done is None:
        return slow()
    result = GraphResult(kind, slow)
    result.rendered[fmt], result.unresolved = done
    return result
