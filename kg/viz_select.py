"""Which part of the network a page shows: a focus neighbourhood, one phase, or a node budget.

The page's own search, focus and phase filter (``viz/view.js``, ``viz/network.js``) use the same rules, so what
``kg viz --focus X --depth N --phase P`` writes is what the page's buttons show.
"""

from __future__ import annotations

from collections import deque

import networkx as nx

from kg.iris import curie_of
from kg.viz_data import node_phases


def _names(node: str, attrs: dict[str, object]) -> list[str]:
    """Every name a node answers to, lowercased: labels, aliases, pinyin, IRI and CURIE."""
    names = [attrs.get("label_zh", ""), attrs.get("label_en", ""), node, curie_of(node)]
    for field in ("aliases", "pinyin"):
        names += str(attrs.get(field, "") or "").split(" | ")
    return [str(name).strip().lower() for name in names if str(name).strip()]


def find_node(net: nx.MultiDiGraph, name: str) -> str:
    """The node called ``name`` (exactly, else as the only node whose names contain it).

    Raises ``ValueError`` naming the unknown or ambiguous name, with candidates, so the CLI can say what
    to type instead.
    """
    wanted = name.strip().lower()
    if not wanted:
        raise ValueError("--focus needs a name: a zh or en label, an alias, pinyin or an IRI")
    named = {node: _names(node, attrs) for node, attrs in net.nodes(data=True)}
    exact = sorted(node for node, names in named.items() if wanted in names)
    partial = sorted(node for node, names in named.items() if any(wanted in n for n in names))
    for found in (exact, partial):
        organisations = [n for n in found if net.nodes[n].get("group") != "person"] or found
        hosts = [n for n in organisations if net.nodes[n].get("group") != "party"] or organisations
        if len(hosts) == 1:
            return str(hosts[0])
        if len(found) > 1:
            shown = ", ".join(f"{net.nodes[n]['label_zh']} <{n}>" for n in found[:8])
            raise ValueError(f"--focus {name!r} is ambiguous: it names {len(found)} nodes ({shown})")
    raise ValueError(
        f"--focus {name!r} names no organisation or person in the graph "
        "(give a zh or en label, an alias, pinyin such as 'cuntian', or an IRI)"
    )


def neighbourhood(net: nx.MultiDiGraph, start: str, depth: int) -> set[str]:
    """Nodes within ``depth`` relations of ``start``, ignoring direction; hosting costs nothing.

    A party organisation and its host count as one place, so focusing on an enterprise at depth 1 shows
    the branch it hosts and that branch's pairing partner, not just the branch.
    """
    distance = {start: 0}
    queue: deque[str] = deque([start])
    while queue:
        node = queue.popleft()
        around = [(v, a) for _, v, a in net.out_edges(node, data=True)]
        around += [(u, a) for u, _, a in net.in_edges(node, data=True)]
        for other, attrs in around:
            cost = 0 if attrs.get("relation") == "hosting" else 1
            if distance[node] + cost <= depth and distance[node] + cost < distance.get(other, depth + 1):
                distance[other] = distance[node] + cost
                (queue.appendleft if cost == 0 else queue.append)(other)
    return set(distance)


def restrict(net: nx.MultiDiGraph, nodes: set[str]) -> nx.MultiDiGraph:
    """A copy of the network on ``nodes`` only (node and edge order kept)."""
    return nx.MultiDiGraph(net.subgraph(nodes))


def by_phase(net: nx.MultiDiGraph, phase: int) -> nx.MultiDiGraph:
    """The organisations and people of one phase, without the other phases' pairing edges."""
    phases = node_phases(net)
    kept = nx.MultiDiGraph()
    kept.add_nodes_from((n, a) for n, a in net.nodes(data=True) if phase in phases[n])
    for source, target, key, attrs in net.edges(keys=True, data=True):
        other_phase = attrs.get("relation") == "pairing" and attrs.get("phase_number") != phase
        if source in kept and target in kept and not other_phase:
            kept.add_edge(source, target, key=key, **attrs)
    return kept


def budget_view(net: nx.MultiDiGraph, budget: int) -> tuple[list[str] | None, str]:
    """The nodes a big page opens on (the ``budget`` most connected organisations) and a note saying so.

    ``None`` and ``""`` when the whole network fits.
    """
    if net.number_of_nodes() <= budget:
        return None, ""
    shown = sorted(_most_connected(net, budget))
    hidden = net.number_of_nodes() - len(shown)
    note = (
        f"This graph has {net.number_of_nodes():,} nodes and {net.number_of_edges():,} edges, more than the "
        f"page's budget of {budget:,}: it opens on the {len(shown):,} most connected organisations and hides "
        f"{hidden:,} nodes. Search for a name to open its neighbourhood, use Focus, or run "
        "`kg viz --focus NAME --depth N` for a page of one neighbourhood."
    )
    return shown, note


def _most_connected(net: nx.MultiDiGraph, budget: int) -> set[str]:
    """Organisations by degree, each with its host or hosted party organisations while they fit."""
    ranked = sorted(net.nodes, key=lambda n: (net.nodes[n].get("group") == "person", -net.degree(n), n))
    chosen: set[str] = set()
    for node in ranked:
        if len(chosen) >= budget:
            break
        hosting = [*net.successors(node), *net.predecessors(node)]
        cluster = {node, *(n for n in hosting if _hosting(net, node, n))} - chosen
        if len(chosen) + len(cluster) <= budget:
            chosen |= cluster
    return chosen


def _hosting(net: nx.MultiDiGraph, a: str, b: str) -> bool:
    edges = [*net.get_edge_data(a, b, default={}).values(), *net.get_edge_data(b, a, default={}).values()]
    return any(attrs.get("relation") == "hosting" for attrs in edges)
