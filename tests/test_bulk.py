"""The bulk path (``kg.bulk``) against the normal one, on small corpora: the bundled article and generated
corpora of 1 and 5 articles. Same asserted triples, same entailments, same errors; exports that re-parse to
the same graph and are byte-identical across runs and hash seeds; a store ``kg query`` reuses as it is."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic

from benchmarks.generate import generate
from kg.assets import bundled_sources
from kg.bulk import build_into_store
from kg.bulk_closure import close_store
from kg.bulk_rdflib import Originals
from kg.bulk_stream import stream_into
from kg.closure import rules_closure
from kg.commands import built_from_sources
from kg.errors import InputError
from kg.iris import INFERRED_GRAPH, ZQ
from kg.ontology import ontology_graph
from kg.pipeline import articles_of, build_from, union_of
from kg.reason import reason
from kg.store_terms import to_ox
from tests.conftest import ROOT
from tests.test_closure import CASES as CLOSURE_CASES
from tests.test_closure import PREFIXES as CLOSURE_PREFIXES

ALL_FORMATS = ("nt", "ttl", "jsonld", "nq", "trig")
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def _corpus(name: str, tmp_path: Path) -> Path:
    """``article`` (the bundled one) or ``gen-N`` (N generated articles, seed 7)."""
    if name == "article":
        return bundled_sources()
    folder = tmp_path / name
    generate(int(name.removeprefix("gen-")), folder, seed=7)
    return folder


def _lines(triples: object) -> set[str]:
    """rdflib triples as N-Triples lines, as rdflib writes them (blank nodes excluded: compared by isomorphism)."""
    return {f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples  # type: ignore[attr-defined]
            if not isinstance(s, BNode) and not isinstance(o, BNode)}


def _stored_lines(triples: object) -> set[str]:
    """rdflib triples as Oxigraph stores them (values: ``"8"^^xsd:integer`` for a nonNegativeInteger)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
                   for s, p, o in triples  # type: ignore[attr-defined]
                   if not isinstance(s, BNode) and not isinstance(o, BNode))
    return {str(quad.triple) for quad in scratch}


def _graph_lines(store: ox.Store, graph: ox.DefaultGraph | ox.NamedNode) -> set[str]:
    return {str(q.triple) for q in store.quads_for_pattern(None, None, None, graph)
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


@pytest.mark.parametrize("collected", [True, False], ids=["input collected by the stream", "input read back"])
@pytest.mark.parametrize("name", ["article", "gen-1", "gen-5"])
def test_inferred_triples_equal_the_rdflib_path(name: str, collected: bool, tmp_path: Path) -> None:
    sources = _corpus(name, tmp_path)
    expected = reason(union_of(build_from(sources), inferred=False), closure=rules_closure).inferred
    store = ox.Store()
    streamed = stream_into(store, sources, ontology_graph())
    closed = close_store(store, Originals.of(streamed.census), streamed.closure_input if collected else None)
    assert closed.collected == collected
    assert len(expected) > 100
    assert _lines(closed.triples) == _lines(expected)
    assert len(closed.triples) == len(set(expected))
    assert _graph_lines(store, INFERRED) == _stored_lines(expected)


@pytest.mark.parametrize("name", ["article", "gen-5"])
def test_asserted_triples_equal_the_union_of_the_normal_build(name: str, tmp_path: Path) -> None:
    sources = _corpus(name, tmp_path)
    union = union_of(build_from(sources), inferred=False)
    summary = build_into_store(sources, None, tmp_path / "out", formats=("nt",))
    assert summary.asserted == len(union)
    assert _graph_lines(summary.store, ox.DefaultGraph()) == _stored_lines(union)
    exported = Graph().parse(tmp_path / "out" / "graph.nt", format="nt")
    assert _lines(exported) == _lines(union)  # the build's literals, not Oxigraph's values
    assert isomorphic(exported, union)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads and TriG parsers
def test_exports_reparse_to_the_normal_build(tmp_path: Path) -> None:
    sources = _corpus("gen-5", tmp_path)
    built = built_from_sources(sources, "rules")  # the entailments and each organisation's direct classes
    union, inferred = built.graph(inferred=False), built.dataset.graph(INFERRED_GRAPH)
    assert any(True for _ in inferred.triples((None, ZQ.directType, None)))
    out = tmp_path / "out"
    summary = build_into_store(sources, None, out, formats=ALL_FORMATS)
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # not the build lock
    assert written == sorted(p.name for p in summary.files.values())
    for name, fmt in (("graph.ttl", "turtle"), ("graph.jsonld", "json-ld"), ("graph.nt", "nt")):
        assert isomorphic(Graph().parse(out / name, format=fmt), union), name
        assert len(list(ox.parse(path=out / name))) == len(union), name
    for name, fmt in (("graph.nq", "nquads"), ("graph.trig", "trig")):
        data = Dataset()
        data.parse(out / name, format=fmt)
        assert isomorphic(data.graph(INFERRED_GRAPH), inferred), name
        assert isomorphic(data.default_graph, union), name


_RUN = """
import sys
from pathlib import Path
from kg.bulk import build_into_store
build_into_store(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), formats=sys.argv[4].split(","))
"""


def test_exports_are_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    sources = _corpus("gen-5", tmp_path)
    outputs = []
    for seed in ("1", "2", "random"):
        out, store = tmp_path / f"out-{seed}", tmp_path / f"store-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _RUN, str(sources), str(store), str(out), ",".join(ALL_FORMATS)],
                       check=True, cwd=ROOT, env=env)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")})
    assert len(outputs[0]) == len(ALL_FORMATS)
    assert outputs[0] == outputs[1] == outputs[2]
    lines = outputs[0]["graph.nt"].splitlines()
    assert lines == sorted(lines)


