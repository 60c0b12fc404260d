"""The data the network page embeds: vis node and edge records, and the evidence they cite.

Everything here is plain JSON-able data built from the ``networkx`` projection (:mod:`kg.network`) and
the RDF graph (for the evidence sentences). Markup is never produced: the page builds its DOM with
``textContent`` from these strings, so a hostile label stays text.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.iris import OA, SCHEMA
from kg.network_evidence import selector_of

#: Where a sentence of the article ends (the design's "sentence around a quote").
_SENTENCE_END = "。！？!?\n"
_CJK = re.compile(r"[\u3400-\u9fff]")
#: Characters that end (or start) a word of an organisation name: a good place for a line break.
_NAME_END = "局司会馆院团委区市省厂心所部组县镇"
_NAME_START = "党机"


def wrap_label(text: str, width: int = 8) -> str:
    """Break a long label into lines of about ``width`` CJK characters, so boxes stay compact.

    Chinese has no spaces for vis-network to wrap at, and a 14-character name on one line is what makes
    labels overlap in the article graph.
    """
    if not _CJK.search(text):
        return _wrap_words(text, width * 2)
    if len(text) <= width + 2:
        return text
    lines = -(-len(text) // width)
    cuts = [0, *(_near_boundary(text, len(text) * k // lines) for k in range(1, lines)), len(text)]
    return "\n".join(text[a:b] for a, b in itertools.pairwise(cuts) if a < b)


def _near_boundary(text: str, ideal: int) -> int:
    """The cut nearest ``ideal`` that falls at a word boundary of an organisation name, if one is close."""
    for shift in (0, 1, -1, 2, -2, 3, -3):
        cut = ideal + shift
        if 0 < cut < len(text) and (text[cut - 1] in _NAME_END or text[cut] in _NAME_START):
            return cut
    return ideal


def _wrap_words(text: str, width: int) -> str:
    lines: list[str] = []
    words = [w[i : i + width] for w in text.split(" ") for i in range(0, max(len(w), 1), width)]
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _split(value: object) -> list[str]:
    return [part for part in str(value or "").split(" | ") if part]


def node_phases(net: nx.MultiDiGraph) -> dict[str, list[int]]:
    """Each node's phases: its pairings', shared across hosting (party <-> host), then with post holders.

    The page's and ``--phase``'s filter keep a node when the chosen phase is among these, so an
    enterprise stays beside its party branch and a secretary beside the branch.
    """
    phases: dict[str, set[int]] = {node: set() for node in net.nodes}
    for source, target, attrs in net.edges(data=True):
        if attrs.get("relation") == "pairing" and "phase_number" in attrs:
            phases[source].add(attrs["phase_number"])
            phases[target].add(attrs["phase_number"])
    for relation, both_ways in (("hosting", True), ("post", False)):
        for source, target, attrs in sorted(net.edges(data=True), key=lambda e: (e[0], e[1])):
            if attrs.get("relation") == relation:
                merged = phases[source] | phases[target]
                phases[source] = merged
                if both_ways:
                    phases[target] = set(merged)
    return {node: sorted(found) for node, found in phases.items()}


def page_nodes(net: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """vis node records (``group`` = class CURIE, styled by ``viz/styles.json``) with the panel's data."""
    phases = node_phases(net)
    records = []
    for node, attrs in sorted(net.nodes(data=True)):
        records.append(
            {
                "id": node,
                "label": wrap_label(attrs["label_zh"]),
                "group": attrs["kind"],
                "zh": attrs["label_zh"],
                "en": attrs.get("label_en", ""),
                "kind": attrs["kind"],
                "role": attrs["group"],
                "aliases": _split(attrs.get("aliases")),
                "pinyin": _split(attrs.get("pinyin")),
                "ev": _split(attrs.get("evidence")),
                "degree": attrs.get("degree", net.degree(node)),
                "phases": phases[node],
            }
        )
    return records


