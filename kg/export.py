"""Serialise a graph or dataset deterministically: the same input gives byte-identical text.

Turtle is rdflib's ``longturtle`` with ``canon=True`` (blank nodes canonicalised, subjects sorted);
N-Triples lines are sorted; TriG is written graph by graph in IRI order, each body in longturtle; JSON-LD
is rdflib's, then every unordered array sorted (JSON-LD 1.1 §4.3: arrays are sets unless ``@list``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg.build import bind_prefixes
from kg.iris import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

GRAPH_FORMATS = ("ttl", "nt", "trig", "jsonld")
NETWORK_FORMATS = ("graphml", "gexf")


def to_turtle(graph: Graph, *, relabelled: bool = False) -> str:
    """Canonical long-form Turtle: what ``longturtle`` with ``canon=True`` writes, with the blank nodes
    relabelled by :func:`canonical` (``relabelled``: they already are) instead of the serializer's own pass
    over the whole graph (relabel, write N-Triples, sort, parse again): the same bytes, a third of the time."""
    source = graph if relabelled else canonical(graph)
    bind_prefixes(source)
    return source.serialize(format="longturtle")


def canonical(graph: Graph) -> Graph:
    """``graph`` with blank nodes relabelled canonically (rdflib.compare), so their ids are stable.

    Only the triples that touch a blank node go through rdflib.compare: nodes not adjacent to a blank node
    "do not factor into the color of any blank node" (``_TripleCanonicalizer._initial_color``), so the labels
    are the ones the whole graph would get; the other triples are copied as they are."""
    relabelled = Graph()
    blank = [triple for triple in graph if any(isinstance(term, BNode) for term in triple)]
    if blank:
        part = Graph()
        part += blank
        relabelled += to_canonical_graph(part)
        relabelled += (triple for triple in graph if not any(isinstance(term, BNode) for term in triple))
    else:
        relabelled += graph
    bind_prefixes(relabelled)
    return relabelled


def to_ntriples(graph: Graph, *, relabelled: bool = False) -> str:
    """N-Triples, one triple a line, lines sorted, blank nodes canonically labelled."""
    source = graph if relabelled else canonical(graph)
    lines = sorted({line for line in source.serialize(format="nt").splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def to_trig(dataset: Dataset) -> str:
    """TriG with one block per named graph, graphs in IRI order, each in canonical longturtle."""
    header: list[str] = []
    blocks: list[str] = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        lines = to_turtle(graph).splitlines()  # canonical() copies the graph out of the dataset
        header += [line for line in lines if line.startswith("PREFIX ") or line.startswith("@prefix ")]
        # Not re-indented: a line may sit inside a multi-line string literal.
        triples = [line for line in lines if not line.startswith(("PREFIX ", "@prefix "))]
        blocks.append(f"<{graph.identifier}> {{\n" + "\n".join(triples).strip("\n") + "\n}\n")
    return "\n".join(sorted(set(header))) + "\n\n" + "\n".join(blocks)


def to_jsonld(data: Graph | Dataset, *, relabelled: bool = False) -> str:
    """Compact JSON-LD with the project's prefixes as its context, keys and sets sorted."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    source = canonical(data) if not isinstance(data, Dataset) and not relabelled else data
    raw = source.serialize(format="json-ld", context=context, auto_compact=True, sort_keys=True)
    return json.dumps(_sorted_sets(json.loads(raw)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sorted_sets(value: Any, in_list: bool = False) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_sets(item, key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_sets(item) for item in value]
        return items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def to_network(network: nx.MultiDiGraph, fmt: str) -> str:
    """GraphML or GEXF text of a networkx graph (``kg.network.network_of``), for Gephi and friends."""
    import networkx as nx

    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(network, buffer, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(network, buffer, encoding="utf-8", prettyprint=True)
    else:
        raise ValueError(f"unknown network format {fmt!r}; expected one of {NETWORK_FORMATS}")
    return buffer.getvalue().decode("utf-8")


def serialise_all(data: Dataset, formats: Iterable[str], *, union: Graph) -> dict[str, str]:
    """:func:`serialise` in each of ``formats``, the union's blank nodes relabelled once for all of them (and
    not at all for TriG alone, which relabels graph by graph)."""
    wanted = list(formats)
    relabelled = canonical(union) if any(fmt != "trig" for fmt in wanted) else union
    return {fmt: serialise(data, fmt, union=relabelled, relabelled=True) for fmt in wanted}


def serialise(data: Dataset, fmt: str, *, union: Graph, relabelled: bool = False) -> str:
    """``data`` in ``fmt``; ``union`` is the same data as one graph (for the formats without graphs),
    ``relabelled`` if its blank nodes already went through :func:`canonical`."""
    bind_prefixes(union)
    if fmt == "ttl":
        return to_turtle(union, relabelled=relabelled)
    if fmt == "nt":
        return to_ntriples(union, relabelled=relabelled)
    if fmt == "trig":
        return to_trig(data)
    if fmt == "jsonld":
        return to_jsonld(union, relabelled=relabelled)
    raise ValueError(f"unknown graph format {fmt!r}; expected one of {GRAPH_FORMATS}")
