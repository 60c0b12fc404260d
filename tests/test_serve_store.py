"""``kg serve --store oxigraph:PATH`` without ``--graph``: a store ``kg build --store`` left, served over HTTP as
it is (read-only, nothing in rdflib), against the same articles built and served by rdflib.

Three generated articles built by ``kg.bulk`` (what ``kg build --sources DIR --store oxigraph:PATH`` runs), and
the bundled article with markup in its labels loaded by ``kg.store_open`` (what ``kg query --store`` leaves).
"""

from __future__ import annotations

import gc
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from test_serve_helpers import HOSTILE, hostile_built, serving, trap

from benchmarks.generate import generate
from kg import iris
from kg.commands import Built, built_from_sources
from kg.errors import InputError
from kg.query_catalogue import bundled
from kg.serve import create_app
from kg.serve_store import create_store_app
from kg.serve_store_network import StoreNetwork
from kg.serve_store_open import open_existing
from tests.conftest import kg_command, run_kg

JSON = {"Accept": "application/sparql-results+json"}
PARTY_LABEL = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX zq: <https://w3id.org/zqgj/ontology#>
SELECT ?label WHERE { ?pairing zq:party ?o . ?o rdfs:label ?label FILTER(LANG(?label) = "zh") } ORDER BY ?label"""
REMOTE = ("SELECT * WHERE {{ SERVICE <{trap}/sparql> {{ ?s ?p ?o }} }}", "LOAD <{trap}/data.ttl>",
          "SELECT * FROM <{trap}/g.ttl> WHERE {{ ?s ?p ?o }}")
HOLD = "import sys, time, pyoxigraph; store = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); time.sleep(60)"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    """Three generated articles: built by rdflib, and in the store ``kg.bulk`` builds on disk."""
    from kg.bulk import build_into_store

    folder = tmp_path_factory.mktemp("generated")
    generate(3, folder / "articles")
    summary = build_into_store(folder / "articles", folder / "store", None, formats=())
    summary.store.flush()
    del summary
    gc.collect()  # closed (and its lock released) before it is served
    return built_from_sources(folder / "articles"), folder / "store"


@pytest.fixture(scope="module")
def urls(generated: tuple[Built, Path]) -> Iterator[tuple[str, str]]:
    """The rdflib-served and the store-served server of the same articles."""
    built, store = generated
    with serving(create_app(built, timeout_s=20, workers=1)) as rdflib_url, \
            serving(create_store_app(store, timeout_s=2, max_rows=500, workers=2)) as store_url:
        yield rdflib_url, store_url


def rows(url: str, query: str, bindings: dict[str, str]) -> tuple[int, list[str]]:
    reply = httpx.post(url + "/sparql", data={"query": query, **{"$" + k: v for k, v in bindings.items()}},
                       headers=JSON, timeout=60)
    if reply.status_code != 200:
        return reply.status_code, [reply.text]
    result = reply.json()
    if "boolean" in result:  # ASK
        return 200, [str(result["boolean"])]
    return 200, sorted(json.dumps(row, sort_keys=True) for row in result["results"]["bindings"])


def test_bundled_queries_answer_as_rdflib_does(urls: tuple[str, str], generated: tuple[Built, Path]) -> None:
    rdflib_url, store_url = urls
    party = rows(rdflib_url, PARTY_LABEL, {})[1]
    name = json.loads(party[0])["label"]["value"]
    answered = 0
    for spec in bundled().values():
        bindings = {key: name if param.kind in ("literal", "name") else spec.examples.get(key, "1")
                    for key, param in spec.params.items()}
        expected = rows(rdflib_url, spec.text, bindings)
        assert rows(store_url, spec.text, bindings) == expected, spec.name
        answered += expected[0] == 200 and bool(expected[1])
    assert answered >= 18, answered  # of 24: three generated articles have no award, remark, policy document, ...


def _entities(built: Built) -> list[str]:
    graph = built.graph(inferred=True)
    nodes = {str(n) for triple in graph for n in triple if isinstance(n, URIRef)}
    return sorted(n.removeprefix(str(iris.ID)) for n in nodes if n.startswith(str(iris.ID)))


def test_every_entity_page_and_its_triples_are_the_rdflib_ones(urls: tuple[str, str],
                                                               generated: tuple[Built, Path]) -> None:
    rdflib_url, store_url = urls
    entities = _entities(generated[0])
    assert len(entities) > 100
    with httpx.Client(timeout=60) as client:
        for entity in entities:
            expected = client.get(f"{rdflib_url}/id/{entity}")
            assert expected.status_code == 200
            assert client.get(f"{store_url}/id/{entity}").text == expected.text, entity
            for suffix in (".ttl", ".ttl?infer=false"):
                triples = [set(Graph().parse(data=client.get(f"{url}/id/{entity}{suffix}").text, format="turtle"))
                           for url in (rdflib_url, store_url)]
                assert triples[0] == triples[1] and triples[0], (entity, suffix)
        assert client.get(f"{store_url}/id/org/no-such-organisation").status_code == 404
        assert client.get(f"{store_url}/id/org/no-such-organisation.nt").status_code == 404
        for odd in ("a%20b", "a%3Cb%3E", "a%22b"):  # not IRIs: nothing is said about them, on either server
            for suffix in ("", ".ttl"):
                assert client.get(f"{store_url}/id/{odd}{suffix}").status_code == 404, odd
                assert client.get(f"{rdflib_url}/id/{odd}{suffix}").status_code == 404, odd


def test_network_and_ontology_pages_are_the_rdflib_ones(urls: tuple[str, str]) -> None:
    rdflib_url, store_url = urls
    for path in ("/network", "/ontology", "/ontology.ttl", "/"):
        pages = [httpx.get(url + path, timeout=60) for url in (rdflib_url, store_url)]
        assert [p.status_code for p in pages] == [200, 200]
        assert re.sub(r"_:\w+", "_:b", pages[1].text) == re.sub(r"_:\w+", "_:b", pages[0].text), path
    name = json.loads(rows(rdflib_url, PARTY_LABEL, {})[1][0])["label"]["value"]
    focus = httpx.get(store_url + "/network", params={"focus": name, "depth": "1"}, timeout=60)
    assert focus.status_code == 200 and "vis-network" in focus.text and name in focus.text
    unknown = httpx.get(store_url + "/network", params={"focus": "<b>无此单位</b>"}, timeout=60)
    assert unknown.status_code == 404 and "&lt;b&gt;无此单位&lt;/b&gt;" in unknown.text
    assert "<b>无此单位" not in unknown.text
    assert httpx.get(store_url + "/network", params={"focus": name, "depth": "9"}).status_code == 400


def test_a_big_store_asks_for_a_focus_and_refuses_a_letters_only_name(generated: tuple[Built, Path]) -> None:
    import html

    network = StoreNetwork(open_existing(generated[1]), budget=100)
    status, page, drawn = network.page(None, None)
    assert (status, drawn) == (200, False) and "<form" in page and "/network?focus=https" in page
    status, page, drawn = network.page("taijiang", None)
    assert (status, drawn) == (400, False) and "letters only" in page
    example = re.search(r'href="/network\?focus=([^"]+)"', page)
    assert example is not None
    focus = httpx.URL("/network?focus=" + html.unescape(example.group(1))).params["focus"]
    status, page, drawn = network.page(focus, "0")
    assert (status, drawn) == (200, True) and "vis-network" in page


def test_sparql_safety_and_timeouts_on_the_store(urls: tuple[str, str]) -> None:
    _, store_url = urls
    with trap() as (trap_url, hits), httpx.Client(base_url=store_url, timeout=60) as client:
        for template in REMOTE:
            reply = client.post("/sparql", data={"query": template.format(trap=trap_url)})
            assert reply.status_code == 400 and "refused" in reply.text, template
        assert client.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"}).status_code == 403
        assert client.get("/sparql", params={"query": "DROP ALL"}).status_code == 403
        cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        reply = client.get("/sparql", params={"query": cross})
        assert reply.status_code == 503 and "timeout" in reply.text
        count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers=JSON)
        assert count.status_code == 200 and int(count.json()["results"]["bindings"][0]["n"]["value"]) > 1000
        time.sleep(0.2)
        many = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=JSON)
        assert len(many.json()["results"]["bindings"]) == 500 and "X-KG-Truncated" in many.headers
    assert hits == []


@pytest.fixture(scope="module")
def hostile_store(built: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    """The bundled article with markup in labels and a quote, in a store as ``kg query --store`` leaves it."""
    from kg.store import StoreSpec, open_built

    hostile = hostile_built(built)
    path = tmp_path_factory.mktemp("hostile") / "store"
    opened = open_built(StoreSpec("oxigraph", path), hostile)
    del opened
    gc.collect()
    return hostile, path


def test_entity_page_shows_labels_and_evidence_escaped(hostile_store: tuple[Built, Path]) -> None:
    from markupsafe import escape

    hostile, path = hostile_store
    with serving(create_app(hostile, workers=1)) as rdflib_url, serving(create_store_app(path, workers=1)) as url:
        page = httpx.get(url + "/id/org/murata", timeout=60)
        assert page.status_code == 200 and "Content-Security-Policy" in page.headers
        assert str(escape(HOSTILE)) in page.text and HOSTILE not in page.text  # as Jinja escapes it
        assert "<mark>" in page.text and "inferred 推理" in page.text
        assert "Guangdong Murata Intelligent Technology Co., Ltd." in page.text
        assert page.text == httpx.get(rdflib_url + "/id/org/murata", timeout=60).text


@pytest.mark.parametrize("layout", ["missing", "empty", "files", "rocksdb-only"])
def test_a_folder_that_is_not_a_kg_store_is_refused_in_one_line(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "folder"
    if layout != "missing":
        folder.mkdir()
    if layout == "files":
        (folder / "notes.txt").write_text("not a store\n", encoding="utf-8")
    if layout == "rocksdb-only":
        (folder / "CURRENT").write_text("MANIFEST-000001\n", encoding="utf-8")
    before = _listing(folder)
    done = run_kg("serve", "--store", f"oxigraph:{folder}", "--port", "1")
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "not a kg Oxigraph store" in done.stderr
    assert "Traceback" not in done.stderr
    assert _listing(folder) == before  # nothing created, nothing changed


def _listing(folder: Path) -> dict[str, tuple[int, int]] | None:
    if not folder.exists():
        return None
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_a_store_open_for_writing_is_refused(generated: tuple[Built, Path], tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "store"
    shutil.copytree(generated[1], path)
    writer = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        with pytest.raises(InputError, match="open for writing"):
            open_existing(path)
    finally:
        writer.kill()
        writer.wait()
    assert open_existing(path).triples(inferred=False) > 1000


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the worker processes")
def test_kg_serve_serves_the_store_read_only_and_stops(generated: tuple[Built, Path]) -> None:
    from test_serve_cli import children_of, free_port

    store = generated[1]
    before = _listing(store)
    port = free_port()
    child = subprocess.Popen([kg_command(), "serve", "--store", f"oxigraph:{store}", "--port", str(port),
                              "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        workers = children_of(child.pid)
        while len(workers) < 2 and time.monotonic() < deadline:  # the second may still be forking, under load
            time.sleep(0.1)
            workers = children_of(child.pid)
        assert len(workers) == 2
        count = httpx.get(base + "/sparql", params={"query": "ASK { ?s a ?class }"}, headers=JSON, timeout=30)
        assert count.json()["boolean"] is True
        assert httpx.get(base + "/id/place/taijiang", timeout=30).status_code == 200
    finally:
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0, stderr
    assert "served as it is" in stderr and "asserted" in stderr
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert _listing(store) == before


def test_the_triples_of_an_entity_are_cut_to_the_cap_each_way(generated: tuple[Built, Path]) -> None:
    from kg.serve_pages import Pages
    from kg.serve_store_pages import StoreEntities

    built, path = generated
    place = iris.entity("place/taijiang")
    graph = built.graph(inferred=True)
    assert len(set(graph.triples((place, None, None)))) > 3 and len(set(graph.triples((None, None, place)))) > 3
    entities = StoreEntities(open_existing(path), Pages(Graph(), Graph(), Graph()), max_triples=3)
    found, cap = entities.triples(place, True)
    assert cap == 3 and len(found) == 6
    assert set(found) <= set(graph.triples((place, None, None))) | set(graph.triples((None, None, place)))


def test_a_depth_that_is_no_small_ascii_number_is_a_400(generated: tuple[Built, Path]) -> None:
    """``str.isdigit`` accepts "²" and 5,000-digit numbers, which ``int`` then refuses: a 500 before."""
    network = StoreNetwork(open_existing(generated[1]), budget=100)
    for depth in ("²", "٣", "9" * 5000, "-1", "4", "x"):
        status, page, drawn = network.page("org/x", depth)
        assert (status, drawn) == (400, False) and "depth must be a whole number from 0 to 3" in page, depth[:9]


def test_a_big_store_refuses_a_focus_found_in_too_many_names(generated: tuple[Built, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``org/`` passes the letters-only guard but is in every organisation's IRI: refused, not drawn."""
    import kg.viz_focus

    monkeypatch.setattr(kg.viz_focus, "MAX_CANDIDATES", 5)
    network = StoreNetwork(open_existing(generated[1]), budget=100)
    status, page, drawn = network.page("org/", None)
    assert (status, drawn) == (404, False) and "is in the names or IRIs of more than 5 nodes" in page
