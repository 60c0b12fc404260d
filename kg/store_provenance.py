"""Where each variable of a query takes its values from: objects of which predicates, or the query itself.

Why: Oxigraph returns ``"8"^^xsd:integer`` for a stored ``"8"^^xsd:nonNegativeInteger`` (see
:mod:`kg.store_terms`), and the same ``8`` may be a ``zq:pairCount`` (stored as ``nonNegativeInteger``), an
``oa:start`` (stored as ``integer``) or a ``COUNT`` the query computed (``integer`` in rdflib too). Which one a
result holds follows from the query, read here from rdflib's algebra (every query is parsed by
:func:`kg.sparql_safety.parse_checked` first, whatever the store):

- an object of a triple pattern holds objects of its predicate (the last step of a sequence path, every
  branch of an alternative; a variable predicate means any predicate);
- ``BIND(?x AS ?y)``, ``COALESCE``/``IF`` branches and ``MIN``/``MAX``/``SAMPLE`` pass their variable's values on
  (``GROUP BY`` keys are ``SAMPLE``\\ s in rdflib's algebra);
- every other expression, aggregate, ``VALUES`` row and bound parameter is *computed*: never restored.

Variables are matched by name across sub-queries, which can only add sources or mark more as computed: a
value is then left as Oxigraph gave it, never turned into a wrong original.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

#: A variable predicate: the value may be an object of any predicate.
ANY = "*"
_PASSING = ("Aggregate_Min", "Aggregate_Max", "Aggregate_Sample")


@dataclass
class Provenance:
    """Per variable name: predicates whose objects it may hold, variables it copies, and whether it may hold a
    value the query made."""

    predicates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    copies: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    computed: set[str] = field(default_factory=set)

    def sources(self, name: str) -> tuple[set[str] | None, bool]:
        """(predicates, restorable) of ``name`` with its copies followed; predicates None means any."""
        seen, todo, predicates, computed = {name}, [name], set(), False
        while todo:
            current = todo.pop()
            predicates |= self.predicates.get(current, set())
            computed |= current in self.computed
            for copied in self.copies.get(current, set()) - seen:
                seen.add(copied)
                todo.append(copied)
        restorable = bool(predicates) and not computed
        return (None if ANY in predicates else predicates), restorable


def provenance(query: Query, bound: set[str] = frozenset()) -> Provenance:  # type: ignore[assignment]
    """The :class:`Provenance` of ``query``; ``bound`` are the parameters bound from outside (computed)."""
    found = Provenance(computed=set(bound))

    def visit(node: object) -> None:
        if isinstance(node, CompValue):
            _visit(node, found)

    traverse(query.algebra, visitPost=visit)
    return found


def _visit(node: CompValue, found: Provenance) -> None:
    if node.name == "BGP":
        for subject, predicate, obj in node.triples:
            _triple(subject, predicate, obj, found)
    elif node.name == "Extend":
        _copy(str(node.var), node.expr, found)
    elif node.name == "AggregateJoin":
        for aggregate in node.A:
            if aggregate.name in _PASSING and isinstance(aggregate.vars, Variable):
                found.copies[str(aggregate.res)].add(str(aggregate.vars))
            else:
                found.computed.add(str(aggregate.res))
    elif node.name == "values":
        for row in node.res:
            found.computed.update(str(variable) for variable in row)


def _triple(subject: object, predicate: object, obj: object, found: Provenance) -> None:
    if isinstance(obj, Variable):
        found.predicates[str(obj)] |= _object_sources(predicate)
    if isinstance(subject, Variable):
        found.predicates[str(subject)] |= _subject_sources(predicate)
    if isinstance(predicate, Variable):
        return
    if isinstance(subject, Variable) and isinstance(obj, Variable) and _zero_length(predicate):
        found.copies[str(obj)].add(str(subject))  # p* and p? also match the empty path: ?o is ?s
        found.copies[str(subject)].add(str(obj))


def _object_sources(predicate: object) -> set[str]:
    """Predicates whose objects the object of ``predicate`` (an IRI, a variable or a path) may be."""
    if isinstance(predicate, URIRef):
        return {str(predicate)}
    if isinstance(predicate, SequencePath):
        return _object_sources(predicate.args[-1])
    if isinstance(predicate, AlternativePath):
        return set().union(*(_object_sources(arg) for arg in predicate.args))
    if isinstance(predicate, InvPath):
        return _subject_sources(predicate.arg)
    if isinstance(predicate, MulPath):
        return _object_sources(predicate.path)
    return {ANY}  # a variable or a negated property set


def _subject_sources(predicate: object) -> set[str]:
    """Predicates whose objects the *subject* of ``predicate`` may be (only through inverse steps)."""
    if isinstance(predicate, SequencePath):
        return _subject_sources(predicate.args[0])
    if isinstance(predicate, AlternativePath):
        return set().union(*(_subject_sources(arg) for arg in predicate.args))
    if isinstance(predicate, InvPath):
        return _object_sources(predicate.arg)
    if isinstance(predicate, MulPath):
        return _subject_sources(predicate.path)
    return set()  # a subject of an IRI or a variable predicate is never a literal


def _zero_length(predicate: object) -> bool:
    return isinstance(predicate, MulPath) and predicate.mod in ("*", "?")


def _copy(target: str, expression: object, found: Provenance) -> None:
    """``BIND(expression AS ?target)``: copies of variables, or computed."""
    if isinstance(expression, Variable):
        found.copies[target].add(str(expression))
        return
    branches: list[object] = []
    if isinstance(expression, CompValue) and expression.name == "Builtin_COALESCE":
        branches = list(expression.arg)
    elif isinstance(expression, CompValue) and expression.name == "Builtin_IF":
        branches = [expression.arg2, expression.arg3]
    if not branches:
        found.computed.add(target)
        return
    for branch in branches:
        if isinstance(branch, Variable):
            found.copies[target].add(str(branch))
        elif isinstance(branch, Literal | Path) or not isinstance(branch, URIRef):
            found.computed.add(target)  # a constant literal or an expression: made by the query
