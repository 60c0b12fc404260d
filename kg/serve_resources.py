"""``/id/X`` and ``/ontology``: one resource, two faces (Linked Data content negotiation, as Wikidata's
``Special:EntityData`` does): HTML for a browser, the triples for ``Accept: text/turtle`` (JSON-LD,
N-Triples, RDF/XML too), or by suffix (``/id/X.ttl``, ``.jsonld``, ``.nt``, ``.rdf``) for a plain link.

An entity's triples are those with it as subject or object, entailments included unless ``infer=false``.
Pages are built in a worker thread so a large page never stalls the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import anyio
from rdflib import Graph, URIRef
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kg import iris
from kg.serve_formats import GRAPH_TYPES, accepted, content_type, serialise_graph
from kg.serve_html import CSP, entity_page, error_page, ontology_page
from kg.serve_pages import Pages, entity_graph

SUFFIXES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
            "rdf": "application/rdf+xml"}
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Vary": "Accept"}

Handler = Callable[[Request], Any]


def wanted(accept: str, suffix: str | None) -> str | None:
    """The RDF media type asked for, or None for HTML (a browser, ``*/*`` or no ``Accept``)."""
    if suffix is not None:
        return SUFFIXES[suffix]
    for media in accepted(accept):
        if media in HTML_TYPES or media in ("*/*", "text/*"):
            return None
        if media in GRAPH_TYPES:
            return "text/turtle" if media == "application/x-turtle" else media
    return None


def _split(path: str) -> tuple[str, str | None]:
    stem, dot, ext = path.rpartition(".")
    return (stem, ext) if dot and ext in SUFFIXES else (path, None)


def _rdf(graph: Graph, media_type: str) -> Response:
    return Response(serialise_graph(graph, media_type), media_type=content_type(media_type), headers=HEADERS)


def _html(page: str, status: int = 200) -> Response:
    return HTMLResponse(page, status_code=status, headers={**HEADERS, "Content-Security-Policy": CSP})


def _not_found(what: str) -> Response:
    page = error_page(404, "Not in the graph", f"The graph says nothing about {what}.")
    return _html(page, 404)


class Entities(Protocol):
    """Where entity pages come from: the built rdflib graphs (:class:`GraphEntities`) or a store on disk
    (:class:`kg.serve_store_pages.StoreEntities`)."""

    def page(self, entity: URIRef) -> str | None:
        """The HTML page of ``entity``, or None when the graph says nothing about it."""

    def triples(self, entity: URIRef, inferred: bool) -> tuple[Graph, int | None]:
        """The triples with ``entity`` as subject or object, and the cap each way if they were cut to it."""


class GraphEntities:
    """Entity pages of the built graphs: everything is in memory, nothing is cut."""

    def __init__(self, pages: Pages, graphs: Mapping[bool, Graph]) -> None:
        self.pages, self.graphs = pages, graphs

    def page(self, entity: URIRef) -> str | None:
        return entity_page(self.pages, entity)

    def triples(self, entity: URIRef, inferred: bool) -> tuple[Graph, int | None]:
        return entity_graph(self.graphs[inferred], entity), None


def entity_route(entities: Entities) -> Handler:
    """The handler of ``/id/{path}``: ``https://w3id.org/zqgj/id/{path}``."""

    async def handle(request: Request) -> Response:
        path, suffix = _split(request.path_params["path"])
        entity = URIRef(str(iris.ID) + path)
        media = wanted(request.headers.get("accept", ""), suffix)
        inferred = request.query_params.get("infer", "true").lower() not in ("false", "0", "no")
        if media is not None:
            found, cap = await anyio.to_thread.run_sync(entities.triples, entity, inferred)
            if not len(found):
                return Response(f"the graph says nothing about <{entity}>\n", 404,
                                media_type="text/plain; charset=utf-8")
            response = _rdf(found, media)
            if cap is not None:
                response.headers["X-KG-Truncated"] = f"more than {cap} triples one way; the first {cap} are given"
            return response
        page = await anyio.to_thread.run_sync(entities.page, entity)
        return _html(page) if page is not None else _not_found(f"<{entity}>")

    return handle


def ontology_route(pages: Pages) -> Handler:
    """The handler of ``/ontology`` and ``/ontology.{ext}``: the ontology graph as it was built."""

    async def handle(request: Request) -> Response:
        ext = request.path_params.get("ext")
        if ext is not None and ext not in SUFFIXES:
            return _not_found(f"/ontology.{ext}")
        media = wanted(request.headers.get("accept", ""), ext)
        if media is not None:
            return _rdf(pages.ontology, media)
        return _html(await anyio.to_thread.run_sync(ontology_page, pages))

    return handle
