"""``kg serve`` over real HTTP on loopback: the SPARQL 1.1 Protocol with SPARQLWrapper and plain requests,
every result format, the refusals and their statuses, the caps, and content negotiation of entity pages.

One server per module (``built`` is built once per session); queries run in forked worker processes.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from test_serve_helpers import serving, trap

from kg import iris
from kg.commands import Built
from kg.query_engine import query as kg_query
from kg.serve import create_app

TIMEOUT_S = 2.0
MAX_ROWS = 1000
MAX_BODY = 64 * 1024
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { <https://w3id.org/zqgj/id/org/murata> rdfs:label ?label } ORDER BY ?label"""
MURATA_LABELS = ["Guangdong Murata Intelligent Technology Co., Ltd.", "广东村田智能科技有限公司"]


@pytest.fixture(scope="module")
def base(built: Built) -> Iterator[str]:
    app = create_app(built, timeout_s=TIMEOUT_S, max_rows=MAX_ROWS, max_body=MAX_BODY, workers=2)
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as http:
        yield http


def wrapper(base: str, query: str, fmt: str, *, post: str | None = None) -> Any:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if post is not None:
        sparql.setMethod(POST)
        sparql.setRequestMethod(post)
    return sparql.query()


@pytest.mark.parametrize("post", [None, "urlencoded", POSTDIRECTLY])
def test_sparqlwrapper_json_get_and_both_posts(base: str, post: str | None) -> None:
    result = wrapper(base, LABELS, JSON, post=post).convert()
    assert [row["label"]["value"] for row in result["results"]["bindings"]] == MURATA_LABELS


def test_sparqlwrapper_xml_csv_tsv(base: str) -> None:
    document = wrapper(base, LABELS, XML).convert()
    assert sorted(node.firstChild.data for node in document.getElementsByTagName("literal")) == MURATA_LABELS
    rows = list(csv.reader(io.StringIO(wrapper(base, LABELS, CSV).convert().decode("utf-8"))))
    assert rows == [["label"], *([label] for label in MURATA_LABELS)]
    lines = wrapper(base, LABELS, TSV).convert().decode("utf-8").splitlines()
    assert lines == ["?label", f'"{MURATA_LABELS[0]}"@en', f'"{MURATA_LABELS[1]}"@zh']


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, XML])
def test_sparqlwrapper_construct_formats(base: str, built: Built, fmt: str) -> None:
    murata = iris.entity("org/murata")
    query = f"CONSTRUCT {{ <{murata}> ?p ?o }} WHERE {{ <{murata}> ?p ?o }}"
    converted = wrapper(base, query, fmt).convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert set(graph) == set(built.graph(inferred=True).triples((murata, None, None)))


def test_ask_and_inference_switch(client: httpx.Client) -> None:
    ask = "PREFIX org: <http://www.w3.org/ns/org#> ASK { <https://w3id.org/zqgj/id/org/murata> a org:Organization }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    assert client.get("/sparql", params={"query": ask, "infer": "false"}).json()["boolean"] is False


