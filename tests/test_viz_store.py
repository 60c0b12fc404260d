"""kg.viz_store / kg.viz_focus: ``kg viz --store oxigraph:PATH`` draws the page rdflib draws, read from Oxigraph.

Small stores only (the bundled article, six generated articles); the 10,000-article numbers are
``python -m benchmarks.viz``'s business (docs/viz.md).
"""

from __future__ import annotations

import gc
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from benchmarks.generate import generate
from kg.viz import network_page
from kg.viz_focus import page_from_store
from tests.conftest import kg_command

Page = Callable[..., str]


def outcome(draw: Page, **options: Any) -> str:
    """The page, or the error's message (the CLI's one line) when it refuses."""
    try:
        return draw(**options)
    except ValueError as err:
        return f"ValueError: {err}"


@pytest.fixture(scope="module")
def article_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled article in an Oxigraph store on disk, as ``kg query --store oxigraph:PATH`` leaves it."""
    from kg.store import StoreSpec, open_store

    path = tmp_path_factory.mktemp("article") / "store"
    opened = open_store(StoreSpec("oxigraph", path), inferred=True)
    del opened  # the store is closed before it is opened read-only
    gc.collect()
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    """Six generated articles: the rdflib graph ``kg viz`` draws, and the store ``kg.bulk`` builds."""
    from kg.bulk import build_into_store
    from kg.commands import built_from_sources

    folder = tmp_path_factory.mktemp("generated")
    generate(6, folder / "articles")
    summary = build_into_store(folder / "articles", folder / "store", None, formats=())
    summary.store.flush()
    del summary
    gc.collect()
    return built_from_sources(folder / "articles").graph(inferred=False), folder / "store"


@pytest.mark.parametrize("options", [{}, {"people": False}, {"phase": 1}, {"phase": 2}, {"inferred": True}])
def test_article_page_from_the_store_is_the_rdflib_page(built, article_store: Path,  # type: ignore[no-untyped-def]
                                                        options: dict[str, Any]) -> None:
    inferred = options.pop("inferred", False)
    expected = network_page(built.graph(inferred=inferred), **options)
    assert page_from_store(article_store, inferred=inferred, **options) == expected


@pytest.mark.parametrize("focus", ["村田", "cuntian", "Murata", "orgs:murata", "https://w3id.org/zqgj/id/org/murata",
                                   "顺德图书馆", "党支部", "nobody-at-all", "不存在的单位"])
@pytest.mark.parametrize("options", [{}, {"depth": 0}, {"depth": 2, "people": False}, {"phase": 2}])
def test_article_focus_from_the_store_is_the_rdflib_focus(asserted: Graph, article_store: Path, focus: str,
                                                          options: dict[str, Any]) -> None:
    expected = outcome(lambda **o: network_page(asserted, **o), focus=focus, **options)
    assert outcome(lambda **o: page_from_store(article_store, **o), focus=focus, **options) == expected


def test_generated_page_from_the_store_is_the_rdflib_page(generated: tuple[Graph, Path]) -> None:
    graph, store = generated
    assert page_from_store(store) == network_page(graph)
    phase = 3
    assert outcome(page_from_store, path=store, phase=phase) == outcome(network_page, graph=graph, phase=phase)


def test_generated_focus_pages_are_the_rdflib_ones(generated: tuple[Graph, Path]) -> None:
    from kg.network import network_of

    graph, store = generated
    net = network_of(graph)
    parties = sorted(n for n, a in net.nodes(data=True) if a["group"] == "party")[:3]
    people = sorted(n for n, a in net.nodes(data=True) if a["group"] == "person")[:1]
    names = [name for node in parties + people for name in (node, net.nodes[node]["label_zh"])]
    names += [net.nodes[parties[0]]["pinyin"].split(" | ")[0], "党支部", "区"]
    for name in names:
        for options in ({}, {"depth": 2}, {"phase": 1}, {"phase": 2, "depth": 3}, {"people": False}):
            expected = outcome(lambda **o: network_page(graph, **o), focus=name, **options)
            assert outcome(lambda **o: page_from_store(store, **o), focus=name, **options) == expected, (name, options)


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([kg_command(), "viz", *args], capture_output=True, text=True, check=False)


def test_cli_writes_the_focus_page(article_store: Path, asserted: Graph, tmp_path: Path) -> None:
    output = tmp_path / "murata.html"
    done = run_kg("--store", f"oxigraph:{article_store}", "--focus", "村田", "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert output.read_text(encoding="utf-8") == network_page(asserted, focus="村田")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store", "oxigraph:{missing}"], "no Oxigraph store here"),
        (["--store", "oxigraph:{empty}"], "not a complete kg Oxigraph store"),
        (["--store", "oxigraph:{store}", "--focus", "不存在的单位"], "names no organisation or person"),
        (["--store", "oxigraph:{store}", "--focus", "党支部"], "is ambiguous"),
        (["--store", "oxigraph:{store}", "--graph", "{store}/x.ttl"], "give --graph or --store, not both"),
        (["--store", "oxigraph"], "give oxigraph:PATH"),
    ],
)
def test_cli_errors_are_one_line_exit_2(article_store: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    places = {"missing": tmp_path / "missing", "empty": tmp_path / "empty", "store": article_store}
    done = run_kg(*(a.format(**places) for a in args), "-o", str(tmp_path / "out.html"))
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 or "usage:" in done.stderr
    assert not (tmp_path / "out.html").exists()


def test_a_name_in_more_names_than_the_cap_is_refused_before_their_network_is_read(
        generated: tuple[Graph, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """``/`` is in every node's IRI: without the cap the 10,000-article store's every node would be drawn."""
    import kg.viz_focus
    from kg.viz_focus import MAX_CANDIDATES

    _graph, store = generated
    monkeypatch.setattr(kg.viz_focus, "MAX_CANDIDATES", 5)
    for name in ("/", "org/", "1"):  # (a name of letters only is pinyin: every node is read, kg serve refuses it)
        refused = outcome(lambda **o: page_from_store(store, **o), focus=name)
        assert refused == (f"ValueError: --focus {name!r} is ambiguous: it is in the names or IRIs of more than "
                           "5 nodes; give more of the name"), name
    monkeypatch.setattr(kg.viz_focus, "MAX_CANDIDATES", MAX_CANDIDATES)
    # six articles: under the cap, find_node decides among the nodes found (and finds too many)
    assert outcome(lambda **o: page_from_store(store, **o), focus="/").startswith(
        "ValueError: --focus '/' is ambiguous: it names ")
