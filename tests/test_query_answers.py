"""Every bundled competency query against its answer key on the seed article (``queries/expected/``).

The expected files were reviewed against the article text: a failure here means an answer changed. SELECT
answers are CSV (rows in the query's order, compared as sorted lists, and the columns of the query's ORDER BY
row by row), CONSTRUCT answers Turtle (compared as graphs), ASK answers SPARQL JSON. ``pytest --update-golden``
rewrites them from the current answers.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Variable
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from kg.query_catalogue import bundled
from kg.query_engine import prepare, run
from kg.results import render

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "queries" / "expected"
NAMES = sorted(bundled())


@pytest.fixture(scope="module")
def graph(built) -> Graph:  # type: ignore[no-untyped-def]
    return built.graph(inferred=True)  # type: ignore[no-any-return]


def answer_of(name: str, graph: Graph) -> Result:
    spec = bundled()[name]
    return run(prepare(spec, spec.examples), graph)


def csv_table(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def order_keys(name: str) -> list[str]:
    """The variables the query's outer ORDER BY sorts on, up to its first key that is not a plain variable
    (tied rows may come in any order; their keys may not)."""
    spec = bundled()[name]
    node = prepare(spec, spec.examples).query.algebra
    while isinstance(node, CompValue) and node.name != "OrderBy":
        node = node.get("p")
    if not isinstance(node, CompValue):
        return []
    conditions = [c.expr if isinstance(c, CompValue) and c.name == "OrderCondition" else c for c in node.expr]
    return [str(c) for c in itertools.takewhile(lambda c: isinstance(c, Variable), conditions)]


def by_keys(table: tuple[list[str], list[list[str]]], keys: list[str]) -> list[list[str]]:
    """Each row's values of the ORDER BY columns (those projected), in the order the rows came."""
    header, rows = table
    columns = [header.index(k) for k in itertools.takewhile(lambda k: k in header, keys)]
    return [[row[i] for i in columns] for row in rows]


def test_most_queries_say_how_their_rows_are_ordered() -> None:
    assert sum(bool(order_keys(name)) for name in NAMES) >= 20 and order_keys("awards") == ["award", "awarded_to_zh"]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def expected_path(name: str, kind: str) -> Path:
    suffix = {"SELECT": ".csv", "ASK": ".json"}.get(kind, ".ttl")
    return EXPECTED / f"{name}{suffix}"


def test_at_least_twenty_queries_covering_every_form() -> None:
    assert len(NAMES) >= 20
    texts = " ".join(bundled()[name].text for name in NAMES)
    assert "CONSTRUCT" in texts and "\nASK" in texts


@pytest.mark.parametrize("name", NAMES)
def test_header_states_question_answer_and_parameters(name: str) -> None:
    spec = bundled()[name]
    assert "?" in spec.question, "the question is asked in English"
    assert re.search(r"[\u4e00-\u9fff]", spec.question_zh), "the question is asked in Chinese"
    assert "?" in spec.question_zh or "？" in spec.question_zh, "the Chinese question is a question"
    assert len(spec.answer) > 40, "the answer's shape is described"
    assert set(spec.examples) == set(spec.params), "every parameter has an example value for the tests"
    for param in spec.params:
        assert f"?{param}" in spec.text, f"declared parameter ?{param} is used"


