"""The projection of the RDF graph onto organisations and people, as a ``networkx.MultiDiGraph``.

The network is what GraphML/GEXF export and the interactive page draw, so every attribute is a scalar
(GraphML cannot store lists) and every loop runs over sorted input: two builds of the same graph give
byte-identical exports and the same picture. Node keys are entity IRI strings.

Edges (key, relation):

- pairing IRI, ``pairing``: first party -> second party of each ``zq:Pairing``;
- ``hosting``: party organisation -> its host (``zq:hostedBy``);
- post IRI, ``post``: person -> organisation (``org:Post`` ``org:heldBy`` / ``org:postIn`` / ``org:role``);
- ``suborganization``: ``org:subOrganizationOf`` not already drawn as hosting.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx
from pypinyin import lazy_pinyin
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.iris import OA, ORG, ZQ, curie_of

#: Known classes, most specific first (so the first asserted one is the node's kind), with their group.
CLASS_GROUPS: tuple[tuple[URIRef, str], ...] = (
    (ZQ.PartyCommittee, "party"),
    (ZQ.PartyGeneralBranch, "party"),
    (ZQ.PartyBranch, "party"),
    (ZQ.PartyOrganization, "party"),
    (ZQ.StateOwnedEnterprise, "organisation"),
    (ZQ.PrivateEnterprise, "organisation"),
    (ZQ.Enterprise, "organisation"),
    (ZQ.GovernmentAgency, "organisation"),
    (ZQ.PublicInstitution, "organisation"),
    (ORG.OrganizationalUnit, "organisation"),
    (ORG.FormalOrganization, "organisation"),
    (ORG.Organization, "organisation"),
    (FOAF.Person, "person"),
)
_GROUP = dict(CLASS_GROUPS)
_RANK = {cls: i for i, (cls, _) in enumerate(CLASS_GROUPS)}

Edge = tuple[str, str, str, dict[str, Any]]


def network_of(graph: Graph, *, people: bool = True) -> nx.MultiDiGraph:
    """Organisations (and people) as nodes; pairings, hosting, posts and sub-organisations as edges."""
    net = nx.MultiDiGraph()
    kinds = _entity_kinds(graph, people=people)
    for iri in sorted(kinds):
        net.add_node(str(iri), **node_attributes(graph, iri, kinds[iri]))
    edges = [*_pairing_edges(graph), *_hosting_edges(graph)]
    if people:
        edges.extend(_post_edges(graph))
    hosted = {(u, v) for u, v, key, _ in edges if key == "hosting"}
    edges.extend(e for e in _suborganization_edges(graph) if (e[0], e[1]) not in hosted)
    for source, target, key, attrs in edges:
        if source in net and target in net:
            net.add_edge(source, target, key=key, **attrs)
    for node in net.nodes:
        net.nodes[node]["degree"] = net.degree(node)
    return net


def _entity_kinds(graph: Graph, *, people: bool) -> dict[URIRef, URIRef]:
    """Every organisation (typed, or a party, host or post's organisation) and person, with its kind."""
    found: dict[URIRef, URIRef] = {}
    for cls, group in CLASS_GROUPS:  # most specific first: the first class found is the kind
        if group == "person" and not people:
            continue
        for subject in graph.subjects(RDF.type, cls):
            if isinstance(subject, URIRef):
                found.setdefault(subject, cls)
    untyped = [
        *graph.objects(None, ZQ.party),
        *graph.objects(None, ZQ.hostedBy),
        *graph.subjects(ZQ.hostedBy),
    ]
    untyped += graph.objects(None, ORG.postIn)
    for iri in untyped:
        if isinstance(iri, URIRef):
            found.setdefault(iri, ORG.Organization)
    if people:
        for person in graph.objects(None, ORG.heldBy):
            if isinstance(person, URIRef):
                found.setdefault(person, FOAF.Person)
    return found


def node_attributes(graph: Graph, iri: URIRef, kind: URIRef) -> dict[str, Any]:
    """The scalar attributes of one node: labels, class, aliases, pinyin and evidence IRIs."""
    label_zh, label_en = label(graph, iri, "zh"), label(graph, iri, "en")
    aliases = sorted({str(a) for a in graph.objects(iri, SKOS.altLabel)} - {label_zh, label_en})
    return {
        "label_zh": label_zh or label_en or curie_of(str(iri)),
        "label_en": label_en,
        "kind": curie_of(str(kind)),
        "group": _GROUP.get(kind, "organisation"),
        "aliases": " | ".join(aliases),
        "pinyin": pinyin_of([label_zh, *aliases]),
        "evidence": " | ".join(str(e) for e in evidence_of(graph, iri)),
    }


def label(graph: Graph, iri: Node, lang: str) -> str:
    """The ``rdfs:label`` in ``lang`` (``zh`` matches ``zh-Hans`` too), else an untagged one, else ``""``."""
    tagged = sorted(
        str(v)
        for v in graph.objects(iri, RDFS.label)
        if isinstance(v, Literal) and (v.language or "").lower().split("-")[0] == lang
    )
    plain = sorted(
        str(v) for v in graph.objects(iri, RDFS.label) if isinstance(v, Literal) and not v.language
    )
    return (tagged or plain or [""])[0]


def pinyin_of(names: Iterable[str]) -> str:
    """Toneless lowercase pinyin of each name, run together and spaced ("cuntian | cun tian")."""
    variants: list[str] = []
    for name in names:
        syllables = [s.strip().lower() for s in lazy_pinyin(name) if s.strip()]
        for variant in ("".join(syllables), " ".join(syllables)):
            if variant and variant not in variants and variant != name.lower():
                variants.append(variant)
    return " | ".join(variants)


def evidence_of(graph: Graph, resource: Node) -> list[URIRef]:
    """The evidence nodes a resource was derived from, in text order (then IRI) so the first is stable."""
    found = [e for e in graph.objects(resource, PROV.wasDerivedFrom) if isinstance(e, URIRef)]
    return sorted(set(found), key=lambda e: (_start(graph, e), str(e)))


def statement_evidence(graph: Graph, subject: Node, predicate: URIRef, obj: Node) -> list[URIRef]:
    """The evidence of one triple, reified as an ``rdf:Statement`` with its own ``prov:wasDerivedFrom``."""
    found: list[URIRef] = []
    for statement in graph.subjects(RDF.subject, subject):
        if (statement, RDF.predicate, predicate) in graph and (statement, RDF.object, obj) in graph:
            found.extend(evidence_of(graph, statement))
    return sorted(set(found), key=lambda e: (_start(graph, e), str(e)))


def selector_of(graph: Graph, evidence: Node) -> Node | None:
    """The evidence's ``oa:hasSelector`` (the smallest IRI if several, for determinism)."""
    return min(graph.objects(evidence, OA.hasSelector), key=str, default=None)


def _start(graph: Graph, evidence: Node) -> int:
    selector = selector_of(graph, evidence)
    start = graph.value(selector, OA.start) if selector is not None else None
    return int(start.toPython()) if isinstance(start, Literal) else -1


def _quote_fields(graph: Graph, evidence: list[URIRef]) -> dict[str, Any]:
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


def _pairing_edges(graph: Graph) -> Iterator[Edge]:
    """One edge per pairing, first party -> second party (the asserted ``zq:pairedWith`` direction)."""
    for pairing in sorted(graph.subjects(RDF.type, ZQ.Pairing), key=str):
        parties = sorted({str(p) for p in graph.objects(pairing, ZQ.party) if isinstance(p, URIRef)})
        if len(parties) < 2:
            continue
        first, rest = parties[0], parties[1:]
        if len(rest) == 1 and _only_reverse_paired(graph, first, rest[0]):
            first, rest = rest[0], [first]
        attrs = {"relation": "pairing", "pairing": str(pairing), **_phase_fields(graph, pairing)}
        attrs.update(_quote_fields(graph, evidence_of(graph, pairing)))
        for second in rest:
            yield first, second, str(pairing), dict(attrs)


def _only_reverse_paired(graph: Graph, first: str, second: str) -> bool:
    forward = (URIRef(first), ZQ.pairedWith, URIRef(second)) in graph
    return not forward and (URIRef(second), ZQ.pairedWith, URIRef(first)) in graph


def _phase_fields(graph: Graph, pairing: Node) -> dict[str, Any]:
    phase = min(graph.objects(pairing, ZQ.inPhase), key=str, default=None)
    if phase is None:
        return {}
    number = graph.value(phase, ZQ.phaseNumber)
    fields: dict[str, Any] = {
        "phase": label(graph, phase, "zh") or curie_of(str(phase)),
        "phase_iri": str(phase),
    }
    if isinstance(number, Literal):
        fields["phase_number"] = int(number.toPython())
    return fields


def _hosting_edges(graph: Graph) -> Iterator[Edge]:
    for party, host in sorted(graph.subject_objects(ZQ.hostedBy), key=lambda so: (str(so[0]), str(so[1]))):
        attrs: dict[str, Any] = {"relation": "hosting"}
        attrs.update(_quote_fields(graph, statement_evidence(graph, party, ZQ.hostedBy, host)))
        yield str(party), str(host), "hosting", attrs


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
        attrs.update(_quote_fields(graph, evidence_of(graph, post)))
        for person in sorted(holders, key=str):
            yield str(person), str(organisation), str(post), dict(attrs)


def _suborganization_edges(graph: Graph) -> Iterator[Edge]:
    pairs = sorted(graph.subject_objects(ORG.subOrganizationOf), key=lambda so: (str(so[0]), str(so[1])))
    for child, parent in pairs:
        attrs: dict[str, Any] = {"relation": "suborganization"}
        attrs.update(_quote_fields(graph, statement_evidence(graph, child, ORG.subOrganizationOf, parent)))
        yield str(child), str(parent), "suborganization", attrs
