"""The interactive network page: one self-contained HTML file that works from ``file://`` offline.

The page is rendered from this project's own template, stylesheet and scripts in ``viz/`` with vis-network
inlined from ``viz/vendor/``: pyvis's template links CDNs (Bootstrap from jsDelivr whatever
``cdn_resources`` says) and its ``write_html`` writes in place and copies ``lib/``, and its node and edge
lists (quadratic ``add_node``/``add_edge``, one JSON object per record) are what made a 10,000-article page
116 MB; the data is packed instead (:mod:`kg.viz_pack`), and the page written by :mod:`kg.viz_html`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import networkx as nx
from rdflib import Graph

from kg.gc_pause import collector_paused
from kg.network import network_of
from kg.viz_data import evidence_table, wrap_label
from kg.viz_html import json_asset, render_page
from kg.viz_html import script_json as script_json  # kg.serve_html's
from kg.viz_layout import initial_positions, node_size
from kg.viz_pack import Strings, cited_evidence, pack_edges, pack_evidence, pack_nodes
from kg.viz_select import budget_view, by_phase, find_node, neighbourhood, restrict


def network_page(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    phase: int | None = None,
    people: bool = True,
    node_budget: int = 2000,
    article_texts: dict[str, str] | None = None,
) -> str:
    """The whole HTML page of the graph's network (optionally one phase, one neighbourhood, no people)."""
    if depth < 0:
        raise ValueError(f"--depth must be 0 or more, not {depth}")
    with collector_paused():
        return _page(graph, focus, depth, phase, people, node_budget, article_texts or {})


def _page(graph: Graph, focus: str | None, depth: int, phase: int | None, people: bool, node_budget: int,
          texts: dict[str, str]) -> str:
    net = network_of(graph, people=people)
    start = find_node(net, focus) if focus is not None else None
    if phase is not None:
        phases = sorted({a["phase_number"] for *_, a in net.edges(data=True) if "phase_number" in a})
        if phase not in phases:
            raise ValueError(f"--phase {phase}: the graph has no pairing of that phase (phases: {phases})")
        net = by_phase(net, phase)
        if start is not None and start not in net:
            raise ValueError(f"--focus {focus!r} takes part in no pairing of phase {phase}")
    if start is not None:
        net = restrict(net, neighbourhood(net, start, depth))
    title = "政企共建 network" + (f" · {net.nodes[start]['label_zh']}" if start is not None else "")
    return render_page(page_data(graph, net, node_budget, texts), title)


def page_data(graph: Graph, net: nx.MultiDiGraph, node_budget: int, texts: dict[str, str]) -> dict[str, Any]:
    """Everything the page's scripts read, packed (:mod:`kg.viz_pack`): node, edge and evidence columns,
    the strings they share, vis options, styles, phases and the budget view (node indexes)."""
    styles = json_asset("styles.json")
    initial, note = budget_view(net, node_budget)
    groups = {attrs["kind"]: attrs["group"] for _, attrs in sorted(net.nodes(data=True))}
    kinds = sorted(groups)
    relations = sorted({str(attrs.get("relation", "")) for *_, attrs in net.edges(data=True)})
    shapes = {kind: style["shape"] for kind, style in styles["kinds"].items()}
    positions = initial_positions(net, {n: node_size(wrap_label(a["label_zh"]), shapes.get(a["kind"], "box"))
                                        for n, a in sorted(net.nodes(data=True))})
    evidence, strings = cited_evidence(net), Strings()
    nodes = pack_nodes(net, kinds, evidence, positions)
    edges = pack_edges(net, relations, evidence, strings, _lengths(net, positions))
    index = {node: i for i, node in enumerate(nodes["id"])}
    return {
        "nodes": nodes,
        "edges": edges,
        "evidence": pack_evidence(evidence_table(graph, set(evidence), texts), evidence, strings),
        "strings": strings.table(),
        "kinds": kinds,
        "groups": [groups[kind] for kind in kinds],
        "relations": relations,
        "options": vis_options(styles, len(initial) if initial is not None else net.number_of_nodes()),
        "styles": styles,
        "phases": _phases(net),
        "initial": [index[node] for node in initial] if initial is not None else None,
        "note": note,
    }


def _lengths(net: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> dict[tuple[str, str], float]:
    """Each edge's spring at rest in the starting layout, so physics only resolves overlaps."""
    lengths = {}
    for source, target in net.edges():
        if source in positions and target in positions:
            (x1, y1), (x2, y2) = positions[source], positions[target]
            lengths[source, target] = max(round(math.hypot(x2 - x1, y2 - y1), 1), 40.0)
    return lengths


def vis_options(styles: dict[str, Any], shown: int) -> dict[str, Any]:
    """``viz/options.json`` plus one vis group per class, tuned down for big pages so they still settle."""
    options: dict[str, Any] = json.loads(json.dumps(json_asset("options.json")))
    options["groups"] = {
        kind: {
            "shape": style["shape"],
            "color": {
                "background": style["background"],
                "border": style["border"],
                "highlight": {"background": style["background"], "border": "#111111"},
                "hover": {"background": style["background"], "border": "#111111"},
            },
            "font": {"color": style["font"]},
            "shapeProperties": {"borderRadius": style.get("corners", 4)},
            "borderWidth": style.get("borderWidth", 1),
        }
        for kind, style in styles["kinds"].items()
    }
    if shown > 150:  # improvedLayout's Kamada-Kawai pass is quadratic; edge labels and hover cost frames
        options["layout"]["improvedLayout"] = False
        options["physics"]["stabilization"]["iterations"] = 400 if shown <= 1000 else 200
        options["interaction"]["hideEdgesOnDrag"] = True
    return options


def _phases(net: nx.MultiDiGraph) -> list[dict[str, Any]]:
    found = {
        (a["phase_number"], a.get("phase", "")) for _, _, a in net.edges(data=True) if "phase_number" in a
    }
    return [{"number": number, "label": label or str(number)} for number, label in sorted(found)]
