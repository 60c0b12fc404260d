"""Oxigraph's own SPARQL JSON, its typed literals corrected (:mod:`kg.store_json`): the same document, once
parsed, as rdflib's writer gives for the same rows (same variables, bindings, datatypes, languages and row
order), on every bundled query, with and without inference; restored literals, ambiguous values, awkward
strings, the fall-backs to the slow path, and each shortcut (cells by column, escapes, the datatypes looked
at, the texts known to be rdflib's).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib.term
from rdflib import Dataset, Literal, URIRef
from test_store import NAMES, XSD, answer

from kg import store_json
from kg.commands import Built
from kg.query_catalogue import bundled
from kg.query_cli import main as kg_query
from kg.results import render, render_bytes
from kg.sparql_tokens import tokens
from kg.store import QueryStore, StoreSpec, open_built
from kg.store_load import load_dataset
from kg.store_oxigraph import OxigraphState, OxigraphStore
from kg.store_rdflib import RdflibStore
from kg.store_terms import XSD_STRING

LISTING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def stores(built: Built) -> dict[str, QueryStore]:
    """Both stores over the same built graph (with and without its entailments)."""
    rdflib_store = RdflibStore({True: built.graph(inferred=True), False: built.graph(inferred=False)})
    return {"rdflib": rdflib_store, "oxigraph": open_built(StoreSpec("oxigraph"), built).store}


def documents(store: QueryStore, text_or_name: str, *, inferred: bool = True) -> tuple[Any, Any, Any]:
    """(Oxigraph's corrected JSON, rdflib's writer on the same store's rows, the result) as parsed JSON."""
    fast = answer(store, text_or_name, inferred=inferred, native="json")
    slow = answer(store, text_or_name, inferred=inferred)
    return json.loads(render_bytes(fast, "json")), json.loads(render(slow, "json")), fast


def sorted_bindings(document: Any) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in document["results"]["bindings"])


