"""``kg serve --store oxigraph:PATH`` with no ``--graph``: the store a ``kg build --store`` (or ``kg query
--store``) left at PATH, served as it is, without rdflib holding the graph.

The same app as :func:`kg.serve.create_app` (routes, limits, safety checks, worker processes), fed from the
store instead of the built graphs:

- ``/sparql``: :class:`kg.serve_store_open.StoreOnDisk`, opened read-only by each worker after its fork;
- ``/id/X``: :class:`kg.serve_store_pages.StoreEntities`, a few index lookups per page;
- ``/network``: :class:`kg.serve_store_network.StoreNetwork`, the whole network of a small store, else a
  focus on one node;
- ``/ontology``: the ontology kg builds with (the store merges it into its default graph, so it is not read
  back from there).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from kg.ontology import ontology_graph
from kg.serve import Server, assemble
from kg.serve_answer import Job, answer
from kg.serve_limits import DEFAULT_MAX_BODY, DEFAULT_MAX_ROWS
from kg.serve_pages import Pages
from kg.serve_pool import runner_for
from kg.serve_store_network import StoreNetwork, network_route
from kg.serve_store_open import StoreOnDisk, open_existing
from kg.serve_store_pages import StoreEntities

#: Imports every serialiser a worker may need before the workers are forked (as kg.serve does).
WARM_UP = ("SELECT * { ?s ?p ?o } LIMIT 1", "ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")


def create_store_app(store: Path | StoreOnDisk, *, timeout_s: float = 10.0, max_rows: int = DEFAULT_MAX_ROWS,
                     max_body: int = DEFAULT_MAX_BODY, workers: int = 2, isolation: str = "process") -> Starlette:
    """The ASGI app serving the store at ``store`` (a path is opened with :func:`open_existing`, whose
    :class:`~kg.errors.InputError` says in one line what is wrong with it)."""
    opened = open_existing(store) if isinstance(store, Path) else store
    for text in WARM_UP:
        answer(Job(text, accept="*/*", inferred=opened.state.inferred is not None), opened)
    ontology = ontology_graph()
    pages = Pages(ontology, ontology, ontology)
    server = Server(timeout_s=timeout_s, max_rows=max_rows, max_body=max_body,
                    runner=runner_for(opened, workers, isolation))
    return assemble(server, StoreEntities(opened, pages, max_rows), pages,
                    network_route(StoreNetwork(opened)))


def describe(store: StoreOnDisk) -> str:
    """The summary line ``kg serve`` prints: which store, how big, how it is read."""
    state = store.state
    entailed = f" + {state.inferred:,} inferred" if state.inferred is not None else " (no entailments)"
    return (f"store: oxigraph, on disk at {store.path}, served as it is: {state.asserted:,} asserted{entailed} "
            f"triples; read-only, opened by each query worker")
