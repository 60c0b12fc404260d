"""The projection of the RDF graph onto organisations and people, as a ``networkx.MultiDiGraph``.

The network is what GraphML/GEXF export and the interactive page draw, so every attribute is a scalar
(GraphML cannot store lists) and every loop runs over sorted input: two builds of the same graph give
byte-identical exports and the same picture. Node keys are entity IRI strings.

Edges (key, relation):

- pairing IRI, ``pairing``: first party -> second party of each ``zq:Pairing``;
- ``hosting``: party organisation -> its host (``zq:hostedBy``);
- post IRI, ``post``: person -> organisation (``org:Post`` ``org:heldBy`` / ``org:postIn`` / ``org:role``);
- ``suborganization``: ``org:subOrganizationOf`` not already drawn as hosting.

The quotes on nodes and edges come from :mod:`kg.network_evidence`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.iris import ORG, ZQ, curie_of
from kg.network_evidence import evidence_of, quote_fields, quote_start, statement_evidence
from kg.network_pinyin import pinyin_of

#: Classes drawn as nodes, most specific first: a node's kind is the first one it is asserted to have.
PARTY_CLASSES = (ZQ.PartyCommittee, ZQ.PartyGeneralBranch, ZQ.PartyBranch, ZQ.PartyOrganization)
ENTERPRISE_CLASSES = (ZQ.StateOwnedEnterprise, ZQ.PrivateEnterprise, ZQ.Enterprise)
ORGANISATION_CLASSES = (*ENTERPRISE_CLASSES, ZQ.GovernmentAgency, ZQ.PublicInstitution)
OTHER_ORGANISATIONS = (ORG.OrganizationalUnit, ORG.FormalOrganization, ORG.Organization)
CLASS_GROUPS: tuple[tuple[URIRef, str], ...] = (
    *((cls, "party") for cls in PARTY_CLASSES),
    *((cls, "organisation") for cls in (*ORGANISATION_CLASSES, *OTHER_ORGANISATIONS)),
    (FOAF.Person, "person"),
)
_GROUP = dict(CLASS_GROUPS)

Edge = tuple[str, str, str, dict[str, Any]]
#: Looked up once: rdflib builds a new term on every attribute access of a namespace.
_LABEL, _ALT_LABEL, _DERIVED_FROM = RDFS.label, SKOS.altLabel, PROV.wasDerivedFrom


def network_of(graph: Graph, *, people: bool = True) -> nx.MultiDiGraph:
    """Organisations (and people) as nodes; pairings, hosting, posts and sub-organisations as edges."""
    net = nx.MultiDiGraph()
    kinds = _entity_kinds(graph, people=people)
    values = _node_values(graph, kinds)
    for iri in sorted(kinds):
        net.add_node(str(iri), **node_attributes(graph, iri, kinds[iri], values[iri]))
    edges = [*_pairing_edges(graph), *_hierarchy_edges(graph, ZQ.hostedBy, "hosting")]
    if people:
        edges.extend(_post_edges(graph))
    hosted = {(u, v) for u, v, key, _ in edges if key == "hosting"}
    parents = _hierarchy_edges(graph, ORG.subOrganizationOf, "suborganization")
    edges.extend(e for e in parents if (e[0], e[1]) not in hosted)
    for source, target, key, attrs in edges:
        if source in net and target in net:
            net.add_edge(source, target, key=key, **attrs)
    for node, degree in net.degree():
        net.nodes[node]["degree"] = degree
    return net


def _entity_kinds(graph: Graph, *, people: bool) -> dict[URIRef, URIRef]:
    """Every organisation (typed, or a party, host or post's organisation) and person, with its kind."""
    found: dict[URIRef, URIRef] = {}
    edges = {e for c in (ZQ.Pairing, ORG.OrganizationalCollaboration) for e in graph.subjects(RDF.type, c)}
    for cls, group in CLASS_GROUPS:  # most specific first: the first class found is the kind
        if group == "person" and not people:
            continue
        for subject in graph.subjects(RDF.type, cls):
            if isinstance(subject, URIRef) and subject not in edges:  # a pairing is an edge, not a node
                found.setdefault(subject, cls)
    ends = [o for p in (ZQ.party, ORG.postIn) for o in graph.objects(None, p)]  # organisations, typed or not
    ends += [n for p in (ZQ.hostedBy, ORG.subOrganizationOf) for so in graph.subject_objects(p) for n in so]
    for iri in ends:
        if isinstance(iri, URIRef) and iri not in edges:
            found.setdefault(iri, ORG.Organization)
    if people:
        for person in graph.objects(None, ORG.heldBy):
            if isinstance(person, URIRef):
                found.setdefault(person, FOAF.Person)
    return found


def _node_values(graph: Graph, nodes: Iterable[URIRef]) -> dict[Node, dict[Node, list[Node]]]:
    """Each node's labels, aliases and evidence, from one pass over each of the three predicates (on 10,000
    nodes, a look-up of each node's triples was a third of ``network_of``; the order does not matter: the
    values are sorted or the least taken)."""
    values: dict[Node, dict[Node, list[Node]]] = {
        iri: {_LABEL: [], _ALT_LABEL: [], _DERIVED_FROM: []} for iri in nodes
    }
    for predicate in (_LABEL, _ALT_LABEL, _DERIVED_FROM):
        for subject, value in graph.subject_objects(predicate):
            found = values.get(subject)
            if found is not None:
                found[predicate].append(value)
    return values


def node_attributes(graph: Graph, iri: URIRef, kind: URIRef, values: dict[Node, list[Node]]) -> dict[str, Any]:
    """The scalar attributes of one node: labels, class, aliases, pinyin and evidence IRIs (``values``: the
    node's ``rdfs:label``, ``skos:altLabel`` and ``prov:wasDerivedFrom`` values, :func:`_node_values`)."""
    names = [v for v in values[_LABEL] if isinstance(v, Literal)]
    label_zh, label_en = label_among(names, "zh"), label_among(names, "en")
    aliases = sorted({str(a) for a in values[_ALT_LABEL]} - {label_zh, label_en})
    evidence = sorted({e for e in values[_DERIVED_FROM] if isinstance(e, URIRef)},
                      key=lambda e: (quote_start(graph, e), str(e)))
    return {
        "label_zh": label_zh or label_en or curie_of(str(iri)),
        "label_en": label_en,
        "kind": _curie(kind),
        "group": _GROUP.get(kind, "organisation"),
        "aliases": " | ".join(aliases),
        "pinyin": pinyin_of([label_zh, *aliases]),
        "evidence": " | ".join(str(e) for e in evidence),
    }


def label(graph: Graph, iri: Node, lang: str) -> str:
    """The ``rdfs:label`` in ``lang`` (``zh`` matches ``zh-Hans`` too), else an untagged one, else ``""``."""
    return label_among([v for v in graph.objects(iri, RDFS.label) if isinstance(v, Literal)], lang)


def label_among(labels: list[Literal], lang: str) -> str:
    """:func:`label`'s choice among a node's ``rdfs:label`` values."""
    tagged = [str(v) for v in labels if (v.language or "").lower().split("-")[0] == lang]
    return min(tagged) if tagged else min((str(v) for v in labels if not v.language), default="")


@cache
def _curie(kind: URIRef) -> str:
    """``curie_of`` a class: a handful of classes, 10,000 nodes (its loop over the prefixes was 5% of a page)."""
    return curie_of(str(kind))


def _pairing_edges(graph: Graph) -> Iterator[Edge]:
    """One edge per pairing, first party -> second party in IRI order.

    IRI order, not ``zq:pairedWith``: reasoning makes that symmetric, and the asserted and the inferred
    graph must draw the same edges.
    """
    phases: dict[Node | None, dict[str, Any]] = {}  # pairings share a few phases
    for pairing in sorted(graph.subjects(RDF.type, ZQ.Pairing), key=str):
        parties = sorted({str(p) for p in graph.objects(pairing, ZQ.party) if isinstance(p, URIRef)})
        phase = min(graph.objects(pairing, ZQ.inPhase), key=str, default=None)
        if phase not in phases:
            phases[phase] = _phase_fields(graph, phase)
        attrs = {"relation": "pairing", "pairing": str(pairing), **phases[phase]}
        attrs.update({"label_zh": label(graph, pairing, "zh"), "label_en": label(graph, pairing, "en")})
        attrs.update(quote_fields(graph, evidence_of(graph, pairing)))
        for second in parties[1:]:
            yield parties[0], second, str(pairing), dict(attrs)


def _phase_fields(graph: Graph, phase: Node | None) -> dict[str, Any]:
    """The phase's label, IRI and number on a pairing edge (its first phase in IRI order)."""
    if phase is None:
        return {}
    number = graph.value(phase, ZQ.phaseNumber)
    fields: dict[str, Any] = {"phase": label(graph, phase, "zh") or curie_of(str(phase))}
    fields["phase_iri"] = str(phase)
    if isinstance(number, Literal):
        fields["phase_number"] = int(number.toPython())
    return fields


def _post_edges(graph: Graph) -> Iterator[Edge]:
    for post in sorted(graph.subjects(RDF.type, ORG.Post), key=str):
        organisation = min(graph.objects(post, ORG.postIn), key=str, default=None)
        role = min(graph.objects(post, ORG.role), key=str, default=None)
        holders = set(graph.objects(post, ORG.heldBy)) | set(graph.subjects(ORG.holds, post))
        if organisation is None:
            continue
        attrs: dict[str, Any] = {"relation": "post", "post": str(post)}
        attrs["role"] = (label(graph, role, "zh") or curie_of(str(role))) if role is not None else ""
        attrs["role_en"] = label(graph, role, "en") if role is not None else ""
        attrs.update(quote_fields(graph, evidence_of(graph, post)))
        for person in sorted(holders, key=str):
            yield str(person), str(organisation), str(post), dict(attrs)


def _hierarchy_edges(graph: Graph, predicate: URIRef, relation: str) -> Iterator[Edge]:
    """Hosting (``zq:hostedBy``) or sub-organisation edges, with the reified triple's evidence."""
    for child, parent in sorted(graph.subject_objects(predicate), key=lambda so: (str(so[0]), str(so[1]))):
        evidence = statement_evidence(graph, child, predicate, parent)
        yield str(child), str(parent), relation, {"relation": relation, **quote_fields(graph, evidence)}
