"""What a query must not do here: update the graph, call a remote endpoint, or load a graph from an IRI.

Why a module of its own: the refusals are the security half of :func:`kg.sparql_safety.parse_checked`, and
:mod:`kg.store_deadline` runs the update check again on the very text Oxigraph is given. The update check
reads tokens only (an update with a typo is still refused as an update); the ``SERVICE`` and ``FROM``
checks read the translated algebra, and point at the keyword in the text.
"""

from __future__ import annotations

from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from kg.sparql_errors import QueryRefusedError
from kg.sparql_tokens import line_column, tokens

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


def refuse_update(text: str) -> None:
    """Refuse the text if its first keyword after the prologue is an update keyword."""
    skip_next = 0
    for kind, token, offset in tokens(text):
        if kind == "comment":
            continue
        if skip_next:
            skip_next -= 1
            continue
        upper = token.upper()
        if upper in ("PREFIX", "BASE"):
            skip_next = 2 if upper == "PREFIX" else 1
            continue
        if upper in UPDATE_KEYWORDS:
            line, column = line_column(text, offset)
            message = f"{upper} is a SPARQL update; queries here only read the graph"
            raise QueryRefusedError(message, line, column, token)
        return


def refuse_remote(text: str, query: Query) -> None:
    """Refuse SERVICE anywhere in the algebra and any FROM / FROM NAMED dataset clause."""
    names: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, CompValue):
            names.add(node.name)

    traverse(query.algebra, visitPost=visit)
    if "ServiceGraphPattern" in names:
        raise _refusal_at(text, "SERVICE", "SERVICE calls a remote endpoint; queries only read the graph")
    if query.algebra.get("datasetClause"):
        raise _refusal_at(text, "FROM", "FROM / FROM NAMED would load a graph from an IRI (a remote or local "
                          "file); queries here run over the knowledge graph only")


def _refusal_at(text: str, keyword: str, message: str) -> QueryRefusedError:
    for kind, token, offset in tokens(text):
        if kind == "word" and token.upper() == keyword:
            line, column = line_column(text, offset)
            return QueryRefusedError(message, line, column, token)
    return QueryRefusedError(message)
