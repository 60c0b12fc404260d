"""Oxigraph's answers as the rdflib ``Result`` that :mod:`kg.results` renders, with rdflib's terms.

Each value is converted once per query (:class:`~kg.store_terms.TermCache`) and, where Oxigraph changed a
stored literal, turned back into rdflib's original when the query shows where it came from
(:mod:`kg.store_provenance`, :class:`~kg.store_terms.Restorations`). ``unresolved`` counts the values that
could have been either of two originals and were left in Oxigraph's form.

For large answers converting every term costs far more than the query (about 8x on a whole-graph listing), so
when the caller says which results format it will print, Oxigraph serialises the answer itself
(:meth:`StoreResult.serialize` returns those bytes) where that text is rdflib's (CSV), or can be made rdflib's
by rewriting its few typed literals (JSON, :mod:`kg.store_json`); the rows are then computed only if
something asks for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier

from kg.store_json import corrected, eligible
from kg.store_provenance import Provenance
from kg.store_terms import Restorations, TermCache

#: Formats Oxigraph may write itself (JSON corrected by :mod:`kg.store_json`). Not XML: rdflib's XML writer
#: drops the text of a literal that is false in Python (``0``, ``false``, ``""``:
#: ``<literal datatype="...#integer"></literal>``), and the answers must match rdflib's byte for byte where
#: they can, so XML always goes through rdflib.
NATIVE_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON}
#: How a column is restored: None (never: computed, or no literal source), or its predicates (None inside: any).
Plan = list[tuple[bool, set[str] | None]]
Row = Mapping[Variable, Identifier]


class StoreResult(Result):
    """An rdflib ``Result`` that may carry Oxigraph's own serialisation of itself."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.unresolved = 0
        self.rendered: dict[str, bytes] = {}

    def serialize(self, destination: Any = None, encoding: str = "utf-8", format: str = "xml",
                  **args: Any) -> bytes | None:
        """Oxigraph's bytes when they were made for ``format``, else rdflib's serialiser."""
        data = self.rendered.get(format)
        if data is not None and destination is None:
            return data
        return super().serialize(destination, encoding, format, **args)


def plan_of(variables: Iterable[str], sources: Provenance, restorations: Restorations) -> Plan:
    """Per column: may it hold a changed literal, and from which predicates."""
    plan: Plan = []
    for name in variables:
        predicates, restorable = sources.sources(name)
        may_change = predicates is None or bool(predicates & restorations.changed_predicates)
        plan.append((restorable and may_change and bool(restorations), predicates))
    return plan


def native_allowed(fmt: str | None, variables: Iterable[str], sources: Provenance, restorations: Restorations,
                   csv_safe: bool, plan: Plan) -> bool:
    """True if Oxigraph's own ``fmt`` text is, or can be made, exactly what rdflib's terms would give. CSV: no
    column may hold a stored literal whose text Oxigraph writes differently. JSON: its typed literals are
    corrected (:mod:`kg.store_json`), which covers every case but a restorable plain literal."""
    if fmt == "json":
        return eligible(plan, restorations)
    if fmt != "csv" or not csv_safe:
        return False
    differing = set(restorations.text_predicates)
    if not differing:
        return True
    for name in variables:
        predicates, _restorable = sources.sources(name)
        if predicates is None or predicates & differing:
            return False
    return True


def rendered(solutions: ox.QuerySolutions, fmt: str, plan: Plan, restorations: Restorations,
             slow: Callable[[], StoreResult]) -> StoreResult:
    """A SELECT answer serialised by Oxigraph (JSON: its typed literals corrected); its rows are computed
    (``slow``: the query again, as rdflib terms) only if something reads them, or if Oxigraph's JSON is not
    shaped as :mod:`kg.store_json` expects."""
    result = StoreResult("SELECT")
    variables = [v.value for v in solutions.variables]
    result.vars = [Variable(v) for v in variables]
    data = solutions.serialize(format=NATIVE_FORMATS[fmt])
    assert data is not None
    if fmt == "json":
        fixed = corrected(data, variables, plan, restorations)
        if fixed is None:
            return slow()
        data, result.unresolved = fixed
    result.rendered[fmt] = data
    result._genbindings = _lazy(lambda: list(slow().bindings))
    return result


def _lazy(rows: Callable[[], list[Row]]) -> Iterator[Row]:
    yield from rows()


def select_result(solutions: ox.QuerySolutions, plan: Plan, restorations: Restorations,
                  max_rows: int | None) -> StoreResult:
    """The rows of a SELECT, as rdflib terms (original literals restored where the plan allows)."""
    result = StoreResult("SELECT")
    variables = [v.value for v in solutions.variables]
    result.vars = [Variable(v) for v in variables]
    keys = list(zip(result.vars, plan, strict=True))
    cache = TermCache()
    rows: list[Row] = []
    for solution in itertools.islice(solutions, max_rows):
        row: dict[Variable, Identifier] = {}
        for index, (variable, (restorable, predicates)) in enumerate(keys):
            term = solution[index]
            if term is None:
                continue
            value = cache.rdflib(term)
            if restorable and isinstance(value, Literal) and str(value.datatype) in restorations.datatypes:
                value = _restored(term, predicates, restorations, result)
            row[variable] = value
        rows.append(row)
    result.bindings = rows
    return result


def _restored(term: object, predicates: set[str] | None, restorations: Restorations, result: StoreResult
              ) -> Identifier:
    assert isinstance(term, ox.Literal)
    value, ambiguous = restorations.original(term, predicates)
    result.unresolved += ambiguous  # it could be either original: left as Oxigraph gave it
    return value


def ask_result(answer: bool) -> StoreResult:
    """An ASK answer."""
    result = StoreResult("ASK")
    result.askAnswer = answer
    return result


def graph_result(kind: str, triples: Iterable[ox.Triple], restore: Callable[[str], tuple[bool, set[str] | None]],
                 restorations: Restorations, limit: int | None) -> StoreResult:
    """A CONSTRUCT/DESCRIBE answer as an rdflib graph; ``restore(predicate)`` says how its objects restore."""
    result = StoreResult(kind)
    graph = Graph()
    cache = TermCache()
    for triple in itertools.islice(triples, limit):
        obj = cache.rdflib(triple.object)
        if isinstance(obj, Literal) and restorations and str(obj.datatype) in restorations.datatypes:
            restorable, predicates = restore(triple.predicate.value)
            if restorable:
                obj = _restored(triple.object, predicates, restorations, result)
        graph.add((cache.rdflib(triple.subject), URIRef(triple.predicate.value), obj))
    result.graph = graph
    return result
