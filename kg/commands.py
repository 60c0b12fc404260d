"""What each ``kg`` subcommand does, composed from the pipeline stages.

This is the CLI's side of the one-way data flow: it reads the user's inputs, runs the stages (each a plain
function), and writes outputs atomically. ``kg/cli.py`` only parses arguments and calls in here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph

from kg import iris
from kg.build import build_dataset, source_index
from kg.closure import rules_closure
from kg.direct_types import direct_type_triples
from kg.errors import InputError
from kg.export import GRAPH_FORMATS, serialise, serialise_all, to_network
from kg.forked import Forked
from kg.gc_pause import heap_frozen
from kg.guard import confined_to
from kg.io import build_lock, remove_other_outputs, remove_stale_temporaries, write_all_atomic, write_atomic
from kg.ontology import ontology_graph
from kg.pipeline import articles_of, union_of
from kg.reason import Closure, Reasoning, owlrl_closure, reason
from kg.summary import summarise
from kg.user_graph import read_user_dataset

if TYPE_CHECKING:
    from kg.validate import ValidationReport

BUILD_FILES = {"graph.ttl": "ttl", "graph.nt": "nt", "graph.jsonld": "jsonld", "graph.trig": "trig"}
#: The outputs a forked child makes while the parent validates (:func:`_outputs`); the parent makes the rest.
#: Chosen by measurement (medians of 10 back-to-back ``kg build`` runs of the article): the page (its imports,
#: networkx and pypinyin's dictionaries, are most of its 0.42 s) and TriG in the child, 1.13 s; with JSON-LD
#: in the child too, 1.26 s; with TriG in the parent instead, 1.22 s.
CHILD_FILES = ("graph.trig", "network.html")
#: Above this many triples the build stays in one process: a child would copy much of a big graph's memory
#: (every object it reads gets its reference count written), for a smaller share of the time.
FORK_BELOW = 200_000


@dataclass
class Built:
    """A dataset with its entailments in the inferred named graph, and where its entities were curated."""

    dataset: Dataset
    reasoning: Reasoning
    origins: dict[str, str]
    _asserted: Graph | None = field(default=None, repr=False, compare=False)
    _closed: Graph | None = field(default=None, repr=False, compare=False)

    def graph(self, *, inferred: bool) -> Graph:
        """Ontology + assertions (+ entailments) as one graph: a fresh copy, the caller's to change."""
        return union_of(self.dataset, inferred=inferred)

    @property
    def asserted(self) -> Graph:
        """Ontology + assertions as one graph, made once and shared by validation and every output: read it,
        never change it. Each copy of the article's 3,500 triples costs ~40 ms in rdflib's memory store."""
        if self._asserted is None:
            self._asserted = union_of(self.dataset, inferred=False)
        return self._asserted

    @property
    def closed(self) -> Graph:
        """:attr:`asserted` with the entailments, made once, shared the same way."""
        if self._closed is None:
            self._closed = union_of(self.dataset, inferred=True)
        return self._closed


#: The closures behind ``--reasoner``: owlrl is the reference semantics; ``rules`` is generated from the
#: ontology's axioms and gives the same entailments (``tests/test_closure.py``), much faster.
REASONERS: dict[str, Closure] = {"rules": rules_closure, "owlrl": owlrl_closure}
DEFAULT_REASONER = "rules"


@confined_to("sources")  # reads no file but the articles, kg's and Python's own (kg.guard_files)
def built_from_sources(sources: Path | None, reasoner: str = DEFAULT_REASONER) -> Built:
    """Load, build and reason over a folder of articles (default: the bundled one)."""
    articles = articles_of(sources)
    dataset = build_dataset(articles, ontology_graph())
    return _with_inferences(dataset, source_index(articles), reasoner)


@confined_to("path")
def built_from_graph(path: Path, reasoner: str = DEFAULT_REASONER) -> Built:
    """Reason over a user's graph file, completed as :func:`kg.user_graph.read_user_dataset` says."""
    return _with_inferences(read_user_dataset(path), {}, reasoner)


def _with_inferences(dataset: Dataset, origins: dict[str, str], reasoner: str) -> Built:
    asserted = union_of(dataset, inferred=False)
    reasoning = reason(asserted, closure=REASONERS[reasoner])
    inferred = dataset.graph(iris.INFERRED_GRAPH)
    inferred += reasoning.inferred
    closed = asserted + inferred
    # nothing asserted holds zq:directType: the build writes none and kg.user_graph drops a file's
    direct_types = list(direct_type_triples(closed))
    inferred += direct_types
    closed += direct_types
    return Built(dataset, reasoning, origins, asserted, closed)


def built(graph_file: Path | None, sources: Path | None = None, reasoner: str = DEFAULT_REASONER) -> Built:
    """The graph a command works on: ``--graph FILE`` if given, else the sources (bundled by default)."""
    if graph_file is not None and sources is not None:
        raise InputError("kg", None, "give --graph FILE or --sources DIR, not both")
    if graph_file is not None:
        return built_from_graph(graph_file, reasoner)
    return built_from_sources(sources, reasoner)


