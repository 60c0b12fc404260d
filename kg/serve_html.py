"""The server's HTML: templates in ``viz/serve/*.html`` rendered by Jinja2 with autoescaping on, so every
label, alias and quote from the graph reaches the page as text (a label ``<script>`` shows as ``<script>``).

Pages load only this server's files (``/static``, ``/vendor``) and a Content-Security-Policy header says
so to the browser: no inline script, no request to any other origin (``connect-src 'self'``), so even a
YASGUI feature that would reach the internet (prefix.cc, the LOV autocompleters) is blocked by the browser
as well as switched off in ``query.js``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg import iris
from kg.assets import asset
from kg.query_catalogue import bundled
from kg.serve_pages import Fact, Pages, Term
from kg.viz import script_json

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECTIONS = (("Classes", (OWL.Class, RDFS.Datatype)), ("Object properties", (OWL.ObjectProperty,)),
            ("Datatype properties", (OWL.DatatypeProperty,)), ("Annotation properties", (OWL.AnnotationProperty,)))


@cache
def environment() -> jinja2.Environment:
    """Templates from ``viz/serve``; autoescape on for every template (they are all HTML)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(asset("viz", "serve"))),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def render(template: str, **values: Any) -> str:
    """``viz/serve/<template>`` filled with ``values`` (each string escaped where it is inserted)."""
    return environment().get_template(template).render(**values)


def examples() -> list[dict[str, Any]]:
    """The bundled competency queries as the query page's one-click examples."""
    return [{"name": spec.name, "question": spec.question, "question_zh": spec.question_zh,
             "query": spec.text, "params": {name: {"kind": p.kind, "description": p.description,
                                                   "example": spec.examples.get(name, "")}
                                            for name, p in spec.params.items()}}
            for spec in bundled().values()]


def query_page() -> str:
    """``/``: YASGUI, with the examples as JSON data (escaped for a ``<script>`` element)."""
    items = examples()
    return render("query.html", examples=items, examples_json=script_json(items))


def entity_page(pages: Pages, entity: URIRef) -> str | None:
    """``/id/X`` as HTML, or None for an IRI the graph does not mention."""
    view = pages.view(entity)
    if view is None:
        return None
    describe = "/#" + urlencode({"query": f"DESCRIBE <{entity}>", "tabTitle": view.curie}, quote_via=quote)
    return render("entity.html", e=view, href=pages.href(entity), describe=describe)


@dataclass
class OntologyTerm:
    """One term of the ontology page: its anchor (its CURIE), labels, and its axioms as facts."""

    anchor: str
    term: Term
    labels: list[Term]
    facts: list[Fact]


def ontology_page(pages: Pages) -> str:
    """``/ontology``: every declared term, grouped by kind, each with an anchor ``#curie``."""
    graph = pages.ontology
    sections, seen = [], set()
    for title, kinds in SECTIONS:
        members = sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind)
                          if isinstance(s, URIRef) and s not in seen}, key=lambda s: iris.curie_of(str(s)))
        seen.update(members)
        sections.append((title, [_term(pages, graph, s) for s in members]))
    header = _term(pages, graph, iris.ONTOLOGY_IRI)
    return render("ontology.html", header=header, sections=sections, triples=len(graph))


def _term(pages: Pages, graph: Graph, subject: URIRef) -> OntologyTerm:
    triples = [(subject, p, o) for p, o in graph.predicate_objects(subject) if p != RDFS.label]
    return OntologyTerm(iris.curie_of(str(subject)), pages.term(subject),
                        sorted((pages.term(o) for o in graph.objects(subject, RDFS.label)),
                               key=lambda t: t.note),
                        pages.facts(triples, 2))


def error_page(status: int, title: str, detail: str) -> str:
    """A small HTML error page (404 of an unknown entity)."""
    return render("error.html", status=status, title=title, detail=detail)
