"""Result formats: the SPARQL 1.1 Query Results formats read back by rdflib's own parsers, and the terminal
table aligned by display width with CJK text."""

from __future__ import annotations

import io
import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from kg import table
from kg.query_catalogue import bundled
from kg.query_engine import prepare, run
from kg.results import render, tsv_term

XSD = "http://www.w3.org/2001/XMLSchema#"  # a plain string: pytest probes rdflib's closed namespaces noisily
TRICKY = [  # every kind of term, and the characters each format must escape
    URIRef("https://w3id.org/zqgj/id/org/murata"),
    Literal("村田智能公司党支部", lang="zh"),
    Literal("124", datatype=URIRef(XSD + "nonNegativeInteger")),
    Literal('tab\tnew\nline "quoted" back\\slash, comma'),
    Literal("2019", datatype=URIRef(XSD + "gYear")),
    BNode("b0"),
    None,
]


@pytest.fixture(scope="module")
def tricky() -> Result:
    """A SELECT result with one row holding every kind of term (the last one unbound)."""
    result = Result("SELECT")
    result.vars = [Variable(f"v{i}") for i in range(len(TRICKY))]
    result.bindings = [{Variable(f"v{i}"): term for i, term in enumerate(TRICKY) if term is not None}]
    return result


@pytest.fixture(scope="module")
def graph(built) -> Graph:  # type: ignore[no-untyped-def]
    return built.graph(inferred=True)  # type: ignore[no-any-return]


def parsed(text: str, fmt: str) -> Result:
    return Result.parse(io.StringIO(text) if fmt != "xml" else io.BytesIO(text.encode()), format=fmt)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_typed_formats_round_trip_every_term(tricky: Result, fmt: str) -> None:
    back = parsed(render(tricky, fmt), fmt)
    assert [str(v) for v in back.vars or []] == [str(v) for v in tricky.vars or []]
    row = back.bindings[0]
    for index, term in enumerate(TRICKY):
        got = row.get(Variable(f"v{index}"))
        if isinstance(term, BNode):
            assert isinstance(got, BNode)
        else:
            assert got == term, f"{fmt}: ?v{index}"


def test_csv_round_trips_the_lexical_forms(tricky: Result) -> None:
    text = render(tricky, "csv")
    assert text.startswith("v0,v1,v2,v3,v4,v5,v6\r\n"), "CSV has a header of names and CRLF line ends"
    row = parsed(text, "csv").bindings[0]
    for index, term in enumerate(TRICKY):
        got = row.get(Variable(f"v{index}"))
        if term is None:
            assert got is None
        elif isinstance(term, BNode):
            assert str(got).startswith("_:")
        else:
            assert str(got) == str(term)


def test_tsv_escapes_tabs_and_newlines_inside_literals() -> None:
    assert tsv_term(Literal("a\tb\nc")) == '"a\\tb\\nc"'
    assert tsv_term(Literal("x", lang="zh")) == '"x"@zh'
    assert tsv_term(Literal("1", datatype=URIRef(XSD + "integer"))) == f'"1"^^<{XSD}integer>'
    assert tsv_term(None) == ""


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_bundled_answers_read_back_with_rdflib(graph: Graph, fmt: str) -> None:
    spec = bundled()["pairings-by-phase"]
    result = run(prepare(spec, {}), graph)
    back = parsed(render(result, fmt), fmt)
    assert len(back.bindings) == len(result.bindings) == 11
    first = back.bindings[0]
    assert str(first[Variable("party_1_zh")]) == "顺德区民政人社局机关第一党支部"
    if fmt in ("json", "xml", "tsv"):
        assert first[Variable("party_1_zh")].language == "zh"  # type: ignore[union-attr]


@pytest.mark.parametrize(("fmt", "expected"), [("json", '"boolean": true'), ("xml", "<boolean>true</boolean>"),
                                               ("table", "true"), ("csv", "true")])
def test_ask_answers(graph: Graph, fmt: str, expected: str) -> None:
    result = run(prepare(bundled()["consistency-probe"], {}), graph)
    text = render(result, fmt)
    assert expected in text
    if fmt in ("json", "xml"):
        assert parsed(text, fmt).askAnswer is True


def test_construct_prints_turtle_with_the_project_prefixes(graph: Graph) -> None:
    result = run(prepare(bundled()["pairing-network"], {}), graph)
    text = render(result, "table")
    assert "@prefix orgs: <https://w3id.org/zqgj/id/org/> ." in text
    assert len(Graph().parse(data=text, format="turtle")) == len(result.graph)  # type: ignore[arg-type]


# --- the terminal table ------------------------------------------------------------------------------------

def test_display_width_counts_cjk_as_two_cells() -> None:
    assert table.display_width("村田") == 4
    assert table.display_width("Murata") == 6
    assert table.display_width("1+1>11\uff0c") == 8  # the full-width comma is two cells
    assert table.display_width("e\u0301") == 1  # a combining accent takes none
    assert table.display_width("\u201c政企共建\u201d") == 10  # curly quotes are ambiguous-width: one cell


def _separator_columns(line: str) -> list[int]:
    """Display columns at which `` | `` separators start."""
    columns, width = [], 0
    for index, char in enumerate(line):
        if line.startswith(" | ", index):
            columns.append(width)
        width += table.char_width(char)
    return columns


def test_columns_line_up_with_cjk_and_wrapped_values(graph: Graph) -> None:
    result = run(prepare(bundled()["pairings-by-phase"], {}), graph)
    text = render(result, "table", width=100)
    lines = text.splitlines()
    rules = [i for i, line in enumerate(lines) if set(line) <= set("-+")]
    rule = lines[rules[0]]
    expected = [i - 1 for i, char in enumerate(rule) if char == "+"]
    header = lines[: rules[0]]
    body = [line for line in lines[rules[0] + 1: -1] if not set(line) <= set("-+")]
    assert body and any(re.search(r"[\u4e00-\u9fff]", line) for line in body)
    assert max(table.display_width(line) for line in lines) <= 100, "wrapped to the terminal width"
    for line in [*header, *body]:
        padded = line + " " * (100 - table.display_width(line))  # trailing cells are stripped
        found = _separator_columns(padded)
        assert found == expected, f"misaligned: {line!r}"
    assert lines[-1] == "(11 rows)"


def test_wrap_breaks_latin_at_spaces_and_cjk_anywhere() -> None:
    assert table.wrap("Shunde Library Party Branch", 14) == ["Shunde Library", "Party Branch"]
    assert table.wrap("村田智能公司党支部", 8) == ["村田智能", "公司党支", "部"]
    assert table.wrap("supercalifragilistic", 8) == ["supercal", "ifragili", "stic"]
    assert all(table.display_width(line) <= 7 for line in table.wrap("广东村田智能科技有限公司 Co., Ltd.", 7))


def test_empty_result_prints_the_header_and_zero_rows() -> None:
    assert table.render(["a", "名称"], []) == "a | 名称\n--+-----\n(0 rows)\n"
