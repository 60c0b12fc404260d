"""OWL 2 RL entailments of the graph, kept apart from what was asserted.

The closure is the OWL 2 RL/RDF rule set (W3C *OWL 2 Web Ontology Language Profiles*, 2nd ed., §4.3),
computed by owlrl, the reference implementation for rdflib. It sits behind one function type,
:data:`Closure` (graph in, closed graph out), so that a faster, specialised closure can replace owlrl
without touching the callers: :func:`reason` takes it as an argument.

What comes out (:func:`infer`) is only what was *derived*: no asserted triple, and none of the
axiomatic noise owlrl adds (see :func:`noise_kind`). The build keeps it in its own named graph
(:data:`kg.iris.INFERRED_GRAPH`), so a user can always ask "was this said, or derived?".

The clashes the entailments reveal are listed by :mod:`kg.clashes`; :class:`InconsistentGraphError` is
importable from here too, where :mod:`kg.bulk` has always taken it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import owlrl
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.clashes import InconsistentGraphError
from kg.iris import INFERRED_GRAPH, PREFIXES
from kg.plain_graph import Triple, all_triples, plain_graph

__all__ = ["Closure", "InconsistentGraphError", "Reasoning", "Triple", "infer", "noise_kind", "owlrl_closure",
           "reason"]

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
    for triple in all_triples(graph):
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
    asserted = plain_graph(graph)
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
