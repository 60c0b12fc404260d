"""The schema half of :mod:`kg.closure`: the ontology's own axioms, closed, then compiled into rules.

owlrl re-applies every OWL 2 RL rule to every triple on every pass. Here the axioms found in the graph
(``rdfs:subClassOf``, ``rdfs:subPropertyOf``, domains, ranges, inverses, property characteristics, named
equivalences, unions and intersections, property chains) are read once, closed under the schema rules of
OWL 2 Profiles §4.3 Table 9 (scm-cls, scm-sco, scm-eqc1/2, scm-spo, scm-eqp1/2, scm-dom1/2, scm-rng1/2,
scm-int, scm-uni), and compiled into one small rule per property and per class: "an ``x zq:hostedBy y``
makes x a ``zq:PartyOrganization`` and an ``org:Organization``, y an ``org:FormalOrganization`` ...".
The instance rules then only look up those tables (:mod:`kg.closure_engine`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Pair = tuple[Node, Node]
Triple = tuple[Node, Node, Node]

#: Predicates whose triples are schema, not data: a new one derived from the data means the rules change.
SCHEMA_PREDICATES = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.equivalentClass,
    OWL.equivalentProperty, OWL.propertyChainAxiom, OWL.unionOf, OWL.intersectionOf, RDF.first, RDF.rest,
})
#: Classes whose members are schema terms (``zq:pairedWith a owl:SymmetricProperty``).
CHARACTERISTICS = frozenset({
    OWL.Class, OWL.SymmetricProperty, OWL.TransitiveProperty, OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
})
#: Class-expression vocabulary these rules do not implement (owlrl's cls-svf/avf/hv/maxc/maxqc/oo, prp-key,
#: and the matching scm-* rules): a graph using any of it is closed by owlrl instead.
UNSUPPORTED = {
    OWL.someValuesFrom: "cls-svf1/2", OWL.allValuesFrom: "cls-avf", OWL.hasValue: "cls-hv1/2",
    OWL.maxCardinality: "cls-maxc1/2", OWL.maxQualifiedCardinality: "cls-maxqc1-4", OWL.oneOf: "cls-oo",
    OWL.hasKey: "prp-key",
}


def is_schema_triple(triple: Triple) -> bool:
    """Whether ``triple`` is an axiom the compiled rules were made from (so deriving it changes them)."""
    _, p, o = triple
    return p in SCHEMA_PREDICATES or (p == RDF.type and o in CHARACTERISTICS)


@dataclass
class Axioms:
    """The axioms as found in the graph, before any closure (pairs are (subject, object) of the triple)."""

    sub_class: set[Pair] = field(default_factory=set)
    equivalent_class: set[Pair] = field(default_factory=set)
    sub_property: set[Pair] = field(default_factory=set)
    equivalent_property: set[Pair] = field(default_factory=set)
    domain: set[Pair] = field(default_factory=set)
    range: set[Pair] = field(default_factory=set)
    inverse: set[Pair] = field(default_factory=set)
    unions: list[tuple[Node, list[Node]]] = field(default_factory=list)
    intersections: list[tuple[Node, list[Node]]] = field(default_factory=list)
    chains: list[tuple[Node, list[Node]]] = field(default_factory=list)
    typed: dict[Node, set[Node]] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> Axioms:
        """Read every axiom of ``graph`` (the ontology and anything the data says about its terms)."""
        found = cls()
        for name, predicate in (("sub_class", RDFS.subClassOf), ("equivalent_class", OWL.equivalentClass),
                                ("sub_property", RDFS.subPropertyOf), ("domain", RDFS.domain),
                                ("equivalent_property", OWL.equivalentProperty), ("range", RDFS.range),
                                ("inverse", OWL.inverseOf)):
            getattr(found, name).update(graph.subject_objects(predicate))
        for target, predicate in ((found.unions, OWL.unionOf), (found.intersections, OWL.intersectionOf),
                                  (found.chains, OWL.propertyChainAxiom)):
            target.extend((head, list(graph.items(items))) for head, items in graph.subject_objects(predicate))
        found.typed = {kind: set(graph.subjects(RDF.type, kind)) for kind in CHARACTERISTICS}
        return found


def unsupported_vocabulary(graph: Graph) -> list[str]:
    """The class expressions in ``graph`` these rules do not implement (``[]``: none)."""
    reasons = [f"{predicate.n3()} ({rule})" for predicate, rule in UNSUPPORTED.items()
               if (None, predicate, None) in graph]
    for _, members in Axioms.of(graph).intersections:
        if OWL.Thing in members or OWL.Nothing in members:
            reasons.append("owl:Thing or owl:Nothing in an owl:intersectionOf (cls-int1 over owl:Thing)")
    return reasons


def unsupported_input(graph: Graph) -> list[str]:
    """What in the *input* graph triggers owlrl's one-time datatype rules (dt-type1/2 on a resource that is
    not a literal: ``x a xsd:integer`` makes x an ``xsd:decimal`` too), or ``[]``."""
    reasons = unsupported_vocabulary(graph)
    for s, o in graph.subject_objects(OWL.sameAs):
        if s != o and (isinstance(s, Literal) or isinstance(o, Literal)):
            reasons.append(f"owl:sameAs with a literal ({s.n3()}, {o.n3()})")
    for datatype in OWL_RL_Datatypes:
        typed = next((s for s in graph.subjects(RDF.type, datatype) if not isinstance(s, Literal)), None)
        if typed is not None:
            reasons.append(f"{typed.n3()} is typed with the datatype {datatype.n3()} (dt-type rules)")
    return reasons


def transitive(pairs: Iterable[Pair]) -> dict[Node, set[Node]]:
    """``x -> every y ≠ x`` reachable through ``pairs`` (scm-sco, scm-spo: transitivity, no reflexive pairs)."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for a, b in pairs:
        if a != b:
            direct[a].add(b)
    closed: dict[Node, set[Node]] = {}
    for start in list(direct):
        seen: set[Node] = set()
        stack = list(direct[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(direct.get(node, ()))
        seen.discard(start)
        closed[start] = seen
    return closed


@dataclass
class Schema:
    """The closed schema: strict super-classes and super-properties, closed domains and ranges."""

    up_class: dict[Node, set[Node]]
    up_property: dict[Node, set[Node]]
    domains: dict[Node, set[Node]]
    ranges: dict[Node, set[Node]]

    @classmethod
    def close(cls, axioms: Axioms) -> Schema:
        """Apply the scm-* rules to a fixpoint (computed directly: transitive closures, then widening)."""
        class_pairs = set(axioms.sub_class)
        class_pairs |= {pair for a, b in axioms.equivalent_class for pair in ((a, b), (b, a))}  # scm-eqc1
        class_pairs |= {(c, OWL.Thing) for c in axioms.typed[OWL.Class]}  # scm-cls
        class_pairs |= {(OWL.Nothing, c) for c in axioms.typed[OWL.Class]}
        class_pairs |= {(member, c) for c, members in axioms.unions for member in members}  # scm-uni
        class_pairs |= {(c, member) for c, members in axioms.intersections for member in members}  # scm-int
        property_pairs = set(axioms.sub_property)
        property_pairs |= {pair for a, b in axioms.equivalent_property for pair in ((a, b), (b, a))}  # scm-eqp1
        up_class, up_property = transitive(class_pairs), transitive(property_pairs)
        return cls(up_class, up_property, _widen(axioms.domain, up_class, up_property),
                   _widen(axioms.range, up_class, up_property))

    def triples(self) -> Iterable[Triple]:
        """The schema closure as triples (scm-sco, scm-eqc2, scm-spo, scm-eqp2, scm-dom1/2, scm-rng1/2)."""
        for sub, ups in self.up_class.items():
            for sup in ups:
                yield (sub, RDFS.subClassOf, sup)
                if sub in self.up_class.get(sup, ()):
                    yield (sub, OWL.equivalentClass, sup)
        for sub, ups in self.up_property.items():
            for sup in ups:
                yield (sub, RDFS.subPropertyOf, sup)
                if sub in self.up_property.get(sup, ()):
                    yield (sub, OWL.equivalentProperty, sup)
        for predicate, table in ((RDFS.domain, self.domains), (RDFS.range, self.ranges)):
            for prop, classes in table.items():
                yield from ((prop, predicate, c) for c in classes)


def _widen(declared: set[Pair], up_class: dict[Node, set[Node]], up_property: dict[Node, set[Node]]
           ) -> dict[Node, set[Node]]:
    """scm-dom2/rng2 (a sub-property inherits its super-properties' domains), then scm-dom1/rng1 (a domain
    widens to every super-class). The two commute, so one pass each is the fixpoint."""
    inherited: dict[Node, set[Node]] = defaultdict(set)
    by_property: dict[Node, set[Node]] = defaultdict(set)
    for prop, c in declared:
        by_property[prop].add(c)
    properties = set(by_property) | set(up_property)
    for prop in properties:
        for source in (prop, *up_property.get(prop, ())):
            inherited[prop] |= by_property.get(source, set())
    widened: dict[Node, set[Node]] = {}
    for prop, classes in inherited.items():
        if classes:
            widened[prop] = classes | {sup for c in classes for sup in up_class.get(c, ())}
    return widened