def page_edges(net: nx.MultiDiGraph, relations: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """vis edge records: pairings labelled with their phase, hosting and posts directed, with evidence."""
    records = []
    for index, (source, target, key, attrs) in enumerate(sorted(net.edges(keys=True, data=True))):
        relation = str(attrs.get("relation", ""))
        style = relations.get(relation, {})
        records.append(
            {
                "id": f"e{index}",
                "from": source,
                "to": target,
                "key": key,
                "relation": relation,
                "label": str(attrs.get("phase", "")) if relation == "pairing" else "",
                "phase": attrs.get("phase", ""),
                "phaseNumber": attrs.get("phase_number"),
                "zh": attrs.get("label_zh", ""),
            "en": attrs.get("label_en", ""),
            "role": attrs.get("role", ""),
                "roleEn": attrs.get("role_en", ""),
                "ev": _split(attrs.get("evidence")),
                "arrows": "to" if style.get("arrows") else "",
                "dashes": style.get("dashes", False),
                "width": style.get("width", 1),
                "length": style.get("length", 100),
                "color": {"color": style.get("color", "#888888"), "highlight": "#111111", "hover": "#333333"},
            }
        )
    return records


def evidence_table(graph: Graph, ids: set[str], texts: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each cited evidence: the quote, the rest of its sentence, offsets and the article it is from."""
    return {iri: _evidence_record(graph, URIRef(iri), texts) for iri in sorted(ids)}


def _evidence_record(graph: Graph, evidence: URIRef, texts: dict[str, str]) -> dict[str, Any]:
    selector = selector_of(graph, evidence)
    source = graph.value(evidence, OA.hasSource)
    record: dict[str, Any] = {"exact": "", "prefix": "", "suffix": "", "start": None, "end": None}
    record["source"] = str(source) if source is not None else ""
    record["title"] = _literal(graph, source, SCHEMA.headline) if source is not None else ""
    if selector is None:
        return record
    record["exact"] = _literal(graph, selector, OA.exact)
    for name in ("start", "end"):
        value = graph.value(selector, OA[name])
        record[name] = int(value.toPython()) if isinstance(value, Literal) else None
    prefix, suffix = graph.value(selector, OA.prefix), graph.value(selector, OA.suffix)
    if prefix is not None or suffix is not None:
        record["prefix"], record["suffix"] = str(prefix or ""), str(suffix or "")
    else:
        text = _article_text(graph, source, texts)
        record["prefix"], record["suffix"] = sentence_around(text, record["exact"], record["start"])
    return record


def _literal(graph: Graph, subject: Node | None, predicate: URIRef) -> str:
    """One value, chosen deterministically (zh first, then in sort order): ``graph.value`` picks any."""
    if subject is None:
        return ""
    values = sorted(graph.objects(subject, predicate), key=lambda v: (getattr(v, "language", None) != "zh", str(v)))
    return str(values[0]) if values else ""


def _article_text(graph: Graph, source: Node | None, texts: dict[str, str]) -> str:
    """The article's ``schema:text``, else the caller's text keyed by article IRI or id."""
    if source is None:
        return ""
    text = graph.value(source, SCHEMA.text)
    if text is not None:
        return str(text)
    return texts.get(str(source)) or texts.get(str(source).rstrip("/").rsplit("/", 1)[-1], "")


def sentence_around(text: str, exact: str, start: int | None) -> tuple[str, str]:
    """The rest of the sentence before and after ``exact`` at ``start`` (``""`` if the text disagrees)."""
    if start is None or not exact or text[start : start + len(exact)] != exact:
        return "", ""
    end = start + len(exact)
    begin = start
    while begin > 0 and text[begin - 1] not in _SENTENCE_END:
        begin -= 1
    stop = end
    while exact[-1] not in _SENTENCE_END and stop < len(text) and text[stop] != "\n":
        stop += 1
        if text[stop - 1] in _SENTENCE_END:
            break
    return text[begin:start], text[end:stop]
