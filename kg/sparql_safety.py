"""Read-only, local, time-bounded SPARQL for ``kg query`` and the HTTP endpoint.

API (everything a caller needs; import it from here):

- ``parse_checked(sparql) -> Query``: parse and translate a query, refusing what must not run. Raises
  :class:`QuerySyntaxError` (with ``line``, ``column``, ``token``) for malformed text or an undeclared
  prefix, and :class:`QueryRefusedError` for an update (``INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY
  WITH``), a ``SERVICE`` call, a ``FROM`` / ``FROM NAMED`` clause with any IRI (rdflib would fetch ``http:``
  IRIs or read ``file:`` ones), or a text over :data:`MAX_QUERY_CHARS`.
- ``run_with_timeout(graph, query, bindings=None, timeout_s=30.0) -> Result``: evaluate a checked query
  with ``bindings`` as ``initBindings`` (values bound, never spliced into the text) and return the rdflib
  ``Result`` with its rows already computed. Past ``timeout_s`` the evaluation is stopped and
  :class:`QueryTimeoutError` raised; the process stays usable.
- The errors derive from :class:`QueryError` (``message``, ``line``, ``column``, ``token``; ``str()`` is
  one line). ``QueryRefused`` and ``QueryTimeout`` are aliases of the ``...Error`` names.

How a runaway query is stopped: rdflib evaluates in pure Python, so the query runs in a daemon worker
thread and at the deadline the calling thread raises an exception inside it (CPython's
``PyThreadState_SetAsyncExc``, repeated until the worker ends because rdflib has a few bare ``except:``
clauses; :mod:`kg.sparql_timeout`). Unlike a ``sys.settrace`` deadline check, this costs nothing while
the query runs (docs/queries.md has the measurements). Limit: code stuck inside one C call (a catastrophic
``REGEX`` backtrack) cannot be interrupted; after :data:`GRACE_S` the timeout is raised anyway with
``stuck=True`` and the thread is abandoned (a CLI should then exit; a server may prefer a process pool).

The refusals are in :mod:`kg.sparql_refusals`, the location of syntax errors in :mod:`kg.sparql_syntax_errors`,
both reading the tokens of :mod:`kg.sparql_tokens`; this module composes them.
"""

from __future__ import annotations

import functools

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from kg.sparql_errors import (
    QueryError,
    QueryRefused,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeout,
    QueryTimeoutError,
)
from kg.sparql_refusals import refuse_remote, refuse_update
from kg.sparql_syntax_errors import one_line_reason, syntax_error, translation_error
from kg.sparql_timeout import GRACE_S, run_with_timeout

__all__ = [
    "GRACE_S", "MAX_QUERY_CHARS", "QueryError", "QueryRefused", "QueryRefusedError", "QuerySyntaxError",
    "QueryTimeout", "QueryTimeoutError", "parse_checked", "run_with_timeout",
]

MAX_QUERY_CHARS = 100_000


def parse_checked(sparql: str) -> Query:
    """The translated query of ``sparql``, or :class:`QuerySyntaxError` / :class:`QueryRefusedError`.

    Refusals are checked on the tokens first, so an update with a typo is refused as an update. rdflib's
    parser takes 15-60 ms on a competency query, more than Oxigraph needs to answer most of them, so the
    last :data:`PARSED_CACHE` accepted texts are remembered (per process: each of ``kg serve``'s workers
    keeps its own). Each call gets its own top-level algebra node, which callers may change (a row cap
    wraps its pattern in a ``Slice``); the nodes below it are shared and never changed after translation.
    """
    cached = _parsed(sparql)
    return Query(cached.prologue, CompValue(cached.algebra.name, **cached.algebra))


#: How many accepted query texts :func:`parse_checked` remembers (refused ones are checked every time).
PARSED_CACHE = 256


@functools.lru_cache(maxsize=PARSED_CACHE)
def _parsed(sparql: str) -> Query:
    if len(sparql) > MAX_QUERY_CHARS:
        raise QueryRefusedError(f"the query is {len(sparql)} characters long; the limit is {MAX_QUERY_CHARS}")
    refuse_update(sparql)
    try:
        parsed = sparql_parser.parseQuery(sparql)
    except ParseBaseException:
        raise syntax_error(sparql) from None
    except (RecursionError, ValueError) as err:
        raise QuerySyntaxError(f"cannot parse the query: {one_line_reason(err)}") from None
    try:
        query = translateQuery(parsed)
    except Exception as err:  # rdflib raises bare Exception (e.g. "Unknown namespace prefix : foo")
        raise translation_error(sparql, err) from None
    refuse_remote(sparql, query)
    _fill_construct_where_template(query)
    return query


def _fill_construct_where_template(query: Query) -> None:
    """Give ``CONSTRUCT WHERE { ... }`` its template (SPARQL 1.1 §16.2.4: the pattern is the template).

    rdflib looks for that pattern exactly two levels down, which misses it under ``LIMIT``/``ORDER BY``
    and then fails while evaluating; filling it here serves ``kg query`` and ``kg serve`` alike.
    """
    algebra = query.algebra
    if algebra.name != "ConstructQuery" or algebra.get("template"):
        return
    node = algebra.get("p")
    while isinstance(node, CompValue) and node.name != "BGP":
        node = node.get("p")
    algebra["template"] = list(node.triples) if isinstance(node, CompValue) else []
