"""The instance half of :mod:`kg.closure`: the compiled rules applied semi-naively to a fixpoint.

Each round applies the rules to the triples that were new in the last round only (the *delta*), joining
them with everything known so far: a two-premise rule (prp-trp, prp-fp, prp-ifp, prp-spo2, eq-trans) is
looked up in both directions, so a conclusion whose premises arrived in different rounds is still found,
and no pair of old triples is ever joined twice. Rounds stop when one derives nothing new.

Triples are kept per predicate as sets of ``(subject, object)`` pairs, so "which conclusions are new" is
one C-level set difference per predicate. Only the predicates (and classes) that can fire or be concluded
by a rule are loaded at all: labels, quotes and provenance links are inert and never touched, unless an
``owl:sameAs`` between two different resources appears: then every triple takes part (eq-rep-s/p/o) and
the run restarts in *equality mode*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Literal
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from kg.closure_rules import ChainLink, PropertyRule, Rules
from kg.closure_schema import Pair, Triple

TYPE, SAME = RDF.type, OWL.sameAs
Groups = dict[Node, list[Pair]]
Index = dict[Node, dict[Node, set[Node]]]


class NeedsEqualityError(Exception):
    """A non-reflexive ``owl:sameAs`` was derived outside equality mode: rerun in equality mode."""


class UnsupportedError(Exception):
    """Something owlrl treats with rules this closure does not have (the message says what)."""


class Engine:
    """One semi-naive run of :class:`~kg.closure_rules.Rules` over a set of triples."""

    def __init__(self, rules: Rules, *, equality: bool) -> None:
        self.rules, self.equality = rules, equality
        self.known: dict[Node, set[Pair]] = defaultdict(set)  # p -> {(s, o)}
        self.derived: Groups = defaultdict(list)
        self.rounds = 0
        joined = rules.joined()
        self.forward: Index = {p: defaultdict(set) for p in joined}  # p -> x -> {y | x p y}
        self.backward: Index = {p: defaultdict(set) for p in joined}  # p -> y -> {x | x p y}
        self.member_types: dict[Node, set[Node]] = defaultdict(set)  # x -> its classes that are in intersections
        self.by_subject: dict[Node, set[Pair]] = defaultdict(set)  # equality mode only: s -> {(p, o)}
        self.by_object: dict[Node, set[Pair]] = defaultdict(set)  # equality mode only: o -> {(s, p)}

    def run(self, asserted: Groups, seeded: Groups) -> None:
        """Close ``asserted`` (plus ``seeded``: conclusions made elsewhere, reported as derived)."""
        delta = self.admit(asserted, derived=False)
        for p, pairs in self.admit(seeded, derived=False).items():
            delta.setdefault(p, []).extend(pairs)
        while delta:
            self.rounds += 1
            produced: Groups = defaultdict(list)
            self.apply(delta, produced)
            delta = self.admit(produced, derived=True)

    def admit(self, groups: Groups, *, derived: bool) -> Groups:
        """Record the pairs not known yet, index them, and return them (the next delta)."""
        fresh_groups: Groups = {}
        for p, pairs in groups.items():
            known = self.known[p]
            fresh = set(pairs)
            fresh -= known
            if not fresh:
                continue
            if p == SAME:
                fresh = self._admit_same(fresh)
            known |= fresh
            listed = list(fresh)
            fresh_groups[p] = listed
            if derived:
                self.derived[p].extend(listed)
            self._index(p, listed)
        return fresh_groups

    def _admit_same(self, pairs: set[Pair]) -> set[Pair]:
        kept = {(s, o) for s, o in pairs if s != o}  # eq-ref: reflexive noise
        for s, o in kept:
            if isinstance(s, Literal) or isinstance(o, Literal):
                raise UnsupportedError(f"owl:sameAs between a literal and another term: {s.n3()}, {o.n3()}")
        if kept and not self.equality:
            raise NeedsEqualityError
        return kept

    def _index(self, p: Node, pairs: list[Pair]) -> None:
        forward = self.forward.get(p)
        if forward is not None:
            backward = self.backward[p]
            for s, o in pairs:
                forward[s].add(o)
                backward[o].add(s)
        if p == TYPE and self.rules.intersections:
            for s, o in pairs:
                if o in self.rules.intersections:
                    self.member_types[s].add(o)
        if self.equality:
            for s, o in pairs:
                self.by_subject[s].add((p, o))
                self.by_object[o].add((s, p))

    def apply(self, delta: Groups, out: Groups) -> None:
        """One round: every rule with one premise in ``delta`` and the others anywhere."""
        for p, pairs in delta.items():
            if p == TYPE:
                self._classes(pairs, out)
            rule = self.rules.properties.get(p)
            if rule is not None:
                self._local(p, rule, pairs, out)
                self._joins(p, rule, pairs, out)
            if p == SAME:
                self._equality(pairs, out)
        if self.equality:
            self._replace(delta, out)

    def _classes(self, pairs: list[Pair], out: Groups) -> None:
        """cax-sco (closed, so one step reaches every super-class) and cls-int1."""
        supers, intersections, member_types = self.rules.class_supers, self.rules.intersections, self.member_types
        types = out[TYPE]
        for x, c in pairs:
            ups = supers.get(c)
            if ups:
                types.extend((x, sup) for sup in ups)
            for klass, members in intersections.get(c, ()):
                if members <= member_types.get(x, set()):
                    types.append((x, klass))

    @staticmethod
    def _local(p: Node, rule: PropertyRule, pairs: list[Pair], out: Groups) -> None:
        """The one-premise property rules: prp-dom, prp-rng, prp-spo1, prp-eqp1/2, prp-inv1/2, prp-symp.
        A literal is never given a type: that is noise (generalised RDF), and no rule here reads it."""
        if rule.subject_types:
            out[TYPE].extend((s, c) for s in {s for s, _ in pairs if not isinstance(s, Literal)}
                             for c in rule.subject_types)
        if rule.object_types:
            out[TYPE].extend((o, c) for o in {o for _, o in pairs if not isinstance(o, Literal)}
                             for c in rule.object_types)
        for q in rule.supers:
            out[q].extend(pairs)
        for q in rule.inverses:
            out[q].extend((o, s) for s, o in pairs)
        if rule.symmetric:
            out[p].extend((o, s) for s, o in pairs)

    def _joins(self, p: Node, rule: PropertyRule, pairs: list[Pair], out: Groups) -> None:
        """The two-premise property rules, each premise position joined with everything known."""
        forward, backward = self.forward.get(p, {}), self.backward.get(p, {})
        if rule.transitive:  # prp-trp: s p o, o p z -> s p z; w p s, s p o -> w p o
            out[p].extend((s, z) for s, o in pairs for z in forward.get(o, ()))
            out[p].extend((w, o) for s, o in pairs for w in backward.get(s, ()))
        if rule.functional:  # prp-fp: s p o, s p o2 -> o sameAs o2
            out[SAME].extend(pair for s, o in pairs for other in forward.get(s, ()) if other != o
                             for pair in ((o, other), (other, o)))
        if rule.inverse_functional:  # prp-ifp: s p o, s2 p o -> s sameAs s2
            out[SAME].extend(pair for s, o in pairs for other in backward.get(o, ()) if other != s
                             for pair in ((s, other), (other, s)))
        for link in rule.chains:
            for s, o in pairs:
                self._chain(link, s, o, out)

    def _chain(self, link: ChainLink, s: Node, o: Node, out: Groups) -> None:
        """prp-spo2: ``s o`` is link ``position`` of ``head ⊒ p1 ∘ ... ∘ pn``; walk out both ways."""
        head, links, position = link
        lefts, rights = {s}, {o}
        for q in reversed(links[:position]):
            lefts = {w for u in lefts for w in self.backward[q].get(u, ())}
        for q in links[position + 1:]:
            rights = {z for u in rights for z in self.forward[q].get(u, ())}
        out[head].extend((u, v) for u in lefts for v in rights)

    def _equality(self, pairs: list[Pair], out: Groups) -> None:
        """eq-sym, eq-trans, and eq-rep-s/p/o for the triples already known about a new ``a sameAs b``."""
        same_forward, same_backward = self.forward[SAME], self.backward[SAME]
        for a, b in pairs:
            out[SAME].append((b, a))
            out[SAME].extend((a, z) for z in same_forward.get(b, ()))
            out[SAME].extend((w, b) for w in same_backward.get(a, ()))
            for p, o in list(self.by_subject.get(a, ())):
                out[p].append((b, o))
            out[b].extend(self.known.get(a, ()))
            for s, p in list(self.by_object.get(a, ())):
                out[p].append((s, b))

    def _replace(self, delta: Groups, out: Groups) -> None:
        """eq-rep-s/p/o for the new triples about resources already known to be the same as another."""
        same = self.forward[SAME]
        if not same:
            return
        for p, pairs in delta.items():
            for other in same.get(p, ()):
                out[other].extend(pairs)
            for s, o in pairs:
                out[p].extend((other, o) for other in same.get(s, ()))
                out[p].extend((s, other) for other in same.get(o, ()))

    def triples(self) -> Iterable[Triple]:
        """Every derived triple (seeded ones excluded)."""
        for p, pairs in self.derived.items():
            for s, o in pairs:
                yield (s, p, o)
