"""The build summary: what a curator checks at a glance after ``kg build``.

Evidence coverage counts *fact triples* (every asserted triple about an entity, outside the evidence
machinery itself) whose subject has at least one evidence span that is verified, i.e. whose
``oa:exact`` equals the article text between ``oa:start`` and ``oa:end``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.iris import ID, OA, SCHEMA, ZQ, curie_of

_MACHINERY = (str(ID["evidence/"]), str(ID["statement/"]))


@dataclass
class Summary:
    """Counts of an asserted graph (and optionally its entailments)."""

    triples: int
    entities_by_class: Counter[str]
    pairings_by_phase: Counter[str]
    facts: int
    facts_with_evidence: int
    spans: int
    spans_verified: int
    extra: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as short lines for a terminal."""
        share = 100.0 * self.facts_with_evidence / self.facts if self.facts else 100.0
        classes = ", ".join(f"{name} {count}" for name, count in sorted(self.entities_by_class.items()))
        phases = ", ".join(f"{name} {count}" for name, count in sorted(self.pairings_by_phase.items()))
        return [
            f"triples: {self.triples:,}",
            f"entities: {sum(self.entities_by_class.values())} ({classes})",
            f"pairings by phase: {phases or 'none'}",
            f"evidence: {self.spans_verified}/{self.spans} spans verified against the article text; "
            f"{self.facts_with_evidence}/{self.facts} fact triples carry a verified quote ({share:.1f}%)",
            *self.extra,
        ]


def summarise(asserted: Graph) -> Summary:
    """Count ``asserted`` (ontology triples are counted in ``triples`` only)."""
    verified = verified_evidence(asserted)
    spans = set(asserted.subjects(RDF.type, OA.SpecificResource))
    facts = covered = 0
    for subject, _, _ in asserted:
        if isinstance(subject, URIRef) and str(subject).startswith(str(ID)) and not str(subject).startswith(_MACHINERY):
            facts += 1
            covered += any(ev in verified for ev in asserted.objects(subject, PROV.wasDerivedFrom))
    return Summary(len(asserted), entities_by_class(asserted), pairings_by_phase(asserted), facts, covered,
                   len(spans), len(verified & spans))


def verified_evidence(graph: Graph) -> set[URIRef]:
    """Evidence nodes whose selector's quote is exactly the source text at its span."""
    found: set[URIRef] = set()
    for evidence in graph.subjects(RDF.type, OA.SpecificResource):
        text = graph.value(graph.value(evidence, OA.hasSource), SCHEMA.text)
        selector = graph.value(evidence, OA.hasSelector)
        exact, start, end = (graph.value(selector, p) for p in (OA.exact, OA.start, OA.end))
        typed = isinstance(text, Literal) and isinstance(start, Literal) and isinstance(end, Literal)
        if typed and str(text)[int(start.toPython()) : int(end.toPython())] == str(exact):  # type: ignore[union-attr]
            found.add(evidence)  # type: ignore[arg-type]
    return found


def entities_by_class(graph: Graph) -> Counter[str]:
    """Entities (labelled resources under ``id/``) by asserted class."""
    counts: Counter[str] = Counter()
    for entity in set(graph.subjects(RDFS.label)):
        if str(entity).startswith(str(ID)):
            for kind in graph.objects(entity, RDF.type):
                counts[curie_of(str(kind))] += 1
    return counts


def pairings_by_phase(graph: Graph) -> Counter[str]:
    """Pairings by the zh label (or IRI) of their phase."""
    counts: Counter[str] = Counter()
    for pairing in graph.subjects(RDF.type, ZQ.Pairing):
        for phase in graph.objects(pairing, ZQ.inPhase):
            labels = [str(lab) for lab in graph.objects(phase, RDFS.label) if getattr(lab, "language", None) == "zh"]
            counts[labels[0] if labels else curie_of(str(phase))] += 1
    return counts
