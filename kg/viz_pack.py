"""The network page's data, packed: columns of nodes, edges and evidence, cross-referenced by position.

A page of the 10,000-article corpus carries 88,506 nodes, 75,204 edges and 60,091 quotes; written as one
JSON object per record (keys, edge styles, node and evidence IRIs repeated in every reference) it weighed
116 MB and Chromium needed over 5 s to open it. Packed, every field is one array (``nodes["zh"][i]`` is node
``i``'s label), an edge names its ends and a record its evidence by index, the edge style is looked up by
relation in ``viz/styles.json`` by the page, and strings many records share (phases, roles, sentences
around quotes, articles) are written once in ``strings`` and referred to by index (``strings[0] == ""``).
``viz/records.js`` reads it back into records. Everything stays data: the page puts it on screen with
``textContent`` only.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.viz_data import node_phases, wrap_label

#: The columns of each table, in the order the page's JSON writes them (sorted keys anyway).
NODE_FIELDS = ("id", "zh", "en", "label", "kind", "aliases", "pinyin", "ev", "degree", "phases", "x", "y")
EDGE_FIELDS = ("from", "to", "relation", "key", "phase", "phaseNumber", "zh", "en", "role", "roleEn", "ev",
               "length")
EVIDENCE_FIELDS = ("exact", "prefix", "suffix", "start", "end", "title", "source")
#: Evidence fields written once in ``strings``: many quotes share an article and a sentence.
SHARED_EVIDENCE = ("prefix", "suffix", "title", "source")


class Strings:
    """A table of strings written once each, in the order first used; ``""`` is always 0."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": 0}

    def __call__(self, text: object) -> int:
        key = str(text or "")
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.index)
        return found

    def table(self) -> list[str]:
        return list(self.index)


def _split(value: object) -> list[str]:
    return [part for part in str(value or "").split(" | ") if part]


def _compact_pinyin(value: object) -> list[str]:
    """Each pinyin spelling without its spaces, once: the page's search ignores spaces in pinyin anyway."""
    return list(dict.fromkeys(part.replace(" ", "") for part in _split(value)))


def columns(records: list[dict[str, Any]], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """Records as one list per field."""
    return {field: [record[field] for record in records] for field in fields}


def pack_nodes(net: nx.MultiDiGraph, kinds: list[str], evidence: dict[str, int],
               positions: dict[str, tuple[float, float]]) -> dict[str, list[Any]]:
    """The node columns, in IRI order: ``kind`` indexes ``kinds``, ``ev`` the evidence columns, and
    ``label`` (the drawn, wrapped label) is ``""`` where it is ``zh`` itself."""
    phases = node_phases(net)
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    records = []
    for node, attrs in sorted(net.nodes(data=True)):
        label = wrap_label(attrs["label_zh"])
        x, y = positions.get(node, (None, None))
        records.append({
            "id": node, "zh": attrs["label_zh"], "en": attrs.get("label_en", ""),
            "label": "" if label == attrs["label_zh"] else label, "kind": kind_index[attrs["kind"]],
            "aliases": _split(attrs.get("aliases")), "pinyin": _compact_pinyin(attrs.get("pinyin")),
            "ev": [evidence[e] for e in _split(attrs.get("evidence"))],
            "degree": attrs.get("degree", net.degree(node)), "phases": phases[node], "x": x, "y": y,
        })
    return columns(records, NODE_FIELDS)


def pack_edges(net: nx.MultiDiGraph, relations: list[str], evidence: dict[str, int], strings: Strings,
               lengths: dict[tuple[str, str], float]) -> dict[str, list[Any]]:
    """The edge columns, in (from, to, key) order: ``from``/``to`` index the nodes, ``relation`` indexes
    ``relations``, ``phase``/``role``/``roleEn`` the strings; ``length`` is the spring's length at rest in the
    starting layout (``None``: the relation's)."""
    node_index = {node: i for i, node in enumerate(sorted(net.nodes))}
    relation_index = {relation: i for i, relation in enumerate(relations)}
    records = []
    for source, target, key, attrs in sorted(net.edges(keys=True, data=True)):
        records.append({
            "from": node_index[source], "to": node_index[target],
            "relation": relation_index[str(attrs.get("relation", ""))], "key": key,
            "phase": strings(attrs.get("phase")), "phaseNumber": attrs.get("phase_number"),
            "zh": attrs.get("label_zh", ""), "en": attrs.get("label_en", ""),
            "role": strings(attrs.get("role")), "roleEn": strings(attrs.get("role_en")),
            "ev": [evidence[e] for e in _split(attrs.get("evidence"))], "length": lengths.get((source, target)),
        })
    return columns(records, EDGE_FIELDS)


def cited_evidence(net: nx.MultiDiGraph) -> dict[str, int]:
    """Every evidence IRI a node or edge cites, numbered in IRI order."""
    cited = {e for _, attrs in net.nodes(data=True) for e in _split(attrs.get("evidence"))}
    cited |= {e for *_, attrs in net.edges(data=True) for e in _split(attrs.get("evidence"))}
    return {iri: i for i, iri in enumerate(sorted(cited))}


def pack_evidence(records: dict[str, dict[str, Any]], order: dict[str, int], strings: Strings
                  ) -> dict[str, list[Any]]:
    """The evidence columns (as :func:`kg.viz_data.evidence_table` gives them) in ``order``, the fields many
    quotes share as indexes of the strings."""
    rows = [dict(records[iri]) for iri in sorted(order, key=order.__getitem__)]
    for row in rows:
        for field in SHARED_EVIDENCE:
            row[field] = strings(row[field])
    return columns(rows, EVIDENCE_FIELDS)
