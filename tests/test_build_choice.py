"""``kg build --store``: the in-memory build or the bulk build into Oxigraph, chosen by the user or by size,
through ``main([...])``; and ``kg query --sources DIR --store oxigraph:PATH`` reusing what the bulk build left."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from kg import build_choice
from kg.cli import main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate(3, folder, seed=3)
    return folder


def test_bulk_build_writes_its_files_and_says_so(corpus: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    out = str(tmp_path / "out")
    assert main(["build", "--sources", str(corpus), "--out", out, "--store", f"oxigraph:{store}"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("kg build (bulk): 3 articles, ") and f"Oxigraph on disk at {store}" in line
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "graph.nq", "graph.nt", "graph.ttl"]
    assert main(["build", "--sources", str(corpus), "--out", str(tmp_path / "mem"), "--store", "rdflib"]) == 0
    capsys.readouterr()
    bulk = set((tmp_path / "out" / "graph.nt").read_text(encoding="utf-8").splitlines())
    memory = set((tmp_path / "mem" / "graph.nt").read_text(encoding="utf-8").splitlines())
    assert bulk == memory  # the same asserted triples, whichever build made them

    assert main(["query", "pairings-per-phase", "--sources", str(corpus), "--store", f"oxigraph:{store}",
                 "--format", "csv"]) == 0
    reused = capsys.readouterr()
    assert reused.err.strip().endswith("reused: same build as last time")
    assert main(["query", "pairings-per-phase", "--sources", str(corpus), "--format", "csv"]) == 0
    assert sorted(capsys.readouterr().out.splitlines()) == sorted(reused.out.splitlines())


def test_auto_chooses_the_bulk_build_above_the_threshold_and_says_why(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(build_choice, "AUTO_THRESHOLD", 10)
    assert main(["build", "--sources", str(corpus), "--out", str(tmp_path)]) == 0
    first, summary = capsys.readouterr().out.strip().splitlines()
    assert first.startswith("kg build: bulk build into Oxigraph (chosen automatically: about ")
    assert first.endswith("triples estimated from the YAML > 10; --store rdflib for the in-memory build)")
    assert summary.startswith("kg build (bulk): 3 articles") and "in memory" in summary


def test_auto_builds_the_article_in_memory_with_every_output(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {
        "graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "network.html"}
    printed = capsys.readouterr().out
    assert "bulk" not in printed and printed.startswith("triples: ") and "wrote 5 files to" in printed


def test_owlrl_is_for_the_in_memory_build(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--sources", str(corpus), "--out", str(tmp_path), "--store", "oxigraph",
                 "--reasoner", "owlrl"]) == 2
    assert "--reasoner owlrl needs --store rdflib" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_estimate_reads_only_yaml_sizes(corpus: Path) -> None:
    size = sum(p.stat().st_size for p in corpus.glob("*.yaml"))
    assert build_choice.estimated_triples(corpus) == size // build_choice.YAML_BYTES_PER_TRIPLE > 0
    assert build_choice.estimated_triples(None) == 0


def test_builds_of_the_two_kinds_into_one_folder_never_mix(corpus: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The bulk build writes no graph.trig, graph.jsonld or network.html: those of an earlier in-memory build
    go, and the in-memory build removes a bulk build's graph.nq (``auto`` switches kind by size)."""
    out = tmp_path / "out"
    assert main(["build", "--sources", str(corpus), "--out", str(out), "--store", "rdflib"]) == 0
    assert main(["build", "--sources", str(corpus), "--out", str(out), "--store", "oxigraph"]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "graph.nq", "graph.nt", "graph.ttl"]
    assert "not the SHACL shapes" in capsys.readouterr().out  # the bulk build says what it did not check
    assert main(["build", "--sources", str(corpus), "--out", str(out), "--store", "rdflib"]) == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "graph.jsonld", "graph.nt", "graph.trig", "graph.ttl", "network.html"]
