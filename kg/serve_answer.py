"""One SPARQL request answered: checked, capped, evaluated with a deadline, serialised.

:func:`answer` is a plain function from a picklable :class:`Job` to a picklable :class:`Answer`, so the
same code runs in a worker process (:mod:`kg.serve_pool`) or a thread. Every refusal comes from
:mod:`kg.sparql_safety`; this module only maps its errors to HTTP statuses:

- an update (``INSERT DELETE CLEAR DROP CREATE ADD MOVE COPY WITH``): 403, the endpoint is read-only;
- ``LOAD``, ``SERVICE``, ``FROM`` / ``FROM NAMED``: 400, they name a document or endpoint to fetch, and
  the server never opens an outbound connection (the issue groups ``LOAD`` with these);
- a syntax error: 400 with line and column; past the deadline: 503; no acceptable format: 406.

Row cap: the query's solutions are wrapped in a ``Slice`` of ``max_rows + 1`` before evaluation, so a
cross product stops after that many rows instead of filling memory; a SELECT with more rows is cut to
``max_rows`` and says so in the ``X-KG-Truncated`` header.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node
from rdflib.util import from_n3

from kg import serve_formats as formats
from kg.results import cannot_write
from kg.sparql_refusals import UPDATE_KEYWORDS
from kg.sparql_safety import (
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    parse_checked,
    run_with_timeout,
)
from kg.store import QueryStore

REMOTE_KEYWORDS = frozenset({"LOAD", "SERVICE", "FROM"})
#: What queries run on: the two rdflib graphs by ``inferred``, or a store (``kg serve --store``, :mod:`kg.store`).
Queryable = Mapping[bool, Graph] | QueryStore
TRUNCATED_HEADER = "X-KG-Truncated"


@dataclass(frozen=True)
class Job:
    """What a request asks for, in plain values (it crosses a process boundary)."""

    query: str
    bindings: tuple[tuple[str, str], ...] = ()
    inferred: bool = True
    accept: str = ""
    formats: tuple[str, ...] = ()
    max_rows: int = 10_000
    timeout_s: float = 10.0


@dataclass(frozen=True)
class Answer:
    """An HTTP response in plain values; ``poisoned``: the worker that made it must not be reused."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    poisoned: bool = False


def message(status: int, text: str, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    """A plain-text answer (YASGUI and SPARQLWrapper both show the body of an error as it is)."""
    return Answer(status, "text/plain", (text.rstrip("\n") + "\n").encode("utf-8"), headers)


def answer(job: Job, graphs: Queryable) -> Answer:
    """The response to ``job`` over ``graphs[job.inferred]`` (never raises for a user's mistake)."""
    try:
        query = parse_checked(job.query)
    except QueryRefusedError as err:
        keyword = (err.token or "").upper()
        status = 403 if keyword in UPDATE_KEYWORDS - REMOTE_KEYWORDS else 400
        return message(status, f"refused: {err}")
    except QuerySyntaxError as err:
        return message(400, f"bad query: {err}")
    try:
        bindings = {name: term(text) for name, text in job.bindings}
    except ValueError as err:
        return message(400, f"bad binding: {err}")
    cap(query, job.max_rows)
    try:
        if isinstance(graphs, Mapping):
            result = run_with_timeout(graphs[job.inferred], query, bindings, job.timeout_s)
        else:  # the store reads the checked text; the capped algebra above tells it the shape
            result = graphs.run(query, job.query, bindings, inferred=job.inferred, timeout_s=job.timeout_s,
                                max_rows=job.max_rows + 1)
    except QueryTimeoutError as err:
        text = f"timeout: {str(err).replace('raise --timeout', 'or ask for less')}"
        return Answer(503, "text/plain", text.encode("utf-8") + b"\n", (("Retry-After", "1"),), err.stuck)
    except Exception as err:  # rdflib raises many types for a query it cannot evaluate
        return message(400, f"the query could not be evaluated: {type(err).__name__}: {err}")
    return _serialised(result, job)


def _serialised(result: object, job: Job) -> Answer:
    from rdflib.query import Result

    assert isinstance(result, Result)
    kind = "graph" if result.type in ("CONSTRUCT", "DESCRIBE") else "table"
    media_type = formats.choose(kind, job.accept, job.formats)
    if media_type is None:
        wanted = ", ".join(job.formats) or job.accept
        return message(406, f"cannot give a {result.type} result as {wanted}; ask for one of "
                       + ", ".join(formats.offered(kind)))
    headers: tuple[tuple[str, str], ...] = (("X-KG-Row-Limit", str(job.max_rows)),)
    if result.type == "SELECT" and len(result.bindings) > job.max_rows:
        result.bindings = list(result.bindings)[: job.max_rows]
        headers += ((TRUNCATED_HEADER, f"the result had more than {job.max_rows} rows; the first "
                     f"{job.max_rows} are given"),)
    try:
        if kind == "graph":
            assert result.graph is not None
            return Answer(200, media_type, formats.serialise_graph(result.graph, media_type), headers)
        return Answer(200, media_type, formats.serialise_table(result, media_type), headers)
    except Exception as err:  # rdflib's writers (kg.results.cannot_write says which)
        return message(400, cannot_write(media_type, err))


def cap(query: Query, max_rows: int) -> None:
    """Make the evaluation stop after ``max_rows + 1`` solutions (one more, to tell a cut from a fit)."""
    algebra = query.algebra
    if algebra.name == "AskQuery" or algebra.get("p") is None:
        return
    algebra["p"] = CompValue("Slice", p=algebra.p, start=0, length=max_rows + 1)


def term(text: str) -> Node:
    """A ``$name=`` binding: an N-Triples/Turtle term (``"村田"@zh``, ``<iri>``, ``5``), else a plain literal.

    Blank nodes are refused: they would match nothing (labels are local to the graph)."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("an empty value")
    if stripped[0] not in "<\"'+-.0123456789" and stripped not in ("true", "false"):
        return Literal(text)
    try:
        node = from_n3(stripped)
    except Exception as err:
        raise ValueError(f"{text!r} is not an RDF term ({err})") from None
    if not isinstance(node, URIRef | Literal):
        raise ValueError(f"{text!r} is not an IRI or literal")
    return node
