"""An rdflib graph copied into an in-memory Oxigraph store, to run there the SPARQL that validation asks.

Why: ``kg build`` of the article spent 0.27 s in rdflib's SPARQL engine on the two SHACL span constraints
(``ontology/shapes.ttl``; 0.13 s of it building pyparsing's grammar on first use) and 0.05 s on the clash
query (``ontology/consistency.rq``). Oxigraph answers the three in ~6 ms after a ~30 ms copy of the 3,900
triples. The queries are standard SPARQL 1.1, and tests/test_validate.py checks the rows against pySHACL's
(rdflib's engine) on every invalid case.

Terms go in with :func:`kg.store_terms.to_ox` and come back with :func:`kg.store_terms.to_rdflib`, so an IRI
or a blank node comes back equal to the graph's own. A typed literal computed or returned by a query comes
back in Oxigraph's canonical form (``"08"^^xsd:integer`` as ``"8"``); validation only shows such values in
messages and compares strings and nodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Identifier, Node

from kg.store_terms import OxTerm, to_ox, to_rdflib


def oxigraph_copy(graph: Graph) -> ox.Store:
    """A new in-memory store whose default graph holds every triple of ``graph``."""
    terms: dict[Node, OxTerm] = {}

    def term(node: Node) -> OxTerm:
        found = terms.get(node)
        if found is None:
            found = terms[node] = to_ox(node)
        return found

    store = ox.Store()
    store.extend([ox.Quad(term(s), term(p), term(o)) for s, p, o in graph])  # type: ignore[arg-type]
    return store


def solutions(store: ox.Store, query: str, prefixes: Mapping[str, str] | None = None,
              ) -> Iterator[dict[str, Identifier]]:
    """Each row of a SELECT ``query`` on ``store``'s default graph, as ``{variable: rdflib term}`` (unbound
    variables left out, as rdflib's ``ResultRow.asdict`` leaves them)."""
    answer = store.query(query, prefixes=dict(prefixes or {}))
    assert isinstance(answer, ox.QuerySolutions), "a SELECT query"
    names = [variable.value for variable in answer.variables]
    for row in answer:
        yield {name: to_rdflib(term) for name, term in zip(names, row, strict=True) if term is not None}
