"""Putting a graph into a pyoxigraph ``Store``: its layout, the two ways in, and what is noted on the way.

Layout. rdflib queries the *merged* graph (:func:`kg.pipeline.union_of`: a set, so a triple that two
articles both state counts once). Oxigraph's union of named graphs is not a set (such a triple would come
back twice), so the store holds the asserted triples (ontology + every article) in its **default graph**,
where they merge exactly as in rdflib, and the entailments in the named graph ``…/graph/inferred`` (without
any triple also asserted). Queries with inference read the union of both, without it the default graph alone.

Two ways in, both one pass in Python over every triple, which also notes each typed literal for
:class:`~kg.store_terms.LiteralCensus` and whether any IRI holds a comma (Oxigraph's CSV writer does not
quote those, so its CSV is then not used):

- :func:`load_dataset`: a built, reasoned ``rdflib.Dataset`` (``kg query`` on the articles, ``kg serve``);
- :func:`load_file`: a TriG or N-Quads file that already carries the inferred graph (``kg build`` writes
  ``graph.trig`` so), read by Oxigraph's parser without rdflib or the reasoner. The file's inferred graph is
  taken as it is; a file without one goes through rdflib and the reasoner instead, as with the rdflib store.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from kg import iris
from kg.errors import InputError
from kg.store_terms import XSD_STRING, LiteralCensus, OxTerm, to_ox

INFERRED = ox.NamedNode(str(iris.INFERRED_GRAPH))
DEFAULT = ox.DefaultGraph()
FAST_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
_COMMA_IRI = re.compile(rb"<[^<>\"{}|^`\\\x00-\x20]*,|\\,")  # an IRI with a comma (or an escaped one in a name)


@dataclass
class Loaded:
    """What one load put into the store and noticed on the way."""

    census: LiteralCensus
    csv_safe: bool
    with_inferred: bool


def load_dataset(store: ox.Store, dataset: Dataset, *, with_inferred: bool) -> Loaded:
    """Every graph of ``dataset`` into ``store``: the inferred one (if ``with_inferred``) as itself, the rest
    merged into the default graph."""
    census = LiteralCensus()
    terms: dict[Node, OxTerm] = {}
    commas = [False]

    def term(node: Node) -> OxTerm:
        found = terms.get(node)
        if found is None:
            found = terms[node] = to_ox(node)
            commas[0] |= isinstance(node, URIRef) and "," in node
        return found

    def quads() -> Iterator[ox.Quad]:
        for graph in dataset.graphs():
            inferred = graph.identifier == iris.INFERRED_GRAPH
            if inferred and not with_inferred:
                continue
            target = INFERRED if inferred else DEFAULT
            for subject, predicate, obj in graph:
                if isinstance(obj, Literal) and obj.datatype is not None:
                    census.add(str(predicate), obj)
                yield ox.Quad(term(subject), term(predicate), term(obj), target)  # type: ignore[arg-type]

    store.bulk_extend(quads())
    _drop_asserted_entailments(store)
    return Loaded(census, not commas[0], with_inferred)


def load_file(store: ox.Store, path: Path) -> Loaded | None:
    """A TriG/N-Quads file with its inferred graph into ``store``; None (and ``store`` emptied) if the file is
    not one: then it must go through rdflib and the reasoner."""
    fmt = FAST_FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    census = LiteralCensus()
    seen = [0]
    try:
        store.bulk_extend(_routed(path, fmt, census, seen))
    except SyntaxError as err:
        store.clear()
        raise InputError(path, getattr(err, "lineno", None), f"not valid {fmt.name}: {err}") from None
    ontology = ox.NamedNode(str(iris.ONTOLOGY_IRI))
    if not seen[0] or not any(True for _ in store.quads_for_pattern(ontology, None, None, DEFAULT)):
        store.clear()
        return None
    _drop_asserted_entailments(store)
    return Loaded(census, not _has_comma_iri(path), True)


def _routed(path: Path, fmt: ox.RdfFormat, census: LiteralCensus, inferred: list[int]) -> Iterator[ox.Quad]:
    """The file's quads: the inferred graph's as they are, every other graph's into the default graph."""
    named, literal, inferred_iri = ox.NamedNode, ox.Literal, INFERRED.value
    literals: set[tuple[str, str, str]] = set()
    for quad in ox.parse(path=path, format=fmt):
        graph = quad.graph_name
        obj = quad.object
        if obj.__class__ is literal and not obj.language:
            datatype = obj.datatype.value
            if datatype != XSD_STRING:
                literals.add((quad.predicate.value, obj.value, datatype))
        if graph.__class__ is named and graph.value == inferred_iri:
            inferred[0] += 1
            yield quad
        else:
            yield ox.Quad(quad.subject, quad.predicate, obj)
    for predicate, lexical, datatype in literals:
        census.add(predicate, Literal(lexical, datatype=URIRef(datatype)))


def _drop_asserted_entailments(store: ox.Store) -> None:
    """Remove from the inferred graph what is also asserted, so the union of the two counts it once."""
    store.update(f"DELETE {{ GRAPH <{INFERRED.value}> {{ ?s ?p ?o }} }} "
                 f"WHERE {{ GRAPH <{INFERRED.value}> {{ ?s ?p ?o }} ?s ?p ?o }}")


def _has_comma_iri(path: Path) -> bool:
    """Whether the file may hold an IRI with a comma (a false alarm only costs the fast CSV path)."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _COMMA_IRI.search(data) is not None


def counts(store: ox.Store) -> tuple[int, int]:
    """(asserted triples, inferred triples not asserted) of a store in this layout."""
    asserted = _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", DEFAULT)
    inferred = _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", INFERRED)
    return asserted, inferred


def _count(store: ox.Store, text: str, graph: ox.NamedNode | ox.DefaultGraph) -> int:
    solutions = store.query(text, default_graph=graph)
    assert isinstance(solutions, ox.QuerySolutions)
    value = next(iter(solutions))[0]
    assert isinstance(value, ox.Literal)
    return int(value.value)
