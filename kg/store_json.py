"""SPARQL 1.1 Query Results JSON of a SELECT, written by Oxigraph and corrected where rdflib's would differ.

Why: turning every row of a large answer into rdflib terms and writing them with rdflib's JSON writer costs
8-11x the query itself (a whole-graph listing). Oxigraph's own JSON differs from rdflib's in one kind of cell
only: a typed literal (a cell with a ``"datatype"`` key), which may be a stored literal Oxigraph rewrote
(``"8"^^xsd:nonNegativeInteger`` kept as ``xsd:integer``; restored through the column's provenance and the
restoration table, as :func:`kg.store_results.select_result` does) or a value whose text rdflib reads
differently (a double ``"1000"``, which rdflib writes ``"1000.0"``). So Oxigraph writes the document, and
only those cells are read (each distinct one once per column) and, where rdflib's term differs, written again
the way rdflib's writer writes that term. Plain and language-tagged literals, IRIs and blank nodes are left as
they are: their text is rdflib's text. So is a literal of a datatype rdflib has no reading for (it keeps its
text) and that no restoration names: when every datatype rdflib reads and every restorable one is a W3C IRI
(``http://www.w3.org/...``, as in rdflib 7), only cells with a W3C datatype are looked at (:func:`needle`).

How cells are found without parsing the document: in JSON a ``"`` inside a string is always escaped, so the
bytes ``","datatype":"`` only occur where a string value is followed by the ``datatype`` key, and the nearest
``":{"type":"literal","value":"`` before them starts that cell (its variable's name just before). Everything
per cell is C code (``bytes.find``, a slice, a dict look-up) but for the first time a cell's text is met.
Whatever does not fit this shape (another key order in a later Oxigraph, a variable not in the head) makes
:func:`corrected` return ``None``: the caller then writes the answer the slow way, never a wrong document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, cast

import pyoxigraph as ox
import rdflib.term
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.plugins.sparql.results.jsonresults import termToJSON
from rdflib.term import Identifier

from kg.iris import W3C
from kg.store_terms import Restorations, to_rdflib

_MARK = b'","datatype":"'  # only where a string value is followed by the datatype key
_W3C = W3C
_LITERAL = b'":{"type":"literal",'  # ends a variable's name, starts its literal cell
_VALUE = b'"value":"'
_OPEN = _LITERAL + _VALUE
#: Texts rdflib reads back as the same term, by datatype: a canonical xsd:integer (``int`` and back; most typed
#: cells of kg's graphs), so rdflib's Literal need not be built to learn it (tests/test_store_json.py checks
#: the pattern against rdflib).
KEPT = {str(XSD.integer): re.compile("0|-?[1-9][0-9]*")}
#: How a column is restored: (may it hold a changed literal, from which predicates; None: any).
Column = tuple[bool, "set[str] | None"]
#: One corrected cell: its whole text from the variable's name to the datatype's closing quote (None: Oxigraph's
#: is rdflib's), and whether it was ambiguous (two originals fit: left as Oxigraph gave it).
Cell = tuple["bytes | None", bool]


class ShapeError(ValueError):
    """Oxigraph's JSON is not shaped as this module expects."""


def eligible(plan: Sequence[Column], restorations: Restorations) -> bool:
    """Whether :func:`corrected` can give rdflib's document: not when a restorable column may hold a
    restorable *plain* literal (an explicit ``xsd:string`` read from rdflib), which has no datatype key."""
    return "None" not in restorations.datatypes or not any(restorable for restorable, _ in plan)


def needle(restorations: Restorations) -> bytes:
    """What the cells to look at start with: ``","datatype":"http://www.w3.org/`` when every datatype rdflib
    reads (rdflib's table of them) and every restorable one is a W3C IRI, else ``","datatype":"`` (all)."""
    readings = getattr(rdflib.term, "_toPythonMapping", None)
    if not isinstance(readings, dict):
        return _MARK
    datatypes = {str(datatype) for datatype in readings if datatype is not None} | restorations.datatypes
    if all(datatype.startswith(_W3C) for datatype in datatypes - {"None"}):
        return _MARK + _W3C.encode()
    return _MARK


