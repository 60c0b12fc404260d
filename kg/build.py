"""Build stage: checked curated records -> an RDF dataset (ontology graph + one named graph per article).

Every entity gets ``prov:wasDerivedFrom`` an evidence node per quote: a Web Annotation
``oa:SpecificResource`` whose selector is both a ``TextQuoteSelector`` (``oa:exact``, with ``oa:prefix``
and ``oa:suffix`` completing the sentence) and a ``TextPositionSelector`` (``oa:start``/``oa:end``), as the
W3C Web Annotation Data Model §4.2.1-4.2.2 define them. A single value with a quote of its own is reified
(RDF 1.1 Semantics §D.1, ``rdf:Statement``) so that fact, too, points at its words.
"""

from __future__ import annotations

import hashlib

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg import iris
from kg.iris import OA, ORG, SCHEMA, ZQ
from kg.name_key import name_key
from kg.quotes import Span
from kg.sources import Article, Entity, Fact


def build_dataset(articles: list[Article], ontology: Graph) -> Dataset:
    """The asserted dataset: ``ontology`` in its own named graph, then each article's facts in theirs."""
    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.graph(iris.ONTOLOGY_GRAPH).__iadd__(ontology)
    for article in articles:
        add_article(dataset.graph(iris.article_graph(article.id)), article)
    return dataset


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes (:data:`kg.iris.PREFIXES`), replacing rdflib's defaults."""
    for prefix, namespace in iris.PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def add_article(graph: Graph, article: Article) -> None:
    """Add one article's text and entities to ``graph``."""
    source = iris.entity(f"article/{article.id}")
    graph.add((source, SCHEMA.text, Literal(article.text)))
    for found in article.entities:
        add_entity(graph, found, article.evidence_key, source)


def add_entity(graph: Graph, found: Entity, key: str, source: URIRef) -> None:
    """Types, labels, evidence and facts of one entity."""
    subject = iris.entity(found.id)
    for kind in found.types:
        graph.add((subject, RDF.type, kind))
    graph.add((subject, RDFS.label, Literal(found.label_zh, lang="zh")))
    graph.add((subject, RDFS.label, Literal(found.label_en, lang="en")))
    for alias in found.aliases:
        graph.add((subject, SKOS.altLabel, Literal(alias, lang="zh")))
    for name in {found.label_zh, found.label_en, *found.aliases}:
        graph.add((subject, ZQ.nameKey, Literal(name_key(name))))
    if found.comment_en:
        graph.add((subject, RDFS.comment, Literal(found.comment_en, lang="en")))
    if found.note_en:
        graph.add((subject, SKOS.editorialNote, Literal(found.note_en, lang="en")))
    for quote in found.quotes:
        graph.add((subject, PROV.wasDerivedFrom, add_evidence(graph, quote.span, key, source)))
    for fact in found.facts:
        graph.add((subject, fact.predicate, fact.value))
        if fact.quote is not None:
            add_reified(graph, subject, found.id, fact, add_evidence(graph, fact.quote.span, key, source))
    add_contract_links(graph, subject, found)


def add_evidence(graph: Graph, span: Span, key: str, source: URIRef) -> URIRef:
    """The evidence node of ``span`` (idempotent: one node per article span)."""
    node, selector = iris.evidence(key, span.start, span.end), iris.selector(key, span.start, span.end)
    graph.add((node, RDF.type, OA.SpecificResource))
    graph.add((node, OA.hasSource, source))
    graph.add((node, OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextQuoteSelector))
    graph.add((selector, RDF.type, OA.TextPositionSelector))
    graph.add((selector, OA.exact, Literal(span.exact)))
    graph.add((selector, OA.prefix, Literal(span.prefix)))
    graph.add((selector, OA.suffix, Literal(span.suffix)))
    graph.add((selector, OA.start, Literal(span.start)))
    graph.add((selector, OA.end, Literal(span.end)))
    return node


def add_reified(graph: Graph, subject: URIRef, curated_id: str, fact: Fact, evidence: URIRef) -> None:
    """An ``rdf:Statement`` for one fact with its own quote; its IRI hashes the triple, so it is stable."""
    digest = hashlib.sha256(f"{subject.n3()} {fact.predicate.n3()} {fact.value.n3()}".encode()).hexdigest()
    local = str(fact.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    statement = iris.ID[f"statement/{curated_id.replace('/', '-')}--{local}--{digest[:8]}"]
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, fact.predicate))
    graph.add((statement, RDF.object, fact.value))
    graph.add((statement, PROV.wasDerivedFrom, evidence))


def add_contract_links(graph: Graph, subject: URIRef, found: Entity) -> None:
    """The two shortcuts the public contract asserts: ``org:holds`` beside ``org:heldBy``, and
    ``zq:pairedWith`` (first party -> second) for every ``zq:Pairing``."""
    for fact in found.facts:
        if fact.predicate == ORG.heldBy and isinstance(fact.value, URIRef):
            graph.add((fact.value, ORG.holds, subject))
    parties = [fact.value for fact in found.facts if fact.predicate == ZQ.party]
    if ZQ.Pairing in found.types and len(parties) == 2:
        graph.add((parties[0], ZQ.pairedWith, parties[1]))


def source_index(articles: list[Article]) -> dict[str, str]:
    """Entity IRI -> ``FILE:LINE`` of its curated block, for validation reports."""
    index: dict[str, str] = {}
    for article in articles:
        for found in article.entities:
            index.setdefault(str(iris.entity(found.id)), f"{article.facts_path}:{found.line}")
    return index
