"""The instance half of :mod:`kg.closure`: the compiled rules applied semi-naively to a fixpoint.

Each round applies the rules to the triples that were new in the last round only (the *delta*), joining
them with everything known so far: a two-premise rule (prp-trp, prp-fp, prp-ifp, prp-spo2, eq-trans) is
looked up in both directions, so a conclusion whose premises arrived in different rounds is still found,
and no pair of old triples is ever joined twice. Rounds stop when one derives nothing new.

Only the triples of predicates that can fire or be concluded by a rule are indexed (labels, quotes and
provenance links are inert and never touched), unless an ``owl:sameAs`` between two different resources
appears: then every triple takes part (eq-rep-s/p/o) and the run restarts in *equality mode*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from rdflib import Literal
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kg.closure_rules import ChainLink, PropertyRule, Rules
from kg.closure_schema import Pair, Triple

TYPE, SAME = RDF.type, OWL.sameAs
Emit = Callable[[Triple], None]
Index = dict[Node, dict[Node, set[Node]]]


class NeedsEqualityError(Exception):
    """A non-reflexive ``owl:sameAs`` was derived outside equality mode: rerun in equality mode."""


class UnsupportedError(Exception):
    """Something owlrl treats with rules this closure does not have (the message says what)."""


class Engine:
    """One semi-naive run of :class:`~kg.closure_rules.Rules` over a set of triples."""

    def __init__(self, rules: Rules, *, equality: bool) -> None:
        self.rules, self.equality = rules, equality
        self.known: set[Triple] = set()
        self.derived: list[Triple] = []
        self.rounds = 0
        joined = rules.joined()
        self.forward: Index = {p: {} for p in joined}  # p -> x -> {y | x p y}
        self.backward: Index = {p: {} for p in joined}  # p -> y -> {x | x p y}
        self.member_types: dict[Node, set[Node]] = defaultdict(set)  # x -> its classes that are in intersections
        self.by_subject: dict[Node, set[Pair]] = defaultdict(set)  # equality mode only
        self.by_predicate: dict[Node, set[Pair]] = defaultdict(set)
        self.by_object: dict[Node, set[Pair]] = defaultdict(set)

    def run(self, asserted: Iterable[Triple], seeded: Iterable[Triple] = ()) -> None:
        """Close ``asserted`` (plus ``seeded``, conclusions made elsewhere) to a fixpoint."""
        delta = [t for t in asserted if self.add(t)]
        delta += [t for t in seeded if self.add(t)]
        while delta:
            self.rounds += 1
            produced: list[Triple] = []
            self.apply(delta, produced.append)
            delta = [t for t in produced if self.add(t, derived=True)]

    def add(self, triple: Triple, *, derived: bool = False) -> bool:
        """Record ``triple``; ``False`` if it was known or is noise no rule needs (a literal's type)."""
        if triple in self.known:
            return False
        s, p, o = triple
        if p == TYPE and isinstance(s, Literal):
            return False  # dt-type2 / prp-rng on a literal: generalised RDF, dropped as noise
        if p == SAME:
            if s == o:
                return False  # eq-ref: reflexive noise
            if isinstance(s, Literal) or isinstance(o, Literal):
                raise UnsupportedError(f"owl:sameAs between a literal and another term: {s.n3()}, {o.n3()}")
            if not self.equality:
                raise NeedsEqualityError
        self.known.add(triple)
        if derived:
            self.derived.append(triple)
        self._index(s, p, o)
        return True

    def _index(self, s: Node, p: Node, o: Node) -> None:
        forward = self.forward.get(p)
        if forward is not None:
            forward.setdefault(s, set()).add(o)
            self.backward[p].setdefault(o, set()).add(s)
        if p == TYPE and o in self.rules.intersections:
            self.member_types[s].add(o)
        if self.equality:
            self.by_subject[s].add((p, o))
            self.by_predicate[p].add((s, o))
            self.by_object[o].add((s, p))

    def apply(self, delta: list[Triple], emit: Emit) -> None:
        """One round: every rule with one premise in ``delta`` and the others anywhere."""
        groups: dict[Node, list[Pair]] = defaultdict(list)
        for s, p, o in delta:
            groups[p].append((s, o))
        for p, pairs in groups.items():
            if p == TYPE:
                self._classes(pairs, emit)
            rule = self.rules.properties.get(p)
            if rule is not None:
                self._local(p, rule, pairs, emit)
                self._joins(p, rule, pairs, emit)
            if p == SAME:
                self._equality(pairs, emit)
        if self.equality:
            self._replace(delta, emit)

    def _classes(self, pairs: list[Pair], emit: Emit) -> None:
        """cax-sco (closed, so one step reaches every super-class) and cls-int1."""
        supers, intersections, member_types = self.rules.class_supers, self.rules.intersections, self.member_types
        for x, c in pairs:
            for sup in supers.get(c, ()):
                emit((x, TYPE, sup))
            for klass, members in intersections.get(c, ()):
                if members <= member_types.get(x, set()):
                    emit((x, TYPE, klass))

    @staticmethod
    def _local(p: Node, rule: PropertyRule, pairs: list[Pair], emit: Emit) -> None:
        """The one-premise property rules: prp-dom, prp-rng, prp-spo1, prp-eqp1/2, prp-inv1/2, prp-symp."""
        subject_types, object_types, supers, inverses = (
            rule.subject_types, rule.object_types, rule.supers, rule.inverses)
        for s, o in pairs:
            if subject_types and not isinstance(s, Literal):
                for c in subject_types:
                    emit((s, TYPE, c))
            if object_types and not isinstance(o, Literal):
                for c in object_types:
                    emit((o, TYPE, c))
            for q in supers:
                emit((s, q, o))
            for q in inverses:
                emit((o, q, s))
            if rule.symmetric:
                emit((o, p, s))

    def _joins(self, p: Node, rule: PropertyRule, pairs: list[Pair], emit: Emit) -> None:
        """The two-premise property rules, each premise position joined with everything known."""
        forward, backward = self.forward.get(p, {}), self.backward.get(p, {})
        for s, o in pairs:
            if rule.transitive:  # prp-trp: s p o, o p z -> s p z; w p s, s p o -> w p o
                for z in forward.get(o, ()):
                    emit((s, p, z))
                for w in backward.get(s, ()):
                    emit((w, p, o))
            if rule.functional:  # prp-fp: s p o, s p o2 -> o sameAs o2
                for other in forward.get(s, ()):
                    if other != o:
                        emit((o, SAME, other))
                        emit((other, SAME, o))
            if rule.inverse_functional:  # prp-ifp: s p o, s2 p o -> s sameAs s2
                for other in backward.get(o, ()):
                    if other != s:
                        emit((s, SAME, other))
                        emit((other, SAME, s))
            for link in rule.chains:
                self._chain(link, s, o, emit)

    def _chain(self, link: ChainLink, s: Node, o: Node, emit: Emit) -> None:
        """prp-spo2: ``s o`` is link ``position`` of ``head ⊒ p1 ∘ ... ∘ pn``; walk out both ways."""
        head, links, position = link
        lefts, rights = {s}, {o}
        for q in reversed(links[:position]):
            lefts = {w for u in lefts for w in self.backward[q].get(u, ())}
        for q in links[position + 1:]:
            rights = {z for u in rights for z in self.forward[q].get(u, ())}
        for u in lefts:
            for v in rights:
                emit((u, head, v))

    def _equality(self, pairs: list[Pair], emit: Emit) -> None:
        """eq-sym, eq-trans, and eq-rep-s/p/o for the triples already known about a new ``a sameAs b``."""
        same_forward, same_backward = self.forward[SAME], self.backward[SAME]
        for a, b in pairs:
            emit((b, SAME, a))
            for z in same_forward.get(b, ()):
                emit((a, SAME, z))
            for w in same_backward.get(a, ()):
                emit((w, SAME, b))
            for p, o in list(self.by_subject.get(a, ())):
                emit((b, p, o))
            for s, o in list(self.by_predicate.get(a, ())):
                emit((s, b, o))
            for s, p in list(self.by_object.get(a, ())):
                emit((s, p, b))

    def _replace(self, delta: list[Triple], emit: Emit) -> None:
        """eq-rep-s/p/o for the new triples about resources already known to be the same as another."""
        same = self.forward[SAME]
        if not same:
            return
        for s, p, o in delta:
            for other in same.get(s, ()):
                emit((other, p, o))
            for other in same.get(p, ()):
                emit((s, other, o))
            for other in same.get(o, ()):
                emit((s, p, other))
