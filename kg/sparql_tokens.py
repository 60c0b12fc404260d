"""The tokens of a SPARQL text, found without parsing it.

Why a module of its own: four readers need the tokens and none of them may wait for rdflib's parser (15-60 ms
on a competency query): the refusals of updates, ``SERVICE`` and ``FROM`` (:mod:`kg.sparql_refusals`), the
location of a syntax error (:mod:`kg.sparql_syntax_errors`), the binding of parameters into a text
(:mod:`kg.store_bind`) and the second look at a text before Oxigraph runs it (:mod:`kg.store_deadline`).
Strings, IRIs and comments are single tokens, so a keyword inside one is never mistaken for the keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each token; strings, IRIs and comments are single tokens."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        yield kind, match.group(), match.start()


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset``, columns counted in characters."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
