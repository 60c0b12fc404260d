"""CONSTRUCT/DESCRIBE answers written by Oxigraph itself (:mod:`kg.store_construct`): the graph its N-Triples or
Turtle text holds is rdflib's answer, datatypes included, on every bundled graph query with and without
inference; a restorable literal copied under its own predicate or moved under another is restored (and the
comparison fails without the restoration); what cannot be written takes the slow path; ``kg query --format``.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result
from test_store import NAMES, XSD, answer
from test_store_json import AWKWARD, _oxigraph_of

from kg import store_construct
from kg.commands import Built
from kg.query_cli import main as kg_query
from kg.results import render_bytes
from kg.store import QueryStore, StoreSpec, open_built
from kg.store_rdflib import RdflibStore
from kg.store_terms import XSD_STRING

PARSERS = {"nt": "nt", "ttl": "turtle", "table": "turtle"}
ZQ = "PREFIX zq: <https://w3id.org/zqgj/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
COPIED = ZQ + "CONSTRUCT { ?p zq:pairCount ?n } WHERE { ?p zq:pairCount ?n }"
MOVED = ZQ + "CONSTRUCT { ?p rdfs:comment ?n } WHERE { ?p zq:pairCount ?n }"
NON_NEGATIVE = URIRef(XSD + "nonNegativeInteger")


@pytest.fixture(scope="module")
def stores(built: Built) -> dict[str, QueryStore]:
    """Both stores over the same built graph (with and without its entailments)."""
    rdflib_store = RdflibStore({True: built.graph(inferred=True), False: built.graph(inferred=False)})
    return {"rdflib": rdflib_store, "oxigraph": open_built(StoreSpec("oxigraph"), built).store}


def printed(store: QueryStore, text: str, fmt: str, *, inferred: bool = True) -> tuple[Graph, bytes]:
    """The graph of Oxigraph's own ``fmt`` text (which it must have written), and the text."""
    result = answer(store, text, inferred=inferred, native=fmt)
    assert fmt in result.rendered, "Oxigraph's own text"  # type: ignore[attr-defined]
    data = render_bytes(result, fmt)
    return Graph().parse(data=data, format=PARSERS[fmt]), data


GRAPH_QUERIES = [name for name in NAMES if "CONSTRUCT" in name.upper() or name == "pairing-network"]


@pytest.mark.parametrize("fmt", ["nt", "table"])
@pytest.mark.parametrize("inferred", [True, False])
@pytest.mark.parametrize("text", [*GRAPH_QUERIES, COPIED, MOVED])
def test_oxigraphs_graph_text_is_rdflibs_answer(text: str, inferred: bool, fmt: str,
                                                stores: dict[str, QueryStore]) -> None:
    reference = answer(stores["rdflib"], text, inferred=inferred).graph
    assert reference is not None and len(reference) > 0
    graph, _data = printed(stores["oxigraph"], text, fmt, inferred=inferred)
    assert isomorphic(graph, reference)


@pytest.mark.parametrize("text", [COPIED, MOVED])
def test_restored_literals_are_written_with_their_datatype(text: str, stores: dict[str, QueryStore]) -> None:
    """Without the restoration Oxigraph writes ``xsd:integer``: the graphs above would differ, and so here."""
    graph, data = printed(stores["oxigraph"], text, "nt")
    assert {obj.datatype for obj in graph.objects() if isinstance(obj, Literal)} == {NON_NEGATIVE}
    assert b"XMLSchema#integer>" not in data
    bare = stores["oxigraph"].handle().query(text)  # type: ignore[attr-defined]
    assert b"XMLSchema#integer>" in bare.serialize(format=ox.RdfFormat.N_TRIPLES)


def test_every_bundled_graph_query_is_among_those_compared() -> None:
    graph_kinds = {name for name in NAMES if "CONSTRUCT" in bundled_text(name) or "DESCRIBE" in bundled_text(name)}
    assert graph_kinds and graph_kinds <= set(GRAPH_QUERIES)


