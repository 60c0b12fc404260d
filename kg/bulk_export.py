"""Deterministic exports of a bulk store, written by pyoxigraph's own serialisers.

Why not :mod:`kg.export`: its canonical long-form Turtle and sorted N-Triples go through rdflib (68 s for
448,000 triples). Here Oxigraph dumps N-Triples (or N-Quads) natively; the lines are sorted as bytes (a total
order, so the file depends on the triples only: not on insertion order, ``PYTHONHASHSEED`` or the store), and
the other formats are pyoxigraph's serialisers fed that sorted stream (``parse`` → ``serialize``, both native).

What differs from ``kg build``'s files: this Turtle is pyoxigraph's (subjects in the sorted order of their
N-Triples, ``;``/``,`` grouping, the prefixes of :data:`kg.iris.PREFIXES`), not rdflib's canonical
longturtle; TriG and N-Quads hold two graphs, the default graph (ontology + every article, merged: the layout of
:mod:`kg.store_load`) and ``…/graph/inferred``, not one graph per article. The triples are the same: a file
re-parsed by rdflib is isomorphic to ``kg build``'s union graph (``tests/test_bulk.py``).

Literals: Oxigraph stores values, so a few literals come out of it in another text than the build wrote
(``"8"^^xsd:integer`` for ``"8"^^xsd:nonNegativeInteger``). The stream noted every such quad
(:attr:`kg.bulk_stream.Streamed.rewritten`); their lines are written back to the build's form before sorting.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal

from kg.io import TEMP_SUFFIX
from kg.iris import PREFIXES
from kg.store_terms import canonical_forms, to_rdflib

#: format -> (file name, pyoxigraph format, whether it holds the inferred graph too).
FORMATS: dict[str, tuple[str, ox.RdfFormat, bool]] = {
    "nt": ("graph.nt", ox.RdfFormat.N_TRIPLES, False),
    "ttl": ("graph.ttl", ox.RdfFormat.TURTLE, False),
    "jsonld": ("graph.jsonld", ox.RdfFormat.JSON_LD, False),
    "nq": ("graph.nq", ox.RdfFormat.N_QUADS, True),
    "trig": ("graph.trig", ox.RdfFormat.TRIG, True),
}
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def export(store: ox.Store, folder: Path, formats: Iterable[str], rewritten: list[ox.Quad]) -> dict[str, float]:
    """Write the files of ``formats`` into ``folder`` (each whole or not at all); seconds per format.

    The sorted N-Triples (N-Quads) are made once and reused by the formats of the same scope, so their
    time is counted in ``nt`` (``nq``) when that format is asked for, else in the first format using them."""
    wanted = [fmt for fmt in FORMATS if fmt in set(formats)]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown bulk format(s) {sorted(unknown)}; expected some of {sorted(FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    staged: dict[Path, Path] = {}
    try:
        for quads, line_format in ((False, ox.RdfFormat.N_TRIPLES), (True, ox.RdfFormat.N_QUADS)):
            scope = [fmt for fmt in wanted if FORMATS[fmt][2] == quads]
            if scope:
                _export_scope(store, folder, scope, line_format, rewritten, seconds, staged)
        for temp, target in staged.items():
            temp.replace(target)
    finally:
        for temp in staged:
            temp.unlink(missing_ok=True)
    return seconds


def _export_scope(store: ox.Store, folder: Path, scope: list[str], line_format: ox.RdfFormat,
                  rewritten: list[ox.Quad], seconds: dict[str, float], staged: dict[Path, Path]) -> None:
    """The sorted lines of one scope (default graph, or every graph), then each format of ``scope``."""
    started = time.perf_counter()
    graph = ox.DefaultGraph() if line_format == ox.RdfFormat.N_TRIPLES else None
    if graph is not None:
        rewritten = [quad for quad in rewritten if isinstance(quad.graph_name, ox.DefaultGraph)]
    lines_file = _stage(folder, FORMATS[scope[0]][0])
    write_sorted_lines(_bytes(store.dump(format=line_format, from_graph=graph)), line_fixes(rewritten), lines_file)
    kept_lines = scope[0] in ("nt", "nq")
    if kept_lines:
        staged[lines_file] = folder / FORMATS[scope[0]][0]
    for fmt in scope:
        if fmt not in ("nt", "nq"):
            temp = _stage(folder, FORMATS[fmt][0])
            staged[temp] = folder / FORMATS[fmt][0]
            ox.serialize(ox.parse(path=lines_file, format=line_format), output=temp, format=FORMATS[fmt][1],
                         prefixes=PREFIX_IRIS)
            _fsync(temp)
        seconds[fmt] = time.perf_counter() - started
        started = time.perf_counter()
    if not kept_lines:
        lines_file.unlink()


def write_sorted_lines(dump: bytes, fixes: dict[bytes, bytes], path: Path) -> None:
    """``dump``'s lines, each replaced by its fix if it has one, sorted as bytes, into ``path``."""
    lines = dump.splitlines(keepends=True)
    del dump
    if fixes:
        lines = [fixes.get(line, line) for line in lines]
    lines.sort()
    with path.open("wb") as stream:
        stream.writelines(lines)
        stream.flush()
        os.fsync(stream.fileno())


def line_fixes(rewritten: list[ox.Quad]) -> dict[bytes, bytes]:
    """Oxigraph's line of each rewritten quad -> the line of the quad as built (N-Quads = N-Triples lines for
    the default graph)."""
    if not rewritten:
        return {}
    originals = list(dict.fromkeys(rewritten))
    literals = {quad.object: _literal(to_rdflib(quad.object)) for quad in originals}
    forms = canonical_forms(literals.values())
    stored = [ox.Quad(q.subject, q.predicate, forms[literals[q.object]], q.graph_name) for q in originals]
    before = _bytes(ox.serialize(stored, format=ox.RdfFormat.N_QUADS)).splitlines(keepends=True)
    after = _bytes(ox.serialize(originals, format=ox.RdfFormat.N_QUADS)).splitlines(keepends=True)
    return dict(zip(before, after, strict=True))


def _literal(term: object) -> Literal:
    assert isinstance(term, Literal)
    return term


def _bytes(data: bytes | None) -> bytes:
    assert data is not None  # pyoxigraph returns bytes when given no output
    return data


def _stage(folder: Path, name: str) -> Path:
    """A temporary file beside ``name``, named as :mod:`kg.io` names them (so a killed build's are cleaned)."""
    handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=folder)
    os.close(handle)
    umask = os.umask(0o022)
    os.umask(umask)
    Path(temp).chmod(0o666 & ~umask)
    return Path(temp)


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())
