"""``kg viz --store oxigraph:PATH``: the network page of a graph too big for rdflib, read from Oxigraph.

A store on disk (as ``kg query --store oxigraph:PATH`` or :func:`kg.bulk.build_into_store` leave it) is
opened read-only, and only the triples the network projection reads (:mod:`kg.network` and
:mod:`kg.network_evidence`, the evidence of :mod:`kg.viz_data`) are copied into a small rdflib graph by the
CONSTRUCT queries ``viz/network-*.rq``:
classes, labels, aliases and evidence of the nodes; pairings, posts, hosting and sub-organisation with
their phases, roles and reified statements; the cited selectors, headlines and (only where a selector has
no prefix or suffix) article texts. :func:`kg.viz.network_page` then draws that graph exactly as it draws
the whole one. The queries' ``VALUES ?node { UNDEF }`` (every node) is what ``--focus`` narrows to the
neighbourhood (:mod:`kg.viz_focus`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from kg.assets import asset
from kg.errors import InputError
from kg.store_terms import TermCache

#: The queries that copy the nodes and their edges; the evidence query runs on what they cite.
GRAPH_QUERIES = ("network-nodes.rq", "network-edges.rq")
EVIDENCE_QUERY = "network-evidence.rq"
#: A value for a query's ``VALUES``: an IRI string, or an Oxigraph literal.
Term = str | ox.Literal
STATE_FILE = "kg-store.json"  # kg.store_open writes it last: a store without it is an interrupted load
_UNDEF = re.compile(r"VALUES \?(\w+) \{ UNDEF \}")


@dataclass(frozen=True)
class OpenedGraph:
    """A store opened for reading, and whether it holds the entailments (``--inferred``)."""

    store: ox.Store
    has_inferred: bool


def open_read_only(path: Path) -> OpenedGraph:
    """The Oxigraph store kg left at ``path``; a missing, foreign or unfinished one is an ``InputError``."""
    if not path.is_dir():
        raise InputError(path, None, "no Oxigraph store here (kg query --store oxigraph:PATH or kg.bulk makes one)")
    try:
        state = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(path, None, f"not a complete kg Oxigraph store (no readable {STATE_FILE})") from None
    try:
        store = ox.Store.read_only(str(path))
    except OSError as err:
        raise InputError(path, None, f"cannot open the Oxigraph store ({err})") from None
    return OpenedGraph(store, state.get("inferred") is not None)


@cache
def query_text(name: str) -> str:
    """The text of ``viz/NAME``."""
    return asset("viz", name).read_text(encoding="utf-8")


def restricted(text: str, values: Mapping[str, Iterable[Term]]) -> str:
    """``text`` with each ``VALUES ?x { UNDEF }`` of an ``x`` in ``values`` listing those terms instead (an
    IRI string is a ``NamedNode``). Oxigraph's own serialiser writes them: nothing of them is read as SPARQL."""
    def listed(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            return match.group(0)
        terms = (ox.NamedNode(t) if isinstance(t, str) else t for t in values[match.group(1)])
        return f"VALUES ?{match.group(1)} {{ {' '.join(sorted(str(t) for t in terms))} }}"
    return _UNDEF.sub(listed, text)


def run(opened: OpenedGraph, text: str, *, inferred: bool) -> Any:
    """Evaluate ``text`` on the default graph (with ``inferred``: the union with the entailments)."""
    options: dict[str, Any] = {"use_default_graph_as_union": True} if inferred else {
        "default_graph": ox.DefaultGraph()}
    return opened.store.query(text, **options)


def construct(opened: OpenedGraph, text: str, into: Graph, cache: TermCache, *, inferred: bool) -> None:
    """Add what one CONSTRUCT makes to ``into``, each Oxigraph term converted once."""
    triples: Iterable[ox.Triple] = run(opened, text, inferred=inferred)
    get, convert, add = cache.get, cache.rdflib, into.add
    for triple in triples:
        s, p, o = triple.subject, triple.predicate, triple.object
        add((get(s) or convert(s), get(p) or convert(p), get(o) or convert(o)))


def network_graph(opened: OpenedGraph, nodes: Iterable[str] | None = None, *, inferred: bool = False,
                  evidence: bool = True) -> Graph:
    """The triples the network page reads, of every node (``None``) or of ``nodes`` and their edges; without
    ``evidence``, not the cited selectors and articles."""
    if inferred and not opened.has_inferred:
        raise ValueError("--inferred: this Oxigraph store was loaded without the entailments")
    graph, cache = Graph(), TermCache()
    values = {} if nodes is None else {"node": list(nodes)}
    for name in GRAPH_QUERIES:
        construct(opened, restricted(query_text(name), values), graph, cache, inferred=inferred)
    if evidence:
        cited = {} if nodes is None else {"e": [str(e) for e in graph.objects(None, PROV.wasDerivedFrom)
                                                if isinstance(e, URIRef)]}
        construct(opened, restricted(query_text(EVIDENCE_QUERY), cited), graph, cache, inferred=inferred)
    return graph
