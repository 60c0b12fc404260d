"""``kg build --store``: the in-memory build (rdflib) or the bulk build into Oxigraph, chosen by size or by the user.

The in-memory build (:func:`kg.commands.run_build`) writes every output (Turtle, N-Triples, JSON-LD, TriG, the
network page) after SHACL validation, and holds the whole graph in rdflib: 2.9 GB of RSS at 1,000 articles.
The bulk build (:func:`kg.bulk.build_into_store`, docs/bulk.md) streams the articles into Oxigraph one at a
time, closes and clash-checks the graph there, and writes sorted N-Triples, Turtle and N-Quads; it does not
run the SHACL shapes or draw the network page (``kg viz --store oxigraph:PATH`` draws it from the store).

``auto`` estimates the size before reading anything: the curated YAML files' bytes at
:data:`YAML_BYTES_PER_TRIPLE` (measured: 25 on a generated corpus, 54 on the bundled article; the lower figure
errs towards the bulk path), against :data:`kg.store.AUTO_THRESHOLD`, the threshold ``kg query`` uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.store import AUTO_THRESHOLD, StoreSpec

#: Bytes of curated YAML per built triple (generated corpus: 245,963 bytes for 20 articles, 7,934 triples
#: without the ontology; the bundled article: 69,667 bytes for ~1,300).
YAML_BYTES_PER_TRIPLE = 25


def estimated_triples(sources: Path | None) -> int:
    """About how many triples the articles of ``sources`` make (0 for the bundled article)."""
    if sources is None or not sources.is_dir():
        return 0  # the loader says what is wrong with a missing folder
    return sum(path.stat().st_size for path in sources.glob("*.yaml")) // YAML_BYTES_PER_TRIPLE


def run_chosen_build(sources: Path | None, out: Path, reasoner: str, spec: StoreSpec) -> int:
    """``kg build``: in memory, or the bulk build into Oxigraph (``spec``), saying which and why."""
    from kg.commands import run_build
    from kg.io import writable_folder

    writable_folder(out)  # before anything is built or a store is touched
    count = estimated_triples(sources) if spec.kind == "auto" else 0
    if spec.kind == "rdflib" or (spec.kind == "auto" and count <= AUTO_THRESHOLD):
        return run_build(sources, out, reasoner)
    if reasoner != "rules":
        print("kg build: the bulk build closes the graph with the rules closure; --reasoner owlrl needs "
              "--store rdflib", file=sys.stderr)
        return 2
    if spec.kind == "auto":
        print(f"kg build: bulk build into Oxigraph (chosen automatically: about {count:,} triples estimated from "
              f"the YAML > {AUTO_THRESHOLD:,}; --store rdflib for the in-memory build)")
    return run_bulk_build(sources, out, spec.path)


def run_bulk_build(sources: Path | None, out: Path, store_path: Path | None) -> int:
    """The bulk build; OWL clashes print as ``kg validate`` prints them, exit 1, nothing written."""
    from kg.bulk import build_into_store
    from kg.clashes import InconsistentGraphError

    try:
        summary = build_into_store(sources, store_path, out)
    except InconsistentGraphError as err:
        for clash in err.clashes:
            print(f"clash: {clash}", file=sys.stderr)
        print(f"kg build: the graph is inconsistent; nothing written to {out}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0
