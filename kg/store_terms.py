"""RDF terms between rdflib and pyoxigraph, and the literals that Oxigraph keeps in another form than rdflib.

Why this module exists: Oxigraph stores a literal as its value, not as its text. ``"8"^^xsd:nonNegativeInteger``
comes back as ``"8"^^xsd:integer`` (every type derived from ``xsd:integer`` does), ``"1.50"^^xsd:decimal`` as
``"1.5"``, a UTC ``xsd:dateTime`` with ``Z``. rdflib keeps the datatype and normalises text its own way, and
rdflib's answers are the reference (``queries/expected/``). So while a graph is loaded, every typed literal is
put through Oxigraph itself (:func:`canonical_forms`; nothing here re-implements its rules) and the ones that
come back different are recorded by predicate in :class:`Restorations`. A result value is turned back into
rdflib's term only when the query shows where it came from (:mod:`kg.store_provenance`) and exactly one
original fits; otherwise it is left in Oxigraph's form and counted as unresolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

XSD_STRING = str(XSD.string)
_SCRATCH_PREDICATE = ox.NamedNode("urn:x-zqgj:literal")

#: One Oxigraph term of a result or of the store.
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
    """``term`` as a pyoxigraph term; a plain rdflib literal is an ``xsd:string`` (RDF 1.1)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} {term!r} in Oxigraph")


def to_rdflib(term: object) -> Identifier:
    """``term`` (a pyoxigraph term) as rdflib builds it: an ``xsd:string`` literal becomes a plain one, and
    other literals go through rdflib's own constructor, so lexical forms are normalised as rdflib does."""
    cls = term.__class__
    if cls is ox.NamedNode:
        return URIRef(term.value)  # type: ignore[attr-defined]
    if cls is ox.Literal:
        assert isinstance(term, ox.Literal)
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    if cls is ox.BlankNode:
        return BNode(term.value)  # type: ignore[attr-defined]
    raise TypeError(f"unsupported term in a result: {term!r} (RDF-star triples are not part of this graph)")


class TermCache(dict[object, Identifier]):
    """Converted terms by Oxigraph term: results repeat the same IRIs and labels many times."""

    def rdflib(self, term: object) -> Identifier:
        """:func:`to_rdflib` of ``term``, converted once."""
        found = self.get(term)
        if found is None:
            found = self[term] = to_rdflib(term)
        return found


def canonical_forms(literals: Iterable[Literal]) -> dict[Literal, ox.Literal]:
    """What Oxigraph keeps of each literal, asked of Oxigraph itself (one scratch in-memory store)."""
    distinct = list(dict.fromkeys(literals))
    scratch = ox.Store()
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:x-zqgj:{i}"), _SCRATCH_PREDICATE, to_ox(lit))
                   for i, lit in enumerate(distinct))
    kept: dict[Literal, ox.Literal] = {}
    for quad in scratch:
        index = int(quad.subject.value.rsplit(":", 1)[1])
        assert isinstance(quad.object, ox.Literal)
        kept[distinct[index]] = quad.object
    return kept


@dataclass
class Restorations:
    """rdflib's originals of the literals Oxigraph changed, by ``(predicate IRI, Oxigraph's N-Triples form)``.

    Once one original under an Oxigraph form changed, *every* original with that form is kept (whatever its
    predicate), so a value that could be either is known to be ambiguous.
    """

    table: dict[tuple[str, str], set[Literal]] = field(default_factory=dict)
    #: Predicates with a literal whose text Oxigraph writes differently from rdflib (``"1000"`` for rdflib's
    #: ``"1000.0"``, ``Z`` for ``+00:00``), even where rdflib reads Oxigraph's form back as the same term.
    text_predicates: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        from rdflib.util import from_n3

        self.any_predicate: dict[str, set[Literal]] = defaultdict(set)
        self.changed_predicates: set[str] = set()
        self.datatypes: set[str] = set()  # datatypes of Oxigraph's forms that may stand for another original
        for (predicate, key), originals in self.table.items():
            self.any_predicate[key] |= originals
            shown = from_n3(key)
            assert isinstance(shown, Literal)
            self.datatypes.add(str(shown.datatype))
            if any(original != shown for original in originals):
                self.changed_predicates.add(predicate)

    def __bool__(self) -> bool:
        return bool(self.changed_predicates)

    def candidates(self, value: ox.Literal, predicates: set[str] | None) -> set[Literal]:
        """The originals ``value`` may stand for as an object of ``predicates`` (None: any predicate); empty if
        no literal with Oxigraph's form ``value`` was changed."""
        key = str(value)
        if predicates is None:
            return self.any_predicate.get(key, set())
        return set().union(*(self.table.get((p, key), set()) for p in predicates))

    def original(self, value: ox.Literal, predicates: set[str] | None) -> tuple[Identifier, bool]:
        """rdflib's original of ``value`` as an object of ``predicates`` if exactly one fits, else ``value`` as
        rdflib reads it; and whether it was ambiguous (two or more originals fit: left as Oxigraph gave it)."""
        found = self.candidates(value, predicates)
        if len(found) == 1:
            return next(iter(found)), False
        return to_rdflib(value), len(found) > 1

    def rows(self) -> list[list[str]]:
        """The table as ``[predicate, Oxigraph form, rdflib N3]`` rows (kept in a persistent store)."""
        return sorted([p, key, original.n3()] for (p, key), originals in self.table.items() for original in originals)

    @classmethod
    def from_rows(cls, rows: Iterable[list[str]], text_predicates: Iterable[str]) -> Restorations:
        """The inverse of :meth:`rows` (and of :attr:`text_predicates`)."""
        from rdflib.util import from_n3

        table: dict[tuple[str, str], set[Literal]] = defaultdict(set)
        for predicate, key, n3 in rows:
            original = from_n3(n3)
            assert isinstance(original, Literal)
            table[(predicate, key)].add(original)
        return cls(dict(table), set(text_predicates))


class LiteralCensus:
    """Every typed (not string, not language-tagged) literal seen while loading, with its predicate."""

    def __init__(self) -> None:
        self.pairs: set[tuple[str, Literal]] = set()

    def add(self, predicate: str, literal: Literal) -> None:
        """Note ``literal`` as an object of ``predicate``."""
        self.pairs.add((predicate, literal))

    def restorations(self) -> Restorations:
        """Every original (by predicate) whose Oxigraph form is also the form of some changed literal."""
        kept = canonical_forms(literal for _predicate, literal in self.pairs)
        contested = {str(form) for literal, form in kept.items() if to_rdflib(form) != literal}
        table: dict[tuple[str, str], set[Literal]] = defaultdict(set)
        for predicate, literal in self.pairs:
            key = str(kept[literal])
            if key in contested:
                table[(predicate, key)].add(literal)
        texts = {predicate for predicate, literal in self.pairs if kept[literal].value != str(literal)}
        return Restorations(dict(table), texts)
