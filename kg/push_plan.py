"""What ``kg push`` sends and reports: the target, one plan per named graph, the outcome, the progress bar.

Kept apart from :mod:`kg.push` (the protocol) so the protocol reads top to bottom.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from tqdm import tqdm

from kg import iris
from kg.errors import InputError
from kg.push_chunks import IRI, ntriples_lines

PROGRESS_MIN_BYTES = 1 << 20  # smaller pushes finish before a bar is worth drawing


@dataclass(frozen=True)
class Target:
    """Where and how to push: the endpoints, the mode, and the request limits."""

    query: str
    update: str
    gsp: str | None = None
    replace: bool = True
    body: str = "nt"
    max_bytes: int = 4 << 20
    batch_triples: int = 1000  # per INSERT DATA: Virtuoso's parser fails at about 5,000


@dataclass
class GraphPlan:
    """One named graph to push: its name on the server and its N-Triples lines."""

    name: URIRef
    lines: list[str]

    @property
    def size(self) -> int:
        """Bytes as N-Triples (what the progress bar counts)."""
        return sum(len(line.encode("utf-8")) + 1 for line in self.lines)


@dataclass
class Outcome:
    """What a push did: graphs, triples, requests, seconds, and the server's count of each graph."""

    graphs: list[GraphPlan]
    via: str = ""  # "Graph Store" or "SPARQL Update" (after any fallback)
    requests: int = 0
    seconds: float = 0.0
    counts: dict[URIRef, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        """Triples sent."""
        return sum(len(plan.lines) for plan in self.graphs)


def plans_of(dataset: Dataset, *, inferred: bool, graph_base: str | None) -> list[GraphPlan]:
    """The non-empty named graphs to push, in IRI order, renamed under ``graph_base``.

    Triples outside any named graph (a ``--graph`` file in Turtle) go to ``<graph-base>default``. A graph
    name that could not be written between ``<`` and ``>`` in SPARQL is refused (it is spliced into the
    update requests).
    """
    plans = []
    for graph in dataset.graphs():
        name = URIRef(str(graph.identifier))
        if len(graph) == 0 or (name == iris.INFERRED_GRAPH and not inferred):
            continue
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            name = iris.GRAPH["default"]
        if graph_base and str(name).startswith(str(iris.GRAPH)):
            name = URIRef(graph_base + str(name)[len(str(iris.GRAPH)):])
        if not IRI.fullmatch(name):
            raise InputError("kg push", None, f"graph name {str(name)!r} is not an IRI a server would accept")
        plans.append(GraphPlan(name, ntriples_lines(graph)))
    return sorted(plans, key=lambda plan: str(plan.name))


class Progress:
    """A byte progress bar on stderr for large pushes, and the per-graph notes; silent with ``quiet``."""

    def __init__(self, total_bytes: int, quiet: bool) -> None:
        self.quiet = quiet
        small = quiet or total_bytes < PROGRESS_MIN_BYTES
        self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, file=sys.stderr, leave=False,
                        desc="kg push", disable=True if small else None)

    def advance(self, nbytes: int) -> None:
        """``nbytes`` more are on the server."""
        self.bar.update(nbytes)

    def note(self, message: str, *, warning: bool = False) -> None:
        """One line on stderr (warnings even when quiet), without breaking the bar."""
        if warning or not self.quiet:
            tqdm.write(message, file=sys.stderr)

    def close(self) -> None:
        """Remove the bar."""
        self.bar.close()
