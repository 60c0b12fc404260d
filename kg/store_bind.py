"""Parameters of a query for Oxigraph: each bound variable replaced by its RDF term, as rdflib binds it.

Why not pyoxigraph's ``substitutions=``: it refuses a variable that the query does not project (``?name`` in
``partners-of`` is only used in a FILTER) and does not reach into sub-queries, while rdflib's
``initBindings`` treat the variable as bound *everywhere*. A ``VALUES`` block is joined bottom-up, so a
FILTER in an inner group would still see the variable unbound. Replacing each occurrence by the term gives
rdflib's semantics. The term text is pyoxigraph's own N-Triples serialisation of a term built from the
checked value (:func:`kg.query_engine.term_of`), never the user's raw string, so it cannot change the query's
structure. Occurrences are found with the safety layer's tokenizer (strings, IRIs and comments are single
tokens). Where SPARQL needs a variable: a projected ``?v`` becomes ``(TERM AS ?v)`` (rdflib reports bound
parameters as columns too), a bare ``GROUP BY``/``ORDER BY ?v`` becomes ``(TERM)``, and ``SELECT *`` is
spelled out when a parameter is among its columns. A parameter the query itself assigns (``AS ?v``,
``VALUES ?v``) is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.plugins.sparql.sparql import Query

from kg.sparql_errors import QueryError
from kg.sparql_tokens import tokens

_CLAUSE_END = frozenset({"WHERE", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP", "FROM"})


class _Scanner:
    """Which clause a token is in (projection, GROUP/ORDER BY, VALUES variables, elsewhere)."""

    def __init__(self) -> None:
        self.depth = 0
        self.braces = 0
        self.clause = ""
        self.clause_depth = 0
        self.previous = ""
        self.top_select_star = -1  # offset of the top-level ``SELECT *``'s star, if any

    def step(self, symbol: str, offset: int) -> None:
        upper = symbol.upper()
        if symbol in ("(", "{"):
            self._open(symbol)
        elif symbol in (")", "}"):
            self._close(symbol)
        elif upper in _CLAUSE_END and self.depth == self.clause_depth:
            self.clause = "values" if upper == "VALUES" else ""
        elif upper == "BY" and self.previous in ("GROUP", "ORDER"):
            self.clause, self.clause_depth = self.previous.lower(), self.depth
        elif upper == "SELECT":
            self.clause, self.clause_depth = "select", self.depth
        elif symbol == "*" and self.clause == "select" and self.braces == 0 and self.previous in (
                "SELECT", "DISTINCT", "REDUCED"):
            self.top_select_star = offset

    def _open(self, symbol: str) -> None:
        if symbol == "{":
            self.braces += 1
            if self.clause in ("select", "values"):
                self.clause = ""
        elif symbol == "(":
            self.depth += 1

    def _close(self, symbol: str) -> None:
        if symbol == "}":
            self.braces -= 1
            self.clause = ""
        elif symbol == ")":
            self.depth -= 1

    def replacement(self, token: str, term: str) -> str:
        """What replaces the variable ``token`` bound to ``term`` here."""
        if self.previous == "AS" or self.clause == "values":
            raise QueryError(f"parameter {token} is assigned by the query itself ({self.previous or 'VALUES'} "
                             f"{token}); it cannot also be given as a parameter")
        at_top = self.depth == self.clause_depth
        if self.clause == "select" and at_top:
            return f"({term} AS {token})"
        if self.clause in ("group", "order") and at_top:
            return f"({term})"
        return term


def bind_text(text: str, query: Query, terms: Mapping[str, str]) -> str:
    """``text`` with every variable named in ``terms`` replaced by its term's N-Triples text."""
    if not terms:
        return text
    scanner = _Scanner()
    pieces: list[str] = []
    last = 0
    for kind, token, offset in tokens(text):
        if kind == "comment":
            continue
        if kind == "word" and token[:1] in "?$" and token[1:] in terms:
            pieces += [text[last:offset], scanner.replacement(token, terms[token[1:]])]
            last = offset + len(token)
        else:
            scanner.step(token if kind in ("word", "other") else "", offset)
        scanner.previous = token.upper() if kind == "word" else scanner.previous if kind == "comment" else token
    pieces.append(text[last:])
    bound = "".join(pieces)
    if scanner.top_select_star >= 0:
        bound = _spell_out_star(bound, scanner.top_select_star, query, terms)
    return bound


def _spell_out_star(bound: str, star: int, query: Query, terms: Mapping[str, str]) -> str:
    """``SELECT *`` with its columns listed, when a parameter is one of them (it no longer occurs as a
    variable, so Oxigraph would drop the column rdflib reports)."""
    columns = [str(variable) for variable in query.algebra.get("PV") or []]
    if not any(name in terms for name in columns):
        return bound
    listed = " ".join(f"({terms[name]} AS ?{name})" if name in terms else f"?{name}" for name in columns)
    # nothing before the star (the prologue and SELECT) is a variable, so its offset has not moved
    assert bound[star] == "*"
    return bound[:star] + listed + bound[star + 1:]
