"""zqgj-kg: a knowledge graph of China's government–enterprise party-building pairings (结对共建).

For notebooks: ``kg.load_graph()`` gives the graph (ontology + assertions + OWL RL entailments) and
``kg.query(name_or_sparql, **params)`` runs a bundled competency query (``kg query --list``), a ``.rq``
file or SPARQL text. Both import their machinery on first use, so ``import kg`` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.query_engine import Rows

__all__ = ["load_graph", "query"]


def load_graph(graph_file: Path | str | None = None, *, inferred: bool = True) -> Graph:
    """Ontology + assertions (+ OWL RL entailments unless ``inferred=False``) of the bundled article, or of
    ``graph_file``. See :func:`kg.query_engine.load_graph`."""
    from kg.query_engine import load_graph as load

    return load(graph_file, inferred=inferred)


def query(name_or_sparql: str, graph: Graph | None = None, *, inferred: bool = True, timeout_s: float = 30.0,
          **params: object) -> Rows | bool | Graph:
    """Run a bundled query, a ``.rq`` file or SPARQL text: rows (SELECT, one dict per row), a bool (ASK) or
    a graph (CONSTRUCT/DESCRIBE). ``params`` bind the query's parameters, e.g.
    ``kg.query("partners-of", name="村田")``. See :func:`kg.query_engine.query`."""
    from kg.query_engine import query as run

    return run(name_or_sparql, graph, inferred=inferred, timeout_s=timeout_s, **params)
