"""Cut a graph into request bodies for ``kg push``: no body over a byte limit, no blank node split.

Why cut at all: servers cap request bodies and memory (Virtuoso's SPARQL parser gives up on an ``INSERT
DATA`` of about 5,000 triples: "SP030 ... memory exhausted"), and a retry should resend a few megabytes, not
the whole graph. Why keep blank nodes together: a blank-node label is scoped to one document, so ``_:b0``
in two requests names two different nodes on the server. The triples that share a blank node (a connected
component) therefore always travel in one body, and those components come first, so they land in the first
request of a graph, the one that is safe to retry (``PUT`` or ``DROP; INSERT DATA``).

The lines are those of :func:`kg.export.to_ntriples` (sorted, canonical blank-node labels), so the same
graph gives the same chunks on every push and "chunk 3/7" means the same triples each time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph

from kg.export import to_ntriples, to_turtle

BODY_FORMATS = {"nt": "application/n-triples", "ttl": "text/turtle"}
#: An absolute IRI that can be written between ``<`` and ``>`` in SPARQL (graph names are spliced in there).
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")
_SUBJECT_BNODE = re.compile(r"(_:\S+) ")
# An N-Triples line ends in "<iri> .", '"literal"[@lang|^^<iri>] .' or "_:label ."; only the last is a node.
_OBJECT_BNODE = re.compile(r" (_:[^\s\"<>]+) \.$")
_SIZE = re.compile(r"(\d+)\s*([kKmMgG]?)i?[bB]?")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True)
class Chunk:
    """Some N-Triples lines of one graph: one request body."""

    lines: tuple[str, ...]

    @property
    def triples(self) -> int:
        """How many triples the chunk holds."""
        return len(self.lines)

    @property
    def size(self) -> int:
        """Its size as N-Triples, in bytes (Turtle is never larger)."""
        return sum(len(line.encode("utf-8")) + 1 for line in self.lines)

    @property
    def has_blank_nodes(self) -> bool:
        """True if a triple has a blank node (Virtuoso refuses those in ``INSERT DATA``)."""
        return any(_SUBJECT_BNODE.match(line) or _OBJECT_BNODE.search(line) for line in self.lines)

    def ntriples(self) -> str:
        """The chunk as N-Triples text (also the body of an ``INSERT DATA`` block)."""
        return "".join(line + "\n" for line in self.lines)

    def body(self, fmt: str) -> bytes:
        """The request body in ``fmt`` (``nt`` or ``ttl``), UTF-8."""
        if fmt == "ttl":
            graph = Graph()
            graph.parse(data=self.ntriples(), format="nt")
            return to_turtle(graph).encode("utf-8")
        return self.ntriples().encode("utf-8")


def ntriples_lines(graph: Graph) -> list[str]:
    """The graph's N-Triples lines, sorted, blank nodes canonically labelled (:func:`kg.export.to_ntriples`)."""
    return to_ntriples(graph).splitlines() if len(graph) else []


def chunks_of(lines: list[str], max_bytes: int, max_triples: int | None = None) -> list[Chunk]:
    """N-Triples ``lines`` as chunks of at most ``max_bytes`` (and ``max_triples``), blank nodes kept whole.

    A single blank-node component larger than the limit becomes one chunk on its own (it cannot be cut);
    no lines give no chunks.
    """
    groups = _blank_node_groups(lines)
    chunks: list[Chunk] = []
    current: list[str] = []
    size = 0
    for group in groups:
        group_size = sum(len(line.encode("utf-8")) + 1 for line in group)
        full = size + group_size > max_bytes or (max_triples is not None and len(current) + len(group) > max_triples)
        if current and full:
            chunks.append(Chunk(tuple(current)))
            current, size = [], 0
        current.extend(group)
        size += group_size
    if current:
        chunks.append(Chunk(tuple(current)))
    return chunks


def _blank_node_groups(lines: list[str]) -> list[list[str]]:
    """The lines in groups: each blank-node component (in order of first line), then each other line."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    labels: list[list[str]] = []
    for line in lines:
        found = [m.group(1) for m in (_SUBJECT_BNODE.match(line), _OBJECT_BNODE.search(line)) if m]
        labels.append(found)
        for label in found[1:]:
            parent[root(label)] = root(found[0])
    components: dict[str, list[str]] = {}
    plain: list[list[str]] = []
    for line, found in zip(lines, labels, strict=True):
        if found:
            components.setdefault(root(found[0]), []).append(line)
        else:
            plain.append([line])
    return [*components.values(), *plain]


def parse_size(text: str) -> int:
    """``"4M"``, ``"512k"``, ``"1000000"`` (bytes; k/M/G are powers of 1024) as a positive int."""
    found = _SIZE.fullmatch(text.strip())
    if not found or int(found.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a size (give bytes, or a number with k, M or G, e.g. 4M)")
    return int(found.group(1)) * _UNITS[found.group(2).lower()]
