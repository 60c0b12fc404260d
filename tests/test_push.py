"""``kg push`` and ``kg query --endpoint`` against a real Virtuoso (Debian's ``virtuoso-opensource-7``).

One server for the session (:mod:`tests.virtuoso`; started once, about 4 s) takes the bundled article; every
bundled competency query must then answer from Virtuoso as it answers locally, compared as sets of rows
(numbers compared by value). Five queries are written around Virtuoso 7.2.5 bugs (docs/push.md); the forms
they use instead of ``*`` and ``?`` paths are exact only while the class tree stays as shallow as it is,
which :func:`test_spelled_out_class_chains_cover_the_ontology` checks. A second server
is killed mid-push through a relay that trips after a fixed number of bytes, so the test does not depend on
timing. Pushes run in a child process under the no-outbound-traffic guard, as ``kg push`` does.

Without the Debian package the server tests skip with the reason; in CI (``CI`` set) they must run.
``KG_PUSH_BENCHMARK=1`` also pushes the 100-article generated corpus and prints the timing (docs/push.md).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from rdflib import RDFS, BNode, Graph, Literal, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.query import Result

from kg import iris, push_cli
from kg.errors import InputError
from kg.guard import OutboundRefusedError, allow_endpoint, no_outbound_traffic
from kg.push import Pusher, PushError
from kg.push_chunks import chunks_of, ntriples_lines, parse_size
from kg.push_http import Remote, RetryPolicy
from kg.push_plan import GraphPlan, Outcome, Progress, Target
from kg.push_query import bound_text
from kg.query_catalogue import bundled, spec_from_text
from kg.query_engine import prepare
from kg.query_engine import run as run_local
from tests import virtuoso

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = str(iris.article_graph("shunde-2020-07-15"))
PASSWORD_VAR = "KG_TEST_VIRTUOSO_PASSWORD"  # noqa: S105 - the name of the variable, not a password
CHILD = """
import argparse, sys
from kg import push_cli
from kg.errors import InputError
from kg.guard import no_outbound_traffic
parser = argparse.ArgumentParser(prog="kg")
push_cli.add_parser(parser.add_subparsers(dest="command"))
args = parser.parse_args(sys.argv[1:])
try:
    with no_outbound_traffic():
        code = push_cli.run(args)
except InputError as err:
    print(err, file=sys.stderr)
    code = 2
