"""``kg viz --store oxigraph:PATH --focus NAME``: the page of one neighbourhood, reading only around it.

Three steps, each a query of ``viz/focus-*.rq``, so that the page is the one :func:`kg.viz.network_page`
draws from the whole graph:

1. **The name.** :func:`kg.viz_select.find_node` looks for NAME among every node's names (labels, aliases,
   IRI, CURIE, pinyin). Only nodes one of whose names contains NAME can matter, so the store is asked for
   those (``focus-names.rq``): a label, alias or IRI containing NAME; for a CURIE, the namespaces its prefix
   stands for; for pinyin, nothing more if NAME has a character pinyin turns into letters (such a character
   is in no pinyin: pinyin is ``a-z`` and spaces, checked on every CJK character), else a name containing
   one of NAME's characters that pinyin keeps as they are (``-``, ``:``, digits). ``find_node`` then decides
   among those nodes. NAME made only of ``a-z`` and spaces may be anyone's pinyin: every node is read.
   NAME found in the names or IRIs of more than :data:`MAX_CANDIDATES` nodes (``/``, ``org``, a digit) is
   refused as ambiguous before their network is read: on the 10,000-article store ``/`` would otherwise
   draw every node (the 142 s, 3.7 GB page of docs/viz.md), and ``find_node`` would refuse it in the end.
2. **The neighbourhood.** Distances as :func:`kg.viz_select.neighbourhood` counts them (hosting 0, the
   rest 1), found level by level (``focus-neighbours.rq``) up to ``depth + 1``: the page shows nodes up to
   ``depth`` with their degree in the whole graph, and one step further is where their edges end; the
   phases ``--phase`` filters on travel along hosting (cost 0) and from an organisation to its post holders.
3. **The page.** ``network-*.rq`` restricted to those nodes, then ``network_page(focus=IRI)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from pypinyin import lazy_pinyin

from kg.iris import PREFIXES
from kg.network import network_of
from kg.viz import network_page
from kg.viz_select import _names, find_node, restrict
from kg.viz_store import OpenedGraph, Term, network_graph, open_read_only, query_text, restricted, run

#: The language tags of the labels kg writes (kg/build.py: zh and en) and their usual variants.
_TAGS = ("", "zh", "zh-hans", "zh-hant", "zh-cn", "zh-tw", "zh-hk", "en", "en-us", "en-gb")
_SPELLABLE = re.compile(r"[a-z ]")  # what pinyin of a CJK character is made of (lowercase, toneless)
#: A name found among the names of more nodes than this is refused as ambiguous (step 1 of the docstring).
MAX_CANDIDATES = 1_000


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
    kept = [c for c in unspellable if lazy_pinyin(c) == [c]]  # pinyin turns the others into letters
    chinese = len(kept) < len(unspellable) and ":" not in wanted and wanted == wanted.upper()
    if chinese or ":" in wanted:
        exact = _named_exactly(opened, name.strip(), wanted, people=people, inferred=inferred)
        if exact is not None:
            return find_node(exact, name)
    candidates: set[str] | None = None
    if unspellable:  # a character pinyin turns into letters is in no pinyin; one it keeps is in the name
        parts: list[Term] = [ox.Literal(wanted)]
        if len(kept) == len(unspellable):
            parts.append(ox.Literal(kept[0]))
        values: dict[str, list[Term]] = {"part": parts, "namespace": _curie_namespaces(wanted)}
        text = restricted(query_text("focus-names.rq"), values) + f"\nLIMIT {MAX_CANDIDATES + 1}"
        candidates = {row[0].value for row in run(opened, text, inferred=inferred) if isinstance(row[0], ox.NamedNode)}
        if len(candidates) > MAX_CANDIDATES:
            raise ValueError(f"--focus {name!r} is ambiguous: it is in the names or IRIs of more than "
                             f"{MAX_CANDIDATES:,} nodes; give more of the name")
    return find_node(_names_net(opened, candidates, people=people, inferred=inferred), name)


def _names_net(opened: OpenedGraph, candidates: set[str] | None, *, people: bool, inferred: bool) -> nx.MultiDiGraph:
    """The network's nodes among ``candidates`` (``None``: all), with the names ``find_node`` reads."""
    net = network_of(network_graph(opened, candidates, inferred=inferred, evidence=False), people=people)
    return restrict(net, set(net) if candidates is None else candidates & set(net))


def _named_exactly(opened: OpenedGraph, text: str, wanted: str, *, people: bool,
                   inferred: bool) -> nx.MultiDiGraph | None:
    """The nodes called exactly ``wanted``, looked up by index: a label or alias in one of the language tags
    kg writes, or the IRI that NAME is or that its CURIE stands for. Used when nothing else can be called
    ``wanted``: NAME has a character pinyin spells in letters, no letter with a case and no colon, or NAME
    has a colon (an IRI or CURIE; not looked for: IRIs that differ from it only in case, and pinyin with a
    colon). ``find_node`` decides among those alone when there is one; ``None`` when there is none."""
    names: list[Term] = [ox.Literal(text, language=tag) if tag else ox.Literal(text) for tag in _TAGS]
    rows = run(opened, restricted(query_text("focus-exact.rq"), {"name": names}), inferred=inferred)
    found = {row[0].value for row in rows if isinstance(row[0], ox.NamedNode)} | _iris_named(text)
    net = _names_net(opened, found, people=people, inferred=inferred)
    exact = {node for node, attrs in net.nodes(data=True) if wanted in _names(node, attrs)}
    return restrict(net, exact) if exact else None


def _iris_named(text: str) -> set[str]:
    """``text`` as an IRI, and the IRI it stands for as a CURIE (``orgs:murata``)."""
    prefix, _, local = text.partition(":")
    namespace = PREFIXES.get(prefix)
    found = set()
    for iri in [text] + ([f"{namespace}{local}"] if namespace is not None else []):
        try:
            found.add(ox.NamedNode(iri).value)
        except ValueError:  # not an IRI: then no node has it
            continue
    return found


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
