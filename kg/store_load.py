"""Putting a graph into a pyoxigraph ``Store``: the two ways in, and what is noted on the way.

The store's layout (asserted triples in the default graph, entailments in ``…/graph/inferred``) is that of
:mod:`kg.store_layout`; :func:`counts` is importable from here too, where :mod:`kg.bulk` takes it.

Two ways in, both one pass in Python over every triple, which also notes each typed literal for
:class:`~kg.store_terms.LiteralCensus` and whether any IRI holds a comma (Oxigraph's CSV writer does not
quote those, so its CSV is then not used):

- :func:`load_dataset`: a built, reasoned ``rdflib.Dataset`` (``kg query`` on the articles, ``kg serve``);
- :func:`load_file`: a TriG or N-Quads file that already carries the inferred graph (``kg build`` writes
  ``graph.trig`` so), read by Oxigraph's parser without rdflib or the reasoner. The file's inferred graph is
  taken as it is (with each organisation's direct classes added if it has none, :mod:`kg.direct_types`); a
  file without one goes through rdflib and the reasoner instead, as with the rdflib store.

An N-Quads file already in this layout (only the default and the inferred graph, as ``kg.bulk`` exports
``graph.nq``) skips the pass in Python: Oxigraph's own ``bulk_load`` reads it (:mod:`kg.store_file_read`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from kg import iris
from kg.direct_types import direct_type_quads
from kg.errors import InputError
from kg.store_file_read import has_comma_iri, in_layout, load_native, routed
from kg.store_layout import DEFAULT, INFERRED, counts, drop_asserted_entailments
from kg.store_terms import LiteralCensus, OxTerm, to_ox

__all__ = ["FAST_FORMATS", "Loaded", "counts", "load_dataset", "load_file"]

FAST_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


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
    drop_asserted_entailments(store)
    return Loaded(census, not commas[0], with_inferred)


def load_file(store: ox.Store, path: Path) -> Loaded | None:
    """A TriG/N-Quads file with its inferred graph into ``store``; None (and ``store`` emptied) if the file is
    not one: then it must go through rdflib and the reasoner."""
    fmt = FAST_FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    census = LiteralCensus()
    try:
        comma = load_native(store, path, census) if fmt == ox.RdfFormat.N_QUADS and in_layout(path, fmt) else None
        if comma is None:
            seen = [0]
            store.bulk_extend(routed(path, fmt, census, seen))
            if not seen[0]:
                store.clear()
                return None
            comma = has_comma_iri(path)
    except SyntaxError as err:
        store.clear()
        raise InputError(path, getattr(err, "lineno", None), f"not valid {fmt.name}: {err}") from None
    ontology = ox.NamedNode(str(iris.ONTOLOGY_IRI))
    if not any(True for _ in store.quads_for_pattern(ontology, None, None, DEFAULT)):
        store.clear()
        return None
    drop_asserted_entailments(store)
    _add_direct_types_if_missing(store)
    return Loaded(census, not comma, True)


def _add_direct_types_if_missing(store: ox.Store) -> None:
    """A file's inferred graph without ``zq:directType`` (written before kg derived them, or by another tool)
    gets them, as the rdflib store's reasoner would derive them (:mod:`kg.direct_types`); a file that has some
    is taken as it is, like the rest of its inferred graph."""
    direct_type = ox.NamedNode(str(iris.ZQ.directType))
    if next(iter(store.quads_for_pattern(None, direct_type, None, INFERRED)), None) is None:
        store.bulk_extend(direct_type_quads(store, INFERRED))
