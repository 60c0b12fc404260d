"""How :func:`kg.store_load.load_file` reads a TriG or N-Quads file into the layout of :mod:`kg.store_layout`.

Why a module of its own: a file is read one of two ways, and both note, on the way, each typed literal (for
:class:`~kg.store_terms.LiteralCensus`) and whether any IRI holds a comma (Oxigraph's CSV writer does not
quote those, so its CSV is then not used); that reading is a job apart from deciding what to load.

- :func:`routed`: every quad through Python, the inferred graph's as they are, every other graph's into the
  default graph.
- :func:`load_native`: an N-Quads file already in the layout (only the default and the inferred graph, as
  ``kg.bulk`` exports ``graph.nq``) skips the pass in Python: Oxigraph's own ``bulk_load`` reads it, and the
  census reads only the lines with a typed literal (found by their ``"^^<``, parsed by Oxigraph). In Python
  the pass cost 1.9x a bare ``bulk_load`` of the same file (at 1,000 articles, docs/bulk.md); natively it is
  the ``bulk_load`` itself plus a scan of the bytes.
"""

from __future__ import annotations

import itertools
import mmap
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.store_layout import DEFAULT, INFERRED
from kg.store_terms import XSD_STRING, LiteralCensus

#: A comma followed by IRI characters up to a ``>``: the end of an IRI with a comma. Starting with the comma lets
#: the regex engine jump from comma to comma (8x faster than starting at every ``<``, measured on 190 MB).
_COMMA_IRI = re.compile(rb",[^<>\"{}|^`\\\x00-\x20]*>")
_ESCAPED_COMMA = b"\\,"  # an escaped comma in a prefixed name (TriG)
_TYPED = b'"^^<'  # how every typed literal of N-Quads ends its text (``"lexical"^^<datatype>``)
_PEEK = 10_000  # quads read first to see whether an N-Quads file is already in the layout


def in_layout(path: Path, fmt: ox.RdfFormat) -> bool:
    """Whether the first quads of the file are all in the default or the inferred graph (a cheap first look;
    :func:`load_native` checks every graph after loading)."""
    for quad in itertools.islice(ox.parse(path=path, format=fmt), _PEEK):
        graph = quad.graph_name
        if graph not in (DEFAULT, INFERRED):
            return False
    return True


def load_native(store: ox.Store, path: Path, census: LiteralCensus) -> bool | None:
    """An N-Quads file loaded by Oxigraph alone: whether it may hold an IRI with a comma; None (and ``store``
    emptied) if it has a graph other than the default and the inferred one, or no inferred graph: then it goes
    through :func:`routed`.

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
    return literals, has_comma_iri(path)


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


def routed(path: Path, fmt: ox.RdfFormat, census: LiteralCensus, inferred: list[int]) -> Iterator[ox.Quad]:
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


def has_comma_iri(path: Path) -> bool:
    """Whether the file may hold an IRI with a comma (a false alarm only costs the fast CSV path)."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(_ESCAPED_COMMA) >= 0 or _COMMA_IRI.search(data) is not None
