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
(:attr:`kg.bulk_stream.Streamed.rewritten`); their lines are written back to the build's form before sorting.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal

from kg.io import TEMP_SUFFIX
from kg.iris import INFERRED_GRAPH, PREFIXES
from kg.store_terms import canonical_forms, to_rdflib

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
#: Bytes of the dump read, fixed and sorted at a time while Oxigraph writes the rest (≈ 12 sorted runs per M triples).
CHUNK = 16 << 20


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
        lines = _graph_lines(store, ox.DefaultGraph(), rewritten)
        if any(not FORMATS[fmt][2] for fmt in wanted):
            _stage_lines(folder, "nt", lines, staged)
            clock.lap("nt")
        if any(FORMATS[fmt][2] for fmt in wanted):
            lines.extend(_graph_lines(store, INFERRED, rewritten))
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


def _graph_lines(store: ox.Store, graph: ox.DefaultGraph | ox.NamedNode, rewritten: list[ox.Quad]) -> list[bytes]:
    """One graph's N-Quads lines, rewritten literals written back, sorted as bytes.

    Oxigraph dumps into a temporary file from a second thread (the dump runs natively, without the GIL) while
    this one reads what is written so far, chunk by chunk, fixes and sorts each, and merges the sorted runs as a
    binary counter does (Timsort merges two runs in linear time), so little is left once the dump ends. Never
    the whole dump and its lines in memory at once."""
    runs: list[list[bytes]] = []  # sorted, each under half the size of the one before it
    with tempfile.TemporaryDirectory() as folder:
        dumping = _Dump(store, graph, Path(folder) / "dump.nt")
        dumping.start()
        try:
            fixes = line_fixes([quad for quad in rewritten if quad.graph_name == graph])
            suffix = f"<{graph.value}> .\n".encode() if isinstance(graph, ox.NamedNode) else b""
            for chunk in _chunks(dumping):
                part = chunk.splitlines(keepends=True)
                if suffix:  # N-Triples "... .\n" -> N-Quads "... <g> .\n"
                    part = [line[:-2] + suffix for line in part]
                if fixes:
                    part = [fixes.get(line, line) for line in part]
                part.sort()
                while runs and len(runs[-1]) < 2 * len(part):  # merged while the dump goes on, not all at the end
                    part = runs.pop() + part
                    part.sort()
                runs.append(part)
        finally:
            dumping.join()
    lines = runs.pop(0) if runs else []
    for run in runs:
        lines += run
    lines.sort()
    return lines


class _Dump(threading.Thread):
    """``Store.dump`` of one graph as N-Triples to ``path`` (created empty first, so it can be read at once)."""

    def __init__(self, store: ox.Store, graph: ox.DefaultGraph | ox.NamedNode, path: Path) -> None:
        super().__init__(name="kg-bulk-dump", daemon=True)
        self.store, self.graph, self.path = store, graph, path
        self.error: BaseException | None = None
        path.touch()

    def run(self) -> None:
        try:
            self.store.dump(output=str(self.path), format=ox.RdfFormat.N_TRIPLES, from_graph=self.graph)
        except BaseException as error:  # re-raised in the reading thread, by _chunks
            self.error = error


def _chunks(dumping: _Dump) -> Iterator[bytes]:
    """Whole lines of the dump as it grows, about :data:`CHUNK` bytes at a time, until the dump has ended."""
    tail = b""
    with dumping.path.open("rb") as dump:
        while True:
            ended = not dumping.is_alive()  # read after it ended: then an empty read is the true end
            data = dump.read(CHUNK)
            if data:
                data = tail + data
                cut = data.rfind(b"\n") + 1
                tail = data[cut:]
                yield data[:cut]
            elif ended:
                break
            else:
                time.sleep(0.005)
    if dumping.error is not None:
        raise dumping.error
    if tail:
        raise ValueError(f"Oxigraph's dump of {dumping.graph} ended inside a line")


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