@pytest.mark.parametrize("name", NAMES)
def test_answer_matches_the_answer_key(name: str, graph: Graph, update_golden: bool) -> None:
    result = answer_of(name, graph)
    path = expected_path(name, result.type)
    if result.type == "SELECT":
        actual = csv_table(render(result, "csv"))
        if update_golden:
            path.write_text(csv_text(*actual), encoding="utf-8")
        expected = csv_table(path.read_text(encoding="utf-8"))
        assert actual[0] == expected[0], "columns"
        assert sorted(actual[1]) == sorted(expected[1]), f"rows of {name} differ from {path.name}"
        keys = order_keys(name)  # the rows in the query's order: its ORDER BY columns, row by row
        assert by_keys(actual, keys) == by_keys(expected, keys), f"{name}: rows out of the ORDER BY order"
    elif result.type == "ASK":
        if update_golden:
            path.write_text(render(result, "json"), encoding="utf-8")
        assert result.askAnswer is json.loads(path.read_text(encoding="utf-8"))["boolean"]
    else:
        assert result.graph is not None
        if update_golden:
            path.write_text(render(result, "table"), encoding="utf-8")
        expected_graph = Graph().parse(path, format="turtle")
        if not isomorphic(result.graph, expected_graph):
            _, only_expected, only_actual = graph_diff(to_isomorphic(expected_graph), to_isomorphic(result.graph))
            pytest.fail(f"{name}: missing {sorted(only_expected)[:5]}, unexpected {sorted(only_actual)[:5]}")


#: Queries that count or list organisations by their most specific class read ``zq:directType``, which the
#: reasoner writes after the closure (kg/direct_types.py: the query-time search took 6.3 s and 15.9 s at
#: 10,000 articles); without inference they have no rows, as their headers say.
NEEDS_DIRECT_TYPES = ("organisations-per-type", "organisations-by-type")


@pytest.mark.parametrize("name", NAMES)
def test_answer_does_not_depend_on_the_reasoner(name: str, asserted: Graph, graph: Graph) -> None:
    """The queries follow subclass and sub-property links themselves, so assertions alone give the same
    answer (the reasoner's entailments add nothing a query needs), except the direct-type ones."""
    with_inference = answer_of(name, graph)
    without = answer_of(name, asserted)
    if name in NEEDS_DIRECT_TYPES:
        header = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        assert "--no-inference there are none, and no rows" in header
        assert len(with_inference) > 0 and len(without) == 0
        return
    if with_inference.type == "SELECT":
        assert sorted(map(tuple, csv_table(render(without, "csv"))[1])) == sorted(
            map(tuple, csv_table(render(with_inference, "csv"))[1]))
    elif with_inference.type == "ASK":
        assert without.askAnswer == with_inference.askAnswer
    else:
        assert without.graph is not None and with_inference.graph is not None
        assert isomorphic(without.graph, with_inference.graph)


def test_every_bundled_query_is_documented() -> None:
    readme = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    assert [name for name in NAMES if f"| `{name}`" not in readme] == []


@pytest.mark.parametrize(("name", "partners"), [
    ("村田", {("orgs:murata", "村田智能公司党支部", "顺德图书馆党支部")}),
    ("Guangdong Murata Intelligent Technology Co., Ltd.", {("orgs:murata", "村田智能公司党支部", "顺德图书馆党支部")}),
    ("SHUNDE LIBRARY", {("orgs:shunde-library", "顺德图书馆党支部", "村田智能公司党支部")}),
    ("ＳＨＵＮＤＥ\u3000 library ", {("orgs:shunde-library", "顺德图书馆党支部", "村田智能公司党支部")}),
    ("村田智能公司党支部", {("orgs:murata-party-branch", "村田智能公司党支部", "顺德图书馆党支部")}),
    ("科顺集团", {("orgs:keshun-group", "科顺集团", "顺德区民政人社局机关第一党支部")}),
    ("区国资局", {("orgs:shunde-sasac", "区国资局顺融投资公司党支部", "人信工程咨询公司党支部")}),
    ("市自然资源局", {("orgs:foshan-natural-resources-bureau", "市自然资源局顺德分局城市更新发展中心党支部",
                     "鸿金源精密制造公司党支部")}),
    ("区委", set()),
    ("no such organisation", set()),
])
def test_partners_of_any_name_or_alias(name: str, partners: set[tuple[str, str, str]], graph: Graph) -> None:
    from kg.iris import curie_of

    spec = bundled()["partners-of"]
    rows = run(prepare(spec, {"name": name}), graph).bindings
    found = {(curie_of(str(r[Variable("organisation")])), str(r[Variable("via_zh")]), str(r[Variable("partner_zh")]))
             for r in rows}
    assert found == partners
