"""Build stage: the article becomes a complete, evidence-backed graph in the public vocabulary."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.iris import ID, OA, ORG, SCHEMA, ZQ

CONTRACT = Path(__file__).parent / "data" / "contract-example.ttl"
SEED_SHA256 = "f0edbbac507d390fca922444de41a88b61f529f2ec6b9c94dd1d94f3b4cf9099"  # the seed file, as given


def _names(graph: Graph) -> dict[str, set[URIRef]]:
    """zh surface form -> entities carrying it as label or alias."""
    found: dict[str, set[URIRef]] = defaultdict(set)
    for predicate in (RDFS.label, SKOS.altLabel):
        for node, name in graph.subject_objects(predicate):
            if isinstance(name, Literal) and name.language == "zh" and isinstance(node, URIRef):
                found[str(name)].add(node)
    return found


def _phase_two_list(text: str) -> list[tuple[str, str]]:
    """The article's own list of phase-2 pairs (after 第二期结对单位), split at 和."""
    block = text.split("第二期结对单位\n", 1)[1].split("\n村田党建工作介绍", 1)[0]
    pairs = []
    for line in block.splitlines():
        left, right = re.split(r"(?<=支部|党委|部会)和", line.rstrip(";。"), maxsplit=1)
        pairs.append((left, right))
    return pairs


def test_shipped_article_is_the_seed_verbatim(article_text: str) -> None:
    assert len(article_text) == 2053
    assert hashlib.sha256(article_text.encode("utf-8")).hexdigest() == SEED_SHA256


def test_article_text_is_in_the_graph(asserted: Graph, article_text: str) -> None:
    article = ID["article/shunde-2020-07-15"]
    assert (article, RDF.type, SCHEMA.NewsArticle) in asserted
    assert str(asserted.value(article, SCHEMA.text)) == article_text
    assert len(set(asserted.objects(article, SCHEMA.author))) == 2


def test_every_span_equals_its_quote(asserted: Graph, article_text: str) -> None:
    selectors = list(asserted.subjects(RDF.type, OA.TextPositionSelector))
    assert len(selectors) > 100
    for selector in selectors:
        start, end = (int(asserted.value(selector, p).toPython()) for p in (OA.start, OA.end))  # type: ignore[union-attr]
        exact = str(asserted.value(selector, OA.exact))
        assert article_text[start:end] == exact, selector
        sentence = str(asserted.value(selector, OA.prefix)) + exact + str(asserted.value(selector, OA.suffix))
        assert sentence in article_text


def test_every_entity_points_at_evidence(asserted: Graph) -> None:
    entities = {s for s in asserted.subjects(RDFS.label) if str(s).startswith(str(ID))}
    missing = sorted(str(e) for e in entities if (e, PROV.wasDerivedFrom, None) not in asserted)
    assert not missing


def test_phase_two_list_orgs_appear_exactly_once(asserted: Graph, article_text: str) -> None:
    names = _names(asserted)
    phase_two = ID["phase/zqgj-shunde-2"]
    pairings = set(asserted.subjects(ZQ.inPhase, phase_two))
    listed = _phase_two_list(article_text)
    assert len(listed) == 8 and len(pairings) == 8
    nodes = set()
    for left, right in listed:
        (a,), (b,) = names[left], names[right]  # each printed name resolves to exactly one node
        nodes |= {a, b}
        shared = [p for p in pairings if {a, b} == set(asserted.objects(p, ZQ.party))]
        assert len(shared) == 1, (left, right)
        assert (a, ZQ.pairedWith, b) in asserted
    assert len(nodes) == 16


def test_phase_one_pairs(asserted: Graph) -> None:
    names = _names(asserted)
    phase_one = set(asserted.subjects(ZQ.inPhase, ID["phase/zqgj-shunde-1"]))
    expected = [("区民政人社局机关第一党支部", "科顺集团"), ("广州中医药大学顺德医院行政一党支部", "福田电器"),
                ("广东伊之密精密机械股份有限公司党委", "区教育局")]
    assert len(phase_one) == 3
    for left, right in expected:
        (a,), (b,) = names[left], names[right]
        assert any({a, b} == set(asserted.objects(p, ZQ.party)) for p in phase_one), (left, right)


def test_each_alias_resolves_to_one_node(asserted: Graph) -> None:
    names = _names(asserted)
    for alias in (node for _, node in asserted.subject_objects(SKOS.altLabel)):
        assert len(names[str(alias)]) == 1, alias
    murata = ID["org/murata"]
    for form in ("广东村田智能科技有限公司", "村田智能科技公司", "村田智能公司", "村田"):
        assert names[form] == {murata}
    assert names["区民政人社局"] == names["顺德区民政人社局"]


def test_people_and_posts(asserted: Graph) -> None:
    people = set(asserted.subjects(RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")))
    assert len(people) == 8
    holders = {asserted.value(post, ORG.heldBy) for post in asserted.subjects(RDF.type, ORG.Post)}
    assert len(holders) == 6  # every named person but the two reporters holds a post
    for post in asserted.subjects(RDF.type, ORG.Post):
        holder = asserted.value(post, ORG.heldBy)
        assert (holder, ORG.holds, post) in asserted
        assert asserted.value(post, ORG.postIn) is not None and asserted.value(post, ORG.role) is not None


def test_phase_one_outcomes_are_typed_integers(asserted: Graph) -> None:
    counts = {int(c.toPython()): c for c in asserted.objects(None, ZQ["count"]) if isinstance(c, Literal)}
    assert {124, 49} <= set(counts)
    assert all(counts[n].datatype == XSD.nonNegativeInteger for n in (124, 49))


def test_contract_example_triples_hold(asserted: Graph) -> None:
    """The design's contract example, triple for triple (en labels and the text placeholder are ours)."""
    contract = Graph().parse(CONTRACT)
    skipped = {SCHEMA.text}
    for triple in contract:
        _, predicate, obj = triple
        if predicate in skipped or (isinstance(obj, Literal) and obj.language == "en"):
            continue
        assert triple in asserted, triple


def test_every_name_has_its_search_key_and_nothing_else_does(asserted: Graph) -> None:
    """zq:nameKey holds exactly the keys of each entity's labels and aliases (kg.name_key)."""
    from kg.name_key import name_key

    expected = {(node, Literal(name_key(str(name))))
                for predicate in (RDFS.label, SKOS.altLabel)
                for node, name in asserted.subject_objects(predicate)
                if str(node).startswith(str(ID))}
    assert set(asserted.subject_objects(ZQ.nameKey)) == expected
    assert (ID["org/murata"], ZQ.nameKey, Literal("guangdong murata intelligent technology co., ltd.")) in asserted


def test_a_name_key_ignores_case_width_and_spacing() -> None:
    from kg.name_key import name_key

    assert name_key("  ＧＵＡＮＧＤＯＮＧ   Murata\tIntelligent ") == "guangdong murata intelligent"
    assert name_key("Straße") == name_key("STRASSE") == "strasse"
    assert name_key("村田智能公司党支部") == "村田智能公司党支部"
