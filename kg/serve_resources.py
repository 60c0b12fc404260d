"""``/id/X`` and ``/ontology``: one resource, two faces (Linked Data content negotiation, as Wikidata's
``Special:EntityData`` does): HTML for a browser, the triples for ``Accept: text/turtle`` (JSON-LD,
N-Triples, RDF/XML too), or by suffix (``/id/X.ttl``, ``.jsonld``, ``.nt``, ``.rdf``) for a plain link.

An entity's triples are those with it as subject or object, entailments included unless ``infer=false``.
Pages are built in a worker thread so a large page never stalls the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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


def entity_route(pages: Pages, graphs: Mapping[bool, Graph]) -> Handler:
    """The handler of ``/id/{path}``: ``https://w3id.org/zqgj/id/{path}``."""

    async def handle(request: Request) -> Response:
        path, suffix = _split(request.path_params["path"])
        entity = URIRef(str(iris.ID) + path)
        media = wanted(request.headers.get("accept", ""), suffix)
        inferred = request.query_params.get("infer", "true").lower() not in ("false", "0", "no")
        if media is not None:
            found = await anyio.to_thread.run_sync(entity_graph, graphs[inferred], entity)
            return _rdf(found, media) if len(found) else Response(
                f"the graph says nothing about <{entity}>\n", 404, media_type="text/plain; charset=utf-8")
        page = await anyio.to_thread.run_sync(entity_page, pages, entity)
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