def test_exports_do_not_depend_on_how_the_dump_is_read_in_chunks(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The dump is read, fixed and sorted in chunks while Oxigraph writes it: tiny chunks (lines cut at every
    read, many runs merged, some reads finding nothing new yet) give the same bytes as one chunk."""
    import kg.bulk_dump

    sources = _corpus("gen-1", tmp_path)
    outputs = []
    for chunk in (1 << 30, 4099):
        monkeypatch.setattr(kg.bulk_dump, "CHUNK", chunk)
        out = tmp_path / f"out-{chunk}"
        build_into_store(sources, None, out, formats=ALL_FORMATS)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")})
    assert len(outputs[0]) == len(ALL_FORMATS)
    assert outputs[0] == outputs[1]
    assert outputs[0]["graph.nt"].count(b"\n") > 1000  # many chunks at 4,099 bytes


def _two_copies(tmp_path: Path) -> Path:
    """The bundled article twice (``a``, ``b``): the same ids with the same labels, so they merge."""
    folder = tmp_path / "two"
    folder.mkdir()
    source = bundled_sources()
    for copy in ("a", "b"):
        shutil.copyfile(next(source.glob("*.txt")), folder / f"{copy}.txt")
        text = next(source.glob("*.yaml")).read_text(encoding="utf-8")
        (folder / f"{copy}.yaml").write_text(text.replace("text: shunde-2020-07-15.txt", f"text: {copy}.txt"),
                                             encoding="utf-8")
    return folder


def _errors(folder: Path, tmp_path: Path) -> tuple[str, str]:
    with pytest.raises(InputError) as normal:
        articles_of(folder)
    with pytest.raises(InputError) as bulk:
        build_into_store(folder, tmp_path / "store", None)
    assert not (tmp_path / "store" / "kg-store.json").exists()  # never taken for a complete build
    return str(normal.value), str(bulk.value)


def test_two_copies_merge_without_error(tmp_path: Path) -> None:
    folder = _two_copies(tmp_path)
    assert build_into_store(folder, None, None).asserted == len(union_of(build_from(folder), inferred=False))


def test_contradiction_across_two_articles_names_both_places(tmp_path: Path) -> None:
    folder = _two_copies(tmp_path)
    b = folder / "b.yaml"
    b.write_text(b.read_text(encoding="utf-8").replace("zh: 广东村田智能科技有限公司", "zh: 广东村田科技有限公司", 1),
                 encoding="utf-8")
    normal, bulk = _errors(folder, tmp_path)
    assert bulk == normal
    assert bulk.startswith(f"{b}:") and "contradicts" in bulk and "at a.yaml:" in bulk, bulk
    assert "'广东村田科技有限公司' contradicts '广东村田智能科技有限公司'" in bulk


def test_a_later_parse_error_wins_over_a_contradiction_as_in_the_normal_path(tmp_path: Path) -> None:
    folder = _two_copies(tmp_path)
    b = folder / "b.yaml"
    b.write_text(b.read_text(encoding="utf-8").replace("zh: 广东村田智能科技有限公司", "zh: 广东村田科技有限公司", 1),
                 encoding="utf-8")
    shutil.copyfile(folder / "a.txt", folder / "c.txt")
    (folder / "c.yaml").write_text("article: [unclosed\n", encoding="utf-8")
    normal, bulk = _errors(folder, tmp_path)
    assert bulk == normal
    assert bulk.startswith(f"{folder / 'c.yaml'}:"), bulk


def test_unknown_id_gives_the_normal_error(tmp_path: Path) -> None:
    folder = _two_copies(tmp_path)
    b = folder / "b.yaml"
    text = b.read_text(encoding="utf-8")
    assert "hostedBy: org/gzucm-shunde-hospital" in text
    b.write_text(text.replace("hostedBy: org/gzucm-shunde-hospital", "hostedBy: org/gzucm-shunde-hospitals"),
                 encoding="utf-8")
    normal, bulk = _errors(folder, tmp_path)
    assert bulk == normal
    assert bulk.startswith(f"{b}:") and "unknown entity id 'org/gzucm-shunde-hospitals'" in bulk, bulk
    assert "did you mean 'org/gzucm-shunde-hospital'?" in bulk


BAD_CASES = sorted((ROOT / "tests" / "bad_inputs").glob("*.yaml"))


@pytest.mark.parametrize("bad", BAD_CASES, ids=[case.stem for case in BAD_CASES])
def test_a_bad_article_gives_the_normal_one_line_error(bad: Path, tmp_path: Path) -> None:
    folder = _two_copies(tmp_path)  # two good articles first: the bad one is read last, as "case"
    shutil.copyfile(bad, folder / "case.yaml")
    shutil.copyfile(folder / "a.txt", folder / "case.txt")
    normal, bulk = _errors(folder, tmp_path)
    assert bulk == normal
    assert bulk.startswith(f"{folder / 'case.yaml'}:") and "\n" not in bulk, bulk


def test_kg_query_reuses_the_bulk_store(tmp_path: Path) -> None:
    from kg.store import StoreSpec
    from kg.store_open import open_for_query

    sources = _corpus("gen-1", tmp_path)
    path = tmp_path / "store"
    summary = build_into_store(sources, path, None)
    summary.store.flush()
    del summary
    opened = open_for_query(StoreSpec.parse(f"oxigraph:{path}"), None, sources, inferred=True)
    assert "reused: same build as last time" in opened.description
    fresh = tmp_path / "fresh"
    loaded = open_for_query(StoreSpec.parse(f"oxigraph:{fresh}"), None, sources, inferred=True)
    assert "loaded" in loaded.description
    assert opened.store.state == loaded.store.state  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", sorted(CLOSURE_CASES))
def test_closure_through_the_adapter_equals_the_rdflib_path_on_each_rule(case: str) -> None:
    """The small graphs of tests/test_closure.py (equality mode, restarts on derived schema, chains,
    intersections, literals) closed from an Oxigraph store: the same kept triples as on rdflib."""
    graph = ontology_graph().parse(data=CLOSURE_PREFIXES + CLOSURE_CASES[case], format="turtle")
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    closed = close_store(store)
    expected = reason(graph, closure=rules_closure).inferred
    assert _lines(closed.triples) == _lines(expected)
    assert len(closed.triples) == len(expected)


def test_clashes_are_found_natively_and_worded_as_kg_validate_words_them(tmp_path: Path) -> None:
    from kg.clashes import InconsistentGraphError, consistency_errors

    folder = _two_copies(tmp_path)
    b = folder / "b.yaml"
    for copy in (folder / "a.yaml", b):  # a party branch that is also an enterprise (disjoint classes)
        text = copy.read_text(encoding="utf-8")
        assert "type: PrivateEnterprise" in text
        copy.write_text(text.replace("type: PrivateEnterprise", "type: [PrivateEnterprise, PartyBranch]", 1),
                        encoding="utf-8")
    asserted = union_of(build_from(folder), inferred=False)
    expected = [str(c) for c in consistency_errors(asserted + reason(asserted, closure=rules_closure).inferred)]
    assert expected and all(c.startswith("cax-") for c in expected), expected
    with pytest.raises(InconsistentGraphError) as found:
        build_into_store(folder, tmp_path / "store", tmp_path / "out")
    assert [str(c) for c in found.value.clashes] == expected
    assert not (tmp_path / "out").exists() and not (tmp_path / "store" / "kg-store.json").exists()


def test_an_unknown_format_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown bulk format"):
        build_into_store(tmp_path / "no such folder", tmp_path / "store", tmp_path / "out", formats=("nt", "rdf"))
    assert not (tmp_path / "store").exists() and not (tmp_path / "out").exists()
