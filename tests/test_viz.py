"""kg.viz: the offline network page, as text and in a real Chromium (``/usr/bin/chromium``).

Browser tests skip only when Chromium is missing and ``CI`` is not set; in CI they must run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS

from kg.iris import OA, SCHEMA, ZQ, entity
from kg.network import network_of
from kg.viz import network_page
from tests.conftest import run_kg

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "viz"
ARTIFACTS = ROOT / "test-artifacts"
MURATA = "https://w3id.org/zqgj/id/org/murata"
MURATA_BRANCH = "https://w3id.org/zqgj/id/org/murata-party-branch"
MURATA_PAIRING = "https://w3id.org/zqgj/id/pairing/p2-murata-library"
KESHUN = "https://w3id.org/zqgj/id/org/keshun"


def load(name: str) -> Graph:
    return Graph().parse(DATA / name)


@pytest.fixture(scope="module")
def mini() -> Graph:
    return load("mini.ttl")


def packed(page: str) -> dict[str, Any]:
    """The page's data as it is written: columns (kg/viz_pack.py)."""
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    assert found, "no data block"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def rows(table: dict[str, list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(table, row, strict=True)) for row in zip(*table.values(), strict=True)]


def page_data(page: str) -> dict[str, Any]:
    """The page's data read back into records, as viz/records.js does: nodes, edges, evidence (a list)."""
    data = packed(page)
    strings = data["strings"]
    evidence = rows(data["evidence"])
    for record in evidence:
        record.update({field: strings[record[field]] for field in ("prefix", "suffix", "title", "source")})
    nodes = rows(data["nodes"])
    for node in nodes:
        kind = node["kind"]
        node.update(kind=data["kinds"][kind], role=data["groups"][kind], label=node["label"] or node["zh"])
    edges = rows(data["edges"])
    for index, edge in enumerate(edges):
        edge.update({field: strings[edge[field]] for field in ("phase", "role", "roleEn")})
        edge.update(id=f"e{index}", relation=data["relations"][edge["relation"]],
                    **{end: nodes[edge[end]]["id"] for end in ("from", "to")})
    initial = None if data["initial"] is None else [nodes[i]["id"] for i in data["initial"]]
    return {**data, "nodes": nodes, "edges": edges, "evidence": evidence, "initial": initial}


def quote(data: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    """The evidence record of the quote at ``start``-``end``."""
    found = [record for record in data["evidence"] if (record["start"], record["end"]) == (start, end)]
    assert len(found) == 1
    return found[0]


def synthetic_graph(pairings: int) -> Graph:
    """``pairings`` pairings of two party branches, each hosted by its organisation: 4 nodes a pairing."""
    from rdflib.namespace import XSD  # not at module level: pytest's collection pokes at its attributes
    graph = Graph()
    phase = entity("phase/p1")
    graph.add((phase, ZQ.phaseNumber, Literal(1, datatype=XSD.positiveInteger)))
    graph.add((phase, RDFS.label, Literal("第一期", lang="zh")))
    for i in range(pairings):
        pairing = entity(f"pairing/p{i}")
        graph.add((pairing, RDF.type, ZQ.Pairing))
        graph.add((pairing, ZQ.inPhase, phase))
        for side, cls in (("a", ZQ.PrivateEnterprise), ("b", ZQ.GovernmentAgency)):
            host, branch = entity(f"org/h{i}{side}"), entity(f"org/b{i}{side}")
            graph.add((host, RDF.type, cls))
            graph.add((host, RDFS.label, Literal(f"单位{i}{side}", lang="zh")))
            graph.add((branch, RDF.type, ZQ.PartyBranch))
            graph.add((branch, RDFS.label, Literal(f"单位{i}{side}党支部", lang="zh")))
            graph.add((branch, ZQ.hostedBy, host))
            graph.add((pairing, ZQ.party, branch))
    return graph


# ---------------------------------------------------------------- the page as text


def test_page_is_one_offline_file(mini: Graph) -> None:
    page = network_page(mini)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]*stylesheet", page, re.IGNORECASE)
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:|//)""", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", page, re.IGNORECASE)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap"):
        assert cdn not in page.lower()
    assert "default-src 'none'" in page


