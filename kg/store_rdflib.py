"""The rdflib store: the graph in rdflib's memory, evaluated by rdflib with the in-process deadline of
:func:`kg.sparql_safety.run_with_timeout` (the behaviour ``kg query`` and ``kg serve`` always had).

Parameters are ``initBindings``: rdflib treats such a variable as already bound everywhere in the query,
sub-queries and filters included (the semantics :mod:`kg.store_bind` reproduces for Oxigraph).
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.sparql_safety import run_with_timeout


class RdflibStore:
    """One or both of the graphs a query runs over: with entailments (``True``) and without (``False``)."""

    name = "rdflib"

    def __init__(self, graphs: Mapping[bool, Graph]) -> None:
        self.graphs = dict(graphs)

    def graph(self, *, inferred: bool) -> Graph:
        """The graph for ``inferred``; a store loaded for one mode only refuses the other."""
        if inferred not in self.graphs:
            mode = "with" if inferred else "without"
            raise ValueError(f"this rdflib store was loaded without the graph {mode} entailments")
        return self.graphs[inferred]

    def run(self, query: Query, text: str, bindings: Mapping[str, Node], *, inferred: bool = True,
            timeout_s: float = 30.0, max_rows: int | None = None, native: str | None = None) -> Result:
        """Evaluate ``query`` (``text`` is not re-read: rdflib evaluates the checked algebra itself)."""
        if max_rows is not None:
            _cap(query, max_rows)
        return run_with_timeout(self.graph(inferred=inferred), query, bindings, timeout_s)

    def triples(self, *, inferred: bool) -> int:
        """How many triples the graph for ``inferred`` holds."""
        return len(self.graph(inferred=inferred))


def _cap(query: Query, max_rows: int) -> None:
    """Stop the evaluation after ``max_rows`` solutions (a ``Slice`` around the pattern, as ``kg serve``)."""
    algebra = query.algebra
    if algebra.name == "AskQuery" or algebra.get("p") is None:
        return
    algebra["p"] = CompValue("Slice", p=algebra.p, start=0, length=max_rows)
