"""Validation: the SHACL contract (``ontology/shapes.ttl``) and, given the inferences, OWL consistency.

:func:`validate` returns a :class:`ValidationReport` a person can read (:meth:`~ValidationReport.to_text`,
grouped by focus node, named by its labels, with the curated ``FILE:LINE`` it came from) and a machine can
parse (:meth:`~ValidationReport.to_json`). The checks themselves are declarative: SHACL-Core shapes, and
SHACL-SPARQL constraints (SHACL §5) for what Core cannot say, such as "each span equals its quote in the
source text". How the shapes are run, and on which graph, is in :mod:`kg.validate_shacl`; the SPARQL-based
constraints run in bulk (:mod:`kg.validate_sparql`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.clashes import Clash, consistency_errors
from kg.iris import OA, curie_of
from kg.validate_shacl import RawResult, run_shacl, shapes_graph, split
from kg.validate_sparql import sparql_results, without_sparql

#: The constraint component named for an OWL clash (not a SHACL component: the OWL 2 RL rule set).
OWL_RL_COMPONENT = "OWL 2 RL (Profiles §4.3)"


@dataclass(frozen=True)
class ValidationResult:
    """One broken rule on one node. IRIs are full; :attr:`rule` is the short name shown to people."""

    focus: str
    label_zh: str | None
    label_en: str | None
    rule: str
    shape: str | None
    constraint: str | None
    component: str
    path: str | None
    value: str | None
    message: str
    severity: str
    source: str | None = None

    def line(self) -> str:
        """One line of the text report (under its focus node)."""
        on = f" on {curie_of(self.path)}" if self.path else ""
        value = f" (value: {curie_of(self.value)})" if self.value is not None else ""
        component = _short(self.component)
        return f"  - {self.rule} [{component}]{on}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    """Whether the graph conforms, and every result (sorted by source, focus node, rule)."""

    conforms: bool
    results: tuple[ValidationResult, ...] = field(default_factory=tuple)

    def to_text(self) -> str:
        """``conforms``, or the results grouped by focus node (label, IRI, ``FILE:LINE``)."""
        if self.conforms and not self.results:
            return "conforms"
        groups: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.focus, []).append(result)
        lines = [f"does not conform: {len(self.results)} problem(s) on {len(groups)} node(s)"]
        for focus, results in groups.items():
            first = results[0]
            names = " / ".join(n for n in (first.label_zh, first.label_en) if n)
            where = f"  [{first.source}]" if first.source else ""
            lines.append("")
            lines.append(f"{curie_of(focus)}{'  ' + names if names else ''}{where}")
            lines.extend(result.line() for result in results)
        return "\n".join(lines)

    def to_json(self) -> str:
        """``{"conforms": bool, "results": [...]}``, UTF-8 text, keys sorted."""
        payload = {"conforms": self.conforms, "results": [asdict(r) for r in self.results]}
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)


def validate(
    graph: Graph, *, sources_index: Mapping[str, str] | None = None, inferred: Graph | None = None,
    closed: Graph | None = None,
) -> ValidationReport:
    """Validate ``graph`` (ontology + asserted data; a dataset's inferred graph is set apart).

    ``sources_index`` maps entity IRIs to the ``FILE:LINE`` of their curated block. If ``inferred`` is
    given (or ``graph`` is a dataset holding :data:`~kg.iris.INFERRED_GRAPH`), OWL clashes
    (:func:`kg.clashes.consistency_errors`) are reported as violations too; ``closed``, if the caller
    already has it, is ``graph`` ∪ ``inferred`` as one graph (else it is made here). ``graph`` is not changed.
    """
    asserted, found_inferred = split(graph)
    inferred = inferred if inferred is not None else found_inferred
    shapes = shapes_graph()
    names = _ShortNames(shapes)
    conforms, raw = run_shacl(asserted, without_sparql(shapes))
    raw += sparql_results(asserted, shapes)
    conforms = conforms and not any(r.severity == SH.Violation for r in raw)
    index = sources_index or {}
    results = [_from_shacl(asserted, r, names, index) for r in raw]
    if inferred is not None:
        clashes = consistency_errors(closed if closed is not None else asserted + inferred)
        results += [_from_clash(asserted, c, index) for c in clashes]
        conforms = conforms and not clashes
    results.sort(key=lambda r: (r.source or "~", r.focus, r.rule, r.path or "", r.value or ""))
    return ValidationReport(conforms, tuple(results))


class _ShortNames:
    """CURIEs of shape IRIs, by the prefixes the shapes file declares, else :func:`kg.iris.curie_of`."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes

    def __call__(self, node: Node | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, URIRef):
            try:
                return self.shapes.namespace_manager.curie(str(node), generate=False)
            except (KeyError, ValueError):
                return curie_of(str(node))
        return None


def _from_shacl(
    data: Graph, raw: RawResult, names: _ShortNames, index: Mapping[str, str],
) -> ValidationResult:
    zh, en = labels(data, raw.focus)
    rule = names(raw.constraint) or names(raw.shape) or _short(str(raw.component))
    return ValidationResult(
        focus=_text(raw.focus),
        label_zh=zh,
        label_en=en,
        rule=rule,
        shape=str(raw.shape) if isinstance(raw.shape, URIRef) else None,
        constraint=str(raw.constraint) if isinstance(raw.constraint, URIRef) else None,
        component=str(raw.component),
        path=str(raw.path) if isinstance(raw.path, URIRef) else None,
        value=None if raw.value is None else _text(raw.value),
        message=raw.message,
        severity=_short(str(raw.severity or SH.Violation)).removeprefix("sh:"),
        source=source_of(data, raw.focus, index),
    )


def _from_clash(data: Graph, clash: Clash, index: Mapping[str, str]) -> ValidationResult:
    focus = clash.resources[0]
    zh, en = labels(data, focus)
    others = " ".join(curie_of(str(r)) for r in clash.resources[1:])
    return ValidationResult(
        focus=str(focus), label_zh=zh, label_en=en, rule=f"owl:{clash.rule}", shape=None, constraint=None,
        component=OWL_RL_COMPONENT, path=None, value=others or None, message=clash.message,
        severity="Violation", source=source_of(data, focus, index),
    )


def labels(graph: Graph, node: Node) -> tuple[str | None, str | None]:
    """(Chinese, English) name of ``node``: its ``rdfs:label``s, or for a selector its quoted words."""
    found: dict[str, str] = {}
    for label in graph.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language:
            found.setdefault(label.language.split("-")[0], str(label))
    if not found:
        selectors = [node, *graph.objects(node, OA.hasSelector)]
        quote = next((graph.value(s, OA.exact) for s in selectors if graph.value(s, OA.exact)), None)
        if quote is not None:
            return f"「{quote}」", None
    return found.get("zh"), found.get("en")


def source_of(graph: Graph, node: Node, index: Mapping[str, str]) -> str | None:
    """``FILE:LINE`` of ``node``; for evidence, a selector or a statement, that of the entity behind it."""
    if not index:
        return None
    candidates: list[Node] = [node, *graph.subjects(OA.hasSelector, node)]
    for evidence in list(candidates):
        candidates.extend(sorted(graph.subjects(PROV.wasDerivedFrom, evidence), key=str))
    candidates.extend(graph.objects(node, RDF.subject))
    return next((index[str(c)] for c in candidates if str(c) in index), None)


def _text(node: Node) -> str:
    """An IRI as is; a literal as its words, with ``@lang`` or ``^^datatype`` unless it is a plain string."""
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype is not None and node.datatype != XSD.string:
            return f'"{node}"^^{curie_of(str(node.datatype))}'
        return str(node)
    return str(node) if isinstance(node, URIRef) else node.n3()


def _short(iri: str) -> str:
    shown = curie_of(iri)
    if shown == iri and iri.startswith(str(SH)):
        return "sh:" + iri[len(str(SH)):]
    return shown
