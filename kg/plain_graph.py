"""Every triple of a graph or a dataset, as one plain rdflib graph.

Why a module of its own: both the closure (:mod:`kg.reason`) and the clash check (:mod:`kg.clashes`) read
"the union of all named graphs" of whatever they are given, and neither should import the other to get it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph, ReadOnlyGraphAggregate
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def plain_graph(graph: Graph) -> Graph:
    """A plain graph of every triple in ``graph`` (the union of all named graphs of a dataset)."""
    if isinstance(graph, ConjunctiveGraph | ReadOnlyGraphAggregate) or type(graph) is not Graph:
        plain = Graph()
        for triple in all_triples(graph):
            plain.add(triple)
        return plain
    return graph


def all_triples(graph: Graph) -> Iterable[Triple]:
    """The triples of ``graph``; of every named graph when it is a dataset."""
    if isinstance(graph, Dataset | ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield (s, p, o)
    else:
        yield from graph.triples((None, None, None))
