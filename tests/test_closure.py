"""The rules closure (kg.closure) keeps exactly what owlrl keeps, triple for triple, after the noise filter.

Checked on the bundled article, on generated corpora (1, 5 and 100 articles: owlrl needs ~22 s for the last,
the price of the check the scale issue asks for), and on small graphs that each exercise one OWL 2 RL rule these
articles never trigger (chains, equality from a functional property, intersections, named equivalences,
schema triples derived from data, owl:Nothing). Constructs the rules do not cover fall back to owlrl.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from benchmarks.generate import generate
from kg.closure import describe_rules, rules_closure, run_rules
from kg.iris import ID, ORG, ZQ
from kg.ontology import ontology_graph
from kg.pipeline import build_bundled, build_from, union_of
from kg.reason import Closure, Triple, owlrl_closure, reason

PREFIXES = """
@prefix zq: <https://w3id.org/zqgj/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

#: One small graph per rule the articles do not exercise (each added to the ontology).
CASES = {
    "prp-fp and equality": "ex:p a zq:Pairing ; zq:inPhase ex:ph1, ex:ph2 . ex:ph1 zq:phaseNumber 1 ; "
                           "rdfs:label 'a' . ex:x zq:party ex:ph2 .",
    "prp-ifp": "ex:key a owl:InverseFunctionalProperty . ex:a ex:key ex:v . ex:b ex:key ex:v . ex:a rdfs:label 'A' .",
    "prp-spo2, two links": "ex:uncle owl:propertyChainAxiom (ex:parent ex:brother) . ex:a ex:parent ex:b . "
                           "ex:b ex:brother ex:c , ex:e .",
    "prp-spo2, three links": "ex:q owl:propertyChainAxiom (ex:r ex:r ex:r) . ex:a ex:r ex:b . ex:b ex:r ex:c . "
                             "ex:c ex:r ex:d . ex:d ex:r ex:e .",
    "named equivalences": "ex:A owl:equivalentClass zq:Enterprise . ex:x a ex:A . ex:B rdfs:subClassOf ex:C . "
                          "ex:C rdfs:subClassOf ex:B . ex:z a ex:B . ex:hosted owl:equivalentProperty zq:hostedBy . "
                          "ex:a ex:hosted ex:b .",
    "cls-int1": "ex:I owl:intersectionOf (zq:Enterprise ex:Big) . ex:x a zq:PrivateEnterprise, ex:Big . "
                "ex:y a ex:I . ex:Big a owl:Class .",
    "schema derived from data": "ex:sub rdfs:subPropertyOf rdfs:subClassOf . ex:A ex:sub zq:Enterprise . ex:x a ex:A .",
    "owl:Nothing": "ex:x a owl:Nothing . ex:Bad rdfs:subClassOf owl:Nothing . ex:y a ex:Bad .",
    "owl:sameAs asserted": "ex:a owl:sameAs ex:b . ex:b zq:hostedBy ex:c . ex:a rdfs:label 'x' .",
    "cycles, symmetry": "ex:a zq:locatedIn ex:b . ex:b zq:locatedIn ex:c . ex:c zq:locatedIn ex:a . "
                        "ex:k zq:pairedWith ex:l .",
    "owl:Thing with a super-class": "owl:Thing rdfs:subClassOf ex:Top . ex:x a zq:Enterprise .",
    "inverses through a literal": "ex:dp owl:inverseOf ex:dq . ex:dq rdfs:subPropertyOf ex:dr . "
                                  "ex:dr owl:inverseOf ex:ds . ex:a ex:dp 'lit' .",
}


def kept(graph: Graph, closure: Closure) -> set[Triple]:
    return set(reason(graph, closure=closure).inferred)


def assert_same(graph: Graph) -> None:
    """Both closures keep the same triples; the message shows the first differences."""
    ours, reference = kept(graph, rules_closure), kept(graph, owlrl_closure)
    assert ours == reference, (sorted(reference - ours)[:5], sorted(ours - reference)[:5])


@pytest.fixture(scope="module")
def article() -> Graph:
    return union_of(build_bundled(), inferred=False)


