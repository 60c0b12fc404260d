"""OWL 2 RL reasoning: each required entailment, only entailments kept, no axiomatic noise, clashes reported.

Rule names are those of OWL 2 Profiles §4.3 (Tables 4-9). The entailments are asserted twice: on the bundled
article's graph (real entities) and on ``tests/data/valid/mini.ttl`` (a small graph where each one is
isolated and easy to read).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.clashes import Clash, InconsistentGraphError, consistency_errors, ensure_consistent
from kg.iris import ID, INFERRED_GRAPH, ORG, SCHEMA, ZQ, article_graph
from kg.ontology import ontology_graph
from kg.pipeline import build_bundled, union_of
from kg.reason import Reasoning, infer, noise_kind, reason

DATA = Path(__file__).parent / "data"
Triple = tuple[Node, Node, Node]


def ORGS(slug: str) -> URIRef:  # noqa: N802 - reads like the orgs: prefix
    return ID[f"org/{slug}"]


def PLACE(slug: str) -> URIRef:  # noqa: N802
    return ID[f"place/{slug}"]


def EVENT(slug: str) -> URIRef:  # noqa: N802
    return ID[f"event/{slug}"]


@pytest.fixture(scope="module")
def article() -> tuple[Graph, Reasoning]:
    """(ontology + asserted article graph, its reasoning), computed once: owlrl takes ~2 s."""
    asserted = union_of(build_bundled(), inferred=False)
    return asserted, reason(asserted)


@pytest.fixture(scope="module")
def mini() -> tuple[Graph, Graph]:
    asserted = Graph().parse(DATA / "valid" / "mini.ttl") + ontology_graph()
    return asserted, infer(asserted)


def derived(pair: tuple[Graph, Reasoning] | tuple[Graph, Graph], triple: Triple) -> bool:
    """``triple`` is in the inferred graph and was not asserted."""
    asserted, result = pair
    inferred = result.inferred if isinstance(result, Reasoning) else result
    return triple in inferred and triple not in asserted


# --- Required entailments on the article ---------------------------------------------------------------


def test_article_class_membership_through_subclass_of(article: tuple[Graph, Reasoning]) -> None:
    """cax-sco: a zq:PartyBranch is a zq:PartyOrganization and an org:Organization."""
    branch = ORGS("murata-party-branch")
    assert derived(article, (branch, RDF.type, ZQ.PartyOrganization))
    assert derived(article, (branch, RDF.type, ORG.Organization))


def test_article_every_subclass_domain_and_range_consequence_holds(article: tuple[Graph, Reasoning]) -> None:
    """cax-sco, prp-dom, prp-rng, applied to every asserted triple (with the schema closed, scm-sco).

    The curated data types every entity, so on the article each domain/range consequence is also a subclass
    one; :func:`test_domain_and_range_alone` isolates prp-dom and prp-rng."""
    asserted, reasoning = article
    closure = asserted + reasoning.inferred
    missing = [t for t in _schema_consequences(asserted, closure) if t not in closure]
    assert not missing, missing[:5]
    assert any(derived(article, t) for t in _schema_consequences(asserted, closure))


def test_article_declared_inverses(article: tuple[Graph, Reasoning]) -> None:
    """prp-inv1/2: schema:subEvent / schema:superEvent, skos:broader / skos:narrower (org:holds is asserted
    by the build beside every org:heldBy, so it is checked on the small graph below)."""
    asserted, reasoning = article
    closure = asserted + reasoning.inferred
    assert derived(article, (EVENT("phase-2-signing-ceremony"), SCHEMA.superEvent,
                             EVENT("working-committee-meeting-2020-07-15")))
    for inverse_pair in ((SCHEMA.subEvent, SCHEMA.superEvent), (SKOS.broader, SKOS.narrower),
                         (ORG.heldBy, ORG.holds)):
        for p, q in (inverse_pair, inverse_pair[::-1]):
            for s, o in asserted.subject_objects(p):
                assert (o, q, s) in closure
    assert any(p == SKOS.narrower for _, p, _ in reasoning.inferred)


def test_article_symmetric_pairing(article: tuple[Graph, Reasoning]) -> None:
    """prp-symp: zq:pairedWith is symmetric; the build asserts first party -> second only."""
    assert derived(article, (ORGS("shunde-library-party-branch"), ZQ.pairedWith, ORGS("murata-party-branch")))
    asserted, reasoning = article
    for s, o in asserted.subject_objects(ZQ.pairedWith):
        assert (o, ZQ.pairedWith, s) in reasoning.inferred or (o, ZQ.pairedWith, s) in asserted


def test_article_hosted_by_is_a_sub_organisation(article: tuple[Graph, Reasoning]) -> None:
    """prp-spo1: zq:hostedBy ⊑ org:subOrganizationOf ⊑ org:transitiveSubOrganizationOf."""
    branch, host = ORGS("murata-party-branch"), ORGS("murata")
    assert (branch, ZQ.hostedBy, host) in article[0]
    assert derived(article, (branch, ORG.subOrganizationOf, host))
    assert derived(article, (branch, ORG.transitiveSubOrganizationOf, host))


def test_article_transitive_containment(article: tuple[Graph, Reasoning]) -> None:
    """prp-trp on org:transitiveSubOrganizationOf (two steps up; the article states no chain of places, so
    zq:locatedIn is only checked closed), and zq:locatedIn read as schema:containedInPlace (prp-spo1)."""
    assert derived(article, (PLACE("shunde"), SCHEMA.containedInPlace, PLACE("foshan")))
    assert derived(article, (ORGS("urban-renewal-centre-party-branch"), ORG.transitiveSubOrganizationOf,
                             ORGS("foshan-natural-resources-bureau")))
    asserted, reasoning = article
    closure = asserted + reasoning.inferred
    for prop in (ZQ.locatedIn, ORG.transitiveSubOrganizationOf):
        for x, y in closure.subject_objects(prop):
            for z in closure.objects(y, prop):
                assert (x, prop, z) in closure


def test_article_inferred_holds_no_asserted_triple_and_no_noise(article: tuple[Graph, Reasoning]) -> None:
    asserted, reasoning = article
    assert len(reasoning.inferred) > 100
    assert reasoning.inferred.identifier == INFERRED_GRAPH
    assert not [t for t in reasoning.inferred if t in asserted]
    assert not [t for t in reasoning.inferred if noise_kind(t) is not None]
    assert reasoning.dropped["literal-subject"] > 0 and reasoning.dropped["reflexive"] > 0


def test_article_is_consistent_and_reasoning_is_timed(article: tuple[Graph, Reasoning]) -> None:
    asserted, reasoning = article
    assert consistency_errors(asserted + reasoning.inferred) == []
    assert reasoning.seconds > 0
    assert reasoning.asserted == len(asserted)
    assert f"{reasoning.asserted} asserted, {len(reasoning.inferred)} inferred" in reasoning.summary()


# --- The same entailments, isolated on a small graph --------------------------------------------------


def test_inverse_holds_from_held_by(mini: tuple[Graph, Graph]) -> None:
    """prp-inv2: org:holds owl:inverseOf org:heldBy; the small graph asserts org:heldBy only."""
    post = ID["post/murata-party-branch-deputy-secretary"]
    assert derived(mini, (ID["person/chen-yun"], ORG.holds, post))
    assert derived(mini, (EVENT("signing"), SCHEMA.superEvent, EVENT("meeting")))


def test_domain_and_range_alone() -> None:
    """prp-dom and prp-rng with nothing else to go on: an untyped subject and object of zq:signedAt."""
    graph = ontology_graph()
    graph.add((ID["pairing/x"], ZQ.signedAt, EVENT("y")))
    inferred = infer(graph)
    assert (ID["pairing/x"], RDF.type, ZQ.Pairing) in inferred
    assert (EVENT("y"), RDF.type, SCHEMA.Event) in inferred


def test_small_graph_entailments(mini: tuple[Graph, Graph]) -> None:
    """cax-sco, prp-symp, prp-spo1, prp-trp on the small graph."""
    assert derived(mini, (ORGS("murata"), RDF.type, ZQ.Enterprise))
    assert derived(mini, (ORGS("library-party-branch"), ZQ.pairedWith, ORGS("murata-party-branch")))
    assert derived(mini, (ORGS("murata-party-branch"), ORG.subOrganizationOf, ORGS("murata")))
    branch, bureau = ORGS("library-party-branch"), ORGS("culture-bureau")
    assert derived(mini, (branch, ORG.transitiveSubOrganizationOf, bureau))
    assert derived(mini, (PLACE("daliang"), ZQ.locatedIn, PLACE("foshan")))
    assert derived(mini, (PLACE("daliang"), SCHEMA.containedInPlace, PLACE("foshan")))


def test_a_dataset_is_reasoned_over_as_the_union_of_its_graphs() -> None:
    dataset = Dataset()
    dataset.graph(article_graph("mini")).parse(DATA / "valid" / "mini.ttl")
    dataset.graph(ID["ontology-graph"]).__iadd__(ontology_graph())
    inferred = infer(dataset)
    assert (ORGS("library-party-branch"), ZQ.pairedWith, ORGS("murata-party-branch")) in inferred


# --- Noise ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("triple", "kind"), [
    ((Literal("2016", datatype=rns.XSD.gYear), RDF.type, rns.XSD.gYear), "literal-subject"),
    ((BNode(), RDFS.subClassOf, ZQ.dateOrYear), "blank-node"),
    ((ORGS("murata"), OWL.sameAs, ORGS("murata")), "reflexive"),
    ((ZQ.Pairing, RDFS.subClassOf, ZQ.Pairing), "reflexive"),
    ((ZQ.party, OWL.equivalentProperty, ZQ.party), "reflexive"),
    ((ORGS("murata"), RDF.type, OWL.Thing), "top-bottom"),
    ((ZQ.Pairing, RDFS.subClassOf, OWL.Thing), "top-bottom"),
    ((OWL.Nothing, RDFS.subClassOf, ZQ.Pairing), "top-bottom"),
    ((ZQ.hostedBy, RDFS.domain, OWL.Thing), "top-bottom"),
    ((rns.XSD.string, RDF.type, RDFS.Datatype), "builtin"),
    ((RDFS.label, RDF.type, OWL.AnnotationProperty), "builtin"),
    ((RDF["_1"], RDF.type, ZQ.Something), "container"),
    ((ORGS("murata"), RDF.type, OWL.Nothing), None),
    ((rns.XSD.date, RDFS.subClassOf, ZQ.dateOrYear), None),
    ((ORGS("murata"), RDF.type, ZQ.Enterprise), None),
])
def test_noise_kinds(triple: Triple, kind: str | None) -> None:
    assert noise_kind(triple) == kind


def test_the_closure_is_pluggable_and_only_new_non_noise_triples_are_kept() -> None:
    """A faster closure can replace owlrl: ``reason`` keeps what it adds, minus input and noise."""
    graph = Graph()
    graph.add((ORGS("a"), ZQ.pairedWith, ORGS("b")))
    new = (ORGS("b"), ZQ.pairedWith, ORGS("a"))

    def toy_closure(g: Graph) -> Graph:
        closed = Graph() + g
        closed.add(new)
        closed.add((ORGS("a"), OWL.sameAs, ORGS("a")))
        return closed

    result = reason(graph, toy_closure)
    assert set(result.inferred) == {new}
    assert result.dropped == {"reflexive": 1}


# --- Clashes -------------------------------------------------------------------------------------------


def _clashes_after(*extra: Triple) -> list[Clash]:
    graph = Graph().parse(DATA / "valid" / "mini.ttl") + ontology_graph()
    for triple in extra:
        graph.add(triple)
    return consistency_errors(graph + infer(graph))


def test_the_small_graph_is_consistent(mini: tuple[Graph, Graph]) -> None:
    assert consistency_errors(mini[0] + mini[1]) == []
    ensure_consistent(mini[0] + mini[1])


def test_a_member_of_two_disjoint_classes_is_a_clash() -> None:
    """cax-dw: zq:PrivateEnterprise owl:disjointWith zq:StateOwnedEnterprise."""
    [clash] = _clashes_after((ORGS("murata"), RDF.type, ZQ.StateOwnedEnterprise))
    assert clash.rule == "cax-dw"
    assert set(clash.resources) == {ORGS("murata"), ZQ.PrivateEnterprise, ZQ.StateOwnedEnterprise}
    assert clash.resources[0] == ORGS("murata")
    assert "广东村田智能科技有限公司" in str(clash)


def test_a_party_organisation_that_is_also_its_host_is_a_clash() -> None:
    """cax-adc through subclassing: a zq:PartyBranch typed zq:PrivateEnterprise is both a
    zq:PartyOrganization and a zq:Enterprise, members of one owl:AllDisjointClasses."""
    clashes = _clashes_after((ORGS("murata-party-branch"), RDF.type, ZQ.PrivateEnterprise))
    assert [(c.rule, c.resources) for c in clashes] == [
        ("cax-adc", (ORGS("murata-party-branch"), ZQ.Enterprise, ZQ.PartyOrganization)),
    ]


def test_a_person_who_is_an_organisation_is_a_clash() -> None:
    [clash] = _clashes_after((ID["person/chen-yun"], RDF.type, ORG.Organization))
    assert clash.rule == "cax-dw" and clash.resources[0] == ID["person/chen-yun"]


def test_an_organisation_paired_with_itself_is_a_clash() -> None:
    """prp-irp: zq:pairedWith is irreflexive."""
    [clash] = _clashes_after((ORGS("murata-party-branch"), ZQ.pairedWith, ORGS("murata-party-branch")))
    assert clash.rule == "prp-irp"
    assert clash.resources == (ORGS("murata-party-branch"), ZQ.pairedWith)
    assert "irreflexive" in clash.message


def test_a_member_of_nothing_is_a_clash_and_ensure_consistent_raises() -> None:
    graph = Graph().parse(DATA / "valid" / "mini.ttl") + ontology_graph()
    graph.add((ORGS("murata"), RDF.type, OWL.Nothing))
    with pytest.raises(InconsistentGraphError) as raised:
        ensure_consistent(graph + infer(graph))
    assert [c.rule for c in raised.value.clashes] == ["cls-nothing2"]


def _schema_consequences(asserted: Graph, closure: Graph) -> Iterator[Triple]:
    """The types the asserted data must have by rdfs:subClassOf, rdfs:domain and rdfs:range."""
    for s, c in asserted.subject_objects(RDF.type):
        for sup in closure.objects(c, RDFS.subClassOf):
            if sup != OWL.Thing and not isinstance(sup, BNode):
                yield (s, RDF.type, sup)
    for prop, cls in closure.subject_objects(RDFS.domain):
        if cls != OWL.Thing and not isinstance(cls, BNode):
            for s in asserted.subjects(prop, None):
                yield (s, RDF.type, cls)
    for prop, cls in closure.subject_objects(RDFS.range):
        if isinstance(cls, BNode) or cls == OWL.Thing or (prop, RDF.type, OWL.DatatypeProperty) in closure:
            continue
        for o in asserted.objects(None, prop):
            yield (o, RDF.type, cls)
