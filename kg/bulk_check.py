"""The OWL clash check of :func:`kg.clashes.consistency_errors`, run by Oxigraph on the bulk store.

Why: at this size the check cannot go through rdflib (its SPARQL engine would join the type memberships of
the whole corpus in Python), but it is one query, ``ontology/consistency.rq``, which Oxigraph evaluates
natively over asserted ∪ inferred (the union of the default graph and ``…/graph/inferred``). Rows become
:class:`~kg.clashes.Clash` objects exactly as :func:`~kg.clashes.consistency_errors` makes them (same
de-duplication, same messages, names from the labels in the store), so a report reads the same on both paths.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kg.bulk_rdflib import graph_of
from kg.clashes import CLASH_TEXT, DISJOINT_RULES, Blank, Clash, consistency_query, display_name
from kg.store_terms import to_rdflib


def clashes(store: ox.Store) -> list[Clash]:
    """The clashes of the store's asserted ∪ inferred triples, as :func:`kg.clashes.consistency_errors` lists
    them (``[]``: consistent)."""
    answer = store.query(consistency_query(), use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    rows = [tuple(None if term is None else to_rdflib(term) for term in row) for row in answer]
    if not rows:
        return []
    graph = graph_of(store, union=True)  # asserted ∪ inferred, as consistency_errors reads it
    nothing = set(graph.subjects(RDF.type, OWL.Nothing))
    found: list[Clash] = []
    seen: set[tuple[str, frozenset[Node | None]]] = set()
    for rule, x, a, b, c in rows:
        key = (str(rule) if rule not in DISJOINT_RULES else "disjoint", frozenset({x, a, b, c}))
        if key in seen or (x in nothing and rule in DISJOINT_RULES):
            continue  # a member of owl:Nothing is in every class: one clash says it all (as kg.clashes)
        seen.add(key)
        involved = tuple(n for n in (x, a, b, c) if isinstance(n, URIRef))
        names = {k: display_name(graph, n) for k, n in zip("xabc", (x, a, b, c), strict=True) if n is not None}
        found.append(Clash(str(rule), involved, CLASH_TEXT[str(rule)].format_map(Blank(names))))
    return found
