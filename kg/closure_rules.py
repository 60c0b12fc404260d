"""Rules generated from the closed schema: one per property, one per class, one per intersection member.

Each is the OWL 2 RL instance rules (Profiles §4.3 Tables 5-7) already instantiated with this ontology's
terms, so applying one is a dictionary look-up and a few appends. :meth:`Rules.describe` prints them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kg.closure_schema import Axioms, Schema
from kg.iris import curie_of

#: A property chain seen from one of its links: (the chain's property, its links, this link's position).
ChainLink = tuple[Node, tuple[Node, ...], int]


@dataclass(frozen=True)
class PropertyRule:
    """What one triple ``x p y`` entails, for one property ``p``."""

    subject_types: tuple[Node, ...] = ()  # prp-dom, closed by scm-dom1/2 and cax-sco
    object_types: tuple[Node, ...] = ()  # prp-rng, closed by scm-rng1/2 and cax-sco
    supers: tuple[Node, ...] = ()  # prp-spo1, prp-eqp1/2 (closed by scm-spo, scm-eqp1)
    inverses: tuple[Node, ...] = ()  # prp-inv1/2
    symmetric: bool = False  # prp-symp
    transitive: bool = False  # prp-trp
    functional: bool = False  # prp-fp
    inverse_functional: bool = False  # prp-ifp
    chains: tuple[ChainLink, ...] = ()  # prp-spo2


@dataclass(frozen=True)
class Rules:
    """The compiled rules of one schema."""

    properties: dict[Node, PropertyRule]
    #: cax-sco (with scm-sco, scm-eqc1, scm-uni, scm-int): the strict super-classes of a class.
    #: ``owl:Thing`` is left out: ``x a owl:Thing`` is axiomatic noise and feeds no other rule here.
    class_supers: dict[Node, tuple[Node, ...]]
    #: cls-int1: for a class, the intersections it is a member of, with all their members.
    intersections: dict[Node, tuple[tuple[Node, frozenset[Node]], ...]]

    @classmethod
    def compile(cls, axioms: Axioms, schema: Schema) -> Rules:
        """Instantiate the instance rules with the schema's terms."""
        supers = {c: tuple(sorted(ups - {OWL.Thing}, key=str)) for c, ups in schema.up_class.items()}
        class_supers = {c: ups for c, ups in supers.items() if ups}
        intersections: dict[Node, list[tuple[Node, frozenset[Node]]]] = defaultdict(list)
        for klass, members in axioms.intersections:
            for member in set(members):
                intersections[member].append((klass, frozenset(members)))
        return cls(_property_rules(axioms, schema, class_supers), class_supers,
                   {c: tuple(found) for c, found in intersections.items()})

    def loaded_predicates(self) -> set[Node]:
        """The predicates whose triples can fire a rule or be concluded by one (all others are inert)."""
        loaded: set[Node] = {RDF.type, OWL.sameAs, *self.properties}
        for rule in self.properties.values():
            loaded.update(rule.supers, rule.inverses, (head for head, _, _ in rule.chains))
        return loaded

    def typed_classes(self) -> set[Node]:
        """The classes whose members can fire a rule or be concluded by one (other memberships are inert)."""
        classes: set[Node] = {OWL.Nothing, *self.class_supers, *self.intersections}
        for ups in self.class_supers.values():
            classes.update(ups)
        for found in self.intersections.values():
            classes.update(klass for klass, _ in found)
        for rule in self.properties.values():
            classes.update(rule.subject_types, rule.object_types)
        return classes

    def joined(self) -> set[Node]:
        """The predicates a two-premise rule joins on (prp-trp, prp-fp, prp-ifp, prp-spo2, eq-trans)."""
        joined: set[Node] = {OWL.sameAs}
        for prop, rule in self.properties.items():
            if rule.transitive or rule.functional or rule.inverse_functional:
                joined.add(prop)
            for _, links, _ in rule.chains:
                joined.update(links)
        return joined

    def describe(self) -> list[str]:
        """One line per generated rule, in CURIEs, sorted (for docs and debugging)."""
        lines = [f"{_c(c)}(x) → {', '.join(f'{_c(u)}(x)' for u in ups)}" for c, ups in self.class_supers.items()]
        for prop, rule in self.properties.items():
            consequences = [f"{_c(t)}(x)" for t in rule.subject_types] + [f"{_c(t)}(y)" for t in rule.object_types]
            consequences += [f"{_c(q)}(x, y)" for q in rule.supers] + [f"{_c(q)}(y, x)" for q in rule.inverses]
            flags = [name for name in ("symmetric", "transitive", "functional", "inverse_functional")
                     if getattr(rule, name)]
            flags += [f"link {i + 1} of {_c(head)} ⊒ {' ∘ '.join(map(_c, links))}" for head, links, i in rule.chains]
            lines.append(f"{_c(prop)}(x, y) → {', '.join(consequences) or '-'}{' ; ' if flags else ''}"
                         f"{', '.join(flags)}")
        return sorted(lines)


def _property_rules(axioms: Axioms, schema: Schema, class_supers: dict[Node, tuple[Node, ...]]
                    ) -> dict[Node, PropertyRule]:
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for p1, p2 in axioms.inverse:
        inverses[p1].add(p2)
        inverses[p2].add(p1)
    chains: dict[Node, list[ChainLink]] = defaultdict(list)
    for head, links in axioms.chains:
        for position, link in enumerate(links):
            chains[link].append((head, tuple(links), position))
    typed = axioms.typed
    properties = {*schema.domains, *schema.ranges, *schema.up_property, *inverses, *chains,
                  *typed[OWL.SymmetricProperty], *typed[OWL.TransitiveProperty], *typed[OWL.FunctionalProperty],
                  *typed[OWL.InverseFunctionalProperty]}

    def types(classes: set[Node]) -> tuple[Node, ...]:
        closed = {t for c in classes for t in (c, *class_supers.get(c, ()))} - {OWL.Thing}
        return tuple(sorted(closed, key=str))

    return {prop: PropertyRule(
        subject_types=types(schema.domains.get(prop, set())),
        object_types=types(schema.ranges.get(prop, set())),
        supers=tuple(sorted(schema.up_property.get(prop, ()), key=str)),
        inverses=tuple(sorted(inverses.get(prop, ()), key=str)),
        symmetric=prop in typed[OWL.SymmetricProperty],
        transitive=prop in typed[OWL.TransitiveProperty],
        functional=prop in typed[OWL.FunctionalProperty],
        inverse_functional=prop in typed[OWL.InverseFunctionalProperty],
        chains=tuple(chains.get(prop, ())),
    ) for prop in properties}


def _c(term: Node) -> str:
    return "(anonymous class)" if isinstance(term, BNode) else curie_of(str(term))
