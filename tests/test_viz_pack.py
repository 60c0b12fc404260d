"""kg.viz_pack / viz/records.js: the page's packed data reads back as the network it was made from, and a big
page (only what is drawn made into vis items) still styles, searches, shows evidence and keeps text as text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.namespace import ORG

from kg.iris import entity
from kg.network import network_of
from kg.viz import network_page
from kg.viz_data import evidence_table
from kg.viz_pack import Strings
from tests.test_viz import Opened, load, packed, page_data

RELATIONS = {"pairing", "hosting", "post", "suborganization"}  # every relation kg/network.py draws
EVIL = "https://w3id.org/zqgj/id/org/evil"


@pytest.fixture(scope="module")
def mini() -> Graph:
    """The mini graph with a sub-organisation too, so the page has every relation."""
    graph = load("mini.ttl")
    graph.add((entity("org/murata-party-branch"), ORG.subOrganizationOf, entity("org/shunde-library")))
    return graph


def test_the_style_table_covers_every_relation(mini: Graph) -> None:
    data = packed(network_page(mini))
    assert set(data["relations"]) == RELATIONS
    for relation in RELATIONS:
        style = data["styles"]["relations"][relation]
        assert {"zh", "en", "color", "width", "length", "arrows", "dashes"} <= set(style)
    assert not {"color", "width", "dashes", "arrows"} & set(data["edges"])  # one table, not a style per edge


def test_packed_records_read_back_as_the_network(mini: Graph) -> None:
    data, net = page_data(network_page(mini)), network_of(mini)
    assert [n["id"] for n in data["nodes"]] == sorted(net.nodes)
    for node in data["nodes"]:
        attrs = net.nodes[node["id"]]
        assert (node["zh"], node["en"], node["kind"], node["role"]) == (
            attrs["label_zh"], attrs["label_en"], attrs["kind"], attrs["group"])
        cited = [e for e in attrs["evidence"].split(" | ") if e]
        assert [data["evidence"][i] for i in node["ev"]] == [evidence_table(mini, {e}, {})[e] for e in cited]
    edges = sorted(net.edges(keys=True, data=True))
    assert [(e["from"], e["to"], e["key"], e["relation"]) for e in data["edges"]] == [
        (u, v, k, a["relation"]) for u, v, k, a in edges]
    for edge, (*_, attrs) in zip(data["edges"], edges, strict=True):
        assert (edge["phase"], edge["phaseNumber"], edge["role"]) == (
            attrs.get("phase", ""), attrs.get("phase_number"), attrs.get("role", ""))
        quotes = [data["evidence"][i]["exact"] for i in edge["ev"]]
        assert quotes[:1] == ([attrs["quote"]] if "quote" in attrs else [])
    assert len(set(data["strings"])) == len(data["strings"]) and data["strings"][0] == ""


def test_strings_are_numbered_once_in_first_use_order() -> None:
    strings = Strings()
    assert [strings(s) for s in ("b", "a", "b", None, "")] == [1, 2, 1, 0, 0]
    assert strings.table() == ["", "b", "a"]


# ---------------------------------------------------------------- in Chromium


def test_drawn_edges_take_their_relations_style(browser: Any, mini: Graph, tmp_path: Path) -> None:
    opened = Opened(browser, network_page(mini), tmp_path)
    styles = opened.js("kgviz.data.styles.relations")
    drawn = opened.js("kgviz.visibleEdgeIds().map(id => [kgviz.edge(id).relation, "
                      "kgviz.network.body.edges[id].options])")
    assert {relation for relation, _ in drawn} == RELATIONS
    for relation, options in drawn:
        style = styles[relation]
        assert options["color"]["color"] == style["color"] and options["width"] == style["width"]
        assert options["dashes"] == style["dashes"] and options["arrows"]["to"]["enabled"] == style["arrows"]
    opened.assert_clean()
    opened.page.close()


def test_a_hidden_node_found_by_search_shows_its_evidence_as_text(browser: Any, tmp_path: Path) -> None:
    opened = Opened(browser, network_page(load("hostile.ttl"), node_budget=1), tmp_path)
    assert EVIL not in opened.js("kgviz.visibleNodeIds()")
    assert opened.search("onerror=alert(1)") == [EVIL]
    assert EVIL in opened.js("kgviz.visibleNodeIds()")
    assert opened.page.text_content("#details h2") == "<img src=x onerror=alert(1)>"
    assert opened.page.text_content("#details .en") == "</div><script>window.pwned=1</script>"
    marks = opened.page.eval_on_selector_all("#details mark", "ms => ms.map(m => m.textContent)")
    assert "<img src=x onerror=alert(1)>" in marks  # its own quote (and its branch's pairing's)
    captions = opened.page.eval_on_selector_all("#details figcaption", "fs => fs.map(f => f.textContent)")
    assert "<title>bad</title> · 0–28" in captions
    position = opened.js(f"kgviz.network.canvasToDOM(kgviz.network.getPositions([{json.dumps(EVIL)}])"
                         f"[{json.dumps(EVIL)}])")
    box = opened.page.locator("#network").bounding_box()
    opened.page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    opened.page.wait_for_selector("div.vis-tooltip", state="visible")
    assert "</div><script>window.pwned=1</script>" in opened.page.text_content("div.vis-tooltip")
    assert opened.js("document.querySelectorAll('img, svg, b').length") == 0
    assert opened.js("document.scripts.length") == 3  # the data and the page's two scripts, nothing injected
    opened.assert_clean()
    opened.page.close()
