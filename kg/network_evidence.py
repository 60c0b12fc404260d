"""The evidence behind a node or an edge of the network: the quotes its facts were derived from, in text order.

Why a module of its own: the network's nodes and edges (:mod:`kg.network`) and the page's evidence panel
(:mod:`kg.viz_data`) all read the same provenance: ``prov:wasDerivedFrom`` on a resource or on the
``rdf:Statement`` that reifies one triple, then the evidence's selector, a ``TextQuoteSelector`` and
``TextPositionSelector`` in one (W3C Web Annotation Data Model §4.2.1-4.2.2), for the quote and its offsets.
Everything is sorted by the quote's start in the text, then by IRI, so the first evidence is stable.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from kg.iris import OA


def evidence_of(graph: Graph, resource: Node) -> list[URIRef]:
    """The evidence nodes a resource was derived from, in text order (then IRI) so the first is stable."""
    found = [e for e in graph.objects(resource, PROV.wasDerivedFrom) if isinstance(e, URIRef)]
    return sorted(set(found), key=lambda e: (quote_start(graph, e), str(e)))


def statement_evidence(graph: Graph, subject: Node, predicate: URIRef, obj: Node) -> list[URIRef]:
    """The evidence of one triple, reified as an ``rdf:Statement`` with its own ``prov:wasDerivedFrom``."""
    found: list[URIRef] = []
    for statement in graph.subjects(RDF.subject, subject):
        if (statement, RDF.predicate, predicate) in graph and (statement, RDF.object, obj) in graph:
            found.extend(evidence_of(graph, statement))
    return sorted(set(found), key=lambda e: (quote_start(graph, e), str(e)))


def selector_of(graph: Graph, evidence: Node) -> Node | None:
    """The evidence's ``oa:hasSelector`` (the smallest IRI if several, for determinism)."""
    return min(graph.objects(evidence, OA.hasSelector), key=str, default=None)


def quote_start(graph: Graph, evidence: Node) -> int:
    """The ``oa:start`` of the evidence's selector, or -1 without one (sorts first)."""
    selector = selector_of(graph, evidence)
    start = graph.value(selector, OA.start) if selector is not None else None
    return int(start.toPython()) if isinstance(start, Literal) else -1


def quote_fields(graph: Graph, evidence: list[URIRef]) -> dict[str, Any]:
    """quote/start/end of the first evidence (scalars for GraphML) and every evidence IRI."""
    fields: dict[str, Any] = {"evidence": " | ".join(str(e) for e in evidence)}
    selector = selector_of(graph, evidence[0]) if evidence else None
    if selector is not None:
        fields["quote"] = str(graph.value(selector, OA.exact) or "")
        for name in ("start", "end"):
            value = graph.value(selector, OA[name])
            if isinstance(value, Literal):
                fields[name] = int(value.toPython())
    return fields
