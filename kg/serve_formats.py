"""Which result format a SPARQL client gets: content negotiation over ``Accept`` and the ``format`` /
``output`` / ``results`` parameters, and the serialisers behind each media type.

Clients disagree on how they ask. SPARQLWrapper sends ``Accept`` *and* ``format=json&output=json&results=
json`` (Virtuoso reads ``format``, Sesame-era servers ``output``); YASGUI sends only ``Accept``; a browser
sends ``text/html,...,*/*;q=0.8``. So an explicit parameter wins, then ``Accept`` by q-value, and ``*/*``
gives the default (SPARQL JSON for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE). The SELECT/ASK serialisers
are :mod:`kg.results` (the same text ``kg query --format`` prints).
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph
from rdflib.query import Result

from kg.results import render, turtle

#: Media types of SELECT/ASK results -> the :func:`kg.results.render` format.
TABLE_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/xml": "xml",
}
#: Media types of CONSTRUCT/DESCRIBE results -> rdflib serialiser name.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
}
#: ``format=`` short names, per kind of result.
TABLE_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_NAMES = {"turtle": "text/turtle", "ttl": "text/turtle", "json-ld": "application/ld+json",
               "jsonld": "application/ld+json", "json": "application/ld+json", "nt": "application/n-triples",
               "n-triples": "application/n-triples", "ntriples": "application/n-triples",
               "xml": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "rdf": "application/rdf+xml"}
_CANONICAL = {"application/json": "application/sparql-results+json", "application/xml":
              "application/sparql-results+xml", "text/xml": "application/sparql-results+xml",
              "application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}


def accepted(accept: str) -> list[str]:
    """The media ranges of an ``Accept`` header, best first (ties keep their order; q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        fields = [field.strip() for field in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, index, fields[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def choose(kind: str, accept: str, overrides: Sequence[str]) -> str | None:
    """The media type to answer a ``kind`` (``table`` or ``graph``) result with; None if none fits."""
    types, names = (TABLE_TYPES, TABLE_NAMES) if kind == "table" else (GRAPH_TYPES, GRAPH_NAMES)
    for value in overrides:
        wanted = value.strip().lower()
        if wanted in names:
            return names[wanted]
        if wanted in types:
            return _CANONICAL.get(wanted, wanted)
    if not accept.strip():
        return next(iter(names.values()))
    for media in accepted(accept):
        if media in types:
            return _CANONICAL.get(media, media)
        major = media.split("/", 1)[0]
        if media == "*/*" or (media.endswith("/*") and any(t.startswith(major + "/") for t in types)):
            return next(iter(names.values())) if media == "*/*" else _first_of(types, major)
    return None


def _first_of(types: dict[str, str], major: str) -> str:
    first = next(media for media in types if media.startswith(major + "/"))
    return _CANONICAL.get(first, first)


def offered(kind: str) -> list[str]:
    """The media types a ``kind`` result can be given in (for a 406 message)."""
    return sorted({_CANONICAL.get(t, t) for t in (TABLE_TYPES if kind == "table" else GRAPH_TYPES)})


def serialise_table(result: Result, media_type: str) -> bytes:
    """A SELECT/ASK result in ``media_type`` (one of :data:`TABLE_TYPES`)."""
    return render(result, TABLE_TYPES[media_type]).encode("utf-8")


def serialise_graph(graph: Graph, media_type: str) -> bytes:
    """A CONSTRUCT/DESCRIBE graph in ``media_type`` (one of :data:`GRAPH_TYPES`), project prefixes bound."""
    name = GRAPH_TYPES[media_type]
    if name == "turtle":
        return turtle(graph).encode("utf-8")
    from kg.build import bind_prefixes

    out = Graph()
    bind_prefixes(out)
    out += graph
    data = out.serialize(format=name, encoding="utf-8")
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def content_type(media_type: str) -> str:
    """The ``Content-Type`` header of ``media_type``: every text format here is UTF-8."""
    return f"{media_type}; charset=utf-8"
