"""The Oxigraph store: pyoxigraph's ``Store`` (layout: :mod:`kg.store_layout`) and its SPARQL engine.

A query reaches Oxigraph only after :func:`kg.sparql_safety.parse_checked` accepted its text (Oxigraph would
otherwise call a ``SERVICE`` endpoint itself), with its parameters written in as RDF terms
(:mod:`kg.store_bind`) and the prefixes rdflib would have known (rdflib lets a query use ``skos:`` & co.
without declaring them). ``GRAPH`` patterns are refused as rdflib refuses them: queries read one merged graph.

Timeouts: Oxigraph evaluates in native code (it releases the GIL meanwhile). The query runs in a worker thread;
the caller waits ``timeout_s`` and then raises an exception in the worker, which lands between two rows (the
rows are pulled from Python), stopping the query; a query still inside one native call (a sort, a large
aggregate) cannot be interrupted: after :data:`~kg.sparql_safety.GRACE_S` the timeout is reported with
``stuck=True`` and the thread is abandoned. ``kg query`` then ends the process; ``kg serve``'s worker
process that ran it is killed and replaced (:mod:`kg.serve_pool`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.sparql_errors import QuerySyntaxError
from kg.store_bind import bind_text
from kg.store_construct import GRAPH_FORMATS, graph_answer
from kg.store_deadline import recheck, with_deadline
from kg.store_provenance import Provenance, provenance
from kg.store_results import (
    Plan,
    StoreResult,
    ask_result,
    graph_result,
    native_allowed,
    plan_of,
    rendered,
    select_result,
)
from kg.store_terms import Restorations, to_ox


class GraphPatternError(Exception):
    """A ``GRAPH`` pattern: the query runs over one merged graph, not a dataset (rdflib says the same)."""


@dataclass
class OxigraphState:
    """What a loaded store holds besides its triples (kept beside a persistent store)."""

    asserted: int
    inferred: int | None  # None: loaded without the entailments
    csv_safe: bool
    restorations: Restorations = field(default_factory=Restorations)


class OxigraphStore:
    """A pyoxigraph ``Store`` in the layout of :mod:`kg.store_layout`, answering checked queries."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, state: OxigraphState, path: Path | None = None) -> None:
        self._store, self.state, self.path = store, state, path

    def handle(self) -> ox.Store:
        """The pyoxigraph store itself."""
        return self._store

    def in_memory(self) -> OxigraphStore:
        """This store copied into memory (Oxigraph dumps and bulk-loads it natively), for ``kg serve``.

        Why: its workers are forked processes, and a store on disk is RocksDB, whose open files and background
        threads do not survive a fork (measured: a forked worker reading it aborts with ``std::system_error``,
        and a read-only reopen beside the writer reads a stale manifest). The in-memory store has neither."""
        if self.path is None:
            return self
        with tempfile.TemporaryDirectory(prefix="kg-store-") as folder:
            dump = Path(folder) / "store.nq"
            self._store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
            memory = ox.Store()
            memory.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        return OxigraphStore(memory, self.state)

    def triples(self, *, inferred: bool) -> int:
        """How many triples a query with or without inference reads."""
        entailed = self.state.inferred or 0
        return self.state.asserted + (entailed if inferred else 0)

    def run(self, query: Query, text: str, bindings: Mapping[str, Node], *, inferred: bool = True,
            timeout_s: float = 30.0, max_rows: int | None = None, native: str | None = None) -> Result:
        """Evaluate the checked ``text`` (its ``query`` tells the result's shape and where values came from)."""
        recheck(text)
        if uses_graph_pattern(query):
            raise GraphPatternError("GRAPH needs a dataset; queries here run over one merged graph "
                                    "(ontology + articles, + entailments with inference)")
        if inferred and self.state.inferred is None:
            raise ValueError("this Oxigraph store was loaded without the entailments")
        bound = bind_text(text, query, {name: str(to_ox(term)) for name, term in bindings.items()})
        sources = provenance(query, set(bindings))
        options = self._options(query, inferred)
        return with_deadline(lambda: self._evaluate(query, bound, options, sources, max_rows, native), timeout_s)

    def _options(self, query: Query, inferred: bool) -> dict[str, Any]:
        prologue = query.prologue
        prefixes = {prefix: str(namespace) for prefix, namespace in prologue.namespace_manager.namespaces()
                    if prefix} if prologue is not None else {}
        options: dict[str, Any] = {"prefixes": prefixes, "named_graphs": []}
        if prologue is not None and prologue.base:
            options["base_iri"] = str(prologue.base)
        if inferred:
            options["use_default_graph_as_union"] = True
        else:
            options["default_graph"] = ox.DefaultGraph()
        return options

    def _evaluate(self, query: Query, text: str, options: dict[str, Any], sources: Provenance,
                  max_rows: int | None, native: str | None) -> Result:
        try:
            answer = self.handle().query(text, **options)
        except SyntaxError as err:  # rdflib accepted it (parse_checked), Oxigraph's parser does not
            raise QuerySyntaxError(f"Oxigraph cannot read this query: {err}") from None
        restorations = self.state.restorations
        if isinstance(answer, ox.QueryBoolean):
            return ask_result(bool(answer))
        if isinstance(answer, ox.QueryTriples):
            kind = "DESCRIBE" if query.algebra.name == "DescribeQuery" else "CONSTRUCT"
            restore = _template_sources(query, sources) if kind == "CONSTRUCT" else _own_predicate
            if max_rows is None and native in GRAPH_FORMATS:
                return graph_answer(kind, answer, native, restore, restorations, lambda: graph_result(
                    kind, self._triples(text, options), restore, restorations, None))
            limit = None if max_rows is None else max_rows * max(1, len(query.algebra.get("template") or ()))
            return graph_result(kind, answer, restore, restorations, limit)
        assert isinstance(answer, ox.QuerySolutions)
        variables = [v.value for v in answer.variables]
        plan = plan_of(variables, sources, restorations)
        if max_rows is None and native is not None and native_allowed(native, variables, sources, restorations,
                                                                      self.state.csv_safe, plan):
            return rendered(answer, native, plan, restorations, lambda: self._rows(text, options, plan))
        return select_result(answer, plan, restorations, max_rows)

    def _triples(self, text: str, options: dict[str, Any]) -> ox.QueryTriples:
        """The CONSTRUCT/DESCRIBE ``text`` once more (Oxigraph's own text was made first, or could not be)."""
        answer = self.handle().query(text, **options)
        assert isinstance(answer, ox.QueryTriples)
        return answer

    def _rows(self, text: str, options: dict[str, Any], plan: Plan) -> StoreResult:
        """The SELECT ``text`` once more, as rdflib terms (Oxigraph's own text was made first)."""
        answer = self.handle().query(text, **options)
        assert isinstance(answer, ox.QuerySolutions)
        return select_result(answer, plan, self.state.restorations, None)