def corrected(data: bytes, variables: Sequence[str], plan: Sequence[Column], restorations: Restorations
              ) -> tuple[bytes, int] | None:
    """Oxigraph's JSON ``data`` with each typed literal as rdflib writes its term (restored where the
    ``plan`` allows) and a final newline, and how many values were ambiguous; None if ``data`` is not shaped
    as expected."""
    columns = {name.encode("utf-8"): column for name, column in zip(variables, plan, strict=True)}
    cells: dict[bytes, Cell] = {}  # by the cell's text '"NAME":{"type":"literal","value":"V","datatype":"D"'
    pieces: list[bytes | memoryview] = []
    view = memoryview(data)  # slices of it are not copies: the document is copied once, by the join
    last = previous = unresolved = 0
    find, rfind, known, marker = data.find, data.rfind, cells.get, needle(restorations)
    position = find(marker)  # the loop runs once per typed literal with such a datatype
    try:
        while position != -1:  # ..."NAME":{"type":"literal","value":"V","datatype":"D"}...
            opening = rfind(_OPEN, previous, position)
            if opening < 0:
                raise ShapeError(data[previous:position + 1][-80:])
            start = rfind(b'"', previous, opening)
            previous = find(b'"}', position + len(_MARK)) + 1
            key = data[start:previous]
            cell = known(key)
            if cell is None:
                cell = cells[key] = _cell(key, columns, restorations)
            if cell[1]:
                unresolved += 1
            if cell[0] is not None:
                pieces += (view[last:start], cell[0])
                last = previous
            position = find(marker, previous)
    except (ShapeError, KeyError):
        return None
    pieces += (view[last:], b"\n")  # the newline kg.results.render ends every text with
    return b"".join(pieces), unresolved


def _cell(key: bytes, columns: dict[bytes, Column], restorations: Restorations) -> Cell:
    """The cell ``key`` (``"NAME":{"type":"literal","value":"V","datatype":"D"``) as rdflib writes it, restored
    as :func:`kg.store_results.select_result` restores it (an unknown ``NAME`` raises ``KeyError``)."""
    name, literal, typed = key.partition(_LITERAL)
    if not literal or name[:1] != b'"' or b'"' in name[1:]:
        raise ShapeError(key[:80])
    restorable, predicates = columns[name[1:]]
    term = _term(typed)
    datatype = term.datatype.value
    if restorable and datatype in restorations.datatypes and restorations.candidates(term, predicates):
        original, ambiguous = restorations.original(term, predicates)
    elif datatype in KEPT and KEPT[datatype].fullmatch(term.value):
        return None, False
    else:
        original, ambiguous = to_rdflib(term), False
    written = _written(term, original)
    return (None if written is None else name + literal + written), ambiguous


def _term(typed: bytes) -> ox.Literal:
    """The literal of ``"value":"V","datatype":"D"`` (anything else raises :class:`ShapeError`). Without a
    backslash and with only its eight quotes, V and D hold no escape: their bytes are their UTF-8 text."""
    try:
        separator = typed.find(_MARK)
        if b"\\" in typed or typed.count(b'"') != 8 or separator < 0 or not typed.startswith(_VALUE) \
                or not typed.endswith(b'"'):
            value, iri = _parsed(typed)
        else:
            value, iri = typed[len(_VALUE):separator].decode(), typed[separator + len(_MARK):-1].decode()
        return ox.Literal(value, datatype=ox.NamedNode(iri))
    except ValueError:  # UnicodeDecodeError too
        raise ShapeError(typed[:80]) from None


def _parsed(typed: bytes) -> tuple[str, str]:
    """V and D of ``"value":"V","datatype":"D"`` read as JSON (they hold escapes)."""
    try:
        fields = json.loads(b"{" + typed + b"}")
    except ValueError:
        raise ShapeError(typed[:80]) from None
    value, iri = fields.get("value"), fields.get("datatype")
    if list(fields) != ["value", "datatype"] or not isinstance(value, str) or not isinstance(iri, str):
        raise ShapeError(typed[:80])
    return value, iri


def _written(term: ox.Literal, original: Identifier) -> bytes | None:
    """How rdflib's writer writes ``original`` where Oxigraph wrote ``term``, from ``"value"`` on (None: the same)."""
    if isinstance(original, Literal) and str(original) == term.value and str(original.datatype) == \
            term.datatype.value and original.language is None:
        return None
    written = termToJSON(cast(Any, None), original) or {}
    body = json.dumps({k: v for k, v in written.items() if k != "type"}, ensure_ascii=False, separators=(",", ":"))
    return body[1:-1].encode("utf-8")
