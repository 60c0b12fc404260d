"""The bulk build: a province-sized corpus into an Oxigraph store, without rdflib ever holding the graph.

``kg build`` holds the dataset, its union and its entailments in rdflib (2.9 GB at 1,000 articles); 10,000
articles do not fit. :func:`build_into_store` does the same work with only one article in rdflib at a time:

1. **stream** (:mod:`kg.bulk_stream`): each article loaded and checked by the normal code (same errors, same
   ``FILE:LINE``), built by the normal code, handed to Oxigraph in batches, dropped; the cross-article checks
   keep only the facts they compare (:mod:`kg.bulk_merge`);
2. **close** (:mod:`kg.bulk_closure`): the rules closure takes the pairs its rules need as the stream kept them
   (:mod:`kg.bulk_input`; out of Oxigraph through an rdflib ``Store`` adapter, :mod:`kg.bulk_rdflib`, when an
   article changes the rules) and writes the entailments to ``…/graph/inferred``, then each organisation's
   most specific classes (:mod:`kg.direct_types`);
3. **state**: on disk, ``kg-store.json`` as :mod:`kg.store_open` writes it, with the fingerprint ``kg query``/
   ``kg serve --sources DIR --store oxigraph:PATH`` compute, so they open the store without loading anything;
4. **export** (:mod:`kg.bulk_export`): sorted N-Triples/N-Quads and pyoxigraph's Turtle, TriG, JSON-LD.

Design, numbers and what is not done (SHACL): ``docs/bulk.md``.
"""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg.bulk_check import clashes
from kg.bulk_closure import INFERRED, Closed, close_store
from kg.bulk_export import FORMATS, export
from kg.bulk_input import ClosureInput
from kg.bulk_rdflib import Originals, graph_of
from kg.bulk_stream import BATCH, stream_into
from kg.direct_types import direct_type_quads, direct_type_quads_of
from kg.gc_pause import collector_paused
from kg.reason import InconsistentGraphError
from kg.store_oxigraph import OxigraphState
from kg.store_terms import to_ox

DEFAULT_FORMATS = ("nt", "ttl", "nq")


@dataclass
class BulkSummary:
    """What :func:`build_into_store` made: the store (open), its state, the files, the time of each step."""

    articles: int
    asserted: int  # triples in the default graph (ontology + articles, merged)
    inferred: int  # triples in …/graph/inferred (none of them asserted)
    store: ox.Store
    state: OxigraphState  # with ``store``: ``kg.store_oxigraph.OxigraphStore(store, state, store_path)``
    store_path: Path | None
    files: dict[str, Path] = field(default_factory=dict)
    #: stream (of which "stream store": handing triples to Oxigraph), closure, direct types, clashes, state,
    #: "export <fmt>"
    seconds: dict[str, float] = field(default_factory=dict)
    #: the process's peak RSS (MiB, ``ru_maxrss``) after each step: stream, closure, exports
    peak_mb: dict[str, float] = field(default_factory=dict)
    unrestored: int = 0  # literals Oxigraph rewrote that the closure could not map back to one original

    def line(self) -> str:
        """The one summary line ``kg build --store oxigraph[:PATH]`` prints."""
        where = f"on disk at {self.store_path}" if self.store_path is not None else "in memory"
        export_s = sum(s for name, s in self.seconds.items() if name.startswith("export "))
        wrote = f"; wrote {', '.join(p.name for p in self.files.values())}" if self.files else ""
        return (f"kg build (bulk): {self.articles:,} articles, {self.asserted:,} asserted + {self.inferred:,} "
                f"inferred triples, Oxigraph {where}; stream {self.seconds['stream']:.1f} s, closure "
                f"{self.seconds['closure']:.1f} s, export {export_s:.1f} s{wrote}; checked: quotes, ids and OWL "
                f"clashes, not the SHACL shapes (kg build --store rdflib validates them; docs/bulk.md)")


def build_into_store(sources: Path | None, store_path: Path | None, out_dir: Path | None, *,
                     formats: Iterable[str] = DEFAULT_FORMATS, batch: int = BATCH) -> BulkSummary:
    """Build ``sources`` (default: the bundled article) into Oxigraph (in memory, or on disk in the folder
    ``store_path``), close it, and write ``formats`` into ``out_dir`` (None: no files). On disk the new store
    is built beside the old one and put in its place only when it is whole (:mod:`kg.store_swap`).

    Raises :class:`~kg.errors.InputError` (one line, ``FILE:LINE: ...``) for a bad article or a contradiction
    between two, as ``kg build`` does, and :class:`~kg.reason.InconsistentGraphError` (``.clashes``: the OWL
    clashes, worded as ``kg validate`` words them) if asserted ∪ inferred entails ``false``. Either way no
    file is written and the store at ``store_path`` is left as it was."""
    from kg.io import writable_folder
    from kg.store_open import refuse_non_store
    from kg.store_swap import building_folder, discard, exclusive_build, replace_store

    formats = tuple(formats)
    if set(formats) - set(FORMATS):
        raise ValueError(f"unknown bulk format(s) {sorted(set(formats) - set(FORMATS))}; expected {sorted(FORMATS)}")
    if out_dir is not None:
        writable_folder(out_dir)
    if store_path is None:
        return _build(sources, None, None, out_dir, formats, batch)
    refuse_non_store(store_path)
    with exclusive_build(store_path):
        work = building_folder(store_path)
        try:
            summary = _build(sources, work, store_path, out_dir, formats, batch)
        except BaseException:
            discard(work)
            raise
        summary.store.flush()
        summary.store = None  # type: ignore[assignment]  # the last reference: RocksDB closes before the move
        gc.collect()
        replace_store(work, store_path)
        summary.store = ox.Store(str(store_path))
    return summary


