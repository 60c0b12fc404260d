"""A deterministic starting layout, so the page opens on the same readable picture every time.

vis-network's physics alone spreads a graph of many small components (the article: eleven pairings) into a
different tangle for every tweak. Here each party organisation is drawn with its host just above it and
its post holders just below (a *cluster*), clusters are placed on a radial tree of their pairings (a pair
side by side), and components are packed in rows, largest first. The page opens on these positions with
physics off, so nothing drifts. Sizes are estimates of the drawn shapes in vis pixels.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

ROW_GAP = 45.0  # vertical space between rows: host / party organisation / post holder
GAP = 40.0  # space between boxes side by side
PAIR_GAP = 130.0  # space between two paired clusters: room for the pairing edge's phase label
FONT = 18.0  # the page's node font size (viz/options.json)
#: Relations drawn upwards inside a cluster: a party organisation below its host, a unit below its parent.
HIERARCHY = ("hosting", "suborganization")

Point = tuple[float, float]
Size = tuple[float, float]


def node_size(label: str, shape: str = "box") -> Size:
    """The drawn width and height of a node: its label (CJK a full em, others about half) plus margins.

    vis-network draws an ellipse as wide as its label plus its height and twice as tall, a circle as
    wide as it is tall.
    """
    lines = label.split("\n") or [""]
    width = 16.0 + FONT * max(sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in line) for line in lines)
    height = 12.0 + 1.25 * FONT * len(lines)
    if shape == "ellipse":
        return width + height, 2 * height
    if shape == "circle":
        return max(width, height), max(width, height)
    return width + 4.0, height + 4.0


def initial_positions(net: nx.MultiDiGraph, sizes: dict[str, Size]) -> dict[str, Point]:
    """Positions of every node: clusters on radial trees, components packed in rows."""
    clusters = _clusters(net)
    components = sorted(nx.weakly_connected_components(net), key=lambda c: (-len(c), min(c)))
    return _pack([_component(net, sorted(c), clusters, sizes) for c in components], sizes)


def _clusters(net: nx.MultiDiGraph) -> dict[str, str]:
    """Each node's cluster: organisations joined by hosting or sub-organisation; people join their post's."""
    joined = nx.Graph()
    joined.add_nodes_from(n for n, a in net.nodes(data=True) if a.get("group") != "person")
    joined.add_edges_from((u, v) for u, v, a in net.edges(data=True) if a.get("relation") in HIERARCHY)
    cluster = {n: min(c) for c in nx.connected_components(joined) for n in c}
    for node, attrs in sorted(net.nodes(data=True)):
        if attrs.get("group") == "person":
            posts = sorted(v for _, v, a in net.out_edges(node, data=True) if a.get("relation") == "post")
            cluster[node] = cluster.get(posts[0], node) if posts else node
    return cluster


def _levels(net: nx.MultiDiGraph, members: list[str]) -> dict[str, int]:
    """Rows of a cluster: people -1, then 0 for what hosts nothing, one more than the highest thing below.

    Plain relaxation rather than networkx: a graph has thousands of two-node clusters, and a cycle in bad
    data only stops the relaxation after ``len(members)`` rounds.
    """
    inside = set(members)
    level = {m: -1 if net.nodes[m].get("group") == "person" else 0 for m in members}
    links = [
        (u, v)
        for u in members
        for _, v, a in net.out_edges(u, data=True)
        if v in inside and a.get("relation") in HIERARCHY
    ]
    for _ in range(len(members) if links else 0):
        raised = [(u, v) for u, v in links if level[v] < level[u] + 1]
        for u, v in raised:
            level[v] = max(level[v], level[u] + 1)
        if not raised:
            break
    return level


def _cluster_shape(net: nx.MultiDiGraph, members: list[str], sizes: dict[str, Size]) -> dict[str, Point]:
    """Offsets of a cluster's members: hosts and parents a row above what they hold, people a row below.

    Rows are filled top down, each member under the members of the row above it is linked to; the row of
    party organisations sits at 0 so paired clusters line up.
    """
    level = _levels(net, members)
    shape: dict[str, Point] = {}
    y, previous, zero = 0.0, 0.0, None
    for row_level in sorted(set(level.values()), reverse=True):
        row = sorted((m for m in members if level[m] == row_level), key=lambda m: (_mean_x(net, m, shape), m))
        height = max(sizes[m][1] for m in row)
        y += (previous + height) / 2 + ROW_GAP if shape else 0.0
        zero, previous = (y if row_level == 0 or zero is None else zero), height
        spans = [sizes[m][0] + GAP for m in row]
        x = -sum(spans) / 2
        for member, width in zip(row, spans, strict=True):
            shape[member] = (x + width / 2, y)
            x += width
    return {m: (x, y - (zero or 0.0)) for m, (x, y) in shape.items()}


def _mean_x(net: nx.MultiDiGraph, node: str, placed: dict[str, Point]) -> float:
    """Where the already placed nodes linked to ``node`` are, on average (0 if none)."""
    linked = [placed[n][0] for n in [*net.successors(node), *net.predecessors(node)] if n in placed]
    return sum(linked) / len(linked) if linked else 0.0


def _component(
    net: nx.MultiDiGraph, nodes: list[str], cluster: dict[str, str], sizes: dict[str, Size]
) -> dict[str, Point]:
    """One component: its clusters on a radial tree of the relations between clusters."""
    members: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        members[cluster[node]].append(node)
    shapes = {c: _cluster_shape(net, m, sizes) for c, m in members.items()}
    between: dict[str, set[str]] = {c: set() for c in members}
    for u in nodes:
        for v in net.successors(u):
            if cluster[u] != cluster[v]:
                between[cluster[u]].add(cluster[v])
                between[cluster[v]].add(cluster[u])
    extent = {c: _extent(s, sizes) for c, s in shapes.items()}
    centres = _radial_tree(between, extent)
    return {n: (centres[c][0] + x, centres[c][1] + y) for c, s in shapes.items() for n, (x, y) in s.items()}


def _radial_tree(graph: dict[str, set[str]], extent: dict[str, Size]) -> dict[str, Point]:
    """A BFS tree from the best-connected cluster: children share their parent's wedge, one ring further out.

    Each ring is at least one cluster width further out than the last and long enough to hold its
    clusters side by side, so clusters never overlap however many pairings a hub has. Rings are spaced
    by cluster widths (a pair sits side by side, and a chain of pairings runs along one line), their
    circumference by the larger of width and height.
    """
    root = min(graph, key=lambda n: (-len(graph[n]), n))
    children: dict[str, list[str]] = {root: []}
    depth, order = {root: 0}, [root]
    for node in order:  # breadth first: ``order`` grows while it is walked
        for other in sorted(graph[node] - depth.keys()):
            depth[other], children[other] = depth[node] + 1, []
            children[node].append(other)
            order.append(other)
    leaves: dict[str, int] = {}
    for node in reversed(order):
        leaves[node] = sum(leaves[c] for c in children[node]) or 1
    radius, widest = [0.0], [extent[root][0]]
    for level in range(1, max(depth.values()) + 1):
        ring = [extent[n] for n in order if depth[n] == level]
        step = (widest[-1] + max(w for w, _ in ring)) / 2 + PAIR_GAP
        radius.append(max(radius[-1] + step, sum(max(e) + GAP for e in ring) / (2 * math.pi)))
        widest.append(max(w for w, _ in ring))
    where: dict[str, Point] = {root: (0.0, 0.0)}
    wedges = {root: (-math.pi / 2, 3 * math.pi / 2)}
    for node in order:
        low, high = wedges[node]
        for child in children[node]:
            share = (high - low) * leaves[child] / leaves[node]
            wedges[child], low = (low, low + share), low + share
            lone = node == root and len(children[root]) == 1
            angle = 0.0 if lone else (wedges[child][0] + wedges[child][1]) / 2
            where[child] = (radius[depth[child]] * math.cos(angle), radius[depth[child]] * math.sin(angle))
    return where


def _extent(shape: dict[str, Point], sizes: dict[str, Size]) -> Size:
    """The width and height a cluster needs around its centre (twice its farthest reach each way)."""
    wide = max(abs(x) + sizes[n][0] / 2 for n, (x, _) in shape.items())
    tall = max(abs(y) + sizes[n][1] / 2 for n, (_, y) in shape.items())
    return 2 * wide, 2 * tall


def _pack(components: list[dict[str, Point]], sizes: dict[str, Size]) -> dict[str, Point]:
    """Components left to right in rows about as wide as a screen for the total area, party rows aligned."""
    boxes = []
    for placed in components:
        left = min(x - sizes[n][0] / 2 for n, (x, _) in placed.items())
        right = max(x + sizes[n][0] / 2 for n, (x, _) in placed.items())
        top = min(y - sizes[n][1] / 2 for n, (_, y) in placed.items())
        bottom = max(y + sizes[n][1] / 2 for n, (_, y) in placed.items())
        boxes.append((placed, left, right, top, bottom))
    area = sum((r - lft + 2 * GAP) * (b - t + 2 * GAP) for _, lft, r, t, b in boxes)
    width = max(max((r - lft for _, lft, r, _, _ in boxes), default=0.0), math.sqrt(area * 1.9))
    rows: list[list[tuple[dict[str, Point], float, float, float, float]]] = []
    for box in boxes:
        used = sum(r - lft + 2 * GAP for _, lft, r, _, _ in rows[-1]) if rows else math.inf
        if used + box[2] - box[1] > width:
            rows.append([])
        rows[-1].append(box)
    out: dict[str, Point] = {}
    y = 0.0
    for row in rows:
        baseline = y + max(-top for *_, top, _ in row)  # every component's y = 0 on one line
        x = 0.0
        for placed, left, right, _, _ in row:
            shift = x - left
            out.update({n: (round(shift + px, 1), round(baseline + py, 1)) for n, (px, py) in placed.items()})
            x += right - left + 2 * GAP
        y = baseline + max(bottom for *_, bottom in row) + 2 * GAP
    return out
