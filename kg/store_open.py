"""Opening the store ``--store`` asks for: the automatic choice by size, and Oxigraph's store on disk.

``auto`` decides on the number of triples: for a graph file, estimated from its size before anything is
parsed (rdflib would take minutes on a file ``auto`` sends to Oxigraph); for articles, counted after they
are built (they are built by rdflib in any case). ``oxigraph:PATH`` keeps the store in the folder ``PATH``
with ``kg-store.json`` beside its data: what was loaded (a fingerprint of the input files and of this
code), the counts, and the literals to restore. A run whose fingerprint matches opens the store without
loading anything; a run of the same input that changed empties it and loads again, so the same build never
doubles its triples; a run naming other input is refused (:func:`refuse_other_input`).
The JSON file is written last: a load that was interrupted is never taken for a complete one.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset

from kg.errors import InputError
from kg.store import AUTO_THRESHOLD, OpenedStore, StoreSpec, describe
from kg.store_layout import counts
from kg.store_load import load_dataset, load_file
from kg.store_oxigraph import OxigraphState, OxigraphStore
from kg.store_rdflib import RdflibStore
from kg.store_swap import LOCK_FILE, hold
from kg.store_terms import Restorations

STATE_FILE = "kg-store.json"
#: Bump when the store layout or the state file changes: older stores are then reloaded (``kg serve --store``
#: without a graph refuses them). 3: the inferred graph holds ``zq:directType``.
LAYOUT = 3
#: Bytes per triple of kg's own files, to estimate a graph file's size in triples before parsing it.
_BYTES_PER_TRIPLE = {".nt": 150, ".nq": 150, ".ttl": 60, ".trig": 60, ".jsonld": 80, ".json": 80}


def open_for_query(spec: StoreSpec, graph_file: Path | None, sources: Path | None, *,
                   inferred: bool) -> OpenedStore:
    """The store for ``kg query``: one mode (with or without the entailments) is enough."""
    kind, count, estimated = spec.kind, 0, False
    if kind == "auto" and graph_file is not None:
        count, estimated = _estimate(graph_file), True
        kind = "oxigraph" if count > AUTO_THRESHOLD else "rdflib"
    if kind == "rdflib":
        from kg.query_engine import load_graph

        graph = load_graph(graph_file, inferred=inferred)
        return OpenedStore(RdflibStore({inferred: graph}), describe(spec, "rdflib", count or len(graph),
                                                                    estimated=estimated))
    if kind == "oxigraph":
        return _oxigraph(spec, count, estimated, graph_file, sources, inferred=inferred)
    dataset = _dataset(graph_file, sources, inferred=inferred)
    count = _size(dataset)
    if count > AUTO_THRESHOLD:
        return _oxigraph(spec, count, False, graph_file, sources, inferred=inferred, dataset=dataset)
    from kg.pipeline import union_of

    store = RdflibStore({inferred: union_of(dataset, inferred=inferred)})
    return OpenedStore(store, describe(spec, "rdflib", count))


def open_for_built(spec: StoreSpec, built: object, graph_file: Path | None = None) -> OpenedStore:
    """The store for ``kg serve``, whose graph is already built and reasoned over (``kg.commands.Built``)."""
    from kg.commands import Built

    assert isinstance(built, Built)
    count = _size(built.dataset)
    kind = spec.kind if spec.kind != "auto" else "oxigraph" if count > AUTO_THRESHOLD else "rdflib"
    if kind == "rdflib":
        store = RdflibStore({True: built.graph(inferred=True), False: built.graph(inferred=False)})
        return OpenedStore(store, describe(spec, "rdflib", count))
    opened = _oxigraph(spec, count, False, graph_file, None, inferred=True, dataset=built.dataset)
    if spec.path is None:
        return opened
    assert isinstance(opened.store, OxigraphStore)
    note = "; queries read an in-memory copy (forked workers cannot share RocksDB)"
    return OpenedStore(opened.store.in_memory(), opened.description + note)


def _oxigraph(spec: StoreSpec, count: int, estimated: bool, graph_file: Path | None, sources: Path | None, *,
              inferred: bool, dataset: Dataset | None = None) -> OpenedStore:
    started = time.perf_counter()
    fingerprint = _fingerprint(graph_file, sources) if spec.path is not None else ""
    if spec.path is not None:
        refuse_non_store(spec.path)  # before its kg-store.json is looked for
        saved = _saved(spec.path)
        state = _saved_state(saved, fingerprint, inferred)
        hold(spec.path, exclusive=state is None)  # read it with others, or load it alone (kg/store_swap.py)
        if state is not None:
            store = OxigraphStore(_disk_store(spec.path), state, spec.path)
            return OpenedStore(store, describe(spec, "oxigraph", count or store.triples(inferred=True),
                                               estimated=estimated, detail="reused: same build as last time"))
        refuse_other_input(spec.path, saved, source_of(graph_file, sources))
    raw = _disk_store(spec.path, empty=True) if spec.path is not None else ox.Store()
    loaded = load_file(raw, graph_file) if graph_file is not None and dataset is None else None
    if loaded is None:
        loaded = load_dataset(raw, dataset or _dataset(graph_file, sources, inferred=inferred),
                              with_inferred=inferred)
    asserted, entailed = counts(raw)
    state = OxigraphState(asserted, entailed if loaded.with_inferred else None, loaded.csv_safe,
                          loaded.census.restorations())
    if spec.path is not None:
        raw.flush()
        _save_state(spec.path, fingerprint, state, source_of(graph_file, sources))
    store = OxigraphStore(raw, state, spec.path)
    detail = f"loaded {store.triples(inferred=inferred):,} triples in {time.perf_counter() - started:.2f} s"
    return OpenedStore(store, describe(spec, "oxigraph", count or store.triples(inferred=True),
                                       estimated=estimated, detail=detail))


def _dataset(graph_file: Path | None, sources: Path | None, *, inferred: bool) -> Dataset:
    """What the rdflib store would query, as a dataset: built and reasoned over, or only built."""
    if inferred:
        from kg.commands import built

        return built(graph_file, sources).dataset
    if graph_file is None:
        from kg.pipeline import build_from

        return build_from(sources)
    from kg.user_graph import read_user_dataset

    return read_user_dataset(graph_file)


def _size(dataset: Dataset) -> int:
    """Triples stated in every graph of ``dataset`` (one stated in two articles counts twice)."""
    return sum(len(graph) for graph in dataset.graphs())


def _estimate(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from None
    return size // _BYTES_PER_TRIPLE.get(path.suffix.lower(), 100)


def _fingerprint(graph_file: Path | None, sources: Path | None) -> str:
    """A hash of everything a load depends on: the input files, the ontology, kg's code, pyoxigraph."""
    from kg.assets import asset, bundled_sources

    digest = hashlib.sha256(f"layout {LAYOUT} pyoxigraph {ox.__version__}".encode())
    inputs = [graph_file] if graph_file is not None else sorted(
        path for path in (sources or bundled_sources()).iterdir() if path.suffix in (".txt", ".yaml"))
    code = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*inputs, asset("ontology", "zqgj.ttl"), *code]:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def refuse_non_store(path: Path) -> None:
    """A file, or a folder with other things in it, is never taken for a store (nor emptied)."""
    if path.exists() and (not path.is_dir() or (any(p.name != LOCK_FILE for p in path.iterdir())
                                                and not (path / "CURRENT").exists())):
        raise InputError(path, None, "not an Oxigraph store (give a new or empty folder, or one kg made)")


