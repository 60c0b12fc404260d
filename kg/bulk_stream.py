"""Stream a folder of articles into a pyoxigraph ``Store``, one article at a time.

Why: ``kg build`` holds every article, the dataset, the union graph and the inferred graph in rdflib, about
2 KB per triple and copy (2.9 GB at 448,000 triples). Here each article is loaded and checked by the normal
code (:func:`kg.curated.parse_article`: same checks, same ``FILE:LINE`` errors), built by the normal code
(:func:`kg.build.add_article`) into a throw-away set of triples, converted to Oxigraph terms and handed to the
store in batches; then the article is dropped. What survives an article is only what the cross-article checks
compare (:mod:`kg.bulk_merge`) and the typed literals the store's state records (:class:`LiteralCensus`).

Layout (as :mod:`kg.store_layout` describes it): the ontology and every article merged into the default graph.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.bulk_input import ClosureInput
from kg.bulk_merge import MergeCheck
from kg.gc_pause import collector_paused
from kg.sources import MAX_FILE_BYTES, Article, article_pairs
from kg.store_terms import LiteralCensus, canonical_forms, to_ox
from kg.textfiles import read_text

#: Quads handed to Oxigraph at once: large enough that an on-disk store writes few, big SST files
#: (``bulk_extend``), small enough that the batch itself stays a few tens of MB.
BATCH = 250_000

Triple = tuple[Node, Node, Node]


class TripleSet(Graph):
    """A graph that only collects what :func:`kg.build.add_article` adds, as a plain set of triples.

    Why not an rdflib ``Graph``: its three indexes cost far more than the triples, and nothing here
    queries them. The build code only calls ``add``; the set keeps its idempotence (one evidence node per
    span, however many quotes use it)."""

    def __init__(self) -> None:
        super().__init__()
        self.collected: set[Triple] = set()

    def add(self, triple: tuple[Node, Node, Node]) -> TripleSet:
        self.collected.add(triple)
        return self


@dataclass
class Streamed:
    """What the stream put into the store, and what it noticed on the way."""

    articles: int = 0
    quads: int = 0  # handed to the store (a triple two articles both state counts twice)
    census: LiteralCensus = field(default_factory=LiteralCensus)
    #: The quads (as built) whose literal Oxigraph keeps in another text (``"8"^^xsd:integer`` for
    #: ``"8"^^xsd:nonNegativeInteger``): the exports write these back (:mod:`kg.bulk_export`).
    rewritten: list[ox.Quad] = field(default_factory=list)
    csv_safe: bool = True
    #: What the rules closure will load, kept on the way (:mod:`kg.bulk_input`); ``None`` once used.
    closure_input: ClosureInput | None = None
    seconds: float = 0.0
    store_seconds: float = 0.0  # of which converting to Oxigraph terms and handing them over (the "load")


class Writer:
    """Hands rdflib triples to the store's default graph in batches, as N-Triples text (see :meth:`add`)."""

    def __init__(self, store: ox.Store, streamed: Streamed, batch: int = BATCH) -> None:
        self.store, self.streamed, self.batch = store, streamed, batch
        self.lines: list[str] = []
        self.blank: list[ox.Quad] = []  # triples with a blank node (the ontology's): kept as terms, see add()
        # Typed literals are keyed by their N-Triples text: a str hashes in C, an rdflib Literal in Python.
        self.typed: list[tuple[str, Node, Node]] = []  # this batch's triples with a typed literal
        self.literals: dict[str, Literal] = {}  # N-Triples text -> the literal
        self.noted: set[tuple[str, str]] = set()  # (predicate, text) already in the census
        self.kept: dict[str, bool] = {}  # text -> whether Oxigraph keeps the literal's text as it is

    def add(self, triples: Iterable[Triple]) -> None:
        """Queue ``triples`` for the default graph (and note their typed literals).

        The hot loop of the stream. Each triple becomes an N-Triples line (an IRI is written as it is, a literal
        as pyoxigraph writes it) and a batch is one native ``bulk_load``: parsing text in Rust costs less than
        building four pyoxigraph objects per triple in Python. A blank node would be renamed by the parser, so
        the few triples with one go in as terms, keeping their (canonical) ids and the exports deterministic."""
        started = time.perf_counter()
        census, lines, typed, blank, noted = self.streamed.census, self.lines, self.typed, self.blank, self.noted
        iri, commas = URIRef, False
        for s, p, o in triples:
            if s.__class__ is not iri or isinstance(o, BNode):
                blank.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o)))  # type: ignore[arg-type]
                continue
            commas = commas or "," in s or "," in p  # type: ignore[operator]  # Oxigraph CSV: unquoted
            if o.__class__ is iri:
                commas = commas or "," in o
                lines.append(f"<{s}> <{p}> <{o}> .\n")
                continue
            assert isinstance(o, Literal)
            text = nt_literal(o)
            lines.append(f"<{s}> <{p}> {text} .\n")
            if o.datatype is not None:
                typed.append((text, s, p))
                key = (str(p), text)
                if key not in noted:
                    noted.add(key)
                    census.add(key[0], o)
                    self.literals.setdefault(text, o)
        self.streamed.csv_safe = self.streamed.csv_safe and not commas
        self.streamed.store_seconds += time.perf_counter() - started
        if len(lines) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Hand the queued triples to Oxigraph."""
        started = time.perf_counter()
        if self.blank:
            self.store.bulk_extend(self.blank)
        if self.lines:
            self.store.bulk_load("".join(self.lines), format=ox.RdfFormat.N_TRIPLES)
        self.streamed.quads += len(self.lines) + len(self.blank)
        self._note_rewritten()
        self.lines, self.blank, self.typed = [], [], []
        self.streamed.store_seconds += time.perf_counter() - started

    def _note_rewritten(self) -> None:
        """Keep the batch's triples whose literal Oxigraph rewrites (asked of Oxigraph, once per literal)."""
        new = {text for text, _s, _p in self.typed if text not in self.kept}
        if new:
            forms = canonical_forms(self.literals[text] for text in new)
            self.kept.update((text, str(forms[self.literals[text]]) == text) for text in new)
        self.streamed.rewritten.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(self.literals[text]))  # type: ignore[arg-type]
                                       for text, s, p in self.typed if not self.kept[text])