raise SystemExit(code)
"""


def push(server: virtuoso.Virtuoso | None, *argv: str, password: str = virtuoso.PASSWORD,
         timeout_s: float = 120, base: str | None = None) -> subprocess.CompletedProcess[str]:
    """``kg push`` in a child process, against ``server`` (or ``base``) as dba, with ``argv`` added."""
    root = base or (server.base if server else "")
    endpoints = ["--endpoint", f"{root}/sparql-auth", "--gsp", f"{root}/sparql-graph-crud-auth"]
    env = {**os.environ, PASSWORD_VAR: password}
    return subprocess.run([sys.executable, "-c", CHILD, "push", *endpoints, "--user", virtuoso.USER,
                           "--password-env", PASSWORD_VAR, *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout_s, check=False)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kg", exit_on_error=False)
    push_cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["push", *argv])


# ---------------------------------------------------------------- without a server


#: How far below each class the bundled queries spell out rdfs:subClassOf steps instead of a ``*`` path
#: (consistency-probe, organisation-names, pairing-sides; Virtuoso 7.2.5 evaluates those paths wrongly there).
SPELLED_OUT_DEPTH = {"org:Organization": 3, "org:FormalOrganization": 2, "zq:PartyOrganization": 2,
                     "zq:Enterprise": 1, "zq:GovernmentAgency": 1, "zq:PublicInstitution": 1}


@pytest.mark.parametrize(("root", "depth"), sorted(SPELLED_OUT_DEPTH.items()))
def test_spelled_out_class_chains_cover_the_ontology(root: str, depth: int, built: Any) -> None:
    steps = "/".join(["rdfs:subClassOf"] * (depth + 1))
    query = (f"PREFIX zq: <{iris.ZQ}> PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <{RDFS}> "
             f"SELECT ?class WHERE {{ ?class {steps} {root} }}")
    deeper = [str(row[0]) for row in built.graph(inferred=False).query(query)]
    assert deeper == [], f"{deeper} lie more than {depth} step(s) below {root}: the queries must spell out more"


def test_chunks_respect_the_size_and_keep_blank_nodes_whole(built: Any) -> None:
    lines = ntriples_lines(built.dataset.graph(iris.ONTOLOGY_GRAPH))
    chunks = chunks_of(lines, 2048)
    assert [line for chunk in chunks for line in chunk.lines] != [] and len(chunks) > 10
    assert sorted(line for chunk in chunks for line in chunk.lines) == sorted(lines)
    labels = {label for line in lines for label in re.findall(r"_:\S+", line)}
    assert labels, "the ontology has blank nodes (owl:unionOf lists): the test needs them"
    for label in labels:
        holding = [i for i, chunk in enumerate(chunks) if any(label in line for line in chunk.lines)]
        assert len(holding) == 1, f"{label} is split over chunks {holding}"
    assert all(chunk.size <= 2048 for chunk in chunks[1:]), "only a blank-node component may exceed the limit"
    assert chunks[0].has_blank_nodes and not chunks[-1].has_blank_nodes, "blank nodes go in the first chunk"
    assert chunks == chunks_of(lines, 2048), "the same graph gives the same chunks"
    assert all(chunk.triples <= 7 for chunk in chunks_of(lines, 1 << 20, 7) if not chunk.has_blank_nodes)


def test_sizes() -> None:
    assert (parse_size("4M"), parse_size("512k"), parse_size("1000"), parse_size("2MiB")) == (
        4 << 20, 512 << 10, 1000, 2 << 20)
    for bad in ("", "0", "-1", "4X", "1.5M"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_parameters_are_bound_as_terms_never_as_text() -> None:
    spec = spec_from_text("# param name (literal): a name; a comment saying ?name stays\n"
                          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                          'SELECT ?s WHERE { ?s rdfs:label ?label . FILTER (STR(?label) = STR($name) || '
                          '?label = "?name" || ?s = <urn:x?name>) }', "t", "<t>")
    hostile = '村田" ) ) } DROP ALL ; SELECT * { ?s ?p ?o # '
    text = bound_text(prepare(spec, {"name": hostile}))
    assert f"STR({Literal(hostile).n3()})" in text
    assert "saying ?name stays" in text and '"?name"' in text and "<urn:x?name>" in text
    from kg.name_key import name_key

    key = Literal(name_key(hostile))  # a name parameter is bound as its search key
    assert bound_text(prepare(bundled()["partners-of"], {"name": hostile})).count(key.n3()) == 1


def test_password_is_never_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises((SystemExit, argparse.ArgumentError)):
        parse("--endpoint", "http://127.0.0.1:1/sparql", "--password", "hunter2-secret")
    assert "hunter2-secret" not in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "env", "expected"), [
    (["--endpoint", "http://dba:dba@127.0.0.1:1/sparql"], {}, "no user or password in the URL"),
    (["--endpoint", "ftp://127.0.0.1/sparql"], {}, "expected an http"),
    (["--endpoint", "http://127.0.0.1:1/sparql", "--password-env", "X"], {}, "--password-env needs --user"),
    (["--endpoint", "http://127.0.0.1:1/sparql", "--user", "dba", "--password-env", "KG_TEST_UNSET"], {},
     "not set or is empty"),
    (["--endpoint", "http://127.0.0.1:1/sparql", "--graph-base", "not an iri"], {}, "not an absolute IRI"),
])
def test_user_mistakes_are_one_line(argv: list[str], env: dict[str, str], expected: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_TEST_UNSET", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    args = parse(*argv)
    with pytest.raises(InputError, match=re.escape(expected)):
        push_cli.target_of(args)
        push_cli.credentials_of(args, "127.0.0.1:1")


def test_guard_lets_through_exactly_the_endpoint() -> None:
    with socket.create_server(("127.0.0.1", 0)) as allowed, socket.create_server(("127.0.0.1", 0)) as other:
        port, other_port = allowed.getsockname()[1], other.getsockname()[1]
        with no_outbound_traffic():
            with allow_endpoint(f"http://127.0.0.1:{port}/sparql"):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                with pytest.raises(OutboundRefusedError):
                    socket.create_connection(("127.0.0.1", other_port), timeout=2)
                with pytest.raises(OutboundRefusedError):
                    socket.getaddrinfo("example.org", 80)
            with pytest.raises(OutboundRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=2)


class FakeStore:
    """A Graph Store + Update + query endpoint in memory (httpx.MockTransport), with Virtuoso's ``MOVE``
    semantics (moving a graph that does not exist empties the target), and a switch that applies the swap
    but loses its answer, or refuses it."""

    def __init__(self) -> None:
        self.graphs: dict[str, set[str]] = {}
        self.lose_swap_answers = 0
        self.refuse_swaps = False
        self.moves = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gsp":
            graph, lines = request.url.params["graph"], set(request.content.decode().splitlines())
            self.graphs[graph] = lines | (self.graphs.get(graph, set()) if request.method == "POST" else set())
            return httpx.Response(201)
        if request.url.path == "/query":
            names = re.findall(r"<([^>]+)>", parse_qs(request.content.decode())["query"][0])
            rows = [{"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(len(self.graphs[g]))}}
                    for g in names if self.graphs.get(g)]
            return httpx.Response(200, json={"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}})
        return self._update(request.content.decode())

    def _update(self, text: str) -> httpx.Response:
        moves = re.findall(r"MOVE <([^>]+)> TO <([^>]+)>", text)
        if moves and self.refuse_swaps:
            return httpx.Response(500, text="refused")
        for source, target in moves:
            self.moves += 1
            self.graphs[target] = self.graphs.pop(source, set())
        for graph in re.findall(r"DROP SILENT GRAPH <([^>]+)>", text):
            self.graphs.pop(graph, None)
        if moves and self.lose_swap_answers:
            self.lose_swap_answers -= 1
            raise httpx.ReadError("connection reset after the swap was applied")
        return httpx.Response(200)


def fake_push(store: FakeStore, plans: list[GraphPlan]) -> Outcome:
    target = Target("http://fake/query", "http://fake/update", "http://fake/gsp", max_bytes=256)
    with Remote(None, 5, RetryPolicy(retries=2, backoff_s=0.01)) as remote:
        remote.client = httpx.Client(transport=httpx.MockTransport(store.handle))
        return Pusher(remote, target, Progress(0, quiet=True)).push(plans)


def _plans() -> list[GraphPlan]:
    return [GraphPlan(URIRef(f"urn:test:g{n}"), [f"<urn:s{n}> <urn:p> \"{i}\" ." for i in range(20)])
            for n in (1, 2)]


def test_a_swap_whose_answer_is_lost_is_not_resent() -> None:
    store = FakeStore()
    store.graphs["urn:test:g1"] = {"<urn:old> <urn:p> \"old\" ."}
    store.lose_swap_answers = 1
    outcome = fake_push(store, _plans())
    assert store.moves == 2, "the swap was applied once; resending it would have emptied both graphs"
    assert outcome.counts == {URIRef("urn:test:g1"): 20, URIRef("urn:test:g2"): 20}
    assert not [g for g in store.graphs if g.startswith("urn:kg-push:")]


def test_a_refused_swap_replaces_nothing_and_drops_the_staging_graphs() -> None:
    store = FakeStore()
    store.graphs["urn:test:g1"] = {"<urn:old> <urn:p> \"old\" ."}
    store.refuse_swaps = True
    with pytest.raises(PushError, match="nothing was replaced") as failure:
        fake_push(store, _plans())
    assert "swapping 2 graph(s) in failed: HTTP 500" in str(failure.value)
    assert store.graphs == {"urn:test:g1": {"<urn:old> <urn:p> \"old\" ."}}


# ---------------------------------------------------------------- against Virtuoso


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    if not virtuoso.available():
        if os.environ.get("CI"):
            pytest.fail(f"{virtuoso.BINARY} is missing; .ci/run installs virtuoso-opensource-7")
        pytest.skip("Debian's virtuoso-opensource-7 is not installed (apt-get install virtuoso-opensource-7)")
    found = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    yield found
    found.stop()


@pytest.fixture(scope="session")
def pushed(server: virtuoso.Virtuoso) -> subprocess.CompletedProcess[str]:
    """The bundled article with its entailments, pushed once with --replace over the Graph Store."""
    done = push(server, "--inferred")
    assert done.returncode == 0, done.stderr
    return done


def test_push_puts_each_graph_once(server: virtuoso.Virtuoso, pushed: subprocess.CompletedProcess[str],
                                   built: Any) -> None:
    local = {str(graph.identifier): len(graph) for graph in built.dataset.graphs() if len(graph)}
    assert server.graphs(str(iris.GRAPH)) == local
    assert server.graphs("urn:kg-push:") == {}, "no staging graph is left behind"
    assert re.search(r"replaced 3 graph\(s\), [\d,]+ triples via Graph Store in [\d.]+ s", pushed.stdout)


def test_pushing_again_with_replace_leaves_one_copy(server: virtuoso.Virtuoso,
                                                    pushed: subprocess.CompletedProcess[str]) -> None:
    before = server.graphs(str(iris.GRAPH))
    again = push(server, "--inferred", "--replace", "--chunk-size", "64k", "-q")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "" and again.stderr == "", "-q prints nothing on success"
    assert server.graphs(str(iris.GRAPH)) == before
    assert server.graphs("urn:kg-push:") == {}


def _term(term: Any) -> object:
    """A term for comparison: numbers by value (servers may print 1, 1.0 or 1e0), everything else as is."""
    if isinstance(term, Literal) and isinstance(term.value, int | float | Decimal) \
            and not isinstance(term.value, bool):
        return ("number", Decimal(str(term.value)))
    if isinstance(term, BNode):
        return "_:"
    return term


def _rows(result: Result) -> frozenset[tuple[object, ...]]:
    names = [Variable(str(v)) for v in result.vars or []]
    return frozenset(tuple(_term(row.get(name)) for name in names) for row in result.bindings)


def _remote(server: virtuoso.Virtuoso, name: str, params: dict[str, str], fmt: str,
            capsys: pytest.CaptureFixture[str]) -> str:
    from kg.cli import main

    argv = ["query", "--endpoint", server.sparql, name, "--format", fmt]
    for key, value in params.items():
        argv += ["--param", f"{key}={value}"]
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(bundled()))
def test_bundled_query_answers_like_the_local_graph(name: str, server: virtuoso.Virtuoso, pushed: object,
                                                    built: Any, capsys: pytest.CaptureFixture[str]) -> None:
    spec = bundled()[name]
    local = run_local(prepare(spec, spec.examples), built.graph(inferred=True), 60)
    if local.type in ("CONSTRUCT", "DESCRIBE"):
        remote_graph = Graph().parse(data=_remote(server, name, spec.examples, "table", capsys), format="turtle")
        assert local.graph is not None and isomorphic(remote_graph, local.graph)
        return
    remote = Result.parse(io.StringIO(_remote(server, name, spec.examples, "json", capsys)), format="json")
    if local.type == "ASK":
        assert remote.askAnswer is local.askAnswer
    else:
        assert _rows(remote) == _rows(local)
        assert _rows(local), f"{name} answers nothing locally: the comparison would prove nothing"


def test_sparql_update_fallback_keeps_blank_nodes(server: virtuoso.Virtuoso, built: Any) -> None:
    base = "http://example.org/kg-push-test/update/"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "push", "--endpoint", server.update, "--user", virtuoso.USER,
         "--password-env", PASSWORD_VAR, "--graph-base", base, "--batch-triples", "500"],
        cwd=ROOT, env={**os.environ, PASSWORD_VAR: virtuoso.PASSWORD}, capture_output=True, text=True,
        timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "via SPARQL Update" in done.stdout
    expected = {base + str(graph.identifier)[len(str(iris.GRAPH)):]: len(graph)
                for graph in built.dataset.graphs() if len(graph) and graph.identifier != iris.INFERRED_GRAPH}
    assert server.graphs(base) == expected


def test_a_url_that_is_no_graph_store_falls_back_to_update(server: virtuoso.Virtuoso, built: Any) -> None:
    base = "http://example.org/kg-push-test/fallback/"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "push", "--endpoint", server.update, "--gsp", f"{server.base}/no-such-gsp",
         "--user", virtuoso.USER, "--password-env", PASSWORD_VAR, "--graph-base", base],
        cwd=ROOT, env={**os.environ, PASSWORD_VAR: virtuoso.PASSWORD}, capture_output=True, text=True,
        timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "is not a Graph Store endpoint" in done.stderr and "via SPARQL Update" in done.stdout
    assert server.count(base + "ontology") == len(built.dataset.graph(iris.ONTOLOGY_GRAPH))


def test_append_adds_and_mints_new_blank_nodes(server: virtuoso.Virtuoso, built: Any) -> None:
    base = "http://example.org/kg-push-test/append/"
    first, second = (push(server, "--append", "--graph-base", base, "-q") for _ in range(2))
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    ontology = built.dataset.graph(iris.ONTOLOGY_GRAPH)
    blank = sum(1 for triple in ontology if any(isinstance(term, BNode) for term in triple))
    counts = server.graphs(base)
    assert counts[base + ARTICLE[len(str(iris.GRAPH)):]] == len(built.dataset.graph(URIRef(ARTICLE)))
    assert counts[base + "ontology"] == len(ontology) + blank, "a second append re-adds only blank nodes"


def test_a_wrong_password_fails_without_showing_it(server: virtuoso.Virtuoso) -> None:
    done = push(server, "--graph-base", "http://example.org/kg-push-test/denied/", password="not-the-pw-9931")  # noqa: S106
    assert done.returncode == 1
    assert "HTTP 401" in done.stderr and "--user" in done.stderr
    assert "not-the-pw-9931" not in done.stdout + done.stderr
    assert server.graphs("http://example.org/kg-push-test/denied/") == {}


def test_killed_mid_push_exits_1_naming_graph_and_chunk(tmp_path: Path, server: virtuoso.Virtuoso) -> None:
    doomed = virtuoso.start(tmp_path / "doomed")
    try:
        old = tmp_path / "old.trig"
        old.write_text(f'<{ARTICLE}> {{ <https://w3id.org/zqgj/id/org/x> <{iris.ZQ}note> "old" . }}\n',
                       encoding="utf-8")
        assert push(doomed, "--graph", str(old), "-q").returncode == 0
        assert doomed.count(ARTICLE) == 1
        tap = virtuoso.Tap(doomed.http_port, threshold=100_000, trip=doomed.kill)
        started = time.monotonic()
        done = push(None, "--chunk-size", "4k", "--retries", "2", "--timeout", "10",
                    base=f"http://127.0.0.1:{tap.port}")
        elapsed = time.monotonic() - started
        tap.close()
        assert tap.tripped.is_set() and done.returncode == 1, done.stdout + done.stderr
        assert elapsed < 60
        assert re.search(rf"graph <{re.escape(ARTICLE)}> \(1/2\): chunk \d+/\d+ \([\d,]+ triples", done.stderr)
        assert "nothing was replaced" in done.stderr and "could not drop the staging graph" in done.stderr
        doomed.start()
        assert doomed.count(ARTICLE) == 1, "the old graph is still whole: nothing half-replaced is visible"
        left = doomed.graphs("urn:kg-push:")
        assert left and all(f"<{graph}>" in done.stderr for graph in left), "leftovers are named"
    finally:
        doomed.stop()
