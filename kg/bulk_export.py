"""Deterministic exports of a bulk store, written by pyoxigraph's own serialisers.

Why not :mod:`kg.export`: its canonical long-form Turtle and sorted N-Triples go through rdflib (68 s for
448,000 triples). Here Oxigraph dumps N-Triples (or N-Quads) natively; the lines are sorted as bytes (a total
order, so the file depends on the triples only: not on insertion order, ``PYTHONHASHSEED`` or the store), and
the other formats are pyoxigraph's serialisers fed that sorted stream (``parse`` → ``serialize``, both native).

What differs from ``kg build``'s files: this Turtle is pyoxigraph's (subjects in the sorted order of their
N-Triples, ``;``/``,`` grouping, the prefixes of :data:`kg.iris.PREFIXES`), not rdflib's canonical
longturtle; TriG and N-Quads hold two graphs, the default graph (ontology + every article, merged: the layout of
:mod:`kg.store_layout`) and ``…/graph/inferred``, not one graph per article. The triples are the same: a file
re-parsed by rdflib is isomorphic to ``kg build``'s union graph (``tests/test_bulk.py``).

Literals: Oxigraph stores values, so a few literals come out of it in another text than the build wrote
(``"8"^^xsd:integer`` for ``"8"^^xsd:nonNegativeInteger``). The stream noted every such quad
(:attr:`kg.bulk_stream.Streamed.rewritten`); their lines are written back to the build's form before sorting
(the dump and sort: :mod:`kg.bulk_dump`).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.bulk_dump import graph_lines
from kg.io import TEMP_SUFFIX
from kg.iris import INFERRED_GRAPH, PREFIXES

#: format -> (file name, pyoxigraph format, whether it holds the inferred graph too).
FORMATS: dict[str, tuple[str, ox.RdfFormat, bool]] = {
    "nt": ("graph.nt", ox.RdfFormat.N_TRIPLES, False),
    "ttl": ("graph.ttl", ox.RdfFormat.TURTLE, False),
    "jsonld": ("graph.jsonld", ox.RdfFormat.JSON_LD, False),
    "nq": ("graph.nq", ox.RdfFormat.N_QUADS, True),
    "trig": ("graph.trig", ox.RdfFormat.TRIG, True),
}
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def export(store: ox.Store, folder: Path, formats: Iterable[str], rewritten: list[ox.Quad]) -> dict[str, float]:
    """Write the files of ``formats`` into ``folder`` (each whole or not at all); seconds per format.

    Oxigraph dumps each graph once: the default graph's sorted lines are ``graph.nt`` and, with the inferred
    graph's, ``graph.nq`` (Timsort merges the two sorted runs in linear time); Turtle and JSON-LD are parsed
    from the first, TriG from the second. So ``nt`` (``nq``) also counts the dump and sort the others reuse."""
    wanted = [fmt for fmt in FORMATS if fmt in set(formats)]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown bulk format(s) {sorted(unknown)}; expected some of {sorted(FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    clock = _Clock()
    staged: dict[Path, Path] = {}
    try:
        lines = graph_lines(store, ox.DefaultGraph(), rewritten)
        if any(not FORMATS[fmt][2] for fmt in wanted):
            _stage_lines(folder, "nt", lines, staged)
            clock.lap("nt")
        if any(FORMATS[fmt][2] for fmt in wanted):
            lines.extend(graph_lines(store, INFERRED, rewritten))
            lines.sort()
            _stage_lines(folder, "nq", lines, staged)
            clock.lap("nq")
        del lines
        for fmt in wanted:
            if fmt not in ("nt", "nq"):
                _stage_parsed(folder, fmt, staged)
                clock.lap(fmt)
        for temp, target in staged.items():
            if target.parent == folder and target.name in {FORMATS[fmt][0] for fmt in wanted}:
                temp.replace(target)
    finally:
        for temp in staged:
            temp.unlink(missing_ok=True)
    return {fmt: clock.seconds[fmt] for fmt in wanted}


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.started = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name], self.started = now - self.started, now


def _stage_lines(folder: Path, fmt: str, lines: list[bytes], staged: dict[Path, Path]) -> None:
    """Write ``lines`` to a temporary file for ``fmt`` (fsynced), to be renamed into place at the end."""
    temp = _stage(folder, FORMATS[fmt][0])
    staged[temp] = folder / FORMATS[fmt][0]
    with temp.open("wb", buffering=1 << 20) as stream:
        stream.writelines(lines)
        stream.flush()
        os.fsync(stream.fileno())


def _stage_parsed(folder: Path, fmt: str, staged: dict[Path, Path]) -> None:
    """``fmt`` written by pyoxigraph from the sorted lines already staged (N-Triples, or N-Quads for TriG)."""
    source_fmt = "nq" if FORMATS[fmt][2] else "nt"
    source = next(temp for temp, target in staged.items() if target.name == FORMATS[source_fmt][0])
    temp = _stage(folder, FORMATS[fmt][0])
    staged[temp] = folder / FORMATS[fmt][0]
    ox.serialize(ox.parse(path=source, format=FORMATS[source_fmt][1]), output=temp, format=FORMATS[fmt][1],
                 prefixes=PREFIX_IRIS)
    _fsync(temp)


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