def _build(sources: Path | None, work: Path | None, target: Path | None, out_dir: Path | None,
           formats: tuple[str, ...], batch: int) -> BulkSummary:
    """The build itself, into a new store in the folder ``work`` (None: in memory) that will be ``target``."""
    from kg.assets import bundled_sources
    from kg.ontology import ontology_graph
    from kg.store_load import counts
    from kg.store_open import _disk_store, _fingerprint, source_of

    folder = sources if sources is not None else bundled_sources()
    store = _disk_store(work, empty=True) if work is not None else ox.Store()
    streamed = stream_into(store, folder, ontology_graph(), batch)
    peaks = {"stream": _peak_mb()}
    originals = Originals.of(streamed.census)
    closed = close_store(store, originals, streamed.closure_input)
    started = time.perf_counter()
    store.bulk_extend(_direct_types(store, closed, streamed.closure_input))
    direct = time.perf_counter() - started
    streamed.closure_input = None  # its memory, for the exports
    peaks["closure"] = _peak_mb()
    started = time.perf_counter()
    found = clashes(store)
    if found:
        raise InconsistentGraphError(found)
    checked = time.perf_counter()
    asserted, inferred = counts(store)
    state = OxigraphState(asserted, inferred, streamed.csv_safe, streamed.census.restorations())
    if work is not None:
        _persist(store, work, _fingerprint(None, folder), state, source_of(None, sources))
    seconds = {"stream": streamed.seconds, "stream store": streamed.store_seconds, "closure": closed.seconds,
               "direct types": direct, "clashes": checked - started, "state": time.perf_counter() - checked}
    summary = BulkSummary(streamed.articles, asserted, inferred, store, state, target, seconds=seconds,
                          peak_mb=peaks, unrestored=originals.ambiguous)
    if out_dir is not None:
        _write(summary, out_dir, formats, [*streamed.rewritten, *_typed_inferred(closed)])
    return summary


def _direct_types(store: ox.Store, closed: Closed, given: ClosureInput | None) -> list[ox.Quad]:
    """Each organisation's most specific classes, from the memberships the stream kept and the closure's if
    the closure used them (then they are all of the store's), else read from the store."""
    if given is None or not closed.collected:
        return direct_type_quads(store, INFERRED)
    kind = RDF.type
    derived = ((s, o) for s, p, o in closed.triples if p == kind)
    subclass_of = graph_of(store, union=True).subject_objects(RDFS.subClassOf)
    with collector_paused():  # one set per resource, none of them cyclic (kg/gc_pause.py)
        return direct_type_quads_of(chain(given.memberships(), derived), subclass_of, INFERRED)


def _write(summary: BulkSummary, out_dir: Path, formats: tuple[str, ...], rewritten: list[ox.Quad]) -> None:
    """The exports, under the build lock as ``kg build`` writes (one build per folder; stale temporaries go)."""
    from kg.io import build_lock, remove_other_outputs, remove_stale_temporaries

    with build_lock(out_dir):
        remove_stale_temporaries(out_dir)
        spent = export(summary.store, out_dir, formats, rewritten)
        remove_other_outputs(out_dir, [FORMATS[fmt][0] for fmt in formats])
    summary.seconds.update({f"export {fmt}": s for fmt, s in spent.items()})
    summary.files = {fmt: out_dir / FORMATS[fmt][0] for fmt in FORMATS if fmt in formats}
    summary.peak_mb["exports"] = _peak_mb()


def _peak_mb() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports ``ru_maxrss`` in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _persist(store: ox.Store, path: Path, fingerprint: str, state: OxigraphState, source: str) -> None:
    """Flush the store and write its state file last, as :mod:`kg.store_open` does (so an interrupted
    build is never taken for a complete one)."""
    from kg.store_open import _save_state

    store.flush()
    _save_state(path, fingerprint, state, source)


def _typed_inferred(closed: Closed) -> list[ox.Quad]:
    """The entailments with a typed literal, as quads of the inferred graph (for the exports' fixes)."""
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), INFERRED)  # type: ignore[arg-type]
            for s, p, o in closed.triples if isinstance(o, Literal) and o.datatype is not None]
