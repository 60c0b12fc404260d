"""``kg query`` through the installed command: every bad input gives one clean line on stderr and exit 2
(a timeout 124), never a traceback; the good paths print what other tools can read.
"""

from __future__ import annotations

import io
import json
import subprocess
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.query import Result

from tests.conftest import run_kg

DATA = Path(__file__).resolve().parent / "data" / "query"
MINI = str(DATA / "mini.ttl")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@cache
def kg_query(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``kg query ARGS`` through the installed command (80-column terminals are not assumed)."""
    return run_kg("query", *args, cwd=cwd, env={"COLUMNS": "120"})


def test_kg_query_is_wired_into_the_installed_command() -> None:
    assert "--param" in run_kg("query", "--help").stdout


BAD_INPUTS = {
    "syntax error in -e": (
        ["-e", "SELECT ?x WHERE { ?x ?p ?o . FILTER(?x = ) }"], 2,
        "<-e>:1:40: syntax error: unexpected '='"),
    "syntax error in a file": (
        [str(DATA / "broken.rq")], 2, f"{DATA / 'broken.rq'}:8:21: syntax error: unexpected '.'"),
    "undeclared prefix": (
        ["-e", "SELECT ?x WHERE {\n ?x foo:bar ?y }"], 2, "<-e>:2:5: undeclared prefix 'foo:'"),
    "GRAPH pattern on the merged graph": (
        ["-e", "SELECT * { GRAPH <urn:x> { ?s ?p ?o } }"], 2,
        "<-e>: GRAPH needs a dataset; queries here run over one merged graph (ontology + articles, + entailments "
        "with inference)"),
    "unknown query name": (
        ["parnters-of"], 2, "kg query: no bundled query named 'parnters-of'; did you mean partners-of?"),
    "unknown name far from any": (
        ["zzzz"], 2, "kg query: no bundled query named 'zzzz'; kg query --list shows them"),
    "missing parameter": (
        ["partners-of"], 2, "kg query: query 'partners-of' needs --param name=VALUE"),
    "unknown parameter": (
        ["partners-of", "--param", "name=村田", "--param", "nmae=x"], 2,
        "kg query: query 'partners-of' has no parameter 'nmae' (it takes: name)"),
    "parameter without =": (
        ["partners-of", "--param", "name"], 2, "kg query: --param 'name': expected NAME=VALUE"),
    "parameter given twice": (
        ["partners-of", "--param", "name=a", "--param", "name=b"], 2, "kg query: --param name is given twice"),
    "integer parameter not an integer": (
        ["outcomes-of-phase", "--param", "phase=one"], 2, "kg query: --param phase: 'one' is not an integer"),
    "parameter not in an ad-hoc query": (
        ["-e", "SELECT ?s WHERE { ?s ?p ?o }", "--param", "name=x"], 2,
        "kg query: --param name: the query has no variable ?name"),
    "update refused": (
        ["-e", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], 2, "<-e>:1:1: INSERT is a SPARQL update"),
    "LOAD refused": (
        ["-e", "LOAD <http://example.org/evil.ttl>"], 2, "<-e>:1:1: LOAD is a SPARQL update"),
    "SERVICE refused": (
        ["-e", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"], 2,
        "<-e>:1:18: SERVICE calls a remote endpoint"),
    "FROM http refused": (
        ["-e", "SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }"], 2, "<-e>:1:10: FROM / FROM NAMED"),
    "FROM file refused": (
        ["-e", "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }"], 2,
        "<-e>:1:10: FROM / FROM NAMED"),
    "no query": ([], 2, "kg query: give a query name or file, or -e SPARQL"),
    "name and -e": (["people", "-e", "ASK {}"], 2, "kg query: give a query name or file, or -e SPARQL, not both"),
    "missing query file": (["nowhere/missing.rq"], 2, "nowhere/missing.rq: no such query file"),
    "CONSTRUCT as CSV": (
        ["pairing-network", "--format", "csv", "--no-inference"], 2,
        "pairing-network.rq: CONSTRUCT results are printed as Turtle; --format csv applies to SELECT and ASK"),
    "missing graph file": (
        ["people", "--graph", "nowhere.ttl"], 2, "nowhere.ttl: cannot read"),
    "--list with a query": (["--list", "awards"], 2, "kg query: --list lists every bundled query; give it alone"),
    "--exit-status on a SELECT": (
        ["awards", "--exit-status"], 2, "awards.rq: --exit-status is for ASK queries (true: 0, false: 1)"),
    "an escape rdflib expands twice": (
        ["-e", "SELECT * {} \\u005Cu00110000"], 2, "<-e>: cannot parse the query: Invalid unicode code point"),
    "a lone surrogate in the answer": (
        ["-e", 'SELECT ?x { BIND("\\uD800" AS ?x) }', "--no-inference"], 2,
        "kg query: the answer cannot be written as table: UnicodeEncodeError"),
    "a space in an IRI the query made": (
        ["-e", 'CONSTRUCT { ?s <urn:p> "x" } WHERE { BIND(IRI("a b") AS ?s) }', "--no-inference"], 2,
        "kg query: the answer cannot be written as table: Exception: \"a b\" does not look like a valid URI"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clean_line_and_exit_2(case: str) -> None:
    args, code, message = BAD_INPUTS[case]
    done = kg_query(*args)
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0], lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_bad_timeout_value_is_an_argument_error() -> None:
    done = kg_query("people", "--timeout", "-1")
    assert done.returncode == 2
    assert "must be a positive number of seconds" in done.stderr and "Traceback" not in done.stderr


def test_a_query_past_its_timeout_is_stopped_with_exit_124() -> None:
    done = kg_query("-e", RUNAWAY, "--timeout", "1", "--no-inference")
    assert done.returncode == 124
    assert done.stderr.strip() == ("kg query: timeout: the query ran longer than 1 s and was stopped; simplify it "
                                   "or raise --timeout")


def test_ask_exit_status() -> None:
    assert kg_query("consistency-probe", "--exit-status", "--no-inference").returncode == 0
    done = kg_query("-e", "ASK { ?s a <urn:nothing> }", "--exit-status", "--no-inference")
    assert (done.returncode, done.stdout) == (1, "false\n")
    assert kg_query("-e", "ASK { ?s a <urn:nothing> }", "--no-inference").returncode == 0


def test_list_shows_every_query_with_its_questions() -> None:
    done = kg_query("--list")
    assert done.returncode == 0
    assert "partners-of  --param name=..." in done.stdout
    assert "Which organisations is a given organisation paired with?" in done.stdout
    assert "哪些单位结对共建" in done.stdout
    from kg.query_catalogue import bundled

    assert all(f"\n{name}" in "\n" + done.stdout for name in bundled())


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_formats_from_the_command_read_back_with_rdflib(fmt: str) -> None:
    done = kg_query("partners-of", "--param", "name=甲乙丙", "--graph", MINI, "--no-inference", "--format", fmt)
    assert done.returncode == 0, done.stderr
    stream = io.BytesIO(done.stdout.encode()) if fmt == "xml" else io.StringIO(done.stdout)
    rows = Result.parse(stream, format=fmt).bindings
    assert sorted(str(row[next(v for v in row if str(v) == "partner_zh")]) for row in rows) == [
        "区测试局机关第一党支部", "贝塔投资公司"]


def test_parameters_are_values_even_when_they_look_like_sparql() -> None:
    hostile = 'x")) } UNION { ?organisation ?p ?label . FILTER (true'
    done = kg_query("partners-of", "--param", f"name={hostile}", "--graph", MINI, "--no-inference", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"] == []


def test_file_query_with_graph_and_default_table(tmp_path: Path) -> None:
    query = tmp_path / "mine.rq"
    query.write_text("# question: Which labels?\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                     "SELECT ?label WHERE { ?s rdfs:label ?label FILTER (LANG(?label) = 'zh') } ORDER BY ?label",
                     encoding="utf-8")
    done = kg_query(str(query), "--graph", MINI, "--no-inference")
    assert done.returncode == 0, done.stderr
    assert "甲乙丙科技有限公司党支部" in done.stdout and done.stdout.rstrip().endswith("rows)")


def test_construct_prints_turtle() -> None:
    done = kg_query("pairing-network", "--graph", MINI, "--no-inference")
    assert done.returncode == 0, done.stderr
    graph = Graph().parse(data=done.stdout, format="turtle")
    assert len(graph) > 10


def test_inference_is_on_by_default() -> None:
    """Only the reasoner types a private enterprise as an org:Organization (through its superclasses)."""
    query = "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> } ORDER BY ?o"
    with_inference = kg_query("-e", query, "--graph", MINI, "--format", "csv")
    without = kg_query("-e", query, "--graph", MINI, "--format", "csv", "--no-inference")
    assert with_inference.returncode == without.returncode == 0
    assert "https://w3id.org/zqgj/id/org/alpha\n" in with_inference.stdout  # text mode reads CRLF as \n
    assert without.stdout == "o\n"


def test_a_path_explosion_is_stopped_with_exit_124() -> None:
    """Issue 7, case 19: ``(:p|!:p)*`` from every node, twice over."""
    explosive = "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:p>)* ?b . ?c (<urn:p>|!<urn:p>)* ?d }"
    done = kg_query("-e", explosive, "--timeout", "1", "--no-inference")
    assert done.returncode == 124
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name, params", [
    ("partners-of", ["--param", "name=村田"]), ("pairings-per-phase", []), ("people", []),
    ("evidence-of", ["--param", "name=ＳＨＵＮＤＥ library"]),
    ("outcomes-of-phase", ["--param", "phase=1"])])
def test_store_oxigraph_prints_what_rdflib_prints(name: str, params: list[str]) -> None:
    """Issue 8: ``kg query --store oxigraph`` answers like the default rdflib store, row for row, and says
    on stderr which store answered."""
    on_rdflib = kg_query(name, *params, "--format", "csv", "--store", "rdflib")
    on_oxigraph = kg_query(name, *params, "--format", "csv", "--store", "oxigraph")
    assert on_rdflib.returncode == on_oxigraph.returncode == 0, on_oxigraph.stderr
    assert on_oxigraph.stdout == on_rdflib.stdout and on_rdflib.stdout.count("\n") > 1
    assert on_rdflib.stderr == "kg query: store: rdflib, in memory\n"
    assert on_oxigraph.stderr.startswith("kg query: store: oxigraph, in memory; loaded 3,")


def test_store_on_disk_is_reused_by_the_next_query(tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    first = run_kg("query", "pairings-per-phase", "--format", "csv", "--store", store)
    second = run_kg("query", "pairings-per-phase", "--format", "csv", "--store", store)
    assert first.returncode == second.returncode == 0, second.stderr
    assert first.stdout == second.stdout
    assert "loaded" in first.stderr and second.stderr.strip().endswith("reused: same build as last time")


def test_a_plain_query_on_the_bundled_article_stays_quiet() -> None:
    done = kg_query("pairings-per-phase")
    assert done.returncode == 0 and done.stderr == ""


def test_a_bad_store_is_one_line() -> None:
    done = kg_query("pairings-per-phase", "--store", "sqlite")
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.strip().splitlines() == [
        "kg query: error: argument --store: 'sqlite': expected auto, rdflib, oxigraph or oxigraph:PATH "
        "(see kg query --help)"]
    assert "Traceback" not in done.stderr