def test_counts_match_the_network(mini: Graph) -> None:
    data, net = page_data(network_page(mini)), network_of(mini)
    assert len(data["nodes"]) == net.number_of_nodes() == 10
    assert len(data["edges"]) == net.number_of_edges() == 8
    assert data["initial"] is None and data["note"] == ""
    assert [p["label"] for p in data["phases"]] == ["第一期", "第二期"]


def test_evidence_sentence_comes_from_prefix_suffix_or_the_article_text(mini: Graph) -> None:
    data = page_data(network_page(mini))
    murata = quote(data, 1521, 1539)
    assert murata["exact"] == "村田智能公司党支部和顺德图书馆党支部"
    keshun = quote(data, 488, 502)  # no oa:prefix/suffix in the fixture
    sentence = keshun["prefix"] + keshun["exact"] + keshun["suffix"]
    assert sentence.startswith("区民政人社局机关第一党支部书记李蔚介绍,该支部与科顺集团开展结对共建")
    assert sentence.endswith("为企业人才申请政府补贴等。")


def test_article_texts_argument_supplies_a_missing_text(mini: Graph) -> None:
    text = str(mini.value(entity("article/shunde-2020-07-15"), SCHEMA.text))
    without = Graph() + mini
    without.remove((None, SCHEMA.text, None))
    plain = quote(page_data(network_page(without)), 488, 502)
    assert plain["prefix"] == plain["suffix"] == ""
    given = network_page(without, article_texts={"shunde-2020-07-15": text})
    assert quote(page_data(given), 488, 502)["suffix"]


def test_hostile_strings_are_escaped_data() -> None:
    hostile = load("hostile.ttl")
    page = network_page(hostile)
    data = page_data(page)
    block = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    assert "\u2028" not in page and "\u2029" not in page
    assert page.lower().count("</script") == 3  # the data block and the two script elements
    labels = {n["zh"] for n in data["nodes"]}
    assert "<img src=x onerror=alert(1)>" in labels  # the data is intact, only encoded
    assert "<title>bad</title>" not in page and "&lt;title&gt;bad" not in page
    for table in (packed(page)["nodes"], packed(page)["edges"]):
        assert "title" not in table  # vis's "href in a title" innerHTML switch cannot trigger


def test_inline_scripts_are_exactly_the_ones_the_policy_allows(mini: Graph) -> None:
    page = network_page(mini)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        assert f"'sha256-{digest}'" in policy.group(1)
    assert "unsafe-inline" not in policy.group(1).split("script-src")[1].split(";")[0]


