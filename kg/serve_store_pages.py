"""Entity pages of ``kg serve --store oxigraph:PATH`` read from the store: a few index lookups per page.

The page of an entity reads only what :class:`kg.serve_pages.Pages` shows, with the queries in
``viz/serve-store/`` (data, not code; ``VALUES ?x { UNDEF }`` replaced by Oxigraph's own serialisation of the
IRIs, :func:`kg.viz_store.restricted`):

- ``entity-out.rq`` / ``entity-in.rq``: its triples both ways, each said asserted or entailed, at most
  :data:`~kg.serve_pages.MAX_FACTS` + 1 each way (the rows are pulled one by one, so a hub stops early);
- ``entity-labels.rq``: the labels of every IRI the page shows;
- ``entity-statements.rq``: the reified statements about it, with their evidence;
- ``viz/network-evidence.rq`` (``kg viz``'s): the cited quotes, their sentences and articles.

Those go into two small rdflib graphs (with and without the entailments), and ``Pages`` renders them as it
renders the built graph: for an entity under the cap the page is the rdflib-served page, byte for byte
(tested). Literals Oxigraph keeps in another form (``xsd:nonNegativeInteger``) are restored by predicate
from the store's table (:class:`kg.store_terms.Restorations`), as ``/sparql`` restores them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Identifier

from kg.assets import asset
from kg.serve_html import entity_page
from kg.serve_pages import MAX_FACTS, Pages, Triple
from kg.serve_store_open import StoreOnDisk
from kg.store_layout import INFERRED
from kg.store_terms import TermCache, to_ox
from kg.viz_store import OpenedGraph, construct, query_text, restricted

#: How many statements about one entity are read for the quotes beside its relations.
MAX_STATEMENTS = 4 * MAX_FACTS
Row = tuple[Triple, bool]


@cache
def store_query(name: str) -> str:
    """The text of ``viz/serve-store/NAME``."""
    return asset("viz", "serve-store", name).read_text(encoding="utf-8")


class StoreEntities:
    """Entity pages (HTML) and entity triples (RDF) of a store on disk (:class:`kg.serve_resources.Entities`)."""

    def __init__(self, store: StoreOnDisk, ontology: Pages, max_triples: int) -> None:
        self.store, self.ontology, self.max_triples = store, ontology, max_triples

    def triples(self, entity: URIRef, inferred: bool) -> tuple[Graph, int | None]:
        """Its triples both ways (entailed ones only with ``inferred``), at most ``max_triples`` each way."""
        graph, cut = Graph(), False
        if not _is_iri(entity):
            return graph, None
        for rows in (self._out(entity, self.max_triples, inferred), self._in(entity, self.max_triples, inferred)):
            for triple, _entailed in rows[:self.max_triples]:
                graph.add(triple)
            cut = cut or len(rows) > self.max_triples
        return graph, self.max_triples if cut else None

    def page(self, entity: URIRef) -> str | None:
        """The entity's HTML page, or None when the store says nothing about it."""
        if not _is_iri(entity):
            return None
        out, into = self._out(entity, MAX_FACTS, True), self._in(entity, MAX_FACTS, True)
        if not out and not into:
            return None
        full, asserted = Graph(), Graph()
        for triple, entailed in out + into:
            full.add(triple)
            if not entailed:
                asserted.add(triple)
        shown = {node for triple in full for node in triple if isinstance(node, URIRef)}
        for node, label in self._select("entity-labels.rq", {"node": sorted(shown)}, union=True):
            full.add((node, RDFS.label, label))
        pages = Pages(full, asserted, self.ontology.ontology, terms=self.ontology.terms,
                      cut=len(out) > MAX_FACTS or len(into) > MAX_FACTS)
        pages.evidence = self._statements(entity)
        cited = {e for e in full.objects(entity, PROV.wasDerivedFrom) if isinstance(e, URIRef)}
        cited |= set().union(*pages.evidence.values())
        opened = OpenedGraph(self.store.handle(), self.store.state.inferred is not None)
        evidence = restricted(query_text("network-evidence.rq"), {"e": sorted(str(e) for e in cited)})
        construct(opened, evidence, full, TermCache(), inferred=False)
        return entity_page(pages, entity)

    def _out(self, entity: URIRef, limit: int, inferred: bool) -> list[Row]:
        rows = self._select("entity-out.rq", {"e": [str(entity)]}, union=False)
        return self._statement_object(_first((((entity, p, o), flag) for p, o, flag in rows), limit + 1, inferred))

    def _statement_object(self, rows: list[Row]) -> list[Row]:
        """A reified statement's ``rdf:object`` literal restored as an object of its ``rdf:predicate``: by
        ``rdf:object`` alone an Oxigraph ``"1"^^xsd:integer`` may stand for several originals."""
        predicates = {str(t[2]) for t, _ in rows if t[1] == RDF.predicate and isinstance(t[2], URIRef)}
        if len(predicates) != 1:
            return rows
        fixed = []
        for (s, p, o), entailed in rows:
            if p == RDF.object and isinstance(o, Literal):
                found = self.store.state.restorations.candidates(to_ox(o), predicates)  # type: ignore[arg-type]
                o = next(iter(found)) if len(found) == 1 else o
            fixed.append(((s, p, o), entailed))
        return fixed

    def _in(self, entity: URIRef, limit: int, inferred: bool) -> list[Row]:
        rows = self._select("entity-in.rq", {"e": [str(entity)]}, union=False)
        return _first((((s, p, entity), flag) for s, p, flag in rows), limit + 1, inferred)

    def _statements(self, entity: URIRef) -> defaultdict[Triple, set[URIRef]]:
        """The evidence of each reified triple with ``entity`` at one end (what ``Pages`` indexes)."""
        found: defaultdict[Triple, set[URIRef]] = defaultdict(set)
        rows = self._select("entity-statements.rq", {"e": [str(entity)]}, union=False, named=False)
        for s, p, o, evidence in itertools.islice(rows, MAX_STATEMENTS):
            if isinstance(evidence, URIRef):
                found[(s, p, o)].add(evidence)
        return found

    def _select(self, name: str, values: dict[str, list[str]], *, union: bool,
                named: bool = True) -> Iterator[tuple[Identifier, ...]]:
        """The rows of ``viz/serve-store/NAME``, each term as rdflib has it (objects restored by predicate)."""
        options: dict[str, Any] = {"use_default_graph_as_union": True} if union else {
            "default_graph": ox.DefaultGraph(), "named_graphs": [INFERRED] if named else []}
        solutions = self.store.handle().query(restricted(store_query(name), values), **options)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        terms = TermCache()
        for solution in solutions:
            row = dict(zip(names, solution, strict=True))
            predicate = row.get("p")
            yield tuple(self._term(row[n], predicate, terms) for n in names)

    def _term(self, term: Any, predicate: Any, terms: TermCache) -> Identifier:
        converted = terms.get(term) or terms.rdflib(term)
        if isinstance(converted, Literal) and isinstance(predicate, ox.NamedNode):
            restorations = self.store.state.restorations
            if restorations and str(converted.datatype) in restorations.datatypes:
                found = restorations.candidates(term, {predicate.value})
                if len(found) == 1:
                    return next(iter(found))
        return converted


def _first(rows: Iterable[tuple[Triple, Identifier]], count: int, inferred: bool) -> list[Row]:
    """The first ``count`` rows (entailed ones only with ``inferred``), the flag ``?inferred`` as a bool; the
    rest of the rows are never read."""
    flagged = ((triple, flag == Literal(True)) for triple, flag in rows)
    return list(itertools.islice(((t, entailed) for t, entailed in flagged if inferred or not entailed), count))


def _is_iri(entity: URIRef) -> bool:
    """Whether Oxigraph takes ``entity`` as an IRI (``/id/a%20b`` is not one; the store cannot mention it)."""
    try:
        ox.NamedNode(str(entity))
    except ValueError:
        return False
    return True