def test_bundled_query_with_parameter_matches_kg_query(client: httpx.Client, built: Built) -> None:
    from kg.query_catalogue import bundled

    spec = bundled()["partners-of"]
    response = client.post("/sparql", data={"query": spec.text, "$name": "村田"})
    assert response.status_code == 200
    got = [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]
    expected = kg_query("partners-of", built.graph(inferred=True), name="村田")
    assert isinstance(expected, list) and expected
    assert got == [{k: str(v) for k, v in row.items() if v is not None} for row in expected]


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
])
def test_select_content_negotiation(client: httpx.Client, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "广东村田智能科技有限公司" in response.text


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"), ("*/*", "text/turtle"),
])
def test_construct_content_negotiation(client: httpx.Client, accept: str, media: str) -> None:
    query = "CONSTRUCT WHERE { <https://w3id.org/zqgj/id/org/murata> ?p ?o } LIMIT 5"
    response = client.post("/sparql", content=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}[media]
    assert len(Graph().parse(data=response.text, format=fmt)) == 5


def test_unacceptable_format_is_406(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


@pytest.mark.parametrize(("how", "status", "words"), [
    ({"data": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403, "read-only"),
    ({"data": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403, "update"),
    ({"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403, "update"),
    ({"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}, 403, "read-only"),
    ({"data": {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": "TRAP/g"}}, 400, "graph"),
])
def test_updates_and_dataset_parameters_refused(client: httpx.Client, how: dict[str, Any], status: int,
                                                 words: str) -> None:
    response = client.post("/sparql", **how)
    assert response.status_code == status
    assert words in response.text and response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(("template", "keyword"), [
    ("SELECT * WHERE {{ SERVICE <{trap}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("LOAD <{trap}/data.ttl>", "LOAD"),
    ("SELECT * FROM <{trap}/g.ttl> WHERE {{ ?s ?p ?o }}", "FROM"),
    ("SELECT * FROM NAMED <{trap}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM"),
])
def test_remote_access_refused_and_never_attempted(client: httpx.Client, template: str, keyword: str) -> None:
    with trap() as (url, hits):
        response = client.get("/sparql", params={"query": template.format(trap=url)})
        time.sleep(0.2)
    assert response.status_code == 400
    assert keyword in response.text
    assert hits == []


def test_syntax_error_says_where(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert "line 3, column 1" in response.text


@pytest.mark.parametrize(("query", "accept", "said"), [
    ("SELECT * {} \\u005Cu00110000", "text/csv", "bad query: cannot parse the query: Invalid unicode code point"),
    ('CONSTRUCT { <urn:s> <urn:1> "x" } WHERE {}', "application/rdf+xml",
     "the answer cannot be written as application/rdf+xml: ValueError"),
    ('CONSTRUCT { ?s <urn:p> "x" } WHERE { BIND(IRI("a b") AS ?s) }', "text/turtle",
     "the answer cannot be written as text/turtle: Exception"),
    ('SELECT ?x { BIND("\\uD800" AS ?x) }', "application/sparql-results+json",
     "the answer cannot be written as application/sparql-results+json: UnicodeEncodeError"),
])
def test_a_query_whose_answer_cannot_be_written_is_a_400_not_a_500(client: httpx.Client, query: str, accept: str,
                                                                    said: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 400 and said in response.text and len(response.text.splitlines()) == 1
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # the worker lives on


def test_row_cap_cuts_and_says_so(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    assert str(MAX_ROWS) in response.headers["x-kg-truncated"]
    small = client.get("/sparql", params={"query": LABELS})
    assert "x-kg-truncated" not in small.headers


def test_body_cap_413_with_and_without_content_length(client: httpx.Client) -> None:
    big = "SELECT * { ?s ?p ?o } #" + "x" * MAX_BODY
    assert client.post("/sparql", data={"query": big}).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield b"query=SELECT"
        for _ in range(MAX_BODY // 1024 + 1):
            yield b"+" * 1024

    response = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_expensive_query_times_out_and_next_query_answers(client: httpx.Client) -> None:
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    response = client.get("/sparql", params={"query": expensive})
    took = time.monotonic() - started
    assert response.status_code == 503 and "timeout" in response.text
    assert TIMEOUT_S <= took < TIMEOUT_S + 4
    assert client.get("/sparql", params={"query": LABELS}).status_code == 200


def test_regex_stuck_in_c_code_is_killed_and_next_query_answers(client: httpx.Client) -> None:
    """A catastrophic REGEX holds the GIL inside the C regex engine; only killing its worker stops it."""
    stuck = 'PREFIX schema: <https://schema.org/> SELECT ?a { ?a schema:text ?t FILTER REGEX(?t, "^(.+.+)+Z") }'
    started = time.monotonic()
    response = client.get("/sparql", params={"query": stuck})
    assert response.status_code == 503
    assert time.monotonic() - started < TIMEOUT_S + 6
    answers = [client.get("/sparql", params={"query": LABELS}).status_code for _ in range(4)]
    assert answers == [200] * 4


def test_sparql_get_without_query_leads_a_person_to_the_query_page(client: httpx.Client) -> None:
    response = client.get("/sparql", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_entity_turtle_by_accept_and_suffix(client: httpx.Client, built: Built) -> None:
    murata = iris.entity("org/murata")
    graph = built.graph(inferred=True)
    expected = set(graph.triples((murata, None, None))) | set(graph.triples((None, None, murata)))
    for response in (client.get("/id/org/murata", headers={"Accept": "text/turtle"}),
                     client.get("/id/org/murata.ttl")):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        assert set(Graph().parse(data=response.text, format="turtle")) == expected
    asserted = Graph().parse(data=client.get("/id/org/murata.ttl?infer=false").text, format="turtle")
    assert len(asserted) < len(expected)
    jsonld = client.get("/id/org/murata", headers={"Accept": "application/ld+json"})
    assert set(Graph().parse(data=jsonld.text, format="json-ld")) == expected


def test_entity_html_and_unknown_entity(client: httpx.Client) -> None:
    page = client.get("/id/org/murata", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in page.headers
    assert "<mark>" in page.text and "inferred 推理" in page.text
    assert 'href="/id/' in page.text and 'href="/ontology#zq:PrivateEnterprise"' in page.text
    assert "nameKey" not in page.text and "名称检索键" not in page.text  # search keys: an index, not names
    assert "zq:nameKey" in client.get("/id/org/murata.ttl").text
    missing = client.get("/id/org/no-such-organisation")
    assert missing.status_code == 404 and "says nothing" in missing.text
    assert client.get("/id/org/no-such-organisation.ttl").status_code == 404


def test_every_organisation_has_a_page_with_its_labels(client: httpx.Client, built: Built) -> None:
    graph = built.graph(inferred=True)
    organisations = sorted(s for s in graph.subjects(RDF.type, iris.ORG.Organization) if isinstance(s, URIRef))
    assert len(organisations) > 20
    for organisation in organisations:
        assert isinstance(organisation, URIRef)
        response = client.get("/id/" + organisation.removeprefix(str(iris.ID)))
        assert response.status_code == 200, organisation
        for label in graph.objects(organisation, RDFS.label):
            assert _escaped(str(label)) in response.text, (organisation, label)


def _escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_ontology_in_html_and_turtle(client: httpx.Client, built: Built) -> None:
    page = client.get("/ontology")
    assert page.status_code == 200 and 'id="zq:PartyBranch"' in page.text and "党支部" in page.text
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    ontology = built.dataset.graph(iris.ONTOLOGY_GRAPH)
    assert len(Graph().parse(data=turtle.text, format="turtle")) == len(ontology)
    assert client.get("/ontology.ttl").text == turtle.text


def test_query_page_and_network_are_local(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/vendor/yasgui.min.js", "/vendor/yasgui.min.css", "/static/query.js", "/static/serve.css"):
        assert asset in page.text
        assert client.get(asset).status_code == 200
    assert "http://" not in page.text.replace("http://www.w3.org", "").split("<script type=\"application/json\"")[0]
    examples = json.loads(page.text.split('id="kg-examples">', 1)[1].split("</script>", 1)[0])
    assert {"partners-of", "pairings-by-phase"} <= {example["name"] for example in examples}
    network = client.get("/network")
    assert network.status_code == 200 and "vis-network" in network.text


def test_path_explosion_times_out_and_next_query_answers(client: httpx.Client) -> None:
    """Issue 7, case 19: an alternative path over every predicate, closed transitively, from every node."""
    explosive = "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:p>)* ?b . ?c (<urn:p>|!<urn:p>)* ?d }"
    response = client.get("/sparql", params={"query": explosive})
    assert response.status_code == 503 and "timeout" in response.text
    assert client.get("/sparql", params={"query": LABELS}).status_code == 200


def test_refused_updates_leave_the_graph_unchanged(client: httpx.Client) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def triples() -> str:
        answer = client.get("/sparql", params={"query": count}, headers={"Accept": "text/csv"})
        assert answer.status_code == 200 and answer.text.startswith("n\r\n"), answer.text
        assert int(answer.text.split()[-1]) > 3000  # the article's graph, not an error page
        return answer.text

    before = triples()
    for how in ({"params": {"update": "DELETE WHERE { ?s ?p ?o }"}},
                {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
                {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}):
        assert client.request("GET" if "params" in how else "POST", "/sparql", **how).status_code in (400, 403)
    assert triples() == before
