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
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.algebra import translateQuery, traverse
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
from kg.sparql_timeout import GRACE_S, run_with_timeout

__all__ = [
    "GRACE_S", "MAX_QUERY_CHARS", "QueryError", "QueryRefused", "QueryRefusedError", "QuerySyntaxError",
    "QueryTimeout", "QueryTimeoutError", "parse_checked", "run_with_timeout",
]

MAX_QUERY_CHARS = 100_000
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                   |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<op>&&|\|\||!=|<=|>=|\^\^)
      | (?P<word>[^\s{}()\[\]<>,;.=!&|+*/"'\#^]+(?:\.[^\s{}()\[\]<>,;.=!&|+*/"'\#^]+)*)
      | (?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
_LITERAL_EXPECTED = re.compile(r"""Expected ('[^']{1,12}'|"[^"]{1,12}"|end of text)""")
_TERM_START = re.compile(r"""[?$<"'\[(_0-9]|[^\s{}()]*:""")
# Grammar rules re-tried at the failure point to find the token actually at fault (see _refine).
_REFINERS = ("Filter", "Bind", "OptionalGraphPattern", "MinusGraphPattern", "GraphGraphPattern", "InlineData",
             "TriplesSameSubjectPath", "SelectClause", "SolutionModifier")


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
    _refuse_update(sparql)
    try:
        parsed = sparql_parser.parseQuery(sparql)
    except ParseBaseException:
        raise _syntax_error(sparql) from None
    except (RecursionError, ValueError) as err:
        raise QuerySyntaxError(f"cannot parse the query: {_reason(err)}") from None
    try:
        query = translateQuery(parsed)
    except Exception as err:  # rdflib raises bare Exception (e.g. "Unknown namespace prefix : foo")
        raise _translation_error(sparql, err) from None
    _refuse_remote(sparql, query)
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


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each token; strings, IRIs and comments are single tokens."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield kind, match.group(), match.start()


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset``, columns counted in characters."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refuse_update(text: str) -> None:
    """Refuse the text if its first keyword after the prologue is an update keyword."""
    skip_next = 0
    for kind, token, offset in _tokens(text):
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
            line, column = _position(text, offset)
            message = f"{upper} is a SPARQL update; queries here only read the graph"
            raise QueryRefusedError(message, line, column, token)
        return


def _refuse_remote(text: str, query: Query) -> None:
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
    for kind, token, offset in _tokens(text):
        if kind == "word" and token.upper() == keyword:
            line, column = _position(text, offset)
            return QueryRefusedError(message, line, column, token)
    return QueryRefusedError(message)


def _syntax_error(text: str) -> QuerySyntaxError:
    """Where the parse failed, refined to the token at fault, as a :class:`QuerySyntaxError`."""
    plain = sparql_parser.expandUnicodeEscapes(text).replace("\t", " ")  # pyparsing expands tabs
    try:
        sparql_parser.parseQuery(plain)
    except ParseBaseException as err:
        offset, expected = _refine(plain, err.loc)
    else:  # only the tabs inside a string made it fail: report the start
        offset, expected = 0, None
    token = _token_at(plain, offset)
    line, column = _position(plain, offset)
    empty = all(kind == "comment" for kind, _token, _offset in _tokens(plain))
    what = f"unexpected {token!r}" if token else ("the query is empty" if empty else "unexpected end of query")
    return QuerySyntaxError(f"syntax error: {what}" + (f" ({expected})" if expected else ""),
                            line, column, token or "")


def _refine(text: str, start: int) -> tuple[int, str | None]:
    """The farthest failure of the rules in :data:`_REFINERS` re-tried at ``start`` (pyparsing reports the
    start of the construct that failed, e.g. ``FILTER``, not the token inside it), and what was expected
    there when that is one literal token (pyparsing's other expectations are grammar dumps)."""
    best, expected = start, None
    term_here = bool(_TERM_START.match(text, start))
    for name in _REFINERS:
        if name == "TriplesSameSubjectPath" and not term_here:
            continue  # a keyword would be misread as a prefixed name
        try:
            getattr(sparql_parser, name).parse_string(text[start:], parse_all=False)
        except ParseBaseException as err:
            if start + err.loc > best:
                best = start + err.loc
                literal = _LITERAL_EXPECTED.fullmatch(str(err.msg))
                expected = f"expected {literal.group(1)}" if literal else None
        except Exception:  # noqa: S112 -- a rule that cannot even start here says nothing
            continue
    return best, expected


def _token_at(text: str, offset: int) -> str:
    """The token starting at (or first after) ``offset``, cut to 30 characters."""
    token = next((tok for _kind, tok, _start in _tokens(text[offset:])), "")
    return token if len(token) <= 30 else token[:29] + "…"


def _translation_error(text: str, err: Exception) -> QuerySyntaxError:
    message = _reason(err)
    found = re.match(r"Unknown namespace prefix\s*:\s*(\S*)", message)
    if found:
        prefix = found.group(1)
        for kind, token, offset in _tokens(text):
            if kind == "word" and token.startswith(prefix + ":") and not token.endswith(":"):
                line, column = _position(text, offset)
                return QuerySyntaxError(f"undeclared prefix {prefix + ':'!r} (add PREFIX {prefix}: <...>)",
                                        line, column, token)
        return QuerySyntaxError(f"undeclared prefix {prefix + ':'!r}")
    return QuerySyntaxError(f"invalid query: {message}")


def _reason(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
