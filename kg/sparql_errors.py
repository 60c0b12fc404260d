"""The errors of the SPARQL safety layer (:mod:`kg.sparql_safety`), in a module of their own so that the
parser checks and the timeout runner can share them without importing each other."""

from __future__ import annotations


class QueryError(Exception):
    """A query that will not run; ``line``/``column`` (1-based) and ``token`` say where when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 token: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.token = token

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line is not None else ""
        return where + self.message


class QuerySyntaxError(QueryError):
    """The text is not a SPARQL 1.1 query (or uses an undeclared prefix)."""


class QueryRefusedError(QueryError):
    """The query would change the graph or reach data outside it."""


class QueryTimeoutError(QueryError):
    """The evaluation ran past its time limit and was stopped (``stuck``: it could not be)."""

    def __init__(self, timeout_s: float, *, stuck: bool = False) -> None:
        detail = " and could not be interrupted (it is inside native code)" if stuck else " and was stopped"
        super().__init__(f"the query ran longer than {timeout_s:g} s{detail}; simplify it or raise --timeout")
        self.timeout_s = timeout_s
        self.stuck = stuck




#: The names used in the design notes.
QueryRefused = QueryRefusedError
QueryTimeout = QueryTimeoutError
