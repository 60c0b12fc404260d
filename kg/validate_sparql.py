"""The SHACL-SPARQL constraints of the shapes graph, each evaluated in one query instead of once per node.

``ontology/shapes.ttl`` declares the span checks as standard SPARQL-based constraints (SHACL §5), so any
SHACL-SPARQL engine can run them. pySHACL runs such a constraint once per focus node, and rdflib parses
the query text again each time: on the article's ~140 selectors that is ~9 s, nearly all of it parsing.

Here each constraint's ``sh:select`` runs once with ``$this`` left free, and each row whose ``?this`` is a
focus node of the shape becomes one result, exactly as SHACL §5.3.1 defines them (pre-binding ``$this``
to a focus node and joining on it give the same rows for queries, like ours, that use ``$this`` outside
sub-queries, MINUS and VALUES). The message template's ``{?name}`` / ``{$name}`` are filled from the row
(§5.3.2). tests/test_validate.py checks that pySHACL, given the same constraints, reports the same results.
The queries run in Oxigraph, on a copy of the data graph (:mod:`kg.ox_copy`: 6 ms instead of 0.27 s).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.ox_copy import oxigraph_copy, solutions
from kg.validate_shacl import RawResult

_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z_0-9]*)\}")


def without_sparql(shapes: Graph) -> Graph:
    """A copy of ``shapes`` without its ``sh:sparql`` links (those run here instead)."""
    copy = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            copy.add(triple)
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace)
    return copy


def sparql_results(data: Graph, shapes: Graph) -> list[RawResult]:
    """Every result of every active SPARQL-based constraint of ``shapes`` on ``data``."""
    results: list[RawResult] = []
    store: ox.Store | None = None  # copied once, when the first active constraint needs it
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=str):
        if _deactivated(shapes, shape) or _deactivated(shapes, constraint):
            continue
        query = shapes.value(constraint, SH.select)
        if query is None:
            continue
        focus = set(focus_nodes(data, shapes, shape))
        namespaces = {prefix: str(namespace) for prefix, namespace in _declared_prefixes(shapes, constraint).items()}
        store = store if store is not None else oxigraph_copy(data)
        for bound in solutions(store, str(query), namespaces):
            this = bound.get("this")
            if this in focus:
                results.append(_result(shapes, shape, constraint, this, bound))
    return results


def focus_nodes(data: Graph, shapes: Graph, shape: Node) -> Iterator[Node]:
    """The focus nodes of ``shape``'s explicit targets (SHACL §2.1.3): node, class, subjects-of, objects-of.

    A class target reaches SHACL instances, i.e. members of its subclasses in the data graph (§2.1.3.2).
    """
    yield from shapes.objects(shape, SH.targetNode)
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            yield from data.subjects(RDF.type, sub)
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        yield from data.subjects(predicate, None)
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        yield from data.objects(None, predicate)


def _result(shapes: Graph, shape: Node, constraint: Node, this: Node, bound: Mapping[str, Node]) -> RawResult:
    template = _english(shapes, constraint, SH.message) or _english(shapes, shape, SH.message) or ""
    message = _PLACEHOLDER.sub(lambda m: _show(bound.get(m.group(1))), template)
    return RawResult(
        focus=this, path=bound.get("path"), value=bound.get("value"), shape=shape, constraint=constraint,
        component=SH.SPARQLConstraintComponent, severity=shapes.value(shape, SH.severity) or SH.Violation,
        message=message,
    )


def _declared_prefixes(shapes: Graph, constraint: Node) -> dict[str, URIRef]:
    """The ``sh:prefixes`` / ``sh:declare`` of a constraint (SHACL §5.2.1)."""
    found: dict[str, URIRef] = {}
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found[str(prefix)] = URIRef(str(namespace))
    return found


def _deactivated(shapes: Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


def _english(shapes: Graph, node: Node, predicate: URIRef) -> str | None:
    values = [v for v in shapes.objects(node, predicate) if isinstance(v, Literal)]
    english = [v for v in values if v.language == "en"] or values
    return str(sorted(english)[0]) if english else None


def _show(node: Node | None) -> str:
    return "" if node is None else str(node)