def nt_literal(literal: Literal) -> str:
    """``literal`` in N-Triples (RDF 1.1 N-Triples §2.4: in a quoted string only ``"``, ``\\``, LF and CR
    must be escaped), in Python: cheaper per literal than a pyoxigraph ``Literal`` and its ``str``."""
    text = str(literal).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if literal.language:
        return f'"{text}"@{literal.language}'
    if literal.datatype is not None:
        return f'"{text}"^^<{literal.datatype}>'
    return f'"{text}"'


def canonical_blank_nodes(graph: Graph) -> Graph:
    """``graph`` with its blank nodes named by their content (rdflib.compare), not by a fresh random id per parse:
    the exports sort lines, so a random label would move a line (the ontology's unions and lists are blank)."""
    from rdflib.compare import to_canonical_graph

    return to_canonical_graph(graph)


def articles(sources: Path) -> Iterator[Article]:
    """Each article of ``sources`` loaded and checked, in the order :func:`kg.sources.load_sources` reads them."""
    from kg.curated import parse_article

    for facts, text in article_pairs(sources):
        yield parse_article(facts, read_text(facts, MAX_FILE_BYTES), text)


def stream_into(store: ox.Store, sources: Path, ontology: Graph, batch: int = BATCH) -> Streamed:
    """Load, check and build every article of ``sources`` into ``store``'s default graph, with ``ontology``.

    Raises the :class:`~kg.errors.InputError` the normal build would raise, first of all: a parse error of any
    article beats a contradiction between two (:mod:`kg.bulk_merge`)."""
    from kg.build import add_article

    started = time.perf_counter()
    schema = canonical_blank_nodes(ontology)
    kept = ClosureInput(schema)
    streamed = Streamed(closure_input=kept)
    writer = Writer(store, streamed, batch)
    writer.add(schema)
    kept.add(schema)
    merge = MergeCheck()
    with collector_paused():  # what survives an article is kept to the end; an article leaves ~20 cycles
        for article in articles(sources):
            merge.add(article)
            streamed.articles += 1
            if merge.failed:
                continue  # the build will not be used: only parse the rest, for a parse error that would win
            collected = TripleSet()
            add_article(collected, article)
            writer.add(collected.collected)
            kept.add(collected.collected)
    merge.finish()
    writer.flush()
    streamed.seconds = time.perf_counter() - started
    return streamed
