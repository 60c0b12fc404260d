"""The rules closure of a store's default graph, written into its ``…/graph/inferred`` named graph.

Why this shape: the closure's code (:func:`kg.closure.run_rules`: axioms, schema, compiled rules, the
semi-naive :class:`~kg.closure_engine.Engine`) already reads only what its rules need, through rdflib's
``Graph`` API. Given a ``Graph`` whose store is a view of Oxigraph (:mod:`kg.bulk_rdflib`) it runs unchanged
and never asks for the labels, quotes and selectors that make up most of the corpus. What it derives is
filtered exactly as :func:`kg.reason.reason` filters it (not asserted, not :func:`~kg.reason.noise_kind`), so
the inferred graph holds the triples ``reason(graph, closure=rules_closure).inferred`` holds
(``tests/test_bulk.py`` compares them triple for triple).

Not done here: a graph the rules do not cover (restrictions, ``owl:oneOf``, ...) falls back to owlrl in
:func:`kg.closure.rules_closure`; owlrl needs the whole graph in rdflib, which is what the bulk path avoids, so
this raises :class:`~kg.closure_engine.UnsupportedError` instead. A graph whose data derives schema triples
makes :func:`~kg.closure.run_rules` restart on an rdflib copy of the graph (correct, but not streaming);
the bundled ontology and generated corpora never do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.term import Node

from kg import iris
from kg.bulk_input import ClosureInput
from kg.bulk_rdflib import Originals, graph_of
from kg.closure import run_rules
from kg.closure_engine import UnsupportedError
from kg.closure_schema import Triple, unsupported_input
from kg.gc_pause import collector_paused
from kg.reason import noise_kind
from kg.store_layout import count, drop_asserted_entailments
from kg.store_terms import OxTerm, to_ox

INFERRED = ox.NamedNode(str(iris.INFERRED_GRAPH))
DEFAULT = ox.DefaultGraph()


@dataclass
class Closed:
    """One closure of a store: the entailments kept (rdflib terms, for tests) and how it went."""

    triples: list[Triple] = field(default_factory=list)
    derived: int = 0  # everything the rules concluded, before the filter
    rounds: int = 0
    restarts: int = 0
    seconds: float = 0.0  # reading + rules + filter + writing the inferred graph
    collected: bool = False  # whether the rules' input came from the stream (kg.bulk_input), not the store

    def summary(self) -> str:
        """One line, in the words of :meth:`kg.reason.Reasoning.summary`."""
        return (f"reasoning (OWL 2 RL, rules, bulk): {len(self.triples):,} inferred of {self.derived:,} derived "
                f"in {self.rounds} rounds, {self.seconds:.2f} s")


def close_store(store: ox.Store, originals: Originals | None = None, given: ClosureInput | None = None) -> Closed:
    """Close ``store``'s default graph with the rules closure; replace its inferred graph with the result.

    ``given``: the triples the rules load, collected as the default graph was written (:mod:`kg.bulk_input`);
    used if they cover the rules compiled from the store, else the store is read."""
    started = time.perf_counter()
    graph = graph_of(store, originals)
    reasons = unsupported_input(graph)
    if reasons:
        raise UnsupportedError(f"the bulk build closes with the rules closure only: {'; '.join(reasons)}")
    with collector_paused():
        run = run_rules(graph, given.groups_for if given is not None else None)
        candidates, quads = _candidates(run.derived)
    if next(iter(store.quads_for_pattern(None, None, None, INFERRED)), None) is not None:
        store.clear_graph(INFERRED)
    store.bulk_extend(quads)
    drop_asserted_entailments(store)  # natively: per triple, `quad in store` on RocksDB costs ~10 µs
    inferred = count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", INFERRED)
    kept = candidates if inferred == len(candidates) else [
        triple for triple, quad in zip(candidates, quads, strict=True) if quad in store]
    return Closed(kept, len(run.derived), run.rounds, run.restarts, time.perf_counter() - started,
                  given is not None and given.used)


def _candidates(derived: list[Triple]) -> tuple[list[Triple], list[ox.Quad]]:
    """``derived`` without duplicates and :func:`kg.reason.noise_kind` noise, and the same as quads of the
    inferred graph. What is also asserted is dropped afterwards, in the store, as :func:`kg.reason.reason`
    drops it (``triple in asserted``)."""
    kept: list[Triple] = []
    quads: list[ox.Quad] = []
    seen: set[Triple] = set()
    terms: dict[Node, OxTerm] = {}
    for triple in derived:
        if triple in seen or noise_kind(triple) is not None:
            continue
        seen.add(triple)
        s, p, o = (terms.get(t) or terms.setdefault(t, to_ox(t)) for t in triple)
        kept.append(triple)
        quads.append(ox.Quad(s, p, o, INFERRED))  # type: ignore[arg-type]
    return kept, quads