def report_of(result: Built) -> ValidationReport:
    """SHACL shapes + span checks on the assertions, and OWL clashes found by the reasoner."""
    from kg.validate import validate

    inferred = result.dataset.graph(iris.INFERRED_GRAPH)
    return validate(result.asserted, sources_index=result.origins, inferred=inferred, closed=result.closed)


def run_validate(graph_file: Path | None, sources: Path | None, fmt: str, reasoner: str = DEFAULT_REASONER) -> int:
    """``kg validate``: exit 0 and "conforms", or the report and exit 1."""
    report = report_of(built(graph_file, sources, reasoner))
    print(report.to_json() if fmt == "json" else report.to_text())
    return 0 if report.conforms else 1


def run_build(sources: Path | None, out: Path, reasoner: str = DEFAULT_REASONER) -> int:
    """``kg build``: everything checked first, then every output written atomically under a lock.

    The collector never walks the imported modules (nor, once built, the graph): :func:`heap_frozen`."""
    with heap_frozen():
        result = built_from_sources(sources, reasoner)
    with heap_frozen():
        outputs = _checked_outputs(result, out)
    if outputs is None:
        return 1
    with build_lock(out):
        remove_stale_temporaries(out)
        write_all_atomic(out, dict(outputs))
        remove_other_outputs(out, outputs)
    summary = summarise(result.asserted).lines()
    for line in [*summary, result.reasoning.summary(), f"wrote {len(outputs)} files to {out}"]:
        print(line)
    return 0


def _checked_outputs(result: Built, out: Path) -> dict[str, str] | None:
    """Every output's text if the graph conforms (a forked child makes :data:`CHILD_FILES` meanwhile), else
    ``None`` with the report printed."""
    asserted = result.asserted
    half = Forked(lambda: _outputs(result, asserted, CHILD_FILES)) if len(asserted) < FORK_BELOW else None
    try:
        report = report_of(result)
        if not report.conforms:
            print(report.to_text(), file=sys.stderr)
            print(f"kg build: the graph does not conform; nothing written to {out}", file=sys.stderr)
            return None
        mine = [name for name in [*BUILD_FILES, "network.html"] if half is None or name not in CHILD_FILES]
        return _outputs(result, asserted, mine) | (half.result() if half is not None else {})
    finally:
        if half is not None:
            half.cancel()


def _outputs(result: Built, asserted: Graph, names: Iterable[str]) -> dict[str, str]:
    """The text of each named build output (:data:`BUILD_FILES` and ``network.html``)."""
    wanted = list(names)
    formats = [BUILD_FILES[name] for name in wanted if name in BUILD_FILES]
    texts = serialise_all(result.dataset, formats, union=asserted) if formats else {}
    outputs = {name: texts[BUILD_FILES[name]] for name in wanted if name in BUILD_FILES}
    if "network.html" in wanted:
        from kg.viz import network_page

        outputs["network.html"] = network_page(asserted)
    return outputs


@dataclass(frozen=True)
class VizOptions:
    """What ``kg viz`` draws: one phase, one neighbourhood, with or without people and entailments."""

    focus: str | None = None
    depth: int = 1
    phase: int | None = None
    people: bool = True
    inferred: bool = False


def run_viz(graph_file: Path | None, options: VizOptions, output: Path, store: Path | None = None) -> int:
    """``kg viz``: the offline network page, written atomically; with ``store``, read from that Oxigraph store."""
    from kg.viz import network_page

    if store is not None and graph_file is not None:
        print("kg viz: give --graph or --store, not both", file=sys.stderr)
        return 2
    try:
        if store is not None:
            from kg.viz_focus import page_from_store

            page = page_from_store(store, focus=options.focus, depth=options.depth, phase=options.phase,
                                   people=options.people, inferred=options.inferred)
        else:
            page = network_page(built(graph_file).graph(inferred=options.inferred), focus=options.focus,
                                depth=options.depth, phase=options.phase, people=options.people)
    except ValueError as err:
        print(f"kg viz: {err}", file=sys.stderr)
        return 2
    write_atomic(output, page)
    print(f"wrote {output}")
    return 0


def run_export(graph_file: Path | None, fmt: str, inferred: bool, output: Path | None) -> int:
    """``kg export``: one serialisation of the graph, to a file or stdout."""
    result = built(graph_file)
    if fmt in GRAPH_FORMATS:
        dataset = result.dataset
        if not inferred:
            dataset.remove_graph(dataset.graph(iris.INFERRED_GRAPH))
        text = serialise(dataset, fmt, union=result.graph(inferred=inferred))
    else:
        from kg.network import network_of

        text = to_network(network_of(result.graph(inferred=inferred)), fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    return 0
