"""The pipeline as functions a notebook or a test can call: sources -> dataset -> one graph.

The CLI composes the same calls; nothing here parses arguments or writes files.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from kg import iris
from kg.assets import bundled_sources
from kg.build import bind_prefixes, build_dataset
from kg.ontology import ontology_graph
from kg.sources import Article, load_sources


def articles_of(folder: Path | None = None) -> list[Article]:
    """The checked articles of ``folder`` (default: the bundled article)."""
    return load_sources(folder if folder is not None else bundled_sources())


def build_from(folder: Path | None = None) -> Dataset:
    """The asserted dataset (ontology + articles) of ``folder`` (default: the bundled article)."""
    return build_dataset(articles_of(folder), ontology_graph())


def build_bundled() -> Dataset:
    """The asserted dataset of the bundled article."""
    return build_from(None)


def union_of(dataset: Dataset, *, inferred: bool = True) -> Graph:
    """All named graphs of ``dataset`` in one graph (without the inferred graph if ``inferred`` is False)."""
    union = Graph()
    bind_prefixes(union)
    for graph in dataset.graphs():
        if graph.identifier == iris.INFERRED_GRAPH and not inferred:
            continue
        union += graph
    return union
