"""The ontology as the curated-data loader sees it: which classes and properties exist, and their ranges.

The loader accepts only terms the ontology declares (a typo in a class or property name is an error, not a
new term), and converts literal values by the property's declared ``rdfs:range``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.assets import asset


@dataclass(frozen=True)
class Vocabulary:
    """The declared terms of an ontology graph."""

    classes: frozenset[URIRef]
    object_properties: frozenset[URIRef]
    datatype_ranges: dict[URIRef, URIRef | None]
    functional: frozenset[URIRef]

    @classmethod
    def of(cls, ontology: Graph) -> Vocabulary:
        """Read the declarations out of ``ontology``."""
        classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
        objects = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
        ranges: dict[URIRef, URIRef | None] = {}
        for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
            if isinstance(prop, URIRef):
                declared = ontology.value(prop, RDFS.range)
                ranges[prop] = declared if isinstance(declared, URIRef) else None
        functional = {p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)}
        return cls(frozenset(classes), frozenset(objects), ranges, frozenset(functional))


def ontology_graph() -> Graph:
    """A fresh copy of the bundled ontology (``ontology/zqgj.ttl``)."""
    return Graph().parse(data=_ontology_text(), format="turtle")


@cache
def _ontology_text() -> str:
    return asset("ontology", "zqgj.ttl").read_text(encoding="utf-8")


@cache
def bundled_vocabulary() -> Vocabulary:
    """The vocabulary of the bundled ontology, read once per process."""
    return Vocabulary.of(ontology_graph())
