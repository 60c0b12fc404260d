"""Query results as text: the SPARQL 1.1 Query Results formats (JSON, XML, CSV, TSV) that other tools
read, a terminal table, Turtle (or N-Triples, ``nt``) for CONSTRUCT/DESCRIBE, and ``true``/``false`` for ASK.

JSON, XML and CSV are rdflib's serialisers (W3C *SPARQL 1.1 Query Results JSON / XML / CSV and TSV
Formats*). rdflib has no TSV serialiser, so :func:`tsv` writes one: terms in their Turtle form, with
tabs, newlines and quotes inside literals escaped (§3.3 of the CSV/TSV recommendation).
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from kg import table
from kg.iris import curie_of
from kg.sparql_syntax_errors import one_line_reason

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Formats of a CONSTRUCT/DESCRIBE answer besides ``table`` (Turtle too): Turtle and N-Triples.
GRAPH_FORMATS = ("ttl", "nt")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def render(result: Result, fmt: str, width: int = 120) -> str:
    """``result`` as text in ``fmt`` (one of :data:`SELECT_FORMATS`, or for a graph :data:`GRAPH_FORMATS`);
    a graph is Turtle unless ``fmt`` is ``nt``."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return result.graph.serialize(format="nt") if fmt == "nt" else turtle(result.graph)
    if result.type == "ASK":
        if fmt in ("json", "xml"):
            return _serialised(result, fmt)
        return "true\n" if result.askAnswer else "false\n"
    if fmt == "table":
        names = [str(v) for v in result.vars or []]
        rows = [[cell(row.get(Variable(name))) for name in names] for row in result.bindings]
        return table.render(names, rows, width)
    if fmt == "tsv":
        return tsv(result)
    return _serialised(result, fmt)


def render_bytes(result: Result, fmt: str, width: int = 120) -> bytes:
    """:func:`render` as UTF-8 bytes. A store's own serialisation in ``fmt`` (Oxigraph's, see
    :class:`kg.store_results.StoreResult`) is passed on as it is, without decoding megabytes to text and back."""
    own = getattr(result, "rendered", {}).get(fmt) if result.type != "ASK" else None
    if not isinstance(own, bytes):
        return render(result, fmt, width).encode("utf-8")
    return own if own.endswith(b"\n") else own + b"\n"


def _serialised(result: Result, fmt: str) -> str:
    data = result.serialize(format=fmt, encoding="utf-8")
    assert data is not None
    text = data.decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def tsv(result: Result) -> str:
    """A SELECT result in the SPARQL 1.1 TSV format (header ``?a<TAB>?b``, one line per solution)."""
    variables = list(result.vars or [])
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in result.bindings:
        lines.append("\t".join(tsv_term(row.get(v)) for v in variables))
    return "\n".join(lines) + "\n"


def tsv_term(term: Node | None) -> str:
    """One RDF term in its TSV (Turtle) form; an unbound value is the empty string."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    return str(term)


def cell(term: Node | None) -> str:
    """A term as a table cell: IRIs as CURIEs, literals as their text, unbound as empty."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie_of(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def turtle(graph: Graph) -> str:
    """``graph`` as Turtle with the project's prefixes."""
    from kg.build import bind_prefixes

    out = Graph()
    bind_prefixes(out)
    out += graph
    return out.serialize(format="turtle")


def cannot_write(fmt: str, err: Exception) -> str:
    """Why an answer could not be written in ``fmt`` (``kg query`` and ``kg serve`` say it alike): rdflib's
    writers raise ValueError (an IRI RDF/XML cannot split), UnicodeError (a lone surrogate from "\\uD800")
    or a bare Exception (a space in an IRI the query made)."""
    return f"the answer cannot be written as {fmt}: {type(err).__name__}: {one_line_reason(err)}"