def _disk_store(path: Path, *, empty: bool = False) -> ox.Store:
    """The store at ``path`` (created if missing); ``empty``: its old content and state file removed."""
    refuse_non_store(path)
    try:
        store = ox.Store(str(path))
    except OSError as err:
        raise InputError(path, None, f"cannot open the Oxigraph store ({err}); is another kg using it?") from None
    if empty:
        (path / STATE_FILE).unlink(missing_ok=True)
        store.clear()
    return store


def _saved(path: Path) -> dict[str, Any]:
    """The store's ``kg-store.json`` as saved, or nothing if there is none (or it is not an object)."""
    try:
        saved = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _saved_state(saved: dict[str, Any], fingerprint: str, inferred: bool) -> OxigraphState | None:
    """The state of a complete earlier load of the same input, if the store's saved state is one."""
    if saved.get("layout") != LAYOUT or saved.get("fingerprint") != fingerprint:
        return None
    if inferred and saved.get("inferred") is None:
        return None
    return OxigraphState(saved["asserted"], saved["inferred"], saved["csv_safe"],
                         Restorations.from_rows(saved["restorations"], saved["text_predicates"]))


def source_of(graph_file: Path | None, sources: Path | None) -> str:
    """What a store was loaded from, as its state file records it (a store is reloaded only from the same)."""
    if graph_file is not None:
        return f"the graph file {graph_file.resolve()}"
    return f"the articles in {sources.resolve()}" if sources is not None else "the bundled article"


def refuse_other_input(path: Path, saved: dict[str, Any], source: str) -> None:
    """A store loaded from other input is not emptied to load ``source``: a bulk build of hours would go
    because a command left out ``--sources``. Stores from before the source was recorded are reloaded."""
    recorded = saved.get("source")
    if recorded is not None and recorded != source:
        raise InputError(path, None, f"holds the store of {recorded}; name that input to use it, or give "
                                     f"another folder to load {source}")


def _save_state(path: Path, fingerprint: str, state: OxigraphState, source: str) -> None:
    from kg.io import write_atomic

    saved = {"layout": LAYOUT, "fingerprint": fingerprint, "source": source, "asserted": state.asserted,
             "inferred": state.inferred, "csv_safe": state.csv_safe, "restorations": state.restorations.rows(),
             "text_predicates": sorted(state.restorations.text_predicates)}
    write_atomic(path / STATE_FILE, json.dumps(saved, ensure_ascii=False, indent=1) + "\n")
