"""``kg serve --store oxigraph:PATH`` (no ``--graph``): the store ``kg build`` or ``kg query`` left at PATH,
served as it is, read-only, without loading anything into rdflib.

RocksDB's open files and background threads do not survive ``fork`` (docs/stores.md), and the query workers
of :mod:`kg.serve_pool` are forked. So every process opens the store itself, read-only: the server when it
starts, each worker right after it is forked (:meth:`StoreOnDisk.after_fork`, called by the pool before the
worker is confined). A read-only open takes no lock and writes nothing; it costs ~35 ms and ~30 MB per
process on the 10,000-article store, where an in-memory copy (what ``--graph FILE --store oxigraph:PATH``
serves) took 44 s and 2.3 GB (docs/serve.md). RocksDB's rule: no process may write the store meanwhile, so
a store some process holds open for writing (its ``LOCK``) is refused.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import InputError
from kg.store_open import LAYOUT, STATE_FILE
from kg.store_oxigraph import OxigraphState, OxigraphStore
from kg.store_swap import hold
from kg.store_terms import Restorations

NOT_A_STORE = "not a kg Oxigraph store (kg build --sources DIR --store oxigraph:PATH makes one)"


class StoreOnDisk:
    """A :class:`~kg.store.QueryStore` over the store at ``path``, opened read-only once per process."""

    name = "oxigraph"

    def __init__(self, path: Path, state: OxigraphState) -> None:
        self.path, self.state = path, state
        # Never emptied: a forked worker must not drop (and so close) the handle it inherited from the server.
        self._opened: dict[int, OxigraphStore] = {}
        self.current()

    def current(self) -> OxigraphStore:
        """This process's read-only handle (opened on first use in a process)."""
        pid = os.getpid()
        store = self._opened.get(pid)
        if store is None:
            store = self._opened[pid] = OxigraphStore(_read_only(self.path), self.state, self.path)
        return store

    def after_fork(self) -> None:
        """Open the store in a newly forked worker, before it is confined (:mod:`kg.serve_pool`)."""
        self.current()

    def handle(self) -> ox.Store:
        """This process's pyoxigraph store."""
        return self.current().handle()

    def run(self, query: Query, text: str, bindings: Mapping[str, Node], *, inferred: bool = True,
            timeout_s: float = 30.0, max_rows: int | None = None, native: str | None = None) -> Result:
        """As :meth:`OxigraphStore.run` (the checked text, its deadline, literals restored)."""
        return self.current().run(query, text, bindings, inferred=inferred, timeout_s=timeout_s,
                                  max_rows=max_rows, native=native)

    def triples(self, *, inferred: bool) -> int:
        return self.current().triples(inferred=inferred)


def open_existing(path: Path) -> StoreOnDisk:
    """The kg store at ``path``, read-only; anything else is an :class:`InputError` (one line, exit 2)."""
    if not path.is_dir():
        raise InputError(path, None, f"{'a file' if path.exists() else 'no such folder'}: {NOT_A_STORE}")
    if not (path / "CURRENT").is_file() or not (path / STATE_FILE).is_file():
        raise InputError(path, None, NOT_A_STORE)
    hold(path, exclusive=False)  # never read while a build or load replaces it (kg/store_swap.py)
    state = _state(path)
    _refuse_writer(path)
    return StoreOnDisk(path, state)


def _state(path: Path) -> OxigraphState:
    """The counts and literal restorations the load left in ``kg-store.json``."""
    try:
        saved: dict[str, Any] = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
        if saved.get("layout") != LAYOUT:
            raise InputError(path, None, f"a kg store of layout {saved.get('layout')}, this kg serves layout "
                                         f"{LAYOUT}: build it again with this kg")
        return OxigraphState(int(saved["asserted"]), saved["inferred"], bool(saved["csv_safe"]),
                             Restorations.from_rows(saved["restorations"], saved["text_predicates"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputError(path, None, f"unreadable {STATE_FILE} ({type(err).__name__}): {NOT_A_STORE}") from None


def _refuse_writer(path: Path) -> None:
    """Refuse a store that another process holds open for writing (RocksDB locks ``LOCK`` with ``fcntl``):
    reading it meanwhile is undefined behaviour. Checked once at startup; a writer that comes later is not."""
    with contextlib.suppress(FileNotFoundError):
        fd = os.open(path / "LOCK", os.O_RDONLY)
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            raise InputError(path, None, "another process has this store open for writing (a kg build?); "
                                         "serve it once that is done") from None
        finally:
            os.close(fd)  # closing releases the probe's lock


def _read_only(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise InputError(path, None, f"cannot open the Oxigraph store read-only ({err})") from None
