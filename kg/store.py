"""Where queries run: one interface (:class:`QueryStore`), two stores, and the choice between them.

- ``rdflib``: the graph in rdflib's memory store, evaluated by rdflib (:mod:`kg.store_rdflib`). The default
  for small graphs: nothing to load twice, and it is the reference every answer key was reviewed against.
- ``oxigraph[:PATH]``: pyoxigraph's store and SPARQL engine (:mod:`kg.store_oxigraph`), in memory or on disk
  at ``PATH`` (kept between runs: a second run on the same build reuses it instead of loading again).
- ``auto`` (what ``--store`` means when not given): Oxigraph above :data:`AUTO_THRESHOLD` triples, rdflib
  below; :attr:`OpenedStore.description` says which was chosen and why, for the command's summary line.

Both stores answer identically (``tests/test_store.py`` runs every bundled query on both against
``queries/expected/``): the safety checks of :func:`kg.sparql_safety.parse_checked` run on the text first,
whatever the store; ``docs/stores.md`` lists what differs inside and how each difference is handled.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

if TYPE_CHECKING:
    from kg.commands import Built
    from kg.query_engine import Prepared

#: Above this many triples (ontology + assertions + entailments) ``auto`` chooses Oxigraph.
AUTO_THRESHOLD = 200_000
STORE_KINDS = ("auto", "rdflib", "oxigraph")


class QueryStore(Protocol):
    """A graph (with and without its entailments) that answers checked SPARQL queries.

    ``run`` takes the text that :func:`~kg.sparql_safety.parse_checked` accepted and the ``Query`` it
    returned, parameters as RDF terms (bound as values, never spliced in as text), and returns an rdflib
    ``Result`` with its rows computed, which :mod:`kg.results` renders. ``inferred``: the union with the
    OWL RL entailments, or without. ``max_rows``: stop after that many solutions. ``native``: the results
    format the caller will render (``csv``/``json``/``xml``), which a store may produce itself. Past
    ``timeout_s`` it raises :class:`~kg.sparql_safety.QueryTimeoutError`.
    """

    name: str

    def run(self, query: Query, text: str, bindings: Mapping[str, Node], *, inferred: bool = True,
            timeout_s: float = 30.0, max_rows: int | None = None, native: str | None = None) -> Result: ...

    def triples(self, *, inferred: bool) -> int: ...


@dataclass(frozen=True)
class StoreSpec:
    """What ``--store`` asked for: ``auto``, ``rdflib``, ``oxigraph`` (in memory) or ``oxigraph:PATH``."""

    kind: str = "auto"
    path: Path | None = None

    @classmethod
    def parse(cls, text: str) -> StoreSpec:
        """Read a ``--store`` value; a bad one raises ``argparse.ArgumentTypeError``."""
        kind, colon, path = text.partition(":")
        if kind not in STORE_KINDS or (colon and kind != "oxigraph") or (colon and not path.strip()):
            raise argparse.ArgumentTypeError(f"{text!r}: expected auto, rdflib, oxigraph or oxigraph:PATH")
        return cls(kind, Path(path) if colon else None)


@dataclass
class OpenedStore:
    """A store ready for queries and the line that says which it is and why (for the summary)."""

    store: QueryStore
    description: str


def add_store_option(command: argparse.ArgumentParser) -> None:
    """``--store auto|rdflib|oxigraph[:PATH]`` on a subcommand's parser."""
    command.add_argument(
        "--store", type=StoreSpec.parse, default=StoreSpec(), metavar="auto|rdflib|oxigraph[:PATH]",
        help=f"where queries run: rdflib in memory, or Oxigraph (in memory, or on disk at PATH, kept between "
             f"runs); default auto: Oxigraph above {AUTO_THRESHOLD:,} triples")


def open_store(spec: StoreSpec, graph_file: Path | None = None, sources: Path | None = None, *,
               inferred: bool = True) -> OpenedStore:
    """The store ``spec`` asks for, holding ``graph_file`` (or the articles of ``sources``, default: the
    bundled article). Without ``inferred`` and with rdflib, the reasoner is not run at all."""
    from kg import store_open

    return store_open.open_for_query(spec, graph_file, sources, inferred=inferred)


def open_built(spec: StoreSpec, built: Built, graph_file: Path | None = None) -> OpenedStore:
    """The store ``spec`` asks for, holding an already built and reasoned graph (``kg serve``); ``graph_file``
    is where it came from (``None``: the bundled article), which a store on disk compares with its last load."""
    from kg import store_open

    return store_open.open_for_built(spec, built, graph_file)


def run_prepared(store: QueryStore, prepared: Prepared, *, inferred: bool = True, timeout_s: float = 30.0,
                 native: str | None = None) -> Result:
    """Run a query prepared by :func:`kg.query_engine.prepare` (checked, parameters bound) on ``store``."""
    return store.run(prepared.query, prepared.spec.text, prepared.bindings, inferred=inferred,
                     timeout_s=timeout_s, native=native)


def describe(spec: StoreSpec, kind: str, triples: int, *, estimated: bool = False, detail: str = "") -> str:
    """The summary line: which store, where, and why (``auto`` says it chose, and on what count)."""
    where = f"on disk at {spec.path}" if spec.path is not None else "in memory"
    line = f"store: {kind}, {where}"
    if spec.kind == "auto":
        count = f"about {triples:,} triples (estimated from the file size)" if estimated else f"{triples:,} triples"
        relation = ">" if kind == "oxigraph" else "≤"
        line += f" (chosen automatically: {count} {relation} {AUTO_THRESHOLD:,})"
    return line + (f"; {detail}" if detail else "")
