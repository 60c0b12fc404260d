"""A user's graph file, completed the way ``kg build`` would have written it: the bundled ontology when the
file lacks it, the search key (``zq:nameKey``) of every name that has none, and no ``zq:directType``.

Direct types (:mod:`kg.direct_types`) are the reasoner's product: kept from a file, one written by an older
build or by hand would stand beside (or, with ``--no-inference``, instead of) the ones the reasoner derives
from the file's own classes now, so they are dropped on reading and derived again.

A graph from another tool, or from ``kg`` before the keys existed, would otherwise answer no ``name``
parameter (``partners-of``, ``evidence-of``): those match the key exactly (:mod:`kg.name_key`). Keys are
added in the named graph of their label; names of the ontology's own terms get none, as in a build.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDFS, SKOS

from kg import iris
from kg.io import read_graph
from kg.iris import ZQ
from kg.name_key import name_key
from kg.ontology import ontology_graph


def read_user_dataset(path: Path) -> Dataset:
    """Parse ``path`` (:func:`kg.io.read_graph`), add the ontology if missing, and the missing name keys."""
    dataset = read_graph(path)
    ontology = ontology_graph()
    if not any(True for _ in dataset.quads((iris.ONTOLOGY_IRI, None, None, None))):
        dataset.graph(iris.ONTOLOGY_GRAPH).__iadd__(ontology)
    add_missing_name_keys(dataset, ontology)
    dataset.remove((None, ZQ.directType, None, None))  # type: ignore[arg-type]
    return dataset


def add_missing_name_keys(dataset: Dataset, ontology: Graph) -> int:
    """Add ``zq:nameKey`` for each label or alias whose subject has not got that key; return how many."""
    terms = set(ontology.subjects())
    added = []
    for predicate in (RDFS.label, SKOS.altLabel):
        for subject, _, name, graph in dataset.quads((None, predicate, None, None)):
            if subject in terms or not isinstance(name, Literal) or graph is None:
                continue
            key = Literal(name_key(str(name)))
            if not any(True for _ in dataset.quads((subject, ZQ.nameKey, key, None))):
                added.append((subject, ZQ.nameKey, key, graph))
    for quad in added:
        dataset.add(quad)  # type: ignore[arg-type]
    return len(set(added))
