"""SPARQL 1.1 Query Results JSON of a SELECT, written by Oxigraph and corrected where rdflib's would differ.

Why: turning every row of a large answer into rdflib terms and writing them with rdflib's JSON writer costs
8-11x the query itself (a whole-graph listing). Oxigraph's own JSON differs from rdflib's in one kind of cell
only: a typed literal (a cell with a ``"datatype"`` key), which may be a stored literal Oxigraph rewrote
(``"8"^^xsd:nonNegativeInteger`` kept as ``xsd:integer``; restored through the column's provenance and the
restoration table, as :func:`kg.store_results.select_result` does) or a value whose text rdflib reads
differently (a double ``"1000"``, which rdflib writes ``"1000.0"``). So Oxigraph writes the document, and
only those cells are read (each distinct one once) and, where rdflib's term differs, written again the way
rdflib's writer writes that term. Plain and language-tagged literals, IRIs and blank nodes are left as they
are: their text is rdflib's text.

How cells are found without parsing the document: in JSON a ``"`` inside a string is always escaped, so the
bytes ``","datatype":"`` only occur where a string value is followed by the ``datatype`` key, and the nearest
``":{"type":"literal","value":"`` before them starts that cell. Whatever does not fit this shape (another
key order in a later Oxigraph, a variable not in the head) makes :func:`corrected` return ``None``: the
caller then writes the answer the slow way, never a wrong document.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Literal
from rdflib.plugins.sparql.results.jsonresults import termToJSON
from rdflib.term import Identifier

from kg.store_terms import Restorations, to_rdflib

_LITERAL = b'":{"type":"literal",'
_VALUE = b'"value":"'
_DATATYPE = b'"datatype":"'
#: How a column is restored: (may it hold a changed literal, from which predicates; None: any).
Column = tuple[bool, "set[str] | None"]
#: One corrected cell: the JSON text of its value and datatype (None: Oxigraph's is rdflib's), and whether it
#: was ambiguous (two originals fit: left as Oxigraph gave it).
Cell = tuple["bytes | None", bool]
_SAME: Cell = (None, False)
_MISSING: Cell = (b"", False)


class ShapeError(ValueError):
    """Oxigraph's JSON is not shaped as this module expects."""


def eligible(plan: Sequence[Column], restorations: Restorations) -> bool:
    """Whether :func:`corrected` can give rdflib's document: not when a restorable column may hold a
    restorable *plain* literal (an explicit ``xsd:string`` read from rdflib), which has no datatype key."""
    return "None" not in restorations.datatypes or not any(restorable for restorable, _ in plan)


def corrected(data: bytes, variables: Sequence[str], plan: Sequence[Column], restorations: Restorations
              ) -> tuple[bytes, int] | None:
    """Oxigraph's JSON ``data`` with each typed literal as rdflib writes its term (restored where the
    ``plan`` allows) and a final newline, and how many values were ambiguous; None if ``data`` is not shaped
    as expected."""
    columns = {name.encode("utf-8"): column for name, column in zip(variables, plan, strict=True)}
    restoring = any(restorable for restorable, _ in plan)
    shared: dict[bytes, Cell | None] = {}  # by '"value":"V","datatype":"D"'; None: it depends on the column
    own: dict[tuple[bytes, bytes], Cell] = {}
    pieces: list[bytes | memoryview] = []
    view = memoryview(data)  # slices of it are not copies: the document is copied once, by the join
    last, unresolved = 0, 0
    find, rfind, known = data.find, data.rfind, shared.get  # this loop runs once per typed literal
    position = find(_DATATYPE)
    try:
        while position != -1:  # ..."NAME":{"type":"literal","value":"V","datatype":"D"}...
            value, end = rfind(_VALUE, last, position), find(b'"}', position) + 1
            typed = data[value:end]
            cell = known(typed, _MISSING)
            if cell is _MISSING:
                cell = shared[typed] = _shared(typed, value, end, restorations, restoring)
            if cell is None:
                key = (_name(data, last, value), typed)
                cell = own.get(key) or own.setdefault(key, _own(typed, columns[key[0]], restorations))
            if cell[1]:
                unresolved += 1
            if cell[0] is not None:
                pieces.append(view[last:value])
                pieces.append(cell[0])
                last = end
            position = find(_DATATYPE, end)
    except (ShapeError, KeyError):
        return None
    pieces += [view[last:], b"\n"]  # the newline kg.results.render ends every text with
    return b"".join(pieces), unresolved


def _name(data: bytes, last: int, value: int) -> bytes:
    """The variable whose cell has its ``"value"`` key at ``value``."""
    close = value - len(_LITERAL)
    if data[close:value] != _LITERAL:
        raise ShapeError(data[close:value])
    return data[data.rfind(b'"', last, close) + 1:close]


def _term(typed: bytes) -> ox.Literal:
    """The literal of ``"value":"V","datatype":"D"`` (anything else raises :class:`ShapeError`)."""
    try:
        fields = json.loads(b"{" + typed + b"}")
    except ValueError:
        raise ShapeError(typed[:80]) from None
    value, iri = fields.get("value"), fields.get("datatype")
    if len(fields) != 2 or not isinstance(value, str) or not isinstance(iri, str):
        raise ShapeError(typed[:80])
    return ox.Literal(value, datatype=ox.NamedNode(iri))


def _shared(typed: bytes, value: int, end: int, restorations: Restorations, restoring: bool) -> Cell | None:
    """The cell ``typed`` in any column, or None if a restorable column would restore it."""
    if value < 0 or end <= 0:
        raise ShapeError(typed[:80])
    term = _term(typed)
    if restoring and restorations.candidates(term, None):
        return None
    return _written(term, to_rdflib(term), False)


def _own(typed: bytes, column: Column, restorations: Restorations) -> Cell:
    """The cell ``typed`` in a column (restored, as :func:`kg.store_results.select_result` does)."""
    term = _term(typed)
    restorable, predicates = column
    original = to_rdflib(term)
    if restorable and isinstance(original, Literal) and str(original.datatype) in restorations.datatypes:
        original, ambiguous = restorations.original(term, predicates)
        return _written(term, original, ambiguous)
    return _written(term, original, False)


def _written(term: ox.Literal, original: Identifier, ambiguous: bool) -> Cell:
    """How rdflib's writer writes ``original`` where Oxigraph wrote ``term`` (None: the same)."""
    if isinstance(original, Literal) and str(original) == term.value and str(original.datatype) == \
            term.datatype.value and original.language is None:
        return None, ambiguous
    written = termToJSON(cast(Any, None), original) or {}
    body = json.dumps({k: v for k, v in written.items() if k != "type"}, ensure_ascii=False, separators=(",", ":"))
    return body[1:-1].encode("utf-8"), ambiguous
