"""What an entity page shows, as plain data for the templates: labels, types, aliases, every relation both
ways (marked when only the OWL RL closure has it), and each fact's evidence quote in its sentence.

Evidence of a relation is found through its reification (``rdf:Statement`` with ``rdf:subject``,
``rdf:predicate``, ``rdf:object`` and ``prov:wasDerivedFrom``, design.md "IRIs"), indexed once at startup;
a quote's sentence is ``oa:prefix + oa:exact + oa:suffix`` (:func:`kg.viz_data.evidence_table`).
Nothing here produces markup: the templates escape every string.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from kg import iris
from kg.viz_data import evidence_table

#: Predicates shown in their own section, not in the relations table; ``zq:nameKey`` (the search key of each
#: name, an index) is not shown at all: the page has the names themselves, the Turtle face has the keys.
OWN_SECTIONS = frozenset({RDFS.label, SKOS.altLabel, RDF.type, PROV.wasDerivedFrom, iris.ZQ.nameKey})
MAX_FACTS = 1000
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Term:
    """A node as shown: ``text`` (a label or literal), ``href`` (None for a literal), ``note``."""

    text: str
    href: str | None = None
    note: str = ""
    iri: str = ""


@dataclass
class Fact:
    """One triple seen from the page's entity: the other end, the predicate, whether it is entailed."""

    predicate: Term
    other: Term
    inferred: bool
    quotes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class EntityView:
    """Everything the entity template shows."""

    iri: str
    curie: str
    title: str
    labels: list[Term]
    aliases: list[Term]
    types: list[Fact]
    outgoing: list[Fact]
    incoming: list[Fact]
    quotes: list[dict[str, Any]]
    cut: bool = False


class Pages:
    """The graphs and indexes entity pages read; built once, then only read (safe across threads)."""

    def __init__(self, full: Graph, asserted: Graph, ontology: Graph, *, terms: set[URIRef] | None = None,
                 cut: bool = False) -> None:
        """``terms``: the ontology's subjects, if already known; ``cut``: the graphs are a cut of the entity's
        triples (``kg serve`` on a store reads at most :data:`MAX_FACTS` + 1 each way, :mod:`kg.serve_store_pages`)."""
        self.full, self.asserted, self.ontology, self.cut = full, asserted, ontology, cut
        self.terms = terms if terms is not None else {s for s in ontology.subjects() if isinstance(s, URIRef)}
        self.evidence: dict[Triple, set[URIRef]] = defaultdict(set)
        for statement in asserted.subjects(RDF.type, RDF.Statement):
            triple = (asserted.value(statement, RDF.subject), asserted.value(statement, RDF.predicate),
                      asserted.value(statement, RDF.object))
            if None not in triple:
                self.evidence[triple].update(  # type: ignore[index]
                    e for e in asserted.objects(statement, PROV.wasDerivedFrom) if isinstance(e, URIRef))

    def href(self, node: URIRef) -> str | None:
        """The local page of an IRI (``/id/...``, ``/ontology#curie``), else the IRI itself if it is http(s)
        (never a ``javascript:`` or ``data:`` IRI a hostile graph could hold)."""
        text = str(node)
        if text.startswith(str(iris.ID)):
            return "/id/" + text[len(str(iris.ID)):]
        if node == iris.ONTOLOGY_IRI:
            return "/ontology"
        if node in self.terms:
            return "/ontology#" + iris.curie_of(text)
        return text if text.startswith(("https://", "http://")) else None

    def term(self, node: Node) -> Term:
        """How ``node`` is shown: an IRI by its Chinese (else English) label, a literal with its tag."""
        if isinstance(node, Literal):
            note = f"@{node.language}" if node.language else (
                iris.curie_of(str(node.datatype)) if node.datatype else "")
            return Term(str(node), None, note)
        if isinstance(node, URIRef):
            curie = iris.curie_of(str(node))
            label = self.label(node)
            return Term(label or curie, self.href(node), curie if label else "", str(node))
        return Term(f"_:{node}", None)

    def label(self, node: Node) -> str:
        """The Chinese label, else English, else any; the first in code-point order if there are several."""
        rank = {"zh": 0, "en": 1}
        labels = sorted((rank.get(lit.language or "", 2), str(lit)) for lit in self.full.objects(node, RDFS.label)
                        if isinstance(lit, Literal))
        return labels[0][1] if labels else ""

    def quotes(self, evidence: set[URIRef]) -> list[dict[str, Any]]:
        """The quotes of ``evidence`` nodes, in article order, each with its sentence."""
        table = evidence_table(self.full, {str(e) for e in evidence}, {})
        records = [{**record, "href": self.href(URIRef(iri)),
                    "source_href": self.href(URIRef(record["source"])) if record["source"] else None}
                   for iri, record in table.items()]
        return sorted(records, key=lambda r: (r["source"], r["start"] if r["start"] is not None else -1))

    def view(self, entity: URIRef) -> EntityView | None:
        """The page of ``entity``, or None when the graph says nothing about it."""
        graph = self.full
        if (entity, None, None) not in graph and (None, None, entity) not in graph:
            return None
        out = [(entity, p, o) for p, o in graph.predicate_objects(entity)]
        into = [(s, p, entity) for s, p in graph.subject_predicates(entity)]
        cut = self.cut or len(out) + len(into) > 2 * MAX_FACTS
        labels = [self.term(o) for o in graph.objects(entity, RDFS.label)]
        return EntityView(
            iri=str(entity), curie=iris.curie_of(str(entity)), title=self.label(entity) or iris.curie_of(
                str(entity)), labels=sorted(labels, key=_by_text),
            aliases=sorted((self.term(o) for o in graph.objects(entity, SKOS.altLabel)), key=_by_text),
            types=self.facts([t for t in out if t[1] == RDF.type], 2),
            outgoing=self.facts([t for t in out if t[1] not in OWN_SECTIONS][:MAX_FACTS], 2),
            incoming=self.facts(into[:MAX_FACTS], 0),
            quotes=self.quotes({e for e in graph.objects(entity, PROV.wasDerivedFrom) if isinstance(e, URIRef)}),
            cut=cut)

    def facts(self, triples: Sequence[Triple], other: int) -> list[Fact]:
        """Rows for ``triples``; ``other`` is the position (0 subject, 2 object) of the far end."""
        rows = [Fact(self.term(t[1]), self.term(t[other]), t not in self.asserted,
                     self.quotes(self.evidence.get(t, set())) if t in self.evidence else [])
                for t in triples]
        return sorted(rows, key=lambda f: (f.inferred, f.predicate.note or f.predicate.text, f.other.text,
                                          f.other.iri, f.other.note))  # ties (one label, two nodes) by IRI


def _by_text(term: Term) -> tuple[str, str]:
    return term.note, term.text


def entity_graph(graph: Graph, entity: URIRef) -> Graph:
    """The triples with ``entity`` as subject or object (what ``/id/X.ttl`` returns)."""
    out = Graph()
    for triple in graph.triples((entity, None, None)):
        out.add(triple)
    for triple in graph.triples((None, None, entity)):
        out.add(triple)
    return out