def bundled_text(name: str) -> str:
    from kg.query_catalogue import bundled

    return "\n".join(line for line in bundled()[name].text.splitlines() if not line.lstrip().startswith("#"))


def test_the_graph_is_made_only_when_read(stores: dict[str, QueryStore]) -> None:
    """Oxigraph's text answers ``kg query``; the query runs again as rdflib terms only if ``.graph`` is read,
    and only once."""
    from kg.store_construct import GraphResult

    result = answer(stores["oxigraph"], COPIED, native="nt")
    assert isinstance(result, GraphResult) and result._graph is None  # not made yet
    graph, _data = printed(stores["oxigraph"], COPIED, "nt")
    assert result.graph is not None and isomorphic(result.graph, graph)
    calls: list[int] = []

    def slow() -> Result:
        calls.append(1)
        return answer(stores["oxigraph"], COPIED)

    lazy = GraphResult("CONSTRUCT", slow)
    assert calls == []
    assert lazy.graph is not None and isomorphic(lazy.graph, graph) and calls == [1]
    assert lazy.graph is not None and calls == [1]  # made once


def test_ambiguous_objects_are_left_and_counted_as_on_the_slow_path() -> None:
    """Through ``?p`` (the template's or the pattern's) the two 8s, ``nonNegativeInteger`` and ``integer``, are
    ambiguous: left as Oxigraph gave them and counted, as the slow path does."""
    oxigraph, _ = _oxigraph_of(AWKWARD)
    for text, ambiguous in [("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", 2),
                            ("CONSTRUCT { ?s <urn:x:q> ?o } WHERE { ?s ?p ?o }", 1),  # one triple
                            ("CONSTRUCT { ?s <urn:x:q> ?o } WHERE { ?s <urn:x:p0> ?o }", 0)]:
        fast = answer(oxigraph, text, inferred=False, native="nt")
        slow = answer(oxigraph, text, inferred=False)
        assert "nt" in fast.rendered  # type: ignore[attr-defined]
        assert fast.unresolved == slow.unresolved == ambiguous  # type: ignore[attr-defined]
        assert slow.graph is not None and isomorphic(Graph().parse(data=render_bytes(fast, "nt"), format="nt"),
                                                     slow.graph)


def test_an_original_the_text_cannot_hold_takes_the_slow_path() -> None:
    """An explicit ``xsd:string`` (kept by rdflib) is a plain literal in Oxigraph's text: rdflib's graph instead."""
    oxigraph, reference = _oxigraph_of([Literal("x", datatype=URIRef(XSD_STRING)), Literal("y")])
    text = "CONSTRUCT { ?s <urn:x:q> ?o } WHERE { ?s <urn:x:p0> ?o }"
    fast = answer(oxigraph, text, inferred=False, native="nt")
    theirs = answer(reference, text, inferred=False).graph
    assert not fast.rendered and fast.graph is not None and theirs is not None  # type: ignore[attr-defined]
    assert isomorphic(Graph().parse(data=render_bytes(fast, "nt"), format="nt"), theirs)
    assert store_construct.oxigraph_datatypes(oxigraph.state.restorations) >= {XSD_STRING}


def test_kg_query_prints_oxigraphs_n_triples_and_turtle(capsysbinary: pytest.CaptureFixture[bytes],
                                                        stores: dict[str, QueryStore]) -> None:
    reference = answer(stores["rdflib"], "pairing-network").graph
    assert reference is not None
    for fmt, extra in [("nt", ["--format", "nt"]), ("turtle", []), ("turtle", ["--format", "ttl"])]:
        assert kg_query(["pairing-network", "--store", "oxigraph", *extra]) == 0
        out = capsysbinary.readouterr().out
        assert isomorphic(Graph().parse(data=out, format=fmt), reference)
        assert (b"@prefix orgs: <https://w3id.org/zqgj/id/org/> ." in out) == (fmt == "turtle")


def test_graph_formats_are_refused_for_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert kg_query(["-e", "SELECT ?s WHERE { ?s ?p ?o }", "--format", "nt"]) == 2
    assert "--format nt applies to CONSTRUCT and DESCRIBE" in capsys.readouterr().err