def test_article_entailments_equal_owlrl(article: Graph) -> None:
    assert_same(article)
    result = reason(article, closure=rules_closure)
    assert result.engine == "rules" and len(result.inferred) == 303


@pytest.mark.parametrize("count", [1, 5, 100])
def test_generated_corpus_entailments_equal_owlrl(tmp_path: Path, count: int) -> None:
    generate(count, tmp_path, seed=7)
    assert_same(union_of(build_from(tmp_path), inferred=False))


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_equals_owlrl(case: str) -> None:
    graph = ontology_graph().parse(data=PREFIXES + CASES[case], format="turtle")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these may fall back to owlrl
        assert_same(graph)


def test_required_entailments_on_the_article(article: Graph) -> None:
    inferred = reason(article, closure=rules_closure).inferred
    branch, host = ID["org/murata-party-branch"], ID["org/murata"]
    assert (branch, RDF.type, ZQ.PartyOrganization) in inferred  # cax-sco
    assert (branch, ORG.transitiveSubOrganizationOf, host) in inferred  # prp-spo1
    # prp-trp: the centre is part of the Shunde branch, which is part of Foshan's bureau (prp-spo1 first)
    assert (ID["org/urban-renewal-centre"], ORG.transitiveSubOrganizationOf,
            ID["org/foshan-natural-resources-bureau"]) in inferred
    assert (ID["org/shunde-library-party-branch"], ZQ.pairedWith, branch) in inferred  # prp-symp
    year_in_union = (rns.XSD.gYear, RDFS.subClassOf, ZQ.dateOrYear)  # scm-uni, scm-eqc1, scm-sco
    assert year_in_union in inferred and year_in_union not in article


def test_returns_only_derived_triples_and_leaves_the_input_alone(article: Graph) -> None:
    before = len(article)
    closed = rules_closure(article)
    assert len(article) == before
    assert not [t for t in closed if t in article]
    assert not [t for t in closed if isinstance(t[0], Literal)]  # a literal is never typed: noise


def test_a_dataset_is_closed_as_the_union_of_its_graphs() -> None:
    dataset = build_bundled()
    assert set(rules_closure(dataset)) == set(rules_closure(union_of(dataset, inferred=False)))


def test_unsupported_vocabulary_falls_back_to_owlrl_with_a_warning() -> None:
    graph = ontology_graph().parse(data=PREFIXES + "ex:R owl:onProperty zq:party ; owl:someValuesFrom zq:Enterprise .",
                                   format="turtle")
    with pytest.warns(UserWarning, match="someValuesFrom"):
        ours = kept(graph, rules_closure)
    assert ours == kept(graph, owlrl_closure)


def test_a_derived_same_as_restarts_in_equality_mode_and_derived_schema_restarts_the_rules() -> None:
    same = ontology_graph().parse(data=PREFIXES + CASES["prp-fp and equality"], format="turtle")
    run = run_rules(same)
    assert run.equality and run.restarts == 1
    assert (URIRef("http://example.org/ph2"), ZQ.phaseNumber, Literal(1)) in set(run.derived)
    meta = run_rules(ontology_graph().parse(data=PREFIXES + CASES["schema derived from data"], format="turtle"))
    assert meta.restarts == 1
    assert (URIRef("http://example.org/x"), RDF.type, ZQ.Enterprise) in set(meta.derived)


def test_generated_rules_read_like_the_ontology() -> None:
    rules = describe_rules(ontology_graph())
    hosted = next(line for line in rules if line.startswith("zq:hostedBy(x, y)"))
    assert "zq:PartyOrganization(x)" in hosted and "org:FormalOrganization(y)" in hosted
    assert "org:subOrganizationOf(x, y)" in hosted and "org:transitiveSubOrganizationOf(x, y)" in hosted
    assert any(line.startswith("zq:pairedWith(x, y)") and "symmetric" in line for line in rules)
    assert any(line.startswith("zq:inPhase(x, y)") and "functional" in line for line in rules)
    assert (OWL.sameAs, RDF.type, OWL.ObjectProperty) not in ontology_graph()  # nothing built-in is assumed
