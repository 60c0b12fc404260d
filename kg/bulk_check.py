"""The OWL clash check of :func:`kg.clashes.consistency_errors`, run by Oxigraph on the bulk store.

Why: at this size the check cannot go through rdflib (its SPARQL engine would join the type memberships of
the whole corpus in Python), but it is one query, ``ontology/consistency.rq``, which Oxigraph evaluates
natively over asserted ∪ inferred (the union of the default graph and ``…/graph/inferred``). Rows become
:class:`~kg.clashes.Clash` objects by the same code as :func:`~kg.clashes.consistency_errors` (``clashes_of``:
same de-duplication, same messages, names from the labels in the store), so a report reads the same on both
paths.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.bulk_rdflib import graph_of
from kg.clashes import Clash, clashes_of, consistency_query, rows_of


def clashes(store: ox.Store) -> list[Clash]:
    """The clashes of the store's asserted ∪ inferred triples, as :func:`kg.clashes.consistency_errors` lists
    them (``[]``: consistent)."""
    rows = rows_of(store.query(consistency_query(), use_default_graph_as_union=True))
    # asserted ∪ inferred, as consistency_errors reads it, for the names; read only if there is a clash
    return clashes_of(rows, graph_of(store, union=True)) if rows else []