def uses_graph_pattern(query: Query) -> bool:
    """Whether the query has a ``GRAPH`` pattern, which needs a dataset (both stores hold one graph)."""
    found = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "Graph":
            found.append(node)

    traverse(query.algebra, visitPost=visit)
    return bool(found)


def _own_predicate(predicate: str) -> tuple[bool, set[str] | None]:
    """DESCRIBE gives stored triples: an object's source is the triple's own predicate."""
    return True, {predicate}


def _template_sources(query: Query, sources: Provenance) -> Callable[[str], tuple[bool, set[str] | None]]:
    """For a CONSTRUCT, where an object of ``predicate`` in the output came from: the template triples that can
    make it (a constant literal in the template, or any computed variable, means it is never restored)."""
    template = list(query.algebra.get("template") or [])

    def restore(predicate: str) -> tuple[bool, set[str] | None]:
        found: set[str] = set()
        for _subject, template_predicate, obj in template:
            if isinstance(template_predicate, URIRef) and str(template_predicate) != predicate:
                continue
            if isinstance(obj, Literal):
                return False, None
            if isinstance(obj, Variable):
                predicates, restorable = sources.sources(str(obj))
                if not restorable:
                    return False, None
                if predicates is None:
                    return True, None
                found |= predicates
        return bool(found), found

    return restore
