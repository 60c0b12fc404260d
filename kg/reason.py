"""OWL 2 RL entailments of the graph, kept apart from what was asserted, and the clashes they reveal.

The closure is the OWL 2 RL/RDF rule set (W3C *OWL 2 Web Ontology Language Profiles*, 2nd ed., §4.3),
computed by owlrl, the reference implementation for rdflib. It sits behind one function type,
:data:`Closure` (graph in, closed graph out), so that a faster, specialised closure can replace owlrl
without touching the callers: :func:`reason` takes it as an argument.

What comes out (:func:`infer`) is only what was *derived*: no asserted triple, and none of the
axiomatic noise owlrl adds (see :func:`noise_kind`). The build keeps it in its own named graph
(:data:`kg.iris.INFERRED_GRAPH`), so a user can always ask "was this said, or derived?".

A clash (OWL 2 RL rules whose consequent is ``false``: a member of two disjoint classes, a pairing of an
organisation with itself, ...) is not closed over silently: :func:`consistency_errors` lists each one with
the resources involved.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

import owlrl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph, ReadOnlyGraphAggregate
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from kg.assets import asset
from kg.iris import INFERRED_GRAPH, PREFIXES, curie_of

Triple = tuple[Node, Node, Node]

#: A closure: takes a graph (never modified) and returns a graph holding at least every entailment.
#: It may return the input triples too; :func:`reason` keeps only what is new.
Closure = Callable[[Graph], Graph]

_BUILTIN = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_MEMBERSHIP = re.compile(re.escape(str(RDF)) + r"_\d+$")
_REFLEXIVE = frozenset({OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf,
                        RDFS.subPropertyOf})
_TOP_BOTTOM = frozenset({OWL.Thing, OWL.Nothing})


def owlrl_closure(graph: Graph) -> Graph:
    """The OWL 2 RL closure by owlrl (``OWLRL_Semantics``) of a copy of ``graph``.

    RDF/RDFS axiomatic triples and datatype axioms are off (``axiomatic_triples=False``,
    ``datatype_axioms=False``): they hold in every graph and say nothing about this one.
    """
    closed = Graph()
    for triple in _triples(graph):
        closed.add(triple)
    reasoner = owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False)
    reasoner.expand(closed)
    return closed


def noise_kind(triple: Triple) -> str | None:
    """Why ``triple`` is axiomatic noise rather than knowledge about this graph, or ``None`` to keep it.

    - ``literal-subject``: generalised RDF, e.g. ``"2016"^^xsd:gYear a xsd:gYear`` (dt-type2),
      ``"x" owl:sameAs "x"`` (eq-ref), a literal typed by a datatype property's range (prp-rng). Not RDF
      (RDF 1.1 Concepts §3.1); owlrl emits it on purpose (RDFLib/OWL-RL issue #63).
    - ``blank-node``: statements about anonymous OWL class expressions and lists (e.g. the union behind
      ``zq:dateOrYear``, scm-uni), and owlrl's own error-message resources. The data has no blank nodes.
    - ``reflexive``: ``x owl:sameAs x`` (eq-ref), ``c ⊑ c``, ``c ≡ c`` (scm-cls), ``p ⊑ p``, ``p ≡ p``
      (scm-op, scm-dp): true of every term.
    - ``top-bottom``: ``x a owl:Thing``, ``c ⊑ owl:Thing``, ``owl:Nothing ⊑ c`` (scm-cls, cax-sco), and
      domains and ranges widened to ``owl:Thing`` (scm-dom1, scm-rng1). ``x a owl:Nothing`` is kept: it
      is a clash (cls-nothing2), not noise.
    - ``builtin``: triples made only of RDF/RDFS/OWL/XSD terms (dt-type1 for every OWL 2 RL datatype,
      prp-ap for the annotation properties, cls-thing, cls-nothing1).
    - ``container``: ``rdf:_1 ...`` membership properties.
    """
    s, p, o = triple
    if isinstance(s, Literal):
        return "literal-subject"
    if isinstance(s, BNode) or isinstance(o, BNode):
        return "blank-node"
    if s == o and p in _REFLEXIVE:
        return "reflexive"
    if (o == OWL.Thing or (p == RDFS.subClassOf and s == OWL.Nothing) or s in _TOP_BOTTOM) and not (
        p == RDF.type and o == OWL.Nothing
    ):
        return "top-bottom"
    if all(str(t).startswith(_BUILTIN) for t in triple):
        return "builtin"
    if any(_MEMBERSHIP.match(str(t)) for t in (s, p)):
        return "container"
    return None


@dataclass
class Reasoning:
    """One reasoning run: the entailments kept, what was dropped as noise, and how long the closure took."""

    inferred: Graph
    asserted: int
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    engine: str = "owlrl"

    def summary(self) -> str:
        """One line for the build summary."""
        noise = ", ".join(f"{kind} {n}" for kind, n in sorted(self.dropped.items())) or "none"
        counts = f"{self.asserted} asserted, {len(self.inferred)} inferred"
        dropped = f"{sum(self.dropped.values())} axiomatic dropped ({noise})"
        return f"reasoning (OWL 2 RL, {self.engine}): {counts}, {dropped} in {self.seconds:.2f} s"


def reason(graph: Graph, closure: Closure = owlrl_closure) -> Reasoning:
    """Close ``graph`` (ontology + asserted data) and keep only the new, non-noise triples.

    ``graph`` is not modified. ``seconds`` is the wall time of ``closure`` alone (not the filtering).
    """
    asserted = _as_graph(graph)
    started = time.perf_counter()
    closed = closure(asserted)
    seconds = time.perf_counter() - started
    inferred = Graph(identifier=INFERRED_GRAPH)
    for prefix, namespace in PREFIXES.items():
        inferred.bind(prefix, namespace)
    dropped: Counter[str] = Counter()
    known = set(asserted)  # one hash set: rdflib's own membership test costs ~5 µs a triple (2 s at 450k)
    for triple in closed:
        if triple in known:
            continue
        kind = noise_kind(triple)
        if kind is None:
            inferred.add(triple)
        else:
            dropped[kind] += 1
    engine = getattr(closure, "__name__", "custom").removesuffix("_closure")
    return Reasoning(inferred, len(asserted), dropped, seconds, engine)


def infer(graph: Graph) -> Graph:
    """Only the OWL 2 RL entailments of ``graph`` (identifier :data:`kg.iris.INFERRED_GRAPH`).

    Use :func:`reason` for the timing and the count of noise dropped.
    """
    return reason(graph).inferred


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


_DISJOINT = (Literal("cax-dw"), Literal("cax-adc"), Literal("cls-com"))
_CLASH_TEXT = {
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
    """The clashes in ``graph_with_inferred`` (asserted ∪ :func:`infer` output), or ``[]``.

    The check is a SPARQL query (``ontology/consistency.rq``) of the OWL 2 RL rules whose consequent is
    ``false`` (Profiles §4.3: cax-dw, cax-adc, prp-irp, prp-asyp, prp-pdw, cls-nothing2, cls-com,
    eq-diff1), so it does not depend on which closure produced the inferences.
    """
    graph = _as_graph(graph_with_inferred)
    clashes: list[Clash] = []
    seen: set[tuple[str, frozenset[Node]]] = set()
    nothing = set(graph.subjects(RDF.type, OWL.Nothing))
    for row in graph.query(_consistency_query()):
        rule, x, a, b, c = (row[i] for i in range(5))  # type: ignore[index]
        key = (str(rule) if rule not in _DISJOINT else "disjoint", frozenset({x, a, b, c}))
        if key in seen or (x in nothing and rule in _DISJOINT):
            continue  # a member of owl:Nothing is in every class (scm-cls): one clash says it all
        seen.add(key)
        involved = tuple(n for n in (x, a, b, c) if isinstance(n, URIRef))
        terms = zip("xabc", (x, a, b, c), strict=True)
        names = {k: display_name(graph, n) for k, n in terms if n is not None}
        clashes.append(Clash(str(rule), involved, _CLASH_TEXT[str(rule)].format_map(_Blank(names))))
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


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


@cache
def _consistency_query() -> str:
    return asset("ontology", "consistency.rq").read_text(encoding="utf-8")


def _as_graph(graph: Graph) -> Graph:
    """A plain graph of every triple in ``graph`` (the union of all named graphs of a dataset)."""
    if isinstance(graph, ConjunctiveGraph | ReadOnlyGraphAggregate) or type(graph) is not Graph:
        plain = Graph()
        for triple in _triples(graph):
            plain.add(triple)
        return plain
    return graph


def _triples(graph: Graph) -> Iterable[Triple]:
    if isinstance(graph, Dataset | ConjunctiveGraph):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield (s, p, o)
    else:
        yield from graph.triples((None, None, None))
