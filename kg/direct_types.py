"""The direct (most specific) classes of each organisation, written by the reasoner as ``zq:directType``.

Why: "how many organisations of each kind" counts each organisation under its most specific class only. Found
by a query, that means looking at every class of every organisation and at the class tree above each: about
thirty index look-ups an organisation, 6.3 s for the 84,105 organisations of 10,000 generated articles on
Oxigraph. With the direct classes written once, after the closure, the count is one index range per class.
The idea is the ``sesame:directType`` of RDF4J's RDFS inferencer and OWL API's ``getTypes(ind, direct=true)``.

Definition, as OWL API's over the named classes: a named class ``C`` of an organisation ``x`` (``x rdf:type C``
asserted or entailed) is direct unless ``x`` has another named class ``D`` strictly below it: ``D rdfs:subClassOf
C`` and not ``C rdfs:subClassOf D``. The closure makes ``rdfs:subClassOf`` transitive (OWL 2 RL rule scm-sco), so
one step is enough. Equivalent classes are each other's subclass, so both are direct, together; blank-node
classes (unions, restrictions) are neither direct nor in the way of a named one. The query-time search the two
queries made before (``tests/data/direct-types/``) differed only there: it let a blank class hide a named one,
and made equivalent classes hide each other; the bundled ontology has neither, and the tests check the answers
are the same on the article and on generated ones.

They are entailment products, so they go into the inferred graph: without inference there are none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.iris import ORG, ZQ
from kg.store_terms import to_ox

Triple = tuple[Node, Node, Node]


Class = TypeVar("Class", URIRef, ox.NamedNode)


def direct_classes(classes: Iterable[Class], narrower: Mapping[Class, set[Class]]) -> list[Class]:
    """The classes among ``classes`` that no other of them is strictly narrower than (``narrower[C]``: the
    classes ``D`` with ``D rdfs:subClassOf C`` and not the converse), sorted."""
    own = set(classes)
    return sorted((c for c in own if not (narrower.get(c, set()) & (own - {c}))), key=str)


def narrower_classes(subclass_pairs: Iterable[tuple[object, object]], kind: type[Class]) -> dict[Class, set[Class]]:
    """``{C: {D, ...}}`` for each ``D rdfs:subClassOf C`` between two named classes (of ``kind``: rdflib's or
    Oxigraph's IRIs) that is not also ``C rdfs:subClassOf D`` (so not ``D = C``, nor an equivalence)."""
    pairs = {(sub, sup) for sub, sup in subclass_pairs if isinstance(sub, kind) and isinstance(sup, kind)}
    narrower: dict[Class, set[Class]] = {}
    for sub, sup in pairs:
        if (sup, sub) not in pairs:
            narrower.setdefault(sup, set()).add(sub)
    return narrower


def direct_type_triples(graph: Graph) -> Iterator[Triple]:
    """``(x, zq:directType, C)`` for each organisation ``x`` of ``graph`` (asserted ∪ inferred) and each of
    its direct classes ``C``, in a stable order."""
    narrower = narrower_classes(graph.subject_objects(RDFS.subClassOf), URIRef)
    organisations = sorted(set(graph.subjects(RDF.type, ORG.Organization)), key=str)
    for organisation in organisations:
        classes = (c for c in graph.objects(organisation, RDF.type) if isinstance(c, URIRef))
        for cls in direct_classes(classes, narrower):
            yield organisation, ZQ.directType, cls


#: Each organisation with each of its classes, in one query: Oxigraph joins them 1.9x faster than a look-up
#: per organisation through the Python API (1.5 s against 2.9 s for 84,105 organisations).
ORGANISATION_CLASSES = f"SELECT ?o ?c {{ ?o a <{ORG.Organization}> ; a ?c . FILTER (isIRI(?c)) }}"


def direct_type_quads(store: ox.Store, graph: ox.NamedNode) -> list[ox.Quad]:
    """The same for an Oxigraph store whose quads (all graphs together) are asserted ∪ inferred, as quads of
    ``graph``."""
    subclass_of = store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None)
    narrower = narrower_classes(((q.subject, q.object) for q in subclass_of), ox.NamedNode)
    classes_of: dict[ox.NamedNode | ox.BlankNode, set[ox.NamedNode]] = {}
    for row in store.query(ORGANISATION_CLASSES, use_default_graph_as_union=True):  # type: ignore[union-attr]
        classes_of.setdefault(row["o"], set()).add(row["c"])
    predicate = ox.NamedNode(str(ZQ.directType))
    return [ox.Quad(organisation, predicate, cls, graph)
            for organisation, classes in classes_of.items()  # a store is a set: no order to keep
            for cls in direct_classes(classes, narrower)]


def direct_type_quads_of(memberships: Iterable[tuple[Node, Node]], subclass_pairs: Iterable[tuple[Node, Node]],
                         graph: ox.NamedNode) -> list[ox.Quad]:
    """The same from the ``rdf:type`` pairs (asserted ∪ inferred) and ``rdfs:subClassOf`` pairs as rdflib terms,
    for a caller that holds them already (the bulk build, :mod:`kg.bulk_input`): reading every organisation's
    classes back out of a store on disk took 2.7 s at 1.14 M triples, most of it decoding terms."""
    narrower = narrower_classes(subclass_pairs, URIRef)
    classes_of: dict[Node, set[URIRef]] = {}
    for resource, cls in memberships:
        if isinstance(cls, URIRef):
            classes_of.setdefault(resource, set()).add(cls)
    predicate, organisation = ox.NamedNode(str(ZQ.directType)), ORG.Organization  # an attribute is a call
    return [ox.Quad(to_ox(resource), predicate, to_ox(cls), graph)  # type: ignore[arg-type]
            for resource, classes in classes_of.items() if organisation in classes
            for cls in direct_classes(classes, narrower)]
