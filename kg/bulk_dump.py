"""One graph of the bulk store as N-Triples (or N-Quads) lines sorted as bytes, dumped by Oxigraph natively.

Why a module of its own: the sort is what makes the bulk exports deterministic (a total order, so a file
depends on the triples only: not on insertion order, ``PYTHONHASHSEED`` or the store), and doing it without
holding the whole dump and its lines in memory at once takes a thread, a growing file read in chunks and a
merge of sorted runs; :mod:`kg.bulk_export` only decides which files to write from the lines.

Literals: Oxigraph stores values, so a few literals come out of it in another text than the build wrote
(``"8"^^xsd:integer`` for ``"8"^^xsd:nonNegativeInteger``). The stream noted every such quad
(:attr:`kg.bulk_stream.Streamed.rewritten`); :func:`line_fixes` writes their lines back to the build's form
before sorting.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal

from kg.store_terms import canonical_forms, to_rdflib

#: Bytes of the dump read, fixed and sorted at a time while Oxigraph writes the rest (≈ 12 sorted runs per M triples).
CHUNK = 16 << 20


def graph_lines(store: ox.Store, graph: ox.DefaultGraph | ox.NamedNode, rewritten: list[ox.Quad]) -> list[bytes]:
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