def test_a_focused_page_is_the_same_bytes_under_different_hash_seeds(tmp_path: Path) -> None:
    """The whole page is checked across seeds with ``kg build`` (test_export.py); this is the focus, phase and
    depth path, whose sets and dicts a new hash seed reorders."""
    pages = []
    for seed in ("1", "4242"):
        page = tmp_path / f"{seed}.html"
        done = run_kg("viz", "--focus", "村田", "--phase", "2", "--depth", "2", "-o", str(page),
                      env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        pages.append(page.read_bytes())
    assert pages[0] == pages[1] and b"vis-network" in pages[0]


@pytest.mark.parametrize("name", ["村田", "Murata", "cuntian", "广东村田智能科技有限公司", "orgs:murata"])
def test_focus_by_any_name(mini: Graph, name: str) -> None:
    ids = {n["id"] for n in page_data(network_page(mini, focus=name))["nodes"]}
    assert {MURATA, MURATA_BRANCH, "https://w3id.org/zqgj/id/org/shunde-library-party-branch"} <= ids
    assert KESHUN not in ids


def test_focus_depth_counts_a_host_and_its_party_organisation_as_one_place(mini: Graph) -> None:
    ids = {n["id"] for n in page_data(network_page(mini, focus="村田", depth=0))["nodes"]}
    assert ids == {MURATA, MURATA_BRANCH}


@pytest.mark.parametrize("name", ["不存在的单位", "zzz", " "])
def test_unknown_focus_is_a_clear_error(mini: Graph, name: str) -> None:
    with pytest.raises(ValueError, match="--focus"):
        network_page(mini, focus=name)


def test_ambiguous_focus_names_the_candidates(mini: Graph) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        network_page(mini, focus="党支部")


def test_phase_keeps_one_phase(mini: Graph) -> None:
    data = page_data(network_page(mini, phase=1))
    assert {e["phaseNumber"] for e in data["edges"] if e["relation"] == "pairing"} == {1}
    ids = {n["id"] for n in data["nodes"]}
    assert KESHUN in ids and MURATA not in ids


def test_a_phase_the_graph_lacks_is_a_clear_error(mini: Graph) -> None:
    with pytest.raises(ValueError, match="--phase 3"):
        network_page(mini, phase=3)


def test_an_empty_graph_gives_an_empty_page() -> None:
    data = page_data(network_page(Graph()))
    assert data["nodes"] == [] and data["edges"] == []


def test_no_people(mini: Graph) -> None:
    data = page_data(network_page(mini, people=False))
    assert {n["role"] for n in data["nodes"]} == {"organisation", "party"}
    assert "post" not in {e["relation"] for e in data["edges"]}


def test_budget_opens_on_the_most_connected_organisations(mini: Graph) -> None:
    data = page_data(network_page(mini, node_budget=4))
    assert len(data["nodes"]) == 10  # everything stays searchable
    assert len(data["initial"]) == 4
    assert all(n["role"] != "person" for n in data["nodes"] if n["id"] in data["initial"])
    assert "budget of 4" in data["note"] and "--focus" in data["note"]


def test_ten_thousand_nodes_all_searchable_two_thousand_shown() -> None:
    """How fast is a benchmark's business (``python -m benchmarks.viz``); here: what such a page holds."""
    page = network_page(synthetic_graph(2500))
    data = page_data(page)
    assert len(data["nodes"]) == 10_000 and len(data["initial"]) == 2000
    branch = next(n for n in data["nodes"] if n["zh"] == "单位7a党支部")
    assert branch["pinyin"] == ["danwei7adangzhibu"]  # the search ignores spaces: spaced spellings are not sent


def test_inferred_article_graph_draws_the_same_page(built) -> None:  # type: ignore[no-untyped-def]
    assert network_page(built.graph(inferred=True)) == network_page(built.graph(inferred=False))


# ---------------------------------------------------------------- the page in Chromium




class Opened:
    """A page loaded from ``file://`` with every request, console error and dialog recorded."""

    def __init__(self, browser: Any, html: str, folder: Path) -> None:
        path = folder / "network.html"
        path.write_text(html, encoding="utf-8")
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgviz !== undefined")
        self.page.evaluate("kgviz.ready")

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def search(self, text: str) -> list[str]:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")
        selected: list[str] = self.js("kgviz.network.getSelectedNodes()")
        return selected

    def click_edge(self, edge_id: str) -> None:
        point = self.js(f"kgviz.edgeMidpoint({json.dumps(edge_id)})")
        box = self.page.locator("#network").bounding_box()
        self.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    def assert_clean(self) -> None:
        assert [u for u in self.requests if not u.startswith("file://")] == []
        assert self.errors == []
        assert self.dialogs == []
        assert self.js("window.pwned") is None


@pytest.fixture(scope="module")
def article(browser: Any, asserted: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    opened = Opened(browser, network_page(asserted), tmp_path_factory.mktemp("article"))
    yield opened
    opened.page.close()


def test_article_page_loads_offline_and_cleanly(article: Opened, asserted: Graph) -> None:
    net = network_of(asserted)
    assert article.js("kgviz.records.nodeCount") == net.number_of_nodes()
    assert article.js("kgviz.records.edgeCount") == net.number_of_edges()
    assert len(article.js("kgviz.visibleNodeIds()")) == net.number_of_nodes()
    assert len(article.js("kgviz.visibleEdgeIds()")) == net.number_of_edges()
    ARTIFACTS.mkdir(exist_ok=True)
    article.page.screenshot(path=str(ARTIFACTS / "network.png"))
    article.assert_clean()


def test_layout_holds_still_and_repeats(
    article: Opened, browser: Any, asserted: Graph, tmp_path: Path
) -> None:
    before = article.js("JSON.stringify(kgviz.network.getPositions())")
    article.page.wait_for_timeout(600)
    assert article.js("JSON.stringify(kgviz.network.getPositions())") == before
    again = Opened(browser, network_page(asserted), tmp_path)
    assert again.js("JSON.stringify(kgviz.network.getPositions())") == before
    again.page.close()


@pytest.mark.parametrize("text", ["村田", "Murata", "cuntian", "cun tian", "广东村田智能科技有限公司"])
def test_search_selects_murata(article: Opened, text: str) -> None:
    assert article.search(text) == [MURATA]
    assert article.page.text_content("#details h2") == "广东村田智能科技有限公司"
    article.assert_clean()


def test_clicking_a_pairing_edge_shows_its_quote_highlighted(article: Opened, asserted: Graph) -> None:
    article.js("kgviz.reset()")
    edge = article.js(f"kgviz.records.edge(kgviz.data.edges.key.indexOf({json.dumps(MURATA_PAIRING)})).id")
    article.click_edge(edge)
    quotes = []
    for evidence in asserted.objects(entity("pairing/p2-murata-library"), PROV.wasDerivedFrom):
        selector = asserted.value(evidence, OA.hasSelector)
        parts = [str(asserted.value(selector, p) or "") for p in (OA.prefix, OA.exact, OA.suffix)]
        quotes.append((parts[1], "".join(parts)))
    assert quotes
    marks = article.page.eval_on_selector_all("#details mark", "ms => ms.map(m => m.textContent)")
    sentences = article.page.eval_on_selector_all("#details blockquote", "bs => bs.map(b => b.textContent)")
    assert sorted(zip(marks, sentences, strict=True)) == sorted(quotes)
    assert "村田智能公司党支部和顺德图书馆党支部" in marks
    assert "第二期" in article.page.text_content("#details")
    article.assert_clean()


def test_phase_filter_hides_the_other_phase(article: Opened) -> None:
    article.js("kgviz.reset()")
    article.page.select_option("#phase", "1")
    shown = article.js("kgviz.visibleEdgeIds().map(kgviz.edge)")
    assert {e["phaseNumber"] for e in shown if e["relation"] == "pairing"} == {1}
    assert MURATA not in article.js("kgviz.visibleNodeIds()")
    article.page.select_option("#phase", "2")
    shown = article.js("kgviz.visibleEdgeIds().map(kgviz.edge)")
    assert sorted(e["phaseNumber"] for e in shown if e["relation"] == "pairing") == [2] * 8
    assert MURATA in article.js("kgviz.visibleNodeIds()")
    article.page.click("#reset")
    assert article.js("kgviz.visibleNodeIds().length") == article.js("kgviz.records.nodeCount")
    article.assert_clean()


def test_focus_shows_the_neighbourhood_and_reset_shows_all(article: Opened, asserted: Graph) -> None:
    article.js("kgviz.reset()")
    article.search("村田")
    article.page.click("#focus")
    expected = {n["id"] for n in page_data(network_page(asserted, focus="村田", depth=1))["nodes"]}
    assert set(article.js("kgviz.visibleNodeIds()")) == expected
    article.page.click("#reset")
    assert article.js("kgviz.visibleNodeIds().length") == article.js("kgviz.records.nodeCount")
    article.assert_clean()


def test_class_filter_hides_a_class(article: Opened) -> None:
    article.js("kgviz.reset()")
    article.page.uncheck('#kinds input[data-kind="foaf:Person"]')
    kinds = article.js("kgviz.visibleNodeIds().map(id => kgviz.node(id).kind)")
    assert "foaf:Person" not in kinds and kinds
    article.page.click("#reset")
    article.assert_clean()


def test_hostile_labels_show_as_text_and_run_nothing(browser: Any, tmp_path: Path) -> None:
    opened = Opened(browser, network_page(load("hostile.ttl")), tmp_path)
    assert opened.search("onerror=alert(1)") == ["https://w3id.org/zqgj/id/org/evil"]
    assert opened.page.text_content("#details h2") == "<img src=x onerror=alert(1)>"
    assert opened.page.text_content("#details .en") == "</div><script>window.pwned=1</script>"
    assert "\"'&amp; \u2028 </script>" in opened.page.text_content("#details")
    edge = opened.js("'e' + kgviz.data.edges.relation.indexOf(kgviz.data.relations.indexOf('pairing'))")
    opened.click_edge(edge)
    assert opened.page.text_content("#details mark") == "</mark><img src=z onerror=alert(5)>"
    assert opened.page.text_content("#details blockquote").startswith("<script>alert(6)</script>")
    opened.page.fill("#search", "<")
    assert "<img src=y onerror=window.pwned=2>" in opened.page.text_content("#results")
    branch = "https://w3id.org/zqgj/id/org/evil-branch"
    position = opened.js(f"kgviz.network.canvasToDOM(kgviz.network.getPositions([{json.dumps(branch)}])"
                         f"[{json.dumps(branch)}])")
    box = opened.page.locator("#network").bounding_box()
    opened.page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    opened.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert "<b onmouseover=alert(3)>党支部</b>" in opened.page.text_content("div.vis-tooltip")
    assert opened.js("document.querySelectorAll('img, svg, b, u, i, title ~ title').length") == 0
    assert opened.js("document.title") == "政企共建 network"
    opened.assert_clean()
    opened.page.close()


def test_ten_thousand_nodes_open_on_the_budget(browser: Any, tmp_path: Path) -> None:
    started = time.perf_counter()
    opened = Opened(browser, network_page(synthetic_graph(2500)), tmp_path)
    print(f"10,000-node page built and shown in {time.perf_counter() - started:.2f} s")
    assert len(opened.js("kgviz.visibleNodeIds()")) == 2000
    assert "10,000 nodes" in opened.page.text_content("#note")
    hidden = opened.js("kgviz.records.node(kgviz.data.nodes.id.findIndex((_, i) => !kgviz.data.initial.includes(i)))")
    assert opened.search(hidden["zh"]) == [hidden["id"]]
    assert hidden["id"] in opened.js("kgviz.visibleNodeIds()")
    opened.assert_clean()
    opened.page.close()


def test_the_vendored_vis_network_is_the_one_pyvis_ships() -> None:
    """``viz/vendor/vis-network.min.js`` is pyvis's own copy of vis-network 9.1.2, byte for byte: the page
    draws with the library pyvis is built on, inlined instead of linked from a CDN."""
    from importlib.resources import files

    shipped = files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    vendored = Path(__file__).parent.parent / "viz" / "vendor" / "vis-network.min.js"
    assert vendored.read_bytes() == shipped.read_bytes()


def test_the_collector_is_paused_inside_and_restored_after_even_on_error() -> None:
    """kg.gc_pause.collector_paused, which the closure and the network page share."""
    import gc

    from kg.gc_pause import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
