"""``kg viz --store oxigraph:PATH --focus NAME``: the page of one neighbourhood, reading only around it.

Three steps, each a query of ``viz/focus-*.rq``, so that the page is the one :func:`kg.viz.network_page`
draws from the whole graph:

1. **The name.** :func:`kg.viz_select.find_node` looks for NAME among every node's names (labels, aliases,
   IRI, CURIE, pinyin). Only nodes one of whose names contains NAME can matter, so the store is asked for
   those (``focus-names.rq``): a label, alias or IRI containing NAME; for pinyin, a name containing one
   character of NAME that pinyin cannot spell (pinyin is ``a-z`` and spaces, other characters pass through:
   checked on every CJK character); for a CURIE, the namespaces its prefix stands for. ``find_node`` then
   decides among those nodes. NAME made only of ``a-z`` and spaces may be anyone's pinyin: every node is read.
2. **The neighbourhood.** Distances as :func:`kg.viz_select.neighbourhood` counts them (hosting 0, the
   rest 1), found level by level (``focus-neighbours.rq``) up to ``depth + 1``: the page shows nodes up to
   ``depth`` with their degree in the whole graph, and one step further is where their edges end; the
   phases ``--phase`` filters on travel along hosting (cost 0) and from an organisation to its post holders.
3. **The page.** ``network-*.rq`` restricted to those nodes, then ``network_page(focus=IRI)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.iris import PREFIXES
from kg.network import network_of
from kg.viz import network_page
from kg.viz_select import find_node, restrict
from kg.viz_store import OpenedGraph, Term, network_graph, open_read_only, query_text, restricted, run

_SPELLABLE = re.compile(r"[a-z ]")  # what pinyin of a CJK character is made of (lowercase, toneless)


def page_from_store(path: Path, *, focus: str | None = None, depth: int = 1, phase: int | None = None,
                    people: bool = True, inferred: bool = False) -> str:
    """``kg viz --store oxigraph:PATH``: the page of the store kg left at ``path``, read-only."""
    opened = open_read_only(path)
    if focus is not None:
        return focus_page(opened, focus, depth=depth, phase=phase, people=people, inferred=inferred)
    if depth < 0:
        raise ValueError(f"--depth must be 0 or more, not {depth}")
    return network_page(network_graph(opened, inferred=inferred), phase=phase, people=people)


def focus_page(opened: OpenedGraph, focus: str, *, depth: int = 1, phase: int | None = None,
               people: bool = True, inferred: bool = False) -> str:
    """The page ``network_page(whole graph, focus=focus, ...)`` would give, from the nodes around it."""
    if depth < 0:
        raise ValueError(f"--depth must be 0 or more, not {depth}")
    start = resolve(opened, focus, people=people, inferred=inferred)
    phases = store_phases(opened, inferred=inferred) if phase is not None else []
    if phase is not None and phase not in phases:
        raise ValueError(f"--phase {phase}: the graph has no pairing of that phase (phases: {phases})")
    graph = network_graph(opened, within(opened, start, depth + 1, people=people, inferred=inferred),
                          inferred=inferred)
    try:
        return network_page(graph, focus=start, depth=depth, phase=phase, people=people)
    except ValueError as err:  # the neighbourhood lacks the phase: so does the focus
        if "has no pairing of that phase" not in str(err):
            raise
        raise ValueError(f"--focus {focus!r} takes part in no pairing of phase {phase}") from None


def resolve(opened: OpenedGraph, name: str, *, people: bool, inferred: bool) -> str:
    """The node ``find_node`` picks for ``name`` in the whole graph (its errors, word for word)."""
    wanted = name.strip().lower()
    if not wanted:
        raise ValueError("--focus needs a name: a zh or en label, an alias, pinyin or an IRI")
    unspellable = [c for c in wanted if not _SPELLABLE.match(c)]
    candidates: set[str] | None = None
    if unspellable:
        parts: list[Term] = [ox.Literal(wanted), ox.Literal(unspellable[0])]
        values: dict[str, list[Term]] = {"part": parts, "namespace": _curie_namespaces(wanted)}
        rows = run(opened, restricted(query_text("focus-names.rq"), values), inferred=inferred)
        candidates = {row[0].value for row in rows if isinstance(row[0], ox.NamedNode)}
    graph: Graph = network_graph(opened, candidates, inferred=inferred, evidence=False)
    net = network_of(graph, people=people)
    return find_node(restrict(net, set(net) if candidates is None else candidates & set(net)), name)


def _curie_namespaces(wanted: str) -> list[Term]:
    """IRI starts of the nodes whose CURIE contains ``wanted`` across its colon (``gs:mura``: ``…/org/mura``)."""
    before, colon, after = wanted.partition(":")
    found: list[Term] = []
    for prefix, namespace in PREFIXES.items():
        if colon and prefix.lower().endswith(before):
            found.append(ox.Literal(f"{namespace}{after}".lower()))
        elif not colon and wanted in prefix.lower():
            found.append(ox.Literal(str(namespace).lower()))
    return found


def within(opened: OpenedGraph, start: str, reach: int, *, people: bool, inferred: bool) -> set[str]:
    """Every node within ``reach`` of ``start`` (hosting costs 0; a superset is fine, never fewer)."""
    distance = {start: 0}
    frontier = {start}
    text = query_text("focus-neighbours.rq")
    while frontier:
        rows = run(opened, restricted(text, {"node": sorted(frontier)}), inferred=inferred)
        frontier = set()
        for node, other, cost in rows:
            step = int(cost.value)
            if step == 2 and not people:
                continue
            found = distance[node.value] + min(step, 1)
            if found <= reach and found < distance.get(other.value, reach + 1):
                distance[other.value] = found
                frontier.add(other.value)
    return set(distance)


def store_phases(opened: OpenedGraph, *, inferred: bool) -> list[int]:
    """The phase numbers of the whole graph's pairing edges (``network_page`` lists them)."""
    rows = run(opened, query_text("network-phases.rq"), inferred=inferred)
    return sorted({int(row[0].value) for row in rows})
