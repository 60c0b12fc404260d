"""Where a query that does not parse went wrong: the line, column and token at fault.

Why a module of its own: pyparsing reports the start of the construct that failed (``FILTER``, say), not the
token inside it, and rdflib's translation raises a bare ``Exception`` for an undeclared prefix. Turning both
into a :class:`~kg.sparql_errors.QuerySyntaxError` that points at the right token takes a second look at the
text (grammar rules re-tried at the failure point, tokens of :mod:`kg.sparql_tokens`), apart from the
checks of :mod:`kg.sparql_safety` themselves.
"""

from __future__ import annotations

import re

from pyparsing import ParseBaseException
from rdflib.plugins.sparql import parser as sparql_parser

from kg.sparql_errors import QuerySyntaxError
from kg.sparql_tokens import line_column, tokens

_LITERAL_EXPECTED = re.compile(r"""Expected ('[^']{1,12}'|"[^"]{1,12}"|end of text)""")
_TERM_START = re.compile(r"""[?$<"'\[(_0-9]|[^\s{}()]*:""")
# Grammar rules re-tried at the failure point to find the token actually at fault (see _refine).
_REFINERS = ("Filter", "Bind", "OptionalGraphPattern", "MinusGraphPattern", "GraphGraphPattern", "InlineData",
             "TriplesSameSubjectPath", "SelectClause", "SolutionModifier")


def syntax_error(text: str) -> QuerySyntaxError:
    """Where the parse failed, refined to the token at fault, as a :class:`QuerySyntaxError`."""
    plain = sparql_parser.expandUnicodeEscapes(text).replace("\t", " ")  # pyparsing expands tabs
    try:
        sparql_parser.parseQuery(plain)
    except ParseBaseException as err:
        offset, expected = _refine(plain, err.loc)
    except (RecursionError, ValueError) as err:  # rdflib expands escapes again: \u005Cu00110000 names none
        return QuerySyntaxError(f"cannot parse the query: {one_line_reason(err)}")
    else:  # only the tabs inside a string made it fail: report the start
        offset, expected = 0, None
    token = _token_at(plain, offset)
    line, column = line_column(plain, offset)
    empty = all(kind == "comment" for kind, _token, _offset in tokens(plain))
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
    token = next((tok for _kind, tok, _start in tokens(text[offset:])), "")
    return token if len(token) <= 30 else token[:29] + "…"


def translation_error(text: str, err: Exception) -> QuerySyntaxError:
    """rdflib's translation error as a :class:`QuerySyntaxError`, at the first use of an undeclared prefix."""
    message = one_line_reason(err)
    found = re.match(r"Unknown namespace prefix\s*:\s*(\S*)", message)
    if found:
        prefix = found.group(1)
        for kind, token, offset in tokens(text):
            if kind == "word" and token.startswith(prefix + ":") and not token.endswith(":"):
                line, column = line_column(text, offset)
                return QuerySyntaxError(f"undeclared prefix {prefix + ':'!r} (add PREFIX {prefix}: <...>)",
                                        line, column, token)
        return QuerySyntaxError(f"undeclared prefix {prefix + ':'!r}")
    return QuerySyntaxError(f"invalid query: {message}")


def one_line_reason(err: BaseException) -> str:
    """The message of ``err`` on one line (its type's name when it has none)."""
    return " ".join(str(err).split()) or type(err).__name__