def _form(name: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword of a bundled query (comments skipped)."""
    forms = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    return next(token.upper() for kind, token, _ in tokens(bundled()[name].text)
                if kind == "word" and token.upper() in forms)


#: SPARQL JSON results are for SELECT and ASK (a CONSTRUCT's graph is compared in test_store.py)
JSON_NAMES = [name for name in NAMES if _form(name) in ("SELECT", "ASK")]


def test_the_json_queries_are_the_select_and_ask_ones() -> None:
    assert {_form(name) for name in JSON_NAMES} == {"SELECT", "ASK"} and "pairing-network" not in JSON_NAMES


@pytest.mark.parametrize("inferred", [True, False])
@pytest.mark.parametrize("name", JSON_NAMES)
def test_every_bundled_query_gives_rdflibs_json(name: str, inferred: bool, stores: dict[str, QueryStore]) -> None:
    if _form(name) == "ASK":
        fast_ask = json.loads(render_bytes(answer(stores["oxigraph"], name, inferred=inferred, native="json"), "json"))
        assert fast_ask == json.loads(render(answer(stores["rdflib"], name, inferred=inferred), "json"))
        assert fast_ask["head"] == {} and isinstance(fast_ask["boolean"], bool)
        return
    fast, slow, result = documents(stores["oxigraph"], name, inferred=inferred)
    assert "json" in result.rendered and fast == slow  # rows in the same order: a list compares in order
    reference = json.loads(render(answer(stores["rdflib"], name, inferred=inferred), "json"))
    assert fast["head"] == reference["head"] and sorted_bindings(fast) == sorted_bindings(reference)
    assert result.unresolved == 0


def test_a_restored_literal_in_oxigraphs_json(stores: dict[str, QueryStore]) -> None:
    fast, _slow, result = documents(stores["oxigraph"], "pairings-per-phase")
    assert "json" in result.rendered
    phase_2 = next(row for row in fast["results"]["bindings"] if row["phase_number"]["value"] == "2")
    assert phase_2["reported_pairs"] == {"type": "literal", "value": "8", "datatype": XSD + "nonNegativeInteger"}
    assert phase_2["listed_pairings"] == {"type": "literal", "value": "8", "datatype": XSD + "integer"}
    assert phase_2["phase_number"]["datatype"] == XSD + "positiveInteger"


def test_the_whole_graph_listing_counts_the_same_ambiguous_values(stores: dict[str, QueryStore]) -> None:
    """Through ``?p`` an ``xsd:integer`` 49 is an ``oa:end`` or a ``zq:count`` (nonNegativeInteger): left."""
    fast, slow, result = documents(stores["oxigraph"], LISTING)
    reference = answer(stores["oxigraph"], LISTING)
    assert fast == slow and result.unresolved == reference.unresolved > 0  # type: ignore[attr-defined]


def _oxigraph_of(values: list[Literal]) -> tuple[OxigraphStore, RdflibStore]:
    dataset = Dataset()
    graph = dataset.graph(URIRef("urn:x:g"))
    for index, value in enumerate(values):
        graph.add((URIRef("urn:x:s"), URIRef(f"urn:x:p{index}"), value))
    store = ox.Store()
    loaded = load_dataset(store, dataset, with_inferred=False)
    state = OxigraphState(len(values), None, True, loaded.census.restorations())
    return OxigraphStore(store, state), RdflibStore({False: graph})


AWKWARD = [Literal("8", datatype=URIRef(XSD + "nonNegativeInteger")), Literal(8),
           Literal("1.50", datatype=URIRef(XSD + "decimal")), Literal("1e3", datatype=URIRef(XSD + "double")),
           Literal("2020-07-15T10:00:00Z", datatype=URIRef(XSD + "dateTime")),
           Literal('x","datatype":"' + XSD + 'integer"}'), Literal("ends with a backslash \\"),
           Literal('"}},{"o":{"type":"literal","value":"8","datatype":"' + XSD + 'integer"}'),
           Literal("顺德\n\t\u0001", lang="zh"),
           Literal('8"', datatype=URIRef("urn:x:odd%22type#\u00e9"))]


@pytest.mark.parametrize(("text", "ambiguous"), [
    (LISTING, 2), ("SELECT ?o WHERE { ?s <urn:x:p0> ?o }", 0),
    ("SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o", 1)])  # Oxigraph: the two 8s are one group
def test_awkward_literals_give_rdflibs_json(text: str, ambiguous: int) -> None:
    oxigraph, reference = _oxigraph_of(AWKWARD)
    fast, slow, result = documents(oxigraph, text, inferred=False)
    assert "json" in result.rendered and fast == slow
    theirs = json.loads(render(answer(reference, text, inferred=False), "json"))
    assert result.unresolved == answer(oxigraph, text, inferred=False).unresolved  # type: ignore[attr-defined]
    assert result.unresolved == ambiguous
    # through ?p the two 8s are ambiguous: left as Oxigraph gave them (one may be right), counted; every other
    # cell is rdflib's
    assert (ambiguous > 0) <= sum((cells(fast) - cells(theirs)).values()) <= ambiguous
    assert (sorted_bindings(fast) == sorted_bindings(theirs)) == (ambiguous == 0)


def cells(document: Any) -> Counter[str]:
    """Every (variable, value) cell of a SPARQL JSON document, counted."""
    return Counter(json.dumps([name, cell], sort_keys=True) for row in document["results"]["bindings"]
                   for name, cell in row.items())


def test_a_restorable_plain_literal_takes_the_slow_path() -> None:
    """An explicit ``xsd:string`` (kept by rdflib) has no datatype key in Oxigraph's JSON: not corrected."""
    oxigraph, reference = _oxigraph_of([Literal("x", datatype=URIRef(XSD_STRING)), Literal("y")])
    fast, slow, result = documents(oxigraph, "SELECT ?o WHERE { ?s <urn:x:p0> ?o }", inferred=False)
    theirs = json.loads(render(answer(reference, "SELECT ?o WHERE { ?s <urn:x:p0> ?o }", inferred=False), "json"))
    assert not result.rendered and fast == slow == theirs


def test_pieces_cut_anywhere_never_make_a_wrong_document() -> None:
    """Oxigraph's document with its cells reordered or cut is refused (None), never half-corrected."""
    oxigraph, _ = _oxigraph_of(AWKWARD)
    solutions = oxigraph.handle().query("SELECT ?p ?o WHERE { ?s ?p ?o }")
    data = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    restorations, plan = oxigraph.state.restorations, [(False, None), (True, None)]
    assert store_json.corrected(data, ["p", "o"], plan, restorations) is not None
    reordered = data.replace(b'"value":"8","datatype":"' + XSD.encode() + b'integer"',
                             b'"datatype":"' + XSD.encode() + b'integer","value":"8"')
    assert reordered != data and store_json.corrected(reordered, ["p", "o"], plan, restorations) is None
    assert store_json.corrected(data, ["p", "q"], plan, restorations) is None  # a variable not in the head
    whole = store_json.corrected(data, ["p", "o"], plan, restorations)
    assert whole is not None
    accepted = 0
    for cut in range(0, len(data), 7):
        fixed = store_json.corrected(data[:cut], ["p", "o"], plan, restorations)
        if fixed is not None:  # only where the cut leaves every typed cell whole
            accepted += 1
            assert fixed[0].count(b'"datatype":') == data[:cut].count(b'"datatype":')
    assert 0 < accepted < len(range(0, len(data), 7))  # some cuts were accepted, some refused
    # cut after a whole cell: what is corrected is the whole document's beginning, cell for cell
    ends = [i + 1 for i in range(len(data)) if data[i:i + 2] == b"}}"]
    assert len(ends) >= len(AWKWARD)  # each row's end at least
    for cut in ends:
        fixed = store_json.corrected(data[:cut], ["p", "o"], plan, restorations)
        assert fixed is not None and whole[0].startswith(fixed[0].removesuffix(b"\n")), cut


def test_kg_query_prints_oxigraphs_corrected_json(capsysbinary: pytest.CaptureFixture[bytes],
                                                  stores: dict[str, QueryStore]) -> None:
    assert kg_query(["pairings-per-phase", "--format", "json", "--store", "oxigraph"]) == 0
    printed = json.loads(capsysbinary.readouterr().out)
    assert printed == json.loads(render(answer(stores["oxigraph"], "pairings-per-phase"), "json"))
    assert {row["reported_pairs"]["datatype"] for row in printed["results"]["bindings"]} == {
        XSD + "nonNegativeInteger"}


def test_the_same_cell_is_restored_in_one_column_and_left_in_another() -> None:
    """Cells are remembered by column: a restorable ``?a`` and a computed ``?b`` holding the same text."""
    oxigraph, _ = _oxigraph_of(AWKWARD)
    integer, kept = XSD + "integer", XSD + "nonNegativeInteger"
    cell = {"type": "literal", "value": "8", "datatype": integer}
    odd = {"type": "literal", "value": 'a "b"\\ 顺', "datatype": XSD + "normalizedString"}  # escapes: read as JSON
    rows = [{"a": cell, "b": cell}, {"b": cell, "a": odd}, {"a": cell}]
    data = json.dumps({"head": {"vars": ["a", "b"]}, "results": {"bindings": rows}}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    fixed = store_json.corrected(data, ["a", "b"], [(True, {"urn:x:p0"}), (False, None)], oxigraph.state.restorations)
    assert fixed is not None and fixed[0].endswith(b"}\n") and fixed[1] == 0
    restored = {**cell, "datatype": kept}
    assert json.loads(fixed[0])["results"]["bindings"] == [{"a": restored, "b": cell}, {"b": cell, "a": odd},
                                                           {"a": restored}]


@pytest.mark.parametrize("value", ["8", "1.50", "abc é", 'a"b', "back\\slash", "顺德", "tab\t", "", "\u0001"])
def test_a_cell_read_without_json_is_the_cell_read_as_json(value: str) -> None:
    for datatype in (XSD + "integer", "urn:x:é"):
        typed = json.dumps({"value": value, "datatype": datatype}, ensure_ascii=False, separators=(",", ":"))
        assert store_json._term(typed[1:-1].encode()) == ox.Literal(value, datatype=ox.NamedNode(datatype))


@pytest.mark.parametrize("text", ["0", "7", "-12", "10" * 40, "007", "-0", "+5", "1.0", "١٢", " 8", "8 ", "1e3"])
def test_texts_known_to_be_rdflibs_are_rdflibs(text: str) -> None:
    """A text :data:`store_json.KEPT` lets through unread is one rdflib reads back unchanged."""
    for datatype, pattern in store_json.KEPT.items():
        if pattern.fullmatch(text):
            assert str(Literal(text, datatype=URIRef(datatype))) == text
    assert bool(store_json.KEPT[XSD + "integer"].fullmatch(text)) == (text in ("0", "7", "-12", "10" * 40))


def test_a_datatype_rdflib_reads_outside_w3c_is_looked_at(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only W3C datatypes are looked at while rdflib reads no other; one it learns to read is corrected too."""
    assert store_json.needle(_oxigraph_of(AWKWARD)[0].state.restorations).endswith(b"http://www.w3.org/")
    upper = URIRef("urn:x:upper")
    monkeypatch.setitem(rdflib.term._toPythonMapping, upper, str.upper)  # rdflib now writes "abc" as "ABC"
    oxigraph, _ = _oxigraph_of([Literal("ABC", datatype=upper)])
    oxigraph.handle().update('INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p0> "abc"^^<urn:x:upper> } }')
    assert store_json.needle(oxigraph.state.restorations) == b'","datatype":"'
    fast, slow, result = documents(oxigraph, "SELECT ?o WHERE { ?s ?p ?o }", inferred=False)
    assert "json" in result.rendered and fast == slow
    assert {row["o"]["value"] for row in fast["results"]["bindings"]} == {"ABC"}
