"""``kg serve``: the graph over HTTP, read-only and local (ASGI app; uvicorn runs it, :mod:`kg.serve_cli`).

- ``/sparql``: SPARQL 1.1 Protocol (:mod:`kg.serve_protocol`, :mod:`kg.serve_answer`), queries run in
  killable worker processes (:mod:`kg.serve_pool`) at most ``workers`` at once; the rest wait in the event
  loop (not in threads) for up to :data:`QUEUE_S` and then get 503.
- ``/``: the query page (YASGUI vendored under ``viz/serve/vendor``); ``/network``: the network page;
  ``/id/X`` and ``/ontology``: a page per entity or term, or its triples by content negotiation.

Built on Starlette directly (docs/serve.md says why not rdflib-endpoint or FastAPI). The graph is built
and reasoned over before the app exists: no request runs owlrl (not thread-safe, and seconds long).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from rdflib import Graph
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import iris
from kg.assets import asset
from kg.commands import Built
from kg.guard import ConfinedRequests
from kg.serve_answer import Answer, Job, Queryable, answer, message
from kg.serve_formats import content_type
from kg.serve_html import CSP, query_page
from kg.serve_limits import DEFAULT_MAX_BODY, DEFAULT_MAX_ROWS
from kg.serve_pages import Pages
from kg.serve_pool import Runner, runner_for
from kg.serve_protocol import job_of
from kg.serve_resources import Entities, GraphEntities, entity_route, ontology_route
from kg.store import QueryStore
from kg.store_rdflib import RdflibStore

QUEUE_S = 30.0
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
Handler = Callable[[Request], Any]
WARM_UP = ("SELECT * { ?s ?p ?o } LIMIT 1", "ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")


class Server:
    """What the handlers share: the limits and the query runner."""

    def __init__(self, *, timeout_s: float, max_rows: int, max_body: int, runner: Runner) -> None:
        self.timeout_s, self.max_rows, self.max_body = timeout_s, max_rows, max_body
        self.runner = runner
        self.home = query_page()
        self._slots: anyio.Semaphore | None = None

    async def run(self, job: Job) -> Answer:
        """Wait (in the event loop) for a free worker, then run ``job`` on it from a thread."""
        if self._slots is None:
            self._slots = anyio.Semaphore(self.runner.size)
        with anyio.move_on_after(QUEUE_S) as waiting:
            await self._slots.acquire()
        if waiting.cancelled_caught:
            return message(503, f"busy: every query worker stayed busy for {QUEUE_S:g} s; try again",
                           (("Retry-After", "5"),))
        try:
            return await anyio.to_thread.run_sync(self.runner.run, job)
        finally:
            self._slots.release()


class NetworkPage:
    """The network page of the asserted graph, made on first use (a second or so) and kept."""

    def __init__(self, asserted: Graph) -> None:
        self.asserted = asserted
        self._page: str | None = None
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            if self._page is None:
                from kg.viz import network_page

                self._page = network_page(self.asserted)
            return self._page


def create_app(built: Built, *, timeout_s: float = 10.0, max_rows: int = DEFAULT_MAX_ROWS,
               max_body: int = DEFAULT_MAX_BODY, workers: int = 2, isolation: str = "process",
               store: QueryStore | None = None) -> Starlette:
    """The ASGI app serving ``built``; ``isolation="thread"`` runs queries in threads instead of processes.

    ``store`` (:mod:`kg.store`) answers ``/sparql`` when given; pages are always made from ``built``'s graphs."""
    graphs = dict(store.graphs) if isinstance(store, RdflibStore) else graphs_of(built)
    queryable: Queryable = graphs if store is None or isinstance(store, RdflibStore) else store
    for text in WARM_UP:  # import every serialiser before forking workers
        answer(Job(text, accept="*/*"), queryable)
    pages = Pages(graphs[True], graphs[False], built.dataset.graph(iris.ONTOLOGY_GRAPH))
    server = Server(timeout_s=timeout_s, max_rows=max_rows, max_body=max_body,
                    runner=runner_for(queryable, workers, isolation))
    network = NetworkPage(graphs[False])
    return assemble(server, GraphEntities(pages, graphs), pages, _network(lambda request: network()))


def assemble(server: Server, entities: Entities, ontology: Pages, network: Handler) -> Starlette:
    """The app: the query page, ``/sparql`` on ``server``, ``/network``, entity pages, ``/ontology``, assets."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            server.runner.close()

    routes = [
        Route("/", _page(lambda request: server.home)),
        Route("/sparql", _sparql(server), methods=["GET", "POST"]),
        Route("/network", network),
        Route("/id/{path:path}", entity_route(entities)),
        Route("/ontology", ontology_route(ontology)),
        Route("/ontology.{ext:str}", ontology_route(ontology)),
        Mount("/static", StaticFiles(directory=str(asset("viz", "serve", "static"))), name="static"),
        Mount("/vendor", StaticFiles(directory=str(asset("viz", "serve", "vendor"))), name="vendor"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(ConfinedRequests), Middleware(GZipMiddleware, minimum_size=2048)])
    app.state.server = server
    return app



def _page(make: Callable[[Request], str]) -> Handler:
    async def handle(request: Request) -> Response:
        return HTMLResponse(make(request), headers={**SAFE_HEADERS, "Content-Security-Policy": CSP})

    return handle


def _sparql(server: Server) -> Handler:
    async def handle(request: Request) -> Response:
        if request.method == "GET" and "query" not in request.query_params and not any(
                key.startswith("$") or key == "update" for key in request.query_params):
            return RedirectResponse("/", status_code=303)  # a person who typed /sparql gets the query page
        job = await job_of(request, max_body=server.max_body, max_rows=server.max_rows,
                           timeout_s=server.timeout_s)
        result = job if isinstance(job, Answer) else await server.run(job)
        return Response(result.body, status_code=result.status, media_type=content_type(result.media_type),
                        headers={**SAFE_HEADERS, **dict(result.headers), "Vary": "Accept"})

    return handle


def _network(make: Callable[[Request], str]) -> Handler:
    async def handle(request: Request) -> Response:
        page = await anyio.to_thread.run_sync(make, request)
        return HTMLResponse(page, headers=SAFE_HEADERS)  # the page carries its own CSP (hashes of its scripts)

    return handle


def graphs_of(built: Built) -> dict[bool, Graph]:
    """The two graphs queries run over: with entailments (default) and assertions only (``infer=false``)."""
    return {True: built.graph(inferred=True), False: built.graph(inferred=False)}
