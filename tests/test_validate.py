"""SHACL validation: the contract holds on good data, and each shape is tripped by its own corrupted copy.

``tests/data/invalid/*.ttl`` follow the W3C SHACL / pySHACL test-suite layout: one small file per case,
holding the data graph *and* the expected ``sh:ValidationReport``. The test takes the report out, validates
the rest, and wants exactly the expected results (focus node, path, shape, constraint, component).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.build import build_dataset, source_index
from kg.iris import ID, INFERRED_GRAPH, OA, SCHEMA, ZQ, article_graph, curie_of
from kg.ontology import ontology_graph
from kg.pipeline import articles_of, union_of
from kg.validate import OWL_RL_COMPONENT, ValidationReport, ValidationResult, validate
from kg.validate_shacl import run_shacl, shapes_graph

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
EXPECTED_KEYS = (
    SH.focusNode, SH.resultPath, SH.sourceShape, SH.sourceConstraint, SH.sourceConstraintComponent,
)
Row = tuple[str | None, ...]
Triple = tuple[Node, Node, Node]
ZQSH = Namespace(dict(shapes_graph().namespaces())["zqsh"])


def mini() -> Graph:
    return Graph().parse(DATA / "valid" / "mini.ttl")


def split_case(path: Path) -> tuple[Graph, set[Row]]:
    """(data graph, expected result rows) of one invalid case file."""
    graph = Graph().parse(path)
    expected: set[Row] = set()
    for report in list(graph.subjects(RDF.type, SH.ValidationReport)):
        for result in list(graph.objects(report, SH.result)):
            values = (graph.value(result, key) for key in EXPECTED_KEYS)
            expected.add(tuple(None if v is None else str(v) for v in values))
            graph.remove((result, None, None))
        graph.remove((report, None, None))
    return graph, expected


def rows_of(result: ValidationResult) -> Row:
    return (result.focus, result.path, result.shape, result.constraint, result.component)


def rows(report: ValidationReport) -> set[Row]:
    return {rows_of(r) for r in report.results}


def test_there_is_one_case_per_rule() -> None:
    shapes = {row[3] or row[2] for path in INVALID for row in split_case(path)[1]}
    property_shapes = {str(s) for s in shapes_graph().subjects(RDF.type, SH.PropertyShape)}
    sparql = {str(s) for s in shapes_graph().subjects(RDF.type, SH.SPARQLConstraint)}
    assert property_shapes | sparql <= shapes, "a rule no invalid case trips"
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_invalid_case_trips_exactly_its_rule(path: Path) -> None:
    data, expected = split_case(path)
    assert expected, f"{path.name} has no expected sh:ValidationReport"
    report = validate(data)
    assert not report.conforms
    assert rows(report) == expected


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_the_text_report_names_the_node_its_label_and_the_rule(path: Path) -> None:
    data, expected = split_case(path)
    text = validate(data).to_text()
    for focus, _path, shape, constraint, _component in expected:
        assert focus is not None and shape is not None
        assert curie_of(focus) in text
        assert (constraint or shape).rsplit("#", 1)[1] in text
        zh = [str(v) for v in data.objects(URIRef(focus), RDFS.label) if getattr(v, "language", None) == "zh"]
        label = zh[0] if zh else None
        if label:
            assert label in text


def _str(node: object) -> str | None:
    return None if node is None else str(node)


def _lexical(shown: str | None) -> str | None:
    """The words of a report value (``"2016"^^xsd:gYear`` -> ``2016``)."""
    if shown is None or not shown.startswith('"'):
        return shown
    return shown[1 : shown.rindex('"')]


@pytest.mark.parametrize("path", [*INVALID, DATA / "valid" / "mini.ttl"], ids=lambda p: p.stem)
def test_bulk_sparql_constraints_report_what_pyshacl_reports(path: Path) -> None:
    """kg.validate_sparql runs each SHACL-SPARQL constraint once, pySHACL once per focus node: same rows."""
    data, _ = split_case(path)
    data += ontology_graph()
    _, by_pyshacl = run_shacl(data, shapes_graph())
    expected = {(_str(r.focus), _str(r.path), _str(r.shape), _str(r.constraint), _str(r.component),
                 _str(r.value)) for r in by_pyshacl}
    ours = {(*row, _lexical(r.value)) for r in validate(data).results for row in [rows_of(r)]}
    assert ours == expected


def test_the_fixture_graph_conforms_in_one_line() -> None:
    report = validate(mini())
    assert report.conforms, report.to_text()
    assert report.to_text() == "conforms"
    assert json.loads(report.to_json()) == {"conforms": True, "results": []}


def test_json_report_carries_the_rule_value_and_source() -> None:
    graph = mini()
    murata = ID["org/murata"]
    graph.remove((murata, RDFS.label, Literal("广东村田智能科技有限公司", lang="zh")))
    report = validate(graph, sources_index={str(murata): "data/articles/mini.yaml:12"})
    payload = json.loads(report.to_json())
    assert payload["conforms"] is False
    [result] = payload["results"]
    assert result["focus"] == str(murata)
    assert result["label_en"] == "Guangdong Murata Intelligent Technology Co., Ltd."
    assert result["rule"] == "zqsh:LabelZh"
    assert result["component"] == str(SH.QualifiedMinCountConstraintComponent)
    assert result["path"] == str(RDFS.label)
    assert result["source"] == "data/articles/mini.yaml:12"
    assert "data/articles/mini.yaml:12" in report.to_text()


def test_a_broken_span_is_traced_to_the_curated_entity_that_quotes_it() -> None:
    graph = mini()
    selector = ID["evidence/mini-36-50-selector"]
    graph.set((selector, OA.start, Literal(37)))
    index = {str(ID["person/chen-yun"]): "data/articles/mini.yaml:40"}
    report = validate(graph, sources_index=index)
    [result] = report.results
    assert result.focus == str(selector)
    assert result.rule == "zqsh:SpanMatchesQuote"
    assert result.source == "data/articles/mini.yaml:40"
    assert "「村田智能公司党支部副书记陈云」" in report.to_text()
    assert '"田智能公司党支部副书记陈云"' in result.message


def test_shacl_ignores_the_inferred_graph_of_a_dataset() -> None:
    """sh:class checks what was asserted: an untyped party stays a violation even though the dataset's
    inferred graph (as range entailment, prp-rng of zq:party, would) types it."""
    dataset = Dataset()
    asserted = dataset.graph(article_graph("mini"))
    asserted += mini()
    pairing, party = ID["pairing/murata-library"], ID["org/library-party-branch"]
    asserted.remove((party, RDF.type, None))
    dataset.graph(INFERRED_GRAPH).add((party, RDF.type, ZQ.PartyBranch))
    report = validate(dataset)
    expected = (str(pairing), str(ZQ.party), str(ZQSH.PairingPartiesAreOrganisations), None,
                str(SH.ClassConstraintComponent))
    assert rows(report) == {expected}


def test_clashes_in_the_inferences_are_violations_with_the_resources_involved() -> None:
    graph = mini()
    murata = ID["org/murata"]
    graph.add((murata, RDF.type, ZQ.StateOwnedEnterprise))
    report = validate(graph, inferred=Graph())
    assert not report.conforms
    [clash] = [r for r in report.results if r.component == OWL_RL_COMPONENT]
    assert clash.focus == str(murata)
    assert clash.rule == "owl:cax-dw"
    assert clash.value is not None and "zq:PrivateEnterprise" in clash.value
    assert "owl:cax-dw" in report.to_text()


def test_the_shapes_graph_is_well_formed_shacl() -> None:
    """SHACL Appendix C (SHACL for SHACL): pySHACL checks ontology/shapes.ttl against shacl-shacl first and
    raises if it is malformed; then the fixture conforms."""
    data = mini() + ontology_graph()
    conforms, _, text = pyshacl_validate(data, shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


# --- The bundled article, and corrupted copies of it ----------------------------------------------------


@pytest.fixture(scope="module")
def article() -> tuple[Graph, dict[str, str]]:
    """(ontology + asserted article graph, entity IRI -> curated FILE:LINE)."""
    articles = articles_of()
    return union_of(build_dataset(articles, ontology_graph()), inferred=False), source_index(articles)


Article = tuple[Graph, dict[str, str]]


def corrupted(article: Article, drop: list[Triple], add: list[Triple]) -> ValidationReport:
    graph = Graph() + article[0]
    for triple in drop:
        graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return validate(graph, sources_index=article[1])


def first_pairing(graph: Graph) -> tuple[URIRef, list[URIRef]]:
    pairing = min(s for s in graph.subjects(RDF.type, ZQ.Pairing) if isinstance(s, URIRef))
    return pairing, sorted(p for p in graph.objects(pairing, ZQ.party) if isinstance(p, URIRef))


def test_the_article_conforms(article: Article) -> None:
    report = validate(article[0], sources_index=article[1])
    assert report.conforms, report.to_text()
    assert report.to_text() == "conforms"


def test_article_pairing_without_a_party(article: Article) -> None:
    pairing, parties = first_pairing(article[0])
    report = corrupted(article, [(pairing, ZQ.party, parties[0])], [])
    [result] = report.results
    assert (result.focus, result.rule) == (str(pairing), "zqsh:PairingParties")
    assert result.component == str(SH.MinCountConstraintComponent)
    assert result.source == article[1][str(pairing)] and ".yaml:" in result.source
    text = report.to_text()
    assert curie_of(str(pairing)) in text and result.source in text and str(result.label_zh) in text


def test_article_pairing_with_a_third_party(article: Article) -> None:
    pairing, _ = first_pairing(article[0])
    report = corrupted(article, [], [(pairing, ZQ.party, ID["org/murata"])])
    [result] = report.results
    assert (result.focus, result.rule) == (str(pairing), "zqsh:PairingParties")
    assert result.component == str(SH.MaxCountConstraintComponent)


def test_article_broken_span(article: Article) -> None:
    graph = article[0]
    selector = min(s for s in graph.objects(None, OA.hasSelector) if isinstance(s, URIRef))
    start = graph.value(selector, OA.start)
    assert isinstance(start, Literal)
    shifted = Literal(int(start) + 1)
    report = corrupted(article, [(selector, OA.start, start)], [(selector, OA.start, shifted)])
    [result] = report.results
    assert (result.focus, result.rule) == (str(selector), "zqsh:SpanMatchesQuote")
    assert result.source is not None and ".yaml:" in result.source


def test_article_dropped_label(article: Article) -> None:
    murata = ID["org/murata"]
    [zh] = [v for v in article[0].objects(murata, RDFS.label) if getattr(v, "language", None) == "zh"]
    report = corrupted(article, [(murata, RDFS.label, zh)], [])
    [result] = report.results
    assert (result.focus, result.rule, result.label_zh) == (str(murata), "zqsh:LabelZh", None)
    assert result.label_en and result.label_en in report.to_text()


def test_article_mistyped_date(article: Article) -> None:
    graph = article[0]
    subject, date = min(graph.subject_objects(SCHEMA.foundingDate))
    report = corrupted(article, [(subject, SCHEMA.foundingDate, date)],
                       [(subject, SCHEMA.foundingDate, Literal(str(date)))])
    [result] = report.results
    assert (result.focus, result.rule, result.value) == (str(subject), "zqsh:FoundingDate", str(date))
    assert result.component == str(SH.OrConstraintComponent)


def test_validation_reads_the_graph_it_is_given_and_leaves_it_as_it_was() -> None:
    """kg.validate_shacl.split no longer copies a plain graph that declares the ontology: neither pySHACL (in
    place, without an ontology graph, inference or rules) nor the SPARQL constraints may change it. A broken
    graph, so that every result path (SHACL, SPARQL, clash) runs."""
    graph = mini() + ontology_graph()
    murata = ID["org/murata"]
    graph.remove((murata, RDFS.label, Literal("广东村田智能科技有限公司", lang="zh")))
    graph.set((ID["evidence/mini-36-50-selector"], OA.start, Literal(37)))
    graph.add((murata, RDF.type, ZQ.StateOwnedEnterprise))
    before = set(graph)
    report = validate(graph, inferred=Graph())
    assert {r.rule for r in report.results} >= {"zqsh:LabelZh", "zqsh:SpanMatchesQuote", "owl:cax-dw"}
    assert set(graph) == before


def test_the_closed_graph_given_by_the_caller_is_the_one_checked_for_clashes() -> None:
    """``validate(closed=...)``: kg build passes asserted ∪ inferred it already holds instead of a new copy."""
    graph = mini() + ontology_graph()
    murata = ID["org/murata"]
    clash = (murata, RDF.type, ZQ.StateOwnedEnterprise)
    assert validate(graph, inferred=Graph()).conforms
    closed = graph + Graph()
    closed.add(clash)
    assert not validate(graph, inferred=Graph(), closed=closed).conforms


def test_the_oxigraph_copy_gives_back_the_graphs_own_terms() -> None:
    """kg.ox_copy: what validation's SPARQL reads in Oxigraph comes back as the graph's own IRIs, blank nodes
    and strings (a typed literal may come back in Oxigraph's canonical form, as the module says)."""
    from rdflib import BNode

    from kg.ox_copy import oxigraph_copy, solutions

    graph = mini() + ontology_graph()
    graph.add((BNode("b0"), RDFS.label, Literal("村田", lang="zh")))
    rows = list(solutions(oxigraph_copy(graph), "SELECT ?s ?p ?o ?unbound WHERE { ?s ?p ?o }"))
    assert all("unbound" not in row for row in rows)
    back = {(row["s"], row["p"], row["o"]) for row in rows}
    assert len(back) == len(graph)
    untyped = {t for t in graph if not (isinstance(t[2], Literal) and t[2].datatype is not None)}
    assert untyped <= back and (BNode("b0"), RDFS.label, Literal("村田", lang="zh")) in back
