"""The clashes of a reasoned graph: where it entails ``false``, and which resources are involved.

Why a module of its own: the check does not depend on which closure produced the inferences (owlrl,
:mod:`kg.closure`, or the bulk path's Oxigraph store in :mod:`kg.bulk_check`), so it lives apart from
:mod:`kg.reason`. A clash (OWL 2 RL rules whose consequent is ``false``: a member of two disjoint classes, a
pairing of an organisation with itself, ...) is not closed over silently: :func:`consistency_errors` lists each
one with the resources involved. :mod:`kg.bulk_check` words its clashes with the same :data:`CLASH_TEXT`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kg.assets import asset
from kg.iris import curie_of
from kg.ox_copy import oxigraph_copy
from kg.plain_graph import plain_graph
from kg.store_terms import to_rdflib


@dataclass(frozen=True)
class Clash:
    """One inconsistency: the OWL 2 RL rule (§4.3 name) and the resources involved, offender first."""

    rule: str
    resources: tuple[URIRef, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class InconsistentGraphError(Exception):
    """The graph entails ``false``; :attr:`clashes` says why."""

    def __init__(self, clashes: list[Clash]) -> None:
        super().__init__("; ".join(map(str, clashes)))
        self.clashes = clashes


#: The rules that say "member of two disjoint classes": one clash per resource and pair, whichever fired.
DISJOINT_RULES = (Literal("cax-dw"), Literal("cax-adc"), Literal("cls-com"))
#: The message of each rule of ``ontology/consistency.rq``; ``{x}``, ``{a}``, ``{b}``, ``{c}`` are its columns.
CLASH_TEXT = {
    "cax-dw": "{x} is a member of {a} and {b}, which are disjoint",
    "cax-adc": "{x} is a member of {a} and {b}, which are disjoint (owl:AllDisjointClasses)",
    "prp-irp": "{x} is related to itself by {a}, which is irreflexive",
    "prp-asyp": "{x} and {c} are related both ways by {a}, which is asymmetric",
    "prp-pdw": "{x} is related to {c} by both {a} and {b}, which are disjoint properties",
    "cls-nothing2": "{x} is a member of owl:Nothing",
    "cls-com": "{x} is a member of {a} and of its complement {b}",
    "eq-diff1": "{x} and {a} are both owl:sameAs and owl:differentFrom",
}


def consistency_errors(graph_with_inferred: Graph) -> list[Clash]:
    """The clashes in ``graph_with_inferred`` (asserted ∪ :func:`kg.reason.infer` output), or ``[]``.

    The check is a SPARQL query (``ontology/consistency.rq``) of the OWL 2 RL rules whose consequent is
    ``false`` (Profiles §4.3: cax-dw, cax-adc, prp-irp, prp-asyp, prp-pdw, cls-nothing2, cls-com,
    eq-diff1), so it does not depend on which closure produced the inferences. Oxigraph runs it on a copy
    of the graph (:mod:`kg.ox_copy`), as it runs it on the bulk store (:mod:`kg.bulk_check`).
    """
    graph = plain_graph(graph_with_inferred)
    return clashes_of(rows_of(oxigraph_copy(graph).query(consistency_query())), graph)


def rows_of(answer: object) -> list[tuple[Node | None, ...]]:
    """The rows of ``ontology/consistency.rq`` as answered by Oxigraph, in rdflib terms, by column."""
    assert isinstance(answer, ox.QuerySolutions), "consistency.rq is a SELECT query"
    return [tuple(None if term is None else to_rdflib(term) for term in row) for row in answer]


def clashes_of(rows: Iterable[tuple[Node | None, ...]], graph: Graph) -> list[Clash]:
    """One :class:`Clash` per clash of ``rows`` (``?rule ?x ?a ?b ?c``), named from ``graph``'s labels.

    The disjointness rules that say the same thing of the same resources count once, and a member of
    owl:Nothing, which is in every class (scm-cls), is not also reported for each disjoint pair."""
    nothing = set(graph.subjects(RDF.type, OWL.Nothing))
    clashes: list[Clash] = []
    seen: set[tuple[str, frozenset[Node | None]]] = set()
    for rule, x, a, b, c in rows:
        key = (str(rule) if rule not in DISJOINT_RULES else "disjoint", frozenset({x, a, b, c}))
        if key in seen or (x in nothing and rule in DISJOINT_RULES):
            continue
        seen.add(key)
        involved = tuple(n for n in (x, a, b, c) if isinstance(n, URIRef))
        names = {k: display_name(graph, n) for k, n in zip("xabc", (x, a, b, c), strict=True) if n is not None}
        clashes.append(Clash(str(rule), involved, CLASH_TEXT[str(rule)].format_map(Blank(names))))
    return clashes


def ensure_consistent(graph_with_inferred: Graph) -> None:
    """Raise :class:`InconsistentGraphError` if :func:`consistency_errors` finds any clash."""
    clashes = consistency_errors(graph_with_inferred)
    if clashes:
        raise InconsistentGraphError(clashes)


def display_name(graph: Graph, node: Node | None) -> str:
    """``curie (中文标签)`` for a resource with a Chinese label, else its CURIE (or the literal)."""
    if node is None:
        return "?"
    if not isinstance(node, URIRef):
        return node.n3()
    zh = next((str(v) for v in graph.objects(node, RDFS.label)
               if isinstance(v, Literal) and (v.language or "").startswith("zh")), None)
    return f"{curie_of(str(node))} ({zh})" if zh else curie_of(str(node))


class Blank(dict[str, str]):
    """The names of a clash's columns for :data:`CLASH_TEXT`; a column the row left unbound reads ``?``."""

    def __missing__(self, key: str) -> str:
        return "?"


@cache
def consistency_query() -> str:
    """The text of ``ontology/consistency.rq``, the SPARQL form of the clash rules (read once)."""
    return asset("ontology", "consistency.rq").read_text(encoding="utf-8")
