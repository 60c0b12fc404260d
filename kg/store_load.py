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

An N-Quads file already in this layout (only the default and the inferred graph, as ``kg.bulk`` exports
``graph.nq``) skips the pass in Python: Oxigraph's own ``bulk_load`` reads it, and the census reads only the
lines with a typed literal (found by their ``"^^<``, parsed by Oxigraph). In Python the pass cost 1.9x a bare
``bulk_load`` of the same file (at 1,000 articles, docs/bulk.md); natively it is the ``bulk_load`` itself plus
a scan of the bytes.
"""

from __future__ import annotations

import itertools
import mmap
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
#: A comma followed by IRI characters up to a ``>``: the end of an IRI with a comma. Starting with the comma lets
#: the regex engine jump from comma to comma (8x faster than starting at every ``<``, measured on 190 MB).
_COMMA_IRI = re.compile(rb",[^<>\"{}|^`\\\x00-\x20]*>")
_ESCAPED_COMMA = b"\\,"  # an escaped comma in a prefixed name (TriG)
_TYPED = b'"^^<'  # how every typed literal of N-Quads ends its text (``"lexical"^^<datatype>``)
_PEEK = 10_000  # quads read first to see whether an N-Quads file is already in the layout


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
    try:
        comma = _load_native(store, path, census) if fmt == ox.RdfFormat.N_QUADS and _in_layout(path, fmt) else None
        if comma is None:
            seen = [0]
            store.bulk_extend(_routed(path, fmt, census, seen))
            if not seen[0]:
                store.clear()
                return None
            comma = _has_comma_iri(path)
    except SyntaxError as err:
        store.clear()
        raise InputError(path, getattr(err, "lineno", None), f"not valid {fmt.name}: {err}") from None
    ontology = ox.NamedNode(str(iris.ONTOLOGY_IRI))
    if not any(True for _ in store.quads_for_pattern(ontology, None, None, DEFAULT)):
        store.clear()
        return None
    _drop_asserted_entailments(store)
    return Loaded(census, not comma, True)


def _in_layout(path: Path, fmt: ox.RdfFormat) -> bool:
    """Whether the first quads of the file are all in the default or the inferred graph (a cheap first look;
    :func:`_load_native` checks every graph after loading)."""
    for quad in itertools.islice(ox.parse(path=path, format=fmt), _PEEK):
        graph = quad.graph_name
        if graph not in (DEFAULT, INFERRED):
            return False
    return True


def _load_native(store: ox.Store, path: Path, census: LiteralCensus) -> bool | None:
    """An N-Quads file loaded by Oxigraph alone: whether it may hold an IRI with a comma; None (and ``store``
    emptied) if it has a graph other than the default and the inferred one, or no inferred graph: then it goes
    through :func:`_routed`.

    Oxigraph's ``bulk_load`` releases the GIL, so the scans of the bytes run beside it in a thread."""
    with ThreadPoolExecutor(1, thread_name_prefix="kg-census") as pool:
        scan = pool.submit(_scan, path)
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        literals, comma = scan.result()
    if set(store.named_graphs()) != {INFERRED}:
        store.clear()
        return None
    _census(census, literals)
    return comma


def _scan(path: Path) -> tuple[set[tuple[str, str, str]], bool]:
    """``(predicate, lexical form, datatype)`` of every typed literal of an N-Quads file, and whether it may
    hold an IRI with a comma."""
    typed = _typed_lines(path)
    quads = ox.parse(path=path, format=ox.RdfFormat.N_QUADS) if typed is None else ox.parse(
        input=typed, format=ox.RdfFormat.N_QUADS)
    literals: set[tuple[str, str, str]] = set()
    for quad in quads:
        _note_literal(quad.predicate, quad.object, literals)
    return literals, _has_comma_iri(path)


def _typed_lines(path: Path) -> bytes | None:
    """The lines of an N-Quads file that hold a typed literal (every ``^^`` is a ``"^^<``: one statement per
    line, nothing between the terms of a literal); None if some ``^^`` is not (spaced out, or inside a string):
    then every quad must be read."""
    if path.stat().st_size == 0:
        return b""
    lines: list[bytes] = []
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = data.find(b"^^")
        while position >= 0:
            if data[position - 1:position + 3] != _TYPED:
                return None
            start = data.rfind(b"\n", 0, position) + 1
            end = data.find(b"\n", position)
            end = len(data) if end < 0 else end + 1
            lines.append(data[start:end])
            position = data.find(b"^^", end)
    return b"\n".join(lines)


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
    _census(census, literals)


def _note_literal(predicate: ox.NamedNode, obj: object, literals: set[tuple[str, str, str]]) -> None:
    if isinstance(obj, ox.Literal) and not obj.language:
        datatype = obj.datatype.value
        if datatype != XSD_STRING:
            literals.add((predicate.value, obj.value, datatype))


def _census(census: LiteralCensus, literals: set[tuple[str, str, str]]) -> None:
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
            return data.find(_ESCAPED_COMMA) >= 0 or _COMMA_IRI.search(data) is not None


def counts(store: ox.Store) -> tuple[int, int]:
    """(asserted triples, inferred triples not asserted) of a store in this layout (the default graph and the
    inferred one, nothing else): the inferred graph counted, the rest is ``len`` (a quarter faster than a
    ``COUNT`` of the default graph, measured at 1.1 M quads)."""
    inferred = _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", INFERRED)
    return len(store) - inferred, inferred


def _count(store: ox.Store, text: str, graph: ox.NamedNode | ox.DefaultGraph) -> int:
    solutions = store.query(text, default_graph=graph)
    assert isinstance(solutions, ox.QuerySolutions)
    value = next(iter(solutions))[0]
    assert isinstance(value, ox.Literal)
    return int(value.value)
