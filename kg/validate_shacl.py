"""Run the SHACL shapes (``ontology/shapes.ttl``) with pySHACL and read its report back as plain records.

Which graph is validated matters. Validation runs on the ontology + the *asserted* data, with pySHACL's
own inference off (``inference="none"``):

- targets still reach subclasses: a SHACL instance of a class follows ``rdfs:subClassOf`` in the data graph
  (SHACL §2.1.3.3 and §1.5, "SHACL subclass"), and the ontology is part of the data graph, so
  ``sh:targetClass org:Organization`` finds every ``zq:PartyBranch``;
- ``sh:class`` stays meaningful: on the OWL-inferred graph, range entailment (prp-rng) would make every
  ``zq:party`` value an ``org:Organization``, whatever was asserted, and the check could never fail;
- the closure is computed once, by :mod:`kg.reason`, not a second time inside pySHACL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pyshacl import validate as pyshacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from kg.assets import asset
from kg.iris import INFERRED_GRAPH, ONTOLOGY_IRI
from kg.ontology import ontology_graph


@dataclass(frozen=True)
class RawResult:
    """One ``sh:ValidationResult`` (SHACL §3.6.2), with its shape's constraint if it is SPARQL-based."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node | None
    constraint: Node | None
    component: Node | None
    severity: Node | None
    message: str


@cache
def _shapes_text() -> str:
    return asset("ontology", "shapes.ttl").read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """A fresh copy of the bundled shapes graph."""
    return Graph().parse(data=_shapes_text(), format="turtle")


def split(graph: Graph) -> tuple[Graph, Graph | None]:
    """(ontology + asserted triples, inferred triples or ``None``) of a graph or a dataset.

    A dataset's :data:`~kg.iris.INFERRED_GRAPH` is set apart; the ontology is added when the graph does
    not declare it (``<ontology> a owl:Ontology``), so a data-only file can be validated too. A plain graph
    that declares it is returned as it is, not copied: nothing here or in :func:`run_shacl` changes it.
    """
    if type(graph) is Graph and (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph:
        return graph, None
    asserted, inferred = Graph(), Graph(identifier=INFERRED_GRAPH)
    if isinstance(graph, Dataset | ConjunctiveGraph):
        for s, p, o, ctx in graph.quads((None, None, None, None)):
            target = inferred if _name_of(ctx) == INFERRED_GRAPH else asserted
            target.add((s, p, o))
    else:
        for triple in graph:
            asserted.add(triple)
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in asserted:
        asserted += ontology_graph()
    return asserted, (inferred if len(inferred) else None)


def run_shacl(data: Graph, shapes: Graph) -> tuple[bool, list[RawResult]]:
    """pySHACL on ``data`` against ``shapes``, in place: with no ontology graph, no inference and no advanced
    features (no SHACL rules) pySHACL only reads the data graph (``pyshacl.validator.Validator.run`` runs
    in place whenever it would not add to it), so there is nothing to copy it for."""
    conforms, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=False, inplace=True, allow_warnings=False,
    )
    assert isinstance(report, Graph)
    return bool(conforms), list(_results(report))


def _results(report: Graph) -> Iterator[RawResult]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus is None:
            continue
        shape = report.value(result, SH.sourceShape)
        yield RawResult(
            focus=focus,
            path=report.value(result, SH.resultPath),
            value=report.value(result, SH.value),
            shape=shape,
            constraint=report.value(result, SH.sourceConstraint),
            component=report.value(result, SH.sourceConstraintComponent),
            severity=report.value(result, SH.resultSeverity),
            message=_message(report, result),
        )


def _message(report: Graph, result: Node) -> str:
    """The English ``sh:resultMessage`` if there is one, else any."""
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    english = [m for m in messages if m.language == "en"]
    chosen = english or messages
    return str(sorted(chosen)[0]) if chosen else ""


def _name_of(context: Node | Graph | None) -> Node | None:
    if isinstance(context, Graph):
        return context.identifier
    return context if isinstance(context, URIRef) else None
